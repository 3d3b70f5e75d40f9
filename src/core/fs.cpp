#include "core/fs.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <random>
#include <sstream>

#include "core/durability.h"
#include "core/error.h"
#include "core/number.h"

namespace berth {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd open_or_throw(const fs::path& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw_errno("open " + path.string());
  return UniqueFd(fd);
}

std::string read_file(const fs::path& path) {
  UniqueFd fd = open_or_throw(path, O_RDONLY);
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + path.string());
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

void write_all(int fd, const void* data, size_t size, const std::string& what) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + what);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

static bool must_flush(Flush flush) { return flush == Flush::always || waits_for_disk(); }

void fsync_path(const fs::path& path, Flush flush) {
  if (!must_flush(flush)) return;
  UniqueFd fd = open_or_throw(path, O_RDONLY);
  if (::fsync(fd.get()) != 0) throw_errno("fsync " + path.string());
}

void write_file_atomic(const fs::path& path, std::string_view bytes, mode_t mode, Flush flush) {
  fs::path tmp = path;
  tmp += ".tmp-" + random_hex(8);
  {
    UniqueFd fd = open_or_throw(tmp, O_WRONLY | O_CREAT | O_EXCL, mode);
    write_all(fd.get(), bytes.data(), bytes.size(), tmp.string());
    if (must_flush(flush) && ::fsync(fd.get()) != 0) throw_errno("fsync " + tmp.string());
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    throw_errno("rename " + path.string());
  }
  // The rename is in the directory: without this a power cut can bring back
  // the old file (or none) after the call said the new one was written.
  if (flush == Flush::always) fsync_path(path.has_parent_path() ? path.parent_path() : fs::path("."), flush);
}

void remove_tree(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw Error("remove " + path.string() + ": " + ec.message());
}

void spread_subdirectories(const fs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  int flags = 0;
  if (!fd || ::ioctl(fd.get(), FS_IOC_GETFLAGS, &flags) != 0 || (flags & FS_TOPDIR_FL)) return;
  flags |= FS_TOPDIR_FL;
  ::ioctl(fd.get(), FS_IOC_SETFLAGS, &flags);
}

std::vector<std::string> path_components(const std::string& rel) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < rel.size();) {
    size_t slash = rel.find('/', i);
    if (slash == std::string::npos) slash = rel.size();
    if (slash > i) parts.push_back(rel.substr(i, slash - i));
    i = slash + 1;
  }
  return parts;
}

UniqueFd open_beneath(int root, const std::string& rel, int flags) {
  std::vector<std::string> parts = path_components(rel);
  if (parts.empty()) return UniqueFd(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  UniqueFd dir;
  for (size_t i = 0; i < parts.size(); ++i) {
    bool last = i + 1 == parts.size();
    int at = i == 0 ? root : dir.get();
    int fd = ::openat(at, parts[i].c_str(), (last ? flags : O_RDONLY | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return UniqueFd();
    dir = UniqueFd(fd);
  }
  return dir;
}

std::string resolve_beneath(int root, const std::string& rel) {
  std::vector<std::string> done;
  std::vector<std::string> todo = path_components(rel);
  std::reverse(todo.begin(), todo.end());  // the next component at the back
  int links = 0;
  auto joined = [&] {
    std::string out;
    for (const std::string& p : done) out += (out.empty() ? "" : "/") + p;
    return out;
  };
  while (!todo.empty()) {
    std::string part = todo.back();
    todo.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    UniqueFd parent = open_beneath(root, joined(), O_RDONLY | O_DIRECTORY);
    char target[4096];
    ssize_t n = parent.get() >= 0 ? ::readlinkat(parent.get(), part.c_str(), target, sizeof target) : -1;
    if (n < 0) {  // not a symlink (or not there): a component as it is
      done.push_back(part);
      continue;
    }
    if (++links > 255) throw Error("too many levels of symbolic links in " + rel);
    std::string link(target, static_cast<size_t>(n));
    if (link.starts_with("/")) done.clear();
    std::vector<std::string> more = path_components(link);
    todo.insert(todo.end(), more.rbegin(), more.rend());
  }
  return joined();
}

int64_t bytes_below(const fs::path& dir) {
  int64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    struct stat st;
    if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) total += st.st_size;
  }
  return total;
}

void unmount_below(const fs::path& dir) {
  std::string prefix = fs::absolute(dir).lexically_normal().string();
  std::vector<std::string> points;
  std::ifstream mounts("/proc/self/mounts");
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string source, point;
    fields >> source >> point;
    // The kernel writes space, tab, newline and backslash as "\ooo".
    std::string decoded;
    for (size_t i = 0; i < point.size(); ++i) {
      std::optional<uint64_t> octal = point[i] == '\\' && i + 3 < point.size() ? try_parse_uint(point.substr(i + 1, 3), 8)
                                                                                : std::nullopt;
      if (octal && *octal < 256) {
        decoded += static_cast<char>(*octal);
        i += 3;
      } else {
        decoded += point[i];
      }
    }
    point = decoded;
    if (point == prefix || point.starts_with(prefix + "/")) points.push_back(point);
  }
  std::sort(points.rbegin(), points.rend());  // below before above
  for (const std::string& p : points) ::umount2(p.c_str(), MNT_DETACH);
}

std::string clean_path(const std::string& path) {
  bool rooted = path.starts_with("/");
  std::vector<std::string> parts;
  for (const std::string& part : path_components(path)) {
    if (part == ".") continue;
    if (part != "..") parts.push_back(part);
    else if (!parts.empty() && parts.back() != "..") parts.pop_back();
    else if (!rooted) parts.push_back("..");
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

void make_directories_beneath(int root, const std::string& rel, uid_t uid, gid_t gid) {
  UniqueFd dir(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  std::string so_far;
  for (const std::string& part : path_components(rel)) {
    so_far += "/" + part;
    if (::mkdirat(dir.get(), part.c_str(), 0755) == 0) {
      if ((uid || gid) && ::fchownat(dir.get(), part.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
        throw_errno("chown " + so_far);
    } else if (errno != EEXIST) {
      throw_errno("create " + so_far);
    }
    int fd = ::openat(dir.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw_errno("open " + so_far);
    dir = UniqueFd(fd);
  }
}

namespace {
std::mt19937_64& rng() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return gen;
}
std::string random_from(std::string_view alphabet, size_t n) {
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string s(n, ' ');
  for (char& c : s) c = alphabet[pick(rng())];
  return s;
}
}  // namespace

std::string random_hex(size_t n) { return random_from("0123456789abcdef", n); }
std::string random_link_id() { return random_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 26); }

}  // namespace berth
