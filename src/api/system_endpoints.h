// The Engine API's system endpoints: /_ping, /version, /info and /system/df.
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_system_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
