#include "image/layer_apply.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "archive/layer_extractor.h"
#include "archive/tar_split.h"
#include <unistd.h>
#include "core/durability.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/manifest.h"

namespace berth {

AppliedLayer apply_layer(ByteReader& blob, const std::filesystem::path& staged_dir, const std::string& what,
                         LayerHashing hashing) {
  std::filesystem::path diff = staged_dir / "diff";
  if (::mkdir(diff.c_str(), 0755) != 0) throw_errno("create " + diff.string());
  UniqueFd diff_fd = open_or_throw(diff, O_RDONLY | O_DIRECTORY);

  HashingReader raw(blob);
  DecompressingReader plain(raw, what);
  // Uncompressed, the blob is the tar: hash it once, as the diff ID.
  bool compressed = plain.compression() != Compression::kNone;
  if (!compressed || hashing != LayerHashing::kHere) raw.stop_hashing();
  if (compressed && hashing == LayerHashing::kByCaller) throw Error(what + ": expected an uncompressed layer");
  HashingReader tar(plain);
  if (hashing == LayerHashing::kByCaller || (hashing == LayerHashing::kBlobByStore && !compressed)) tar.stop_hashing();
  TarSplitRecorder split(tar, what);
  ExtractStats stats = extract_layer(split, diff_fd.get(), what);
  split.drain();  // the diff ID covers the padding after the end-of-archive blocks too

  AppliedLayer out;
  out.compression = plain.compression();
  if (hashing == LayerHashing::kHere) {
    out.diff_id = tar.digest();
    out.blob = compressed ? raw.digest() : out.diff_id;
  } else if (hashing == LayerHashing::kBlobByStore && compressed) {
    out.diff_id = tar.digest();
  }
  out.tar_size = static_cast<int64_t>(tar.size());
  out.blob_size = static_cast<int64_t>(raw.size());
  out.size = stats.bytes;
  // tar-split only when it provably describes what diff/ holds: the same files
  // in the same order, none rewritten later in the stream.
  if (split.representable() && stats.replaced == 0 && stats.through_links == 0 &&
      split.files() == stats.files_with_data) {
    split.save(staged_dir / kTarSplitFile);
    out.tar_split = true;
  }
  return out;
}

void take_blob_digest(AppliedLayer& applied, const StagedBlob& blob) {
  applied.blob = blob.digest();
  if (applied.compression == Compression::kNone) applied.diff_id = blob.digest();
}

StagedLayer stage_applied_layer(const std::filesystem::path& dir, const Digest& chain, std::optional<Digest> parent,
                                const AppliedLayer& applied, std::optional<StagedBlob> blob,
                                std::optional<std::string> media_type) {
  StagedLayer s;
  s.dir = dir;
  s.info.chain_id = chain;
  s.info.parent = std::move(parent);
  s.info.diff_id = applied.diff_id;
  s.info.size = applied.size;
  s.info.tar_split = applied.tar_split;
  s.info.tar_size = applied.tar_size;
  if (applied.compression != Compression::kNone || !applied.tar_split) {
    s.info.blob = applied.blob;
    s.info.blob_size = applied.blob_size;
    s.info.blob_media_type = media_type ? *media_type : layer_media_type(applied.compression);
  }
  s.blob_file = std::move(blob);
  return s;
}

void sync_filesystem(const std::filesystem::path& path) {
  if (!waits_for_disk()) return;  // normal mode: marked instead (core/durability.h)
  UniqueFd fd = open_or_throw(path, O_RDONLY | O_DIRECTORY);
  if (::syncfs(fd.get()) != 0) throw_errno("sync " + path.string());
}

Digest register_layer_image(Store& store, const StagingDir& staging, StagedLayer& layer, const std::string& config,
                            const std::optional<std::string>& tag) {
  sync_filesystem(staging.path());
  Registration reg(store);
  reg.add_layer(layer);
  int64_t now = unix_now();
  Digest id = reg.add_image(config, layer.info.chain_id, std::nullopt, now);
  if (tag) reg.tag(*tag, id, now);
  reg.commit();
  return id;
}

const char* layer_media_type(Compression c) {
  switch (c) {
    case Compression::kGzip: return media_type::kOciLayerGzip;
    case Compression::kZstd: return media_type::kOciLayerZstd;
    case Compression::kNone: break;
  }
  return media_type::kOciLayer;
}

}  // namespace berth
