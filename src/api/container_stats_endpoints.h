// The Engine API's views of what runs in a container and what it uses:
// GET /containers/{id}/top (moby's {"Titles", "Processes"}, from
// engine/container_exec.h's container_top) and GET /containers/{id}/stats
// (runtime/container_stats.h's samples, at moby's pace of one a second).
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_container_stats_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
