// The Engine API's container endpoints: list, inspect, create, start, stop,
// restart, kill, wait, DELETE, logs, attach (output only), changes, rename,
// pause, unpause and prune, over the engine's container operations, in moby's shapes.
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_container_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
