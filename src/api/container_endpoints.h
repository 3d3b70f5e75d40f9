// The Engine API's container endpoints: list, inspect, create, start, stop,
// restart, kill, wait, DELETE, logs, attach (stdin without a terminal), changes, rename,
// pause, unpause and prune, over the engine's container operations, in moby's shapes.
#pragma once

#include <filesystem>

#include "api/api_router.h"
#include "api/service_state.h"

namespace berth {

void add_container_endpoints(ApiRouter& router, const ServiceState& state);

}  // namespace berth
