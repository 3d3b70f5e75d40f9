// A stored layer's tar, gzip-compressed into a blob for a push. Layers that
// came compressed (pulled, or loaded so) are pushed as they came and never
// get here; the others are compressed once and the blob is kept.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/digest.h"
#include "store/store.h"

namespace berth {

// Writes `out` (a new file under tmp/), hashed by the store as it goes. The
// tar is rebuilt from diff/ and its tar-split, or read from the kept
// uncompressed archive, and checked against the diff ID.
StagedBlob compress_layer(Store& store, const LayerInfo& layer, const std::filesystem::path& out);

// Whether compressing the layer is worth its time: gzip (as compress_layer
// makes it) saves at least a tenth of the first 4 MiB of its tar. Random or
// already-compressed contents do not: sent as a plain tar, their archive's
// digest is the diff ID, known without reading anything.
bool layer_compresses(Store& store, const LayerInfo& layer);
// The same test on the first bytes of a tar (up to kCompressionSample of them).
constexpr size_t kCompressionSample = 4 << 20;
bool sample_compresses(std::string_view sample);

}  // namespace berth
