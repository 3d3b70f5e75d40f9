#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

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
  if (!has(d)) write_file_atomic(path(d), bytes, 0644);
  return d;
}

bool BlobStore::adopt(const fs::path& file, const Digest& d) {
  if (has(d)) return false;
  fsync_path(file);
  if (::rename(file.c_str(), path(d).c_str()) != 0) throw_errno("store blob " + d.str());
  return true;
}

void BlobStore::remove(const Digest& d) {
  if (::unlink(path(d).c_str()) != 0 && errno != ENOENT) throw_errno("remove blob " + d.str());
}

}  // namespace berth
