// The list entries moby's API returns for images (types.ImageSummary) and
// containers (types.Container): what /images/json, /containers/json and
// /system/df are made of.
#pragma once

#include <string>
#include <vector>

#include "core/image_config.h"
#include "engine/image_list.h"
#include "store/store.h"

namespace berth {

// "busybox:latest" for docker.io/library/busybox:latest.
std::vector<std::string> familiar(const std::vector<std::string>& names);

Json image_summary(const ListedImage& image);
Json container_summary(Store& store, const ContainerRecord& c);

}  // namespace berth
