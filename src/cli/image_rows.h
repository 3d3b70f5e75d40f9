// What list-style commands know about an image: its created time (from the
// config) and labels, read once per image.
#pragma once

#include <optional>
#include <string>

#include "store/store.h"

namespace berth {

struct ImageFacts {
  ImageRecord record;
  int64_t created = 0;  // unix seconds, from the config's "created"
  int64_t size = 0;
  Json labels;          // config.Labels or null
};

ImageFacts image_facts(Store& store, const ImageRecord& record);

}  // namespace berth
