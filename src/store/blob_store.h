// The content store: blobs (configs, manifests, layer archives as they came)
// named by their sha256 under <root>/blobs/sha256/<hex>. A blob becomes
// visible only by rename after its digest was checked (containerd's model),
// and the digest checked is one the store computed itself: a new blob is
// written through a BlobWriter (or read once through a BlobHasher) under
// tmp/, and adopt() takes only the StagedBlob those hand back (invariant 5).
// Nothing outside src/store spells a blob's path: blobs are read through
// open() and read().
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "core/digest.h"
#include "core/fs.h"

namespace berth {

// A file under tmp/ on its way into the blob store, with the digest and size
// the store computed while it was written or read. Only BlobWriter and
// BlobHasher make one.
class StagedBlob {
 public:
  const std::filesystem::path& file() const { return file_; }
  const Digest& digest() const { return digest_; }
  int64_t size() const { return size_; }

 private:
  friend class BlobWriter;
  friend class BlobHasher;
  StagedBlob(std::filesystem::path file, Digest digest, int64_t size)
      : file_(std::move(file)), digest_(std::move(digest)), size_(size) {}

  std::filesystem::path file_;
  Digest digest_;
  int64_t size_ = 0;
};

// Writes a new file (it must not exist), hashing and counting the bytes as they go.
class BlobWriter {
 public:
  explicit BlobWriter(std::filesystem::path file, mode_t mode = 0600);
  void write(const void* data, size_t size);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
  // Copies the rest of `in`.
  void copy_from(ByteReader& in);
  // Closes the file; may be called once.
  StagedBlob finish();

 private:
  std::filesystem::path file_;
  UniqueFd fd_;
  Sha256 hash_;
  int64_t size_ = 0;
};

// Passes a stream through, writing every byte read into a BlobWriter: an
// archive kept as it came while it is applied, in the same pass.
class BlobTeeReader : public ByteReader {
 public:
  BlobTeeReader(ByteReader& inner, BlobWriter& out) : inner_(inner), out_(out) {}
  size_t read(void* buf, size_t size) override;

 private:
  ByteReader& inner_;
  BlobWriter& out_;
};

// Reads a file another writer made (one that needs an fd of its own), hashing
// it as it goes: whoever needs its bytes reads them here, once.
class BlobHasher : public ByteReader {
 public:
  explicit BlobHasher(std::filesystem::path file);
  size_t read(void* buf, size_t size) override;
  // Reads what is left, then closes the file; may be called once.
  StagedBlob finish();

 private:
  std::filesystem::path file_;
  UniqueFd fd_;
  FdReader reader_;
  HashingReader hashed_;
};

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  bool has(const Digest& d) const;
  int64_t size(const Digest& d) const;
  // Opens a blob for reading (save copies it into the archive, push uploads it).
  // Its content is not checked here: `system check` does that.
  UniqueFd open(const Digest& d) const;
  // Reads a whole (small) blob and checks it against its digest.
  std::string read(const Digest& d) const;
  // Stores bytes, returning their digest; a no-op when already present.
  Digest put(std::string_view bytes);
  // Moves a staged blob into place as `d`, after checking that the digest the
  // store computed for it is `d` (a mismatch throws, leaving the file).
  // Returns false (and leaves the file) when the blob was already present.
  bool adopt(const StagedBlob& blob, const Digest& d);
  void remove(const Digest& d);

 private:
  friend class Registration;  // takes placed blobs out again on rollback

  std::filesystem::path path(const Digest& d) const { return dir_ / d.hex(); }

  std::filesystem::path dir_;
};

}  // namespace berth
