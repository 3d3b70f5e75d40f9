// A stored layer's tar, gzip-compressed into a blob for a push. Layers that
// came compressed (pulled, or loaded so) are pushed as they came and never
// get here; the others are compressed once and the blob is kept.
#pragma once

#include <filesystem>

#include "core/digest.h"
#include "store/store.h"

namespace berth {

// Writes `out` (a new file under tmp/), hashed by the store as it goes. The
// tar is rebuilt from diff/ and its tar-split, or read from the kept
// uncompressed archive, and checked against the diff ID.
StagedBlob compress_layer(Store& store, const LayerInfo& layer, const std::filesystem::path& out);

}  // namespace berth
