// The content store: blobs (configs, manifests, layer archives as they came)
// named by their sha256 under <root>/blobs/sha256/<hex>. A blob becomes
// visible only by rename after its digest was checked (containerd's model).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/fs.h"

namespace berth {

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path(const Digest& d) const { return dir_ / d.hex(); }
  bool has(const Digest& d) const;
  int64_t size(const Digest& d) const;
  // Opens a blob for streaming; the reader checks its digest (HashingReader).
  UniqueFd open(const Digest& d) const;
  // Reads a whole (small) blob and checks it against its digest.
  std::string read(const Digest& d) const;
  // Stores bytes, returning their digest; a no-op when already present.
  Digest put(std::string_view bytes);
  // Moves `file`, whose content the caller has verified to be `d`, into place.
  // Returns false (and leaves `file`) when the blob was already present.
  bool adopt(const std::filesystem::path& file, const Digest& d);
  void remove(const Digest& d);

 private:
  std::filesystem::path dir_;
};

}  // namespace berth
