// One layer archive (a blob: tar, tar+gzip or tar+zstd) applied to a new
// staging directory in one pass: blob digest → decompression → diff ID →
// extraction. Load and import use it; pull will feed it from the network.
#pragma once

#include <filesystem>
#include <string>

#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/digest.h"

namespace berth {

struct AppliedLayer {
  Digest blob;            // sha256 of the archive as given
  int64_t blob_size = 0;
  Compression compression = Compression::kNone;
  Digest diff_id;         // sha256 of the uncompressed tar
  int64_t size = 0;       // unpacked file bytes
};

// Extracts `blob` into `staged_dir`/diff (created here). `what` names the
// layer in errors. The whole stream is read, so both digests cover it all.
AppliedLayer apply_layer(ByteReader& blob, const std::filesystem::path& staged_dir, const std::string& what);

// The OCI media type of a layer blob kept with the given compression.
const char* layer_media_type(Compression c);

}  // namespace berth
