#include "archive/tar_writer.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

void octal(char* field, size_t width, uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

}  // namespace

void TarWriter::write(const void* data, size_t size) { write_all(fd_, data, size, what_); }

void TarWriter::header(const std::string& name, char type, int64_t size, unsigned mode) {
  if (name.size() >= 100) throw Error("tar member name too long: " + name);
  char h[512] = {};
  std::memcpy(h, name.data(), name.size());
  octal(h + 100, 8, mode);
  octal(h + 108, 8, 0);
  octal(h + 116, 8, 0);
  octal(h + 124, 12, static_cast<uint64_t>(size));
  octal(h + 136, 12, 0);  // mtime 0: the same images always save to the same bytes
  h[156] = type;
  std::memcpy(h + 257, "ustar\0" "00", 8);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  h[155] = ' ';
  write(h, sizeof h);
}

void TarWriter::pad(int64_t size) {
  static const char zeros[512] = {};
  if (size % 512) write(zeros, static_cast<size_t>(512 - size % 512));
}

void TarWriter::add_directory(const std::string& name) { header(name, '5', 0, 0755); }

void TarWriter::add_bytes(const std::string& name, std::string_view data) {
  header(name, '0', static_cast<int64_t>(data.size()), 0644);
  write(data.data(), data.size());
  pad(static_cast<int64_t>(data.size()));
}

void TarWriter::add_file(const std::string& name, int in_fd, const std::string& what) {
  struct stat st;
  if (::fstat(in_fd, &st) != 0) throw_errno("stat " + what);
  header(name, '0', st.st_size, 0644);
  off_t left = st.st_size;
  loff_t offset = 0;
  bool use_copy_range = true;
  while (left > 0) {
    ssize_t n = -1;
    if (use_copy_range) {
      n = ::copy_file_range(in_fd, &offset, fd_, nullptr, static_cast<size_t>(left), 0);
      if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == EBADF || errno == ENOSYS || errno == EOPNOTSUPP)) {
        use_copy_range = false;  // a pipe or another filesystem: sendfile then
        continue;
      }
    } else {
      n = ::sendfile(fd_, in_fd, &offset, static_cast<size_t>(left));
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + what_);
    }
    if (n == 0) throw Error(what + " shrank while being saved");
    left -= n;
  }
  pad(st.st_size);
}

void TarWriter::add_stream(const std::string& name, int64_t size, ByteReader& data) {
  header(name, '0', size, 0644);
  std::vector<char> buf(1 << 20);
  int64_t left = size;
  while (left > 0) {
    size_t n = data.read(buf.data(), static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(buf.size()))));
    if (n == 0) throw Error(name + ": stream ended early");
    write(buf.data(), n);
    left -= static_cast<int64_t>(n);
  }
  char extra;
  if (data.read(&extra, 1) != 0) throw Error(name + ": stream is longer than recorded");
  pad(size);
}

void TarWriter::finish() {
  static const char zeros[1024] = {};
  write(zeros, sizeof zeros);
}

}  // namespace berth
