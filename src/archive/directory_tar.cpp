#include "archive/directory_tar.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// One member's header fields; PAX records carry what ustar cannot (long
// names and link targets, extended attributes, large ids and sizes).
struct Header {
  std::string name, linkname;
  char type = '0';
  unsigned mode = 0;
  uint64_t uid = 0, gid = 0, size = 0, devmajor = 0, devminor = 0;
  int64_t mtime = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
};

class TreeWriter {
 public:
  TreeWriter(int out_fd, const TarOptions& options) : fd_(out_fd), mode_(options.mode), options_(options) {
    out_.reserve(kFlushAt + 65536);
  }
  // Docker's size of what was written: lstat sizes of non-directories, hard links once.
  int64_t bytes() const { return bytes_; }
  void finish() {
    std::string zeros(1024, '\0');
    emit(zeros.data(), zeros.size());
    flush();
  }

  // Writes everything below `dir_fd` (whose path in the tar is `prefix`).
  void walk(int dir_fd, const std::string& prefix, const std::string& source_prefix = "") {
    std::vector<std::string> names;
    {
      int fd = ::dup(dir_fd);
      DIR* d = ::fdopendir(fd);
      if (!d) throw_errno("read directory " + prefix);
      ::rewinddir(d);  // a dup shares the offset: an earlier walk of this directory left it at the end
      while (dirent* e = ::readdir(d))
        if (std::string n = e->d_name; n != "." && n != "..") names.push_back(n);
      ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      if (options_.skip && options_.skip(source_prefix + name)) continue;
      entry(dir_fd, name, prefix, "", source_prefix);
    }
  }

  // Writes `name` (in `dir_fd`) as `prefix` + name (or + `rename`), and below
  // it if it is a directory. `source_prefix` is its directory's path below
  // the walk's start, for the skip filter.
  void entry(int dir_fd, const std::string& name, const std::string& prefix, const std::string& rename = "",
             const std::string& source_prefix = "") {
    std::string path = prefix + (rename.empty() ? name : rename);
    struct stat st;
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("stat " + path);
    if (mode_ == DirectoryTarMode::kOverlayLayer && S_ISCHR(st.st_mode) && st.st_rdev == 0) {
      whiteout(prefix + ".wh." + name, st);
      return;
    }
    Header h = from_stat(st);
    h.name = S_ISDIR(st.st_mode) ? path + "/" : path;
    if (options_.uid) h.uid = *options_.uid;
    if (options_.gid) h.gid = *options_.gid;
    if (options_.mode_bits && !S_ISLNK(st.st_mode)) h.mode = *options_.mode_bits;
    if (options_.clamp_mtime && h.mtime > *options_.clamp_mtime) h.mtime = *options_.clamp_mtime;
    UniqueFd fd;
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
      fd = UniqueFd(::openat(dir_fd, name.c_str(),
                             O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0)));
      if (fd.get() < 0) throw_errno("open " + path);
      h.xattrs = xattrs(fd.get());
    }
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = ::readlinkat(dir_fd, name.c_str(), target, sizeof target);
      if (n < 0) throw_errno("read link " + path);
      h.linkname.assign(target, static_cast<size_t>(n));
    }
    if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
      auto [it, first] = links_.emplace(std::make_pair(st.st_dev, st.st_ino), path);
      if (!first) {
        h.type = '1';
        h.linkname = it->second;
        h.size = 0;
        header(h);
        return;
      }
    }
    if (S_ISREG(st.st_mode)) bytes_ += st.st_size;
    if (S_ISREG(st.st_mode) && options_.content_digest) {
      std::string digest = options_.content_digest(fd.get(), st);
      h.size = digest.size();
      header(h);
      emit(digest.data(), digest.size());
      pad(digest.size());
      return;
    }
    header(h);
    if (S_ISREG(st.st_mode)) copy_data(fd.get(), path, h.size);
    if (S_ISDIR(st.st_mode)) {
      if (mode_ == DirectoryTarMode::kOverlayLayer && opaque(fd.get())) whiteout(path + "/.wh..wh..opq", st);
      walk(fd.get(), path + "/", source_prefix + name + "/");
    }
  }

 private:
  static Header from_stat(const struct stat& st) {
    Header h;
    h.mode = st.st_mode & 07777;
    h.uid = st.st_uid;
    h.gid = st.st_gid;
    h.mtime = st.st_mtim.tv_sec;
    if (S_ISREG(st.st_mode)) {
      h.type = '0';
      h.size = static_cast<uint64_t>(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
      h.type = '5';
    } else if (S_ISLNK(st.st_mode)) {
      h.type = '2';
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      h.type = S_ISCHR(st.st_mode) ? '3' : '4';
      h.devmajor = major(st.st_rdev);
      h.devminor = minor(st.st_rdev);
    } else if (S_ISFIFO(st.st_mode)) {
      h.type = '6';
    } else {
      throw Error("cannot put a socket in a tar");
    }
    return h;
  }

  // Docker's whiteouts: an empty regular file with the owner and time of what it hides.
  void whiteout(const std::string& path, const struct stat& st) {
    Header h;
    h.name = path;
    h.mode = S_ISDIR(st.st_mode) ? 0644 : st.st_mode & 07777;
    h.uid = st.st_uid;
    h.gid = st.st_gid;
    h.mtime = st.st_mtim.tv_sec;
    if (options_.clamp_mtime && h.mtime > *options_.clamp_mtime) h.mtime = *options_.clamp_mtime;
    header(h);
  }

  static bool opaque(int fd) {
    char v[2] = {};
    return ::fgetxattr(fd, "trusted.overlay.opaque", v, 1) == 1 && v[0] == 'y';
  }

  // Extended attributes but overlayfs's own (trusted.overlay.*), sorted.
  // (Most files have none: the size probe saves clearing big buffers per file.)
  static std::vector<std::pair<std::string, std::string>> xattrs(int fd) {
    std::vector<std::pair<std::string, std::string>> out;
    ssize_t len = ::flistxattr(fd, nullptr, 0);
    if (len <= 0) return out;
    std::string names(static_cast<size_t>(len) + 1, '\0');
    len = ::flistxattr(fd, names.data(), names.size() - 1);
    for (ssize_t i = 0; len > 0 && i < len; i += static_cast<ssize_t>(std::strlen(names.data() + i)) + 1) {
      std::string name = names.data() + i;
      if (name.starts_with("trusted.overlay.")) continue;
      ssize_t size = ::fgetxattr(fd, name.c_str(), nullptr, 0);
      if (size < 0) continue;
      std::string value(static_cast<size_t>(size), '\0');
      ssize_t n = ::fgetxattr(fd, name.c_str(), value.data(), value.size());
      if (n >= 0) out.emplace_back(name, value.substr(0, static_cast<size_t>(n)));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Zero-padded octal in width-1 digits and a NUL (values are clamped to fit).
  static void octal(char* field, size_t width, uint64_t v) {
    for (size_t i = width - 1; i-- > 0; v >>= 3) field[i] = static_cast<char>('0' + (v & 7));
    field[width - 1] = '\0';
  }

  // "LEN key=value\n", LEN counting itself.
  static std::string pax_record(const std::string& key, const std::string& value) {
    size_t body = key.size() + value.size() + 3;
    size_t len = body + std::to_string(body).size();
    if (std::to_string(len).size() != std::to_string(body).size()) ++len;
    return std::to_string(len) + " " + key + "=" + value + "\n";
  }

  void header(const Header& h) {
    std::string pax;
    if (h.name.size() > 100) pax += pax_record("path", h.name);
    if (h.linkname.size() > 100) pax += pax_record("linkpath", h.linkname);
    if (h.uid > 07777777) pax += pax_record("uid", std::to_string(h.uid));
    if (h.gid > 07777777) pax += pax_record("gid", std::to_string(h.gid));
    if (h.size > 077777777777ULL) pax += pax_record("size", std::to_string(h.size));
    for (const auto& [k, v] : h.xattrs) pax += pax_record("SCHILY.xattr." + k, v);
    if (!pax.empty()) {
      Header x;
      x.name = "PaxHeaders.0/" + h.name.substr(0, 80);
      x.type = 'x';
      x.mode = 0644;
      x.size = pax.size();
      x.mtime = h.mtime;
      ustar(x);
      emit(pax.data(), pax.size());
      pad(pax.size());
    }
    ustar(h);
  }

  void ustar(const Header& h) {
    char b[512] = {};
    std::memcpy(b, h.name.data(), std::min<size_t>(h.name.size(), 100));
    octal(b + 100, 8, h.mode);
    octal(b + 108, 8, std::min<uint64_t>(h.uid, 07777777));
    octal(b + 116, 8, std::min<uint64_t>(h.gid, 07777777));
    octal(b + 124, 12, std::min<uint64_t>(h.size, 077777777777ULL));
    octal(b + 136, 12, static_cast<uint64_t>(std::max<int64_t>(h.mtime, 0)));
    std::memset(b + 148, ' ', 8);
    b[156] = h.type;
    std::memcpy(b + 157, h.linkname.data(), std::min<size_t>(h.linkname.size(), 100));
    std::memcpy(b + 257, "ustar\0" "00", 8);
    if (h.type == '3' || h.type == '4') {
      octal(b + 329, 8, h.devmajor);
      octal(b + 337, 8, h.devminor);
    }
    unsigned sum = 0;
    for (unsigned char c : b) sum += c;
    std::snprintf(b + 148, 8, "%06o", sum);
    b[155] = ' ';
    emit(b, sizeof b);
  }

  // Reads straight into the output buffer: no per-file buffer to allocate and clear.
  void copy_data(int fd, const std::string& path, uint64_t size) {
    uint64_t left = size;
    while (left > 0) {
      size_t used = out_.size();
      size_t want = static_cast<size_t>(std::min<uint64_t>(left, kFlushAt));
      out_.resize(used + want);
      ssize_t n = ::read(fd, out_.data() + used, want);
      out_.resize(used + static_cast<size_t>(std::max<ssize_t>(n, 0)));
      if (n < 0) throw_errno("read " + path);
      if (n == 0) throw Error(path + " shrank while it was being written to the tar");
      left -= static_cast<uint64_t>(n);
      if (out_.size() >= kFlushAt) flush();
    }
    pad(size);
  }

  void pad(uint64_t size) {
    static const char zeros[512] = {};
    if (size % 512) emit(zeros, 512 - size % 512);
  }

  static constexpr size_t kFlushAt = 1 << 20;
  void emit(const char* p, size_t n) {
    out_.append(p, n);
    if (out_.size() >= kFlushAt) flush();
  }
  void flush() {
    write_all(fd_, out_.data(), out_.size(), "tar");
    out_.clear();
  }

  int fd_;
  DirectoryTarMode mode_;
  const TarOptions& options_;
  std::string out_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
  int64_t bytes_ = 0;
};

}  // namespace

void write_directory_tar(const std::filesystem::path& dir, int out_fd, DirectoryTarMode mode) {
  UniqueFd root = open_or_throw(dir, O_RDONLY | O_DIRECTORY);
  TarOptions options;
  options.mode = mode;
  write_directory_tar(root.get(), out_fd, options);
}

int64_t write_directory_tar(int dir_fd, int out_fd, const TarOptions& options) {
  TreeWriter w(out_fd, options);
  w.walk(dir_fd, options.prefix);
  w.finish();
  return w.bytes();
}

void write_entry_tar(int parent_fd, const std::string& name, int out_fd, const TarOptions& options,
                     const std::string& tar_name) {
  TreeWriter w(out_fd, options);
  w.entry(parent_fd, name, options.prefix, tar_name);
  w.finish();
}

}  // namespace berth
