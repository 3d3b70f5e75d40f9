#include "image/directory_layer.h"

#include <fcntl.h>

#include <optional>

#include "archive/directory_tar.h"
#include "image/layer_apply.h"
#include "archive/tar_pipe.h"
#include "archive/tar_split.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {

namespace {

// The record of a layer whose tar has `diff_id`, on top of `parent_diff_ids`.
DirectoryLayer describe(const std::vector<Digest>& parent_diff_ids, const Digest& diff_id,
                        const std::filesystem::path& layer_dir) {
  DirectoryLayer out;
  out.diff_id = diff_id;
  out.diff_ids = parent_diff_ids;
  out.diff_ids.push_back(diff_id);
  std::vector<Digest> chains = chain_ids(out.diff_ids);
  out.chain_id = chains.back();
  out.staged.dir = layer_dir;
  out.staged.info.chain_id = chains.back();
  if (chains.size() > 1) out.staged.info.parent = chains[chains.size() - 2];
  return out;
}

TarOptions layer_tar_options(std::optional<int64_t> clamp_mtime) {
  TarOptions options;
  options.mode = DirectoryTarMode::kOverlayLayer;
  options.clamp_mtime = clamp_mtime;
  return options;
}

}  // namespace

DirectoryLayer layer_from_directory(const StagingDir& staging, const std::filesystem::path& changes,
                                    const std::vector<Digest>& parent_diff_ids, const std::string& what,
                                    std::optional<int64_t> clamp_mtime) {
  std::filesystem::path tar_file = staging.path() / "layer.tar";
  {
    UniqueFd out = open_or_throw(tar_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    UniqueFd dir = open_or_throw(changes, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    write_directory_tar(dir.get(), out.get(), layer_tar_options(clamp_mtime));
  }
  std::filesystem::path layer_dir = staging.path() / "layer";
  std::filesystem::create_directory(layer_dir);
  BlobHasher tar(tar_file);  // read once: the store's digest of it is the diff ID
  AppliedLayer applied = apply_layer(tar, layer_dir, what, LayerHashing::kBlobByStore);
  StagedBlob blob = tar.finish();
  take_blob_digest(applied, blob);
  DirectoryLayer out = describe(parent_diff_ids, applied.diff_id, layer_dir);
  out.staged = stage_applied_layer(layer_dir, out.chain_id, out.staged.info.parent, applied, blob);
  if (!out.staged.info.blob) std::filesystem::remove(tar_file);  // diff/ + tar-split describe it
  return out;
}

DirectoryLayer adopt_directory_as_layer(const StagingDir& staging, const std::filesystem::path& changes,
                                        const std::vector<Digest>& parent_diff_ids, const std::string& what,
                                        std::optional<int64_t> clamp_mtime,
                                        const std::function<void(const char*, size_t)>& watch) {
  std::filesystem::path layer_dir = staging.path() / "layer";
  std::filesystem::create_directory(layer_dir);
  UniqueFd dir = open_or_throw(changes, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int64_t bytes = 0;
  Digest diff_id;
  uint64_t tar_size = 0;
  read_written([&](int out) { bytes = write_directory_tar(dir.get(), out, layer_tar_options(clamp_mtime)); },
               [&](ByteReader& written) {
                 std::optional<TeeReader> watched;
                 if (watch) watched.emplace(written, watch);
                 HashingReader tar(watched ? static_cast<ByteReader&>(*watched) : written);
                 TarSplitRecorder split(tar, what);
                 split.drain();
                 // Our writer never writes what tar-split cannot describe (sparse files, a name twice).
                 if (!split.representable()) throw Error(what + ": the layer's tar cannot be described by tar-split");
                 split.save(layer_dir / kTarSplitFile);
                 diff_id = tar.digest();
                 tar_size = tar.size();
               },
               what);
  if (::rename(changes.c_str(), (layer_dir / "diff").c_str()) != 0) throw_errno("move " + changes.string());
  DirectoryLayer out = describe(parent_diff_ids, diff_id, layer_dir);
  out.staged.info.diff_id = diff_id;
  out.staged.info.size = bytes;
  out.staged.info.tar_split = true;
  out.staged.info.tar_size = static_cast<int64_t>(tar_size);
  return out;
}

}  // namespace berth
