// The Engine API's network endpoints: list, inspect, create, connect,
// disconnect, DELETE and prune, over engine/networks.h, in moby's shapes.
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_network_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
