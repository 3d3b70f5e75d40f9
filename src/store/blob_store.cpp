#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

BlobWriter::BlobWriter(std::filesystem::path file, mode_t mode)
    : file_(std::move(file)), fd_(open_or_throw(file_, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) {}

void BlobWriter::write(const void* data, size_t size) {
  write_all(fd_.get(), data, size, file_);
  hash_.update(data, size);
  size_ += static_cast<int64_t>(size);
}

void BlobWriter::copy_from(ByteReader& in) {
  std::vector<char> buf(1 << 20);
  for (size_t k; (k = in.read(buf.data(), buf.size())) > 0;) write(buf.data(), k);
}

StagedBlob BlobWriter::finish() {
  fd_ = UniqueFd();
  return StagedBlob(file_, hash_.finish(), size_);
}

size_t BlobTeeReader::read(void* buf, size_t size) {
  size_t n = inner_.read(buf, size);
  out_.write(buf, n);
  return n;
}

BlobHasher::BlobHasher(std::filesystem::path file)
    : file_(std::move(file)), fd_(open_or_throw(file_, O_RDONLY | O_CLOEXEC)), reader_(fd_.get(), file_.string()),
      hashed_(reader_) {}

size_t BlobHasher::read(void* buf, size_t size) { return hashed_.read(buf, size); }

StagedBlob BlobHasher::finish() {
  hashed_.drain();
  fd_ = UniqueFd();
  return StagedBlob(file_, hashed_.digest(), static_cast<int64_t>(hashed_.size()));
}

bool BlobStore::has(const Digest& d) const {
  struct stat st;
  return ::stat(path(d).c_str(), &st) == 0;
}

int64_t BlobStore::size(const Digest& d) const {
  struct stat st;
  if (::stat(path(d).c_str(), &st) != 0) throw_errno("blob " + d.str());
  return st.st_size;
}

UniqueFd BlobStore::open(const Digest& d) const { return open_or_throw(path(d), O_RDONLY | O_CLOEXEC); }

std::string BlobStore::read(const Digest& d) const {
  std::string bytes = read_file(path(d));
  if (Digest::of(bytes) != d) throw Error("blob " + d.str() + " is corrupt (content does not match its digest); run `berth system check`");
  return bytes;
}

Digest BlobStore::put(std::string_view bytes) {
  Digest d = Digest::of(bytes);
  if (!has(d)) write_file_atomic(path(d), bytes, 0644, Flush::when_full);
  return d;
}

bool BlobStore::adopt(const StagedBlob& blob, const Digest& d) {
  if (blob.digest() != d)
    throw Error("blob " + d.str() + ": the staged file's content is " + blob.digest().str() + "; not stored");
  if (has(d)) return false;
  fsync_path(blob.file(), Flush::when_full);
  if (::rename(blob.file().c_str(), path(d).c_str()) != 0) throw_errno("store blob " + d.str());
  return true;
}

void BlobStore::remove(const Digest& d) {
  if (::unlink(path(d).c_str()) != 0 && errno != ENOENT) throw_errno("remove blob " + d.str());
}

}  // namespace berth
