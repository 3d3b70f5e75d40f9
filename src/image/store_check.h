// `berth system check`: verifies every record against the files and every
// blob and layer archive against its digest, and removes what an interrupted
// command left behind (staging dirs, unrecorded layers and blobs). Runs with
// the store locked exclusively, so no other berth process is mid-write.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct CheckReport {
  std::vector<std::string> repaired;  // garbage removed
  std::vector<std::string> problems;  // damage that needs the user (corrupt blobs, …)
  int64_t blobs = 0, layers = 0, images = 0;
};

CheckReport check_store(Store& store);

}  // namespace berth
