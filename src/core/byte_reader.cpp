#include "core/byte_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

void ByteReader::drain() {
  char buf[65536];
  while (read(buf, sizeof buf) > 0) {
  }
}

size_t FdReader::read(void* buf, size_t size) {
  while (true) {
    ssize_t n = ::read(fd_, buf, size);
    if (n >= 0) {
      total_ += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) throw_errno("read " + what_);
  }
}

size_t TeeReader::read(void* buf, size_t size) {
  size_t n = inner_.read(buf, size);
  if (n > 0) watch_(static_cast<const char*>(buf), n);
  return n;
}

size_t HashingReader::read(void* buf, size_t size) {
  size_t n = inner_.read(buf, size);
  if (hashing_) hash_.update(buf, n);
  size_ += n;
  return n;
}

}  // namespace berth

namespace berth {

size_t StringReader::read(void* buf, size_t size) {
  size_t n = std::min(size, data_.size());
  std::memcpy(buf, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

}  // namespace berth

namespace berth {

size_t PrefixedReader::read(void* buf, size_t size) {
  if (pos_ < prefix_.size()) {
    size_t n = std::min(size, prefix_.size() - pos_);
    std::memcpy(buf, prefix_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  return rest_.read(buf, size);
}

std::string read_up_to(ByteReader& in, size_t size) {
  std::string out(size, '\0');
  size_t got = 0;
  while (got < size) {
    size_t n = in.read(out.data() + got, size - got);
    if (n == 0) break;
    got += n;
  }
  out.resize(got);
  return out;
}

}  // namespace berth
