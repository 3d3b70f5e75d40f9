// The Engine API's endpoints that move images in and out: create (pull with
// X-Registry-Auth, or import with fromSrc), push, get (save) and load — JSON
// progress streams as moby writes them, tar archives as bodies.
#pragma once

#include "api/api_router.h"
#include "api/service_state.h"

namespace berth {

void add_image_transfer_endpoints(ApiRouter& router, const ServiceState& state);

}  // namespace berth
