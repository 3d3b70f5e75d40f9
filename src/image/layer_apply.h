// One layer archive (a blob: tar, tar+gzip or tar+zstd) applied to a new
// staging directory in one pass: blob digest → decompression → diff ID →
// extraction. Load and import use it; pull will feed it from the network.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/byte_reader.h"
#include "core/decompress.h"
#include "core/digest.h"
#include "store/blob_store.h"
#include "store/layer_store.h"
#include "store/registration.h"
#include "store/store.h"

namespace berth {

struct AppliedLayer {
  Digest blob;            // sha256 of the archive as given
  int64_t blob_size = 0;
  Compression compression = Compression::kNone;
  Digest diff_id;         // sha256 of the uncompressed tar
  int64_t tar_size = 0;   // bytes of the uncompressed tar
  int64_t size = 0;       // unpacked file bytes
  // True when <staged_dir>/tar-split.zst was written: the tar can be rebuilt
  // from diff/, so an uncompressed archive need not be kept.
  bool tar_split = false;
};

// Who hashes the stream apply_layer reads; nothing is hashed twice.
enum class LayerHashing {
  kHere,        // both digests are computed here
  kBlobByStore, // the archive as given goes into a BlobWriter, which hashes it:
                // the caller fills blob (and, for a plain tar, diff_id) with
                // take_blob_digest; the diff ID of a compressed one is computed here
  kByCaller,    // the caller hashes the (uncompressed) stream on its own thread
                // and fills diff_id and blob itself: hashing leaves the critical path
};

// Extracts `blob` into `staged_dir`/diff (created here). `what` names the
// layer in errors. The whole stream is read, so both digests cover it all.
AppliedLayer apply_layer(ByteReader& blob, const std::filesystem::path& staged_dir, const std::string& what,
                         LayerHashing hashing = LayerHashing::kHere);

// Fills in the digest the store computed for the archive applied with
// LayerHashing::kBlobByStore (for a plain tar it is the diff ID too).
void take_blob_digest(AppliedLayer& applied, const StagedBlob& blob);

// The name of the tar-split file inside a layer directory.
inline constexpr const char* kTarSplitFile = "tar-split.zst";

// A layer applied under `dir`, staged for Registration as chain `chain` (on
// `parent`), its record filled from what applying found: its archive `blob` is
// kept when it came compressed (its digest is what registries know) or when
// tar-split could not describe it; otherwise diff/ plus tar-split is enough.
// `media_type`, from a manifest, names a kept archive instead of the detected
// compression. An archive not kept is the caller's to delete.
StagedLayer stage_applied_layer(const std::filesystem::path& dir, const Digest& chain, std::optional<Digest> parent,
                                const AppliedLayer& applied, std::optional<StagedBlob> blob,
                                std::optional<std::string> media_type = std::nullopt);

// Flushes everything written below `path` to disk (one syncfs for all the
// layers of a command, before they are recorded: crash safety, docs/architecture.md §3–4),
// with --sync=full; in normal mode the commit marks them instead (core/durability.h).
void sync_filesystem(const std::filesystem::path& path);

// The tail of `import` and `commit`: syncs what `staging` holds, then records
// `layer` and a new image of `config` on it (tagged `tag`, if given) in one
// transaction. Returns the image ID; the store is unchanged when it throws.
Digest register_layer_image(Store& store, const StagingDir& staging, StagedLayer& layer, const std::string& config,
                            const std::optional<std::string>& tag);

// The OCI media type of a layer blob kept with the given compression.
const char* layer_media_type(Compression c);

}  // namespace berth
