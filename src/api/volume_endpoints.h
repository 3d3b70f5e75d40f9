// The Engine API's volume endpoints: list, create, inspect, DELETE and prune,
// over engine/volumes.h, in moby's shapes.
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_volume_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
