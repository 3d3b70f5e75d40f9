// The layer store: one overlay2 directory per chain ID, in Docker's layout
// (<root>/overlay2/<cache-id>/{diff,link,lower}, <root>/overlay2/l/<short>).
// Operations are named after containerd's snapshotter: stage a new layer,
// commit it under its chain ID, remove it when nothing refers to it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "store/database.h"

namespace berth {

struct LayerInfo {
  Digest chain_id;
  Digest diff_id;
  std::optional<Digest> parent;  // chain ID of the layer below
  std::string cache_id;          // directory name under overlay2/
  std::string link;              // 26-char short name under overlay2/l/
  int64_t size = 0;              // unpacked bytes
  // The archive this layer came as, kept in the blob store so save and push
  // reproduce the digests peers know. Absent for layers made here until needed.
  std::optional<Digest> blob;
  std::string blob_media_type;
  int64_t blob_size = 0;
  // When no archive is kept: the layer's tar is rebuilt from diff/ and the
  // tar-split beside it (see archive/tar_split.h). tar_size is its length.
  bool tar_split = false;
  int64_t tar_size = 0;
};

class LayerStore {
 public:
  LayerStore(Database& db, std::filesystem::path overlay_dir) : db_(db), dir_(std::move(overlay_dir)) {}

  std::optional<LayerInfo> get(const Digest& chain_id);
  // Whether any stored layer has this diff ID (under whatever parent).
  bool has_diff(const Digest& diff_id);
  // Layers from the bottom up to `top`.
  std::vector<LayerInfo> stack(const Digest& top);
  std::vector<LayerInfo> all();

  std::filesystem::path layer_dir(const LayerInfo& l) const { return dir_ / l.cache_id; }
  std::filesystem::path diff_dir(const LayerInfo& l) const { return layer_dir(l) / "diff"; }
  std::filesystem::path tar_split_path(const LayerInfo& l) const { return layer_dir(l) / "tar-split.zst"; }
  std::filesystem::path overlay_dir() const { return dir_; }
  // The content of the `lower` file: parents' short links, nearest first.
  std::string lower_of(const LayerInfo& l);

  // Moves `staged` (a directory holding diff/) into overlay2/ as layer `info`,
  // filling cache_id and link. Must run inside the caller's transaction; the
  // new directory is appended to `placed` so a rollback can take it out again.
  // Returns false, touching nothing, when the chain is already stored.
  bool commit(const std::filesystem::path& staged, LayerInfo& info, std::vector<std::filesystem::path>* placed);

  // Deletes the records of `chain_id` and then of its parents, while no image
  // and no other layer refers to them (in the caller's transaction). The
  // released layers are appended to `released`: their files go after commit.
  void release(const Digest& chain_id, std::vector<LayerInfo>* released);
  // Removes a released layer's files: link first, then the directory.
  void remove_files(const LayerInfo& l);
  bool referenced(const Digest& chain_id);
  // Records a compressed archive made for a push as the archive of a layer
  // that kept none (in the caller's transaction). False when the layer is
  // gone or already has one: the caller then drops its blob.
  bool attach_blob(const Digest& chain_id, const Digest& blob, const std::string& media_type, int64_t size);
  // Forgets the layer's kept archive (a torn one, after a crash; the blob file is the caller's).
  void detach_blob(const Digest& chain_id);
  // Whether any stored layer keeps `blob` as its archive.
  bool blob_in_use(const Digest& blob);

  // A compressed archive of the tar `diff_id` that was pushed, remembered
  // after the layer itself is gone (Docker's distribution metadata does the
  // same): a later push of a layer with that diff ID asks the registry for
  // these before compressing anything. Content-addressed both ways, so a
  // remembered archive is that tar whichever layer made it.
  struct PushedArchive {
    Digest blob;
    std::string media_type;
    int64_t size = 0;
  };
  void remember_archive(const Digest& diff_id, const PushedArchive& archive);
  std::vector<PushedArchive> pushed_archives(const Digest& diff_id);

 private:
  Database& db_;
  std::filesystem::path dir_;
};

}  // namespace berth
