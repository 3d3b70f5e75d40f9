// `inspect` of an image in the JSON shape of Docker's Engine API (20.10's
// ImageInspect), so scripts that read `docker inspect` read berth's too.
#pragma once

#include "core/image_config.h"
#include "store/store.h"

namespace berth {

// The image's Config (or ContainerConfig) as Docker's container.Config struct
// serialises it: every field present, in struct order, omitempty ones only when set.
Json docker_container_config(const Json& config);

Json inspect_image(Store& store, const Digest& id);

// The familiar forms ("busybox:latest") of an image's tags and repo digests.
std::vector<std::string> familiar_tags(Store& store, const Digest& id);
std::vector<std::string> familiar_repo_digests(Store& store, const Digest& id);

}  // namespace berth
