// The store as a whole: the root directory of docs/architecture.md §3–4, its metadata
// database, and the blob, layer and image stores over it. One Store per berth
// process; many processes may share a root (shared lock), `system check`
// takes it alone (exclusive lock) so it can clean what crashed commands left.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/fs.h"
#include "core/image_config.h"
#include "store/blob_store.h"
#include "store/container_store.h"
#include "store/connection_pool.h"
#include "store/database.h"
#include "store/image_store.h"
#include "store/layer_store.h"
#include "store/network_store.h"

namespace berth {

// A directory under <root>/tmp/ for one operation; removed when it goes out of
// scope unless release()d. Whatever a kill -9 leaves there is garbage.
class StagingDir {
 public:
  explicit StagingDir(std::filesystem::path path) : path_(std::move(path)) {}
  StagingDir(StagingDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  StagingDir(const StagingDir&) = delete;
  ~StagingDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class Store {
 public:
  enum class Lock { kShared, kExclusive };
  explicit Store(std::filesystem::path root, Lock lock = Lock::kShared);

  // The root from --root, else $BERTH_ROOT, else /var/lib/berth.
  static std::filesystem::path default_root();
  // What a store opened with durability marks from an earlier boot runs first,
  // under the exclusive lock (store/durability_marks.h). Set by the program
  // (image/crash_recovery.h): verifying layers is above this layer.
  static void set_crash_recovery(std::function<void(Store&)> recover);

  const std::filesystem::path& root() const { return root_; }
  Database& db() { return **db_; }
  BlobStore& blobs() { return blobs_; }
  LayerStore& layers() { return *layers_; }
  ImageStore& images() { return *images_; }
  ContainerStore& containers() { return *containers_; }
  NetworkStore& networks() { return *networks_; }
  // <root>/containers/<id>: the container's bundle, log and runtime files.
  std::filesystem::path container_dir(const std::string& id) const { return root_ / "containers" / id; }

  StagingDir make_staging_dir(const std::string& purpose);
  std::filesystem::path tmp_root() const { return root_ / "tmp"; }

  ImageConfig config_of(const Digest& image_id);
  // Sum of the unpacked sizes of the image's layers (Docker's Size).
  int64_t image_size(const ImageRecord& image);

  // Deletes an image record, its names, and the layers and blobs only it used:
  // records in one transaction, then files. Returns the released layers.
  std::vector<LayerInfo> delete_image(const Digest& id);

  // The two halves of delete_image, for a caller that deletes several images
  // (and checks what may be deleted) in a transaction of its own: the records,
  // inside the caller's open transaction; then, after it committed, the files
  // (invariant 3: records before files).
  struct ImageDeletion {
    ImageRecord image;
    std::vector<LayerInfo> released;
  };
  ImageDeletion delete_image_records(const Digest& id);
  void remove_deleted_files(const ImageDeletion& deletion);

 private:
  std::filesystem::path root_;
  UniqueFd lock_fd_;
  std::optional<PooledConnection> db_;
  BlobStore blobs_;
  std::unique_ptr<LayerStore> layers_;
  std::unique_ptr<ImageStore> images_;
  std::unique_ptr<ContainerStore> containers_;
  std::unique_ptr<NetworkStore> networks_;
};

// Seconds since the epoch, now.
int64_t unix_now();

}  // namespace berth
