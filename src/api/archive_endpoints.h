// The Engine API's container archive endpoints, what `docker cp` uses:
// HEAD/GET /containers/{id}/archive?path= (the path's stat in
// X-Docker-Container-Path-Stat, and with GET a tar of it) and PUT (a tar
// extracted into a directory of the container), over engine/container_files.h
// — walked without following symlinks, extracted with the layer extractor's
// containment. And GET /containers/{id}/export, `berth export`'s tar.
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_archive_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
