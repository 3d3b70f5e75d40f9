// `history` and the Engine API's /images/{name}/history as data: the
// config's history, newest first, each layer-making step with its layer's
// size, and the IDs of the images of the build chain on the rows they made.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct HistoryEntry {
  std::optional<Digest> image;  // the image whose last step this is; none: Docker's <missing>
  int64_t created = 0;          // unix seconds
  std::string created_by, comment;
  int64_t size = 0;
};

std::vector<HistoryEntry> image_history(Store& store, const Digest& id);

}  // namespace berth
