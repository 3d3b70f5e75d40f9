// The Engine API's exec endpoints: create, start (hijacked: raw with a TTY,
// stdcopy frames without one, the connection as stdin when asked), json and
// resize, over engine/container_exec.h.
#pragma once

#include "api/api_router.h"
#include "api/service_state.h"

namespace berth {

void add_exec_endpoints(ApiRouter& router, const ServiceState& state);

}  // namespace berth
