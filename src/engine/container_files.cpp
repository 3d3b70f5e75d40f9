#include "engine/container_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>

#include "archive/directory_tar.h"
#include "archive/layer_extractor.h"
#include "core/byte_reader.h"
#include "core/error.h"
#include "core/fs.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_rootfs.h"

namespace berth {
namespace {

// The container's root, mounted for the copy when the container is stopped.
class MountedRoot {
 public:
  MountedRoot(Store& store, const ContainerRecord& c) : store_(store), c_(c), mounted_here_(c.state != "running") {
    if (mounted_here_) mount_container_rootfs(store, c.layer_id);
    fd_ = open_or_throw(container_merged_dir(store, c.layer_id), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  ~MountedRoot() {
    fd_ = UniqueFd();
    if (mounted_here_) unmount_container_rootfs(store_, c_.layer_id);
  }
  int fd() const { return fd_.get(); }

 private:
  Store& store_;
  ContainerRecord c_;
  bool mounted_here_;
  UniqueFd fd_;
};

std::string relative(const std::string& container_path) {
  std::string clean;
  if (!clean_member_name(container_path, &clean)) throw Error("invalid path in the container: " + container_path);
  return clean;
}

std::string base_name(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return std::filesystem::path(p).filename().string();
}

UniqueFd open_in_container(int root, const std::string& path, int flags) {
  UniqueFd fd = open_beneath(root, relative(path), flags | O_CLOEXEC);
  if (fd.get() < 0) {
    if (errno == ELOOP || errno == ENOTDIR)
      throw not_found("Could not find the file " + path + " in container: a symlink on the way is not followed");
    throw not_found("Could not find the file " + path + " in container");
  }
  return fd;
}

// Extracts a tar stream into `dir_fd` (no path escapes; see layer_extractor).
void extract_into(int dir_fd, ByteReader& tar, const std::string& what) { extract_layer(tar, dir_fd, what); }

// Writes `dir` (a directory) as a tar to `out`, through a file in tmp/ (one pass each way).
void tar_directory(Store& store, const std::filesystem::path& dir, const std::function<void(ByteReader&)>& use) {
  StagingDir staging = store.make_staging_dir("cp");
  std::filesystem::path file = staging.path() / "copy.tar";
  {
    UniqueFd out = open_or_throw(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    write_directory_tar(dir, out.get(), DirectoryTarMode::kPlainTree);
  }
  UniqueFd in = open_or_throw(file, O_RDONLY | O_CLOEXEC);
  FdReader reader(in.get(), file.string());
  use(reader);
}

void copy_fd(int from, int to, const std::string& what) {
  char buf[1 << 16];
  for (ssize_t n; (n = ::read(from, buf, sizeof buf)) != 0;) {
    if (n < 0) throw_errno("read " + what);
    write_all(to, buf, static_cast<size_t>(n), what);
  }
}

void copy_out(Store& store, const ContainerRecord& c, const std::string& src, const std::string& dest, int stream_fd) {
  MountedRoot root(store, c);
  UniqueFd fd = open_in_container(root.fd(), src, O_RDONLY | O_NOFOLLOW);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw_errno("stat " + src);
  if (dest == "-") {  // a tar of SRC under its own name, as Docker writes it
    std::string path = relative(src);
    if (path.empty() || path == ".") {  // the whole root
      write_directory_tar(container_merged_dir(store, c.layer_id), stream_fd, DirectoryTarMode::kPlainTree);
      return;
    }
    std::string parent = std::filesystem::path(path).parent_path().string();
    UniqueFd parent_fd = open_in_container(root.fd(), "/" + parent, O_RDONLY | O_DIRECTORY);
    write_entry_tar(parent_fd.get(), base_name(src), stream_fd);
    return;
  }
  std::error_code ec;
  std::filesystem::path target = dest;
  if (std::filesystem::is_directory(target, ec)) target /= base_name(src);
  if (S_ISREG(st.st_mode)) {
    UniqueFd out = open_or_throw(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777);
    copy_fd(fd.get(), out.get(), target.string());
    return;
  }
  if (!S_ISDIR(st.st_mode)) throw Error(src + ": only files and directories can be copied");
  std::filesystem::create_directories(target);
  UniqueFd target_fd = open_or_throw(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  // /proc/self/fd keeps the walk on the directory already opened safely.
  tar_directory(store, "/proc/self/fd/" + std::to_string(fd.get()),
                [&](ByteReader& tar) { extract_into(target_fd.get(), tar, "copy of " + src); });
}

void copy_in(Store& store, const ContainerRecord& c, const std::string& src, const std::string& dest, ByteReader* tar) {
  MountedRoot root(store, c);
  // The destination: an existing directory (copy into it), or a new name in an existing one.
  UniqueFd dir = open_beneath(root.fd(), relative(dest), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string name;
  if (dir.get() < 0) {
    if (errno == ELOOP) throw Error("cannot copy to " + dest + ": a symlink on the way is not followed");
    std::string parent = std::filesystem::path(relative(dest)).parent_path().string();
    dir = open_in_container(root.fd(), "/" + parent, O_RDONLY | O_DIRECTORY);
    name = base_name(dest);
  }
  if (src == "-") {  // a tar on stdin, extracted into the directory
    if (!name.empty()) throw Error("destination " + dest + " must be a directory");
    if (!tar) throw invalid_argument("no tar to copy from");
    extract_into(dir.get(), *tar, "copy to " + dest);
    return;
  }
  struct stat st;
  if (::stat(src.c_str(), &st) != 0) throw_errno("stat " + src);
  if (name.empty()) name = base_name(src);
  if (S_ISREG(st.st_mode)) {
    ::unlinkat(dir.get(), name.c_str(), 0);  // replace, never write through a symlink
    UniqueFd out(::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 07777));
    if (out.get() < 0) throw_errno("create " + dest);
    UniqueFd in = open_or_throw(src, O_RDONLY | O_CLOEXEC);
    copy_fd(in.get(), out.get(), dest);
    return;
  }
  if (!S_ISDIR(st.st_mode)) throw Error(src + ": only files and directories can be copied");
  if (::mkdirat(dir.get(), name.c_str(), st.st_mode & 07777) != 0 && errno != EEXIST) throw_errno("create " + dest);
  UniqueFd target(::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (target.get() < 0) throw_errno("open " + dest);
  tar_directory(store, src, [&](ByteReader& tar) { extract_into(target.get(), tar, "copy to " + dest); });
}

}  // namespace

void copy_from_container(Store& store, const std::string& container, const std::string& src, const std::string& dest,
                         int stream_fd) {
  copy_out(store, refresh_container(store, store.containers().find(container)), src, dest, stream_fd);
}

void copy_into_container(Store& store, const std::string& container, const std::string& src, const std::string& dest,
                         ByteReader* tar) {
  copy_in(store, refresh_container(store, store.containers().find(container)), src, dest, tar);
}

ContainerPathStat stat_in_container(Store& store, const std::string& container, const std::string& path) {
  ContainerRecord c = refresh_container(store, store.containers().find(container));
  MountedRoot root(store, c);
  std::string rel = relative(path);
  std::string parent = std::filesystem::path(rel).parent_path().string();
  UniqueFd dir = open_in_container(root.fd(), "/" + parent, O_RDONLY | O_DIRECTORY);
  std::string name = rel.empty() || rel == "." ? "." : std::filesystem::path(rel).filename().string();
  struct stat st{};
  if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    throw not_found("Could not find the file " + path + " in container " + c.name);
  ContainerPathStat out;
  out.name = rel.empty() || rel == "." ? "/" : name;
  out.size = st.st_size;
  out.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  out.mode = st.st_mode & 0777;
  if (st.st_mode & S_ISUID) out.mode |= 1u << 23;
  if (st.st_mode & S_ISGID) out.mode |= 1u << 22;
  if (st.st_mode & S_ISVTX) out.mode |= 1u << 20;
  if (S_ISDIR(st.st_mode)) out.mode |= 1u << 31;
  if (S_ISLNK(st.st_mode)) {
    out.mode |= 1u << 27;
    char target[4096];
    ssize_t n = ::readlinkat(dir.get(), name.c_str(), target, sizeof target);
    if (n > 0) out.link_target.assign(target, static_cast<size_t>(n));
  }
  if (S_ISFIFO(st.st_mode)) out.mode |= 1u << 25;
  if (S_ISSOCK(st.st_mode)) out.mode |= 1u << 24;
  if (S_ISCHR(st.st_mode)) out.mode |= (1u << 26) | (1u << 21);
  if (S_ISBLK(st.st_mode)) out.mode |= 1u << 26;
  return out;
}

void export_container(Store& store, const std::string& container, const std::string& out, int stream_fd) {
  ContainerRecord c = store.containers().find(container);
  MountedRoot root(store, c);
  std::filesystem::path dir = container_merged_dir(store, c.layer_id);
  if (out.empty()) return write_directory_tar(dir, stream_fd, DirectoryTarMode::kPlainTree);
  std::string tmp = out + ".tmp-" + random_hex(8);
  UniqueFd fd = open_or_throw(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  write_directory_tar(dir, fd.get(), DirectoryTarMode::kPlainTree);
  if (::rename(tmp.c_str(), out.c_str()) != 0) throw_errno("rename " + tmp);
}

}  // namespace berth
