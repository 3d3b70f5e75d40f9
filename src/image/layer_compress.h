// A stored layer's tar, gzip-compressed into a blob for a push. Layers that
// came compressed (pulled, or loaded so) are pushed as they came and never
// get here; the others are compressed once and the blob is kept.
#pragma once

#include <filesystem>

#include "core/digest.h"
#include "store/store.h"

namespace berth {

struct CompressedLayer {
  Digest digest;  // of the gzip blob
  int64_t size = 0;
};

// Writes `out` (a new file). The tar is rebuilt from diff/ and its tar-split,
// or read from the kept uncompressed archive, and checked against the diff ID.
CompressedLayer compress_layer(Store& store, const LayerInfo& layer, const std::filesystem::path& out);

}  // namespace berth
