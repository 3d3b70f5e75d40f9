// Per-layer progress of a pull or push, as Docker reports it: a status per
// layer ("Pulling fs layer", "Downloading", "Pull complete", …) and, while
// bytes move, how many of how many. The CLI draws bars on a terminal and
// prints plain status lines otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace berth {

struct LayerProgress {
  std::string id;      // 12 hex digits: the blob (pull) or diff ID (push)
  std::string status;  // Docker's words
  int64_t current = -1, total = -1;  // bytes, when moving
};

using ProgressFn = std::function<void(const LayerProgress&)>;

// "[=====>      ]  1.2MB/3.4MB", Docker's 50-column bar (just the size without
// a total; "" when no bytes move): what the CLI draws after the status and
// the Engine API sends as "progress".
std::string progress_bar(const LayerProgress& p);

}  // namespace berth
