// The Engine API's local image endpoints: /images/json, /images/{name}/json,
// /images/{name}/history, tag, DELETE and prune, over the engine's image
// operations, in moby's shapes (types.ImageSummary, ImageInspect,
// HistoryResponseItem, ImageDeleteResponseItem).
#pragma once

#include <filesystem>

#include "api/api_router.h"

namespace berth {

void add_image_endpoints(ApiRouter& router, const std::filesystem::path& root);

}  // namespace berth
