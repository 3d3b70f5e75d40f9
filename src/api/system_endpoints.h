// The Engine API's system endpoints that need no store: /_ping and /version.
#pragma once

#include "api/api_router.h"

namespace berth {

void add_system_endpoints(ApiRouter& router);

}  // namespace berth
