#include "archive/layer_extractor.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "core/durability.h"
#include "core/error.h"
#include "core/fs.h"
#include "archive/tar_reader.h"

namespace berth {

bool clean_member_name(const std::string& name, std::string* out, ClimbingNames climbing) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= name.size()) {
    size_t slash = name.find('/', i);
    if (slash == std::string::npos) slash = name.size();
    std::string part = name.substr(i, slash - i);
    if (part == "..") {
      if (parts.empty() && climbing == ClimbingNames::kRefuse) return false;
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    i = slash + 1;
  }
  out->clear();
  for (const std::string& p : parts) {
    if (!out->empty()) out->push_back('/');
    *out += p;
  }
  return true;
}

namespace {

constexpr const char* kWhiteoutPrefix = ".wh.";
constexpr const char* kOpaqueMarker = ".wh..wh..opq";

class Extractor {
 public:
  Extractor(int root_fd, std::string what, ClimbingNames climbing)
      : root_fd_(root_fd), what_(std::move(what)), is_root_(geteuid() == 0), climbing_(climbing) {}

  void apply(struct archive* a, struct archive_entry* e, ExtractStats* stats);
  void finish();  // directory times, set after their contents

 private:
  [[noreturn]] void fail(const std::string& name, const std::string& why) {
    throw Error(what_ + ": " + (name.empty() ? "" : "\"" + name + "\": ") + why);
  }
  // Opens the existing directory `rel` (cleaned, relative) below the root,
  // refusing symlinks on the way.
  UniqueFd open_dir(const std::string& rel, const std::string& entry);
  int parent_fd(const std::string& parent, const std::string& entry);
  void remove_existing(int dir, const std::string& base, bool keep_dir);
  void set_owner(int dir, const std::string& base, struct archive_entry* e, const std::string& name);
  void set_xattrs(int fd, const std::string& proc_path, struct archive_entry* e, const std::string& name);
  void write_data(struct archive* a, int fd, const std::string& name, int64_t size);
  // One member, by kind. `parent`/`base` split its cleaned `name`.
  struct Member {
    std::string name, parent, base;
    struct archive_entry* e;
    struct timespec times[2];
  };
  void apply_whiteout(const Member& m);
  void apply_hard_link(int dir, const Member& m, const char* target_name);
  void create_file(struct archive* a, int dir, const Member& m, ExtractStats* stats);
  void create_directory(int dir, const Member& m);
  void create_special(int dir, const Member& m, ExtractStats* stats);

  int root_fd_;
  std::string what_;
  bool is_root_;
  ClimbingNames climbing_;
  // The open directories from the root down to the last parent used, one per
  // path component: consecutive entries mostly share parents, so each
  // directory is opened once, not once per entry below it.
  struct OpenDir {
    std::string name;
    UniqueFd fd;
  };
  std::vector<OpenDir> dir_stack_;

 public:
  int64_t replaced_ = 0;
  int64_t through_links_ = 0;  // members written through a symlink of the layer
  void forget_open_dirs() { dir_stack_.clear(); }
  struct DirTime {
    std::string path;
    struct timespec times[2];
  };
  std::vector<DirTime> dir_times_;
};

UniqueFd Extractor::open_dir(const std::string& rel, const std::string& entry) {
  UniqueFd fd = open_beneath(root_fd_, rel, O_RDONLY | O_DIRECTORY);
  if (!fd && (errno == ELOOP || errno == ENOTDIR))
    fail(entry, "path goes through a symlink or non-directory \"" + rel + "\"; refusing to follow it");
  if (!fd) fail(entry, "open \"" + rel + "\": " + std::strerror(errno));
  return fd;
}

int Extractor::parent_fd(const std::string& parent, const std::string& entry) {
  std::vector<std::string> parts = path_components(parent);
  size_t keep = 0;
  while (keep < parts.size() && keep < dir_stack_.size() && dir_stack_[keep].name == parts[keep]) ++keep;
  dir_stack_.resize(keep);
  for (size_t k = keep; k < parts.size(); ++k) {
    int at = k == 0 ? root_fd_ : dir_stack_[k - 1].fd.get();
    const char* part = parts[k].c_str();
    int fd = ::openat(at, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat link;
    if (fd < 0 && (errno == ELOOP || errno == ENOTDIR) && ::fstatat(at, part, &link, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(link.st_mode)) {
      // A symlink this layer made ("lib -> usr/lib", then "lib/x"): followed
      // as if the layer's root were "/" — Docker unpacks in a chroot — so the
      // write lands inside the layer, wherever the link points.
      std::string prefix;
      for (size_t j = 0; j <= k; ++j) prefix += (j ? "/" : "") + parts[j];
      fd = open_beneath(root_fd_, resolve_beneath(root_fd_, prefix), O_RDONLY | O_DIRECTORY).release();
      if (fd < 0 && errno == ENOENT) fail(entry, "\"" + prefix + "\" is a symlink to a directory the layer does not have");
      ++through_links_;
    }
    if (fd < 0 && errno == ENOENT) {
      if (::mkdirat(at, part, 0755) != 0 && errno != EEXIST) fail(entry, std::string("create parent: ") + std::strerror(errno));
      fd = ::openat(at, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      int err = errno;
      std::string so_far;
      for (size_t j = 0; j <= k; ++j) so_far += (j ? "/" : "") + parts[j];
      if (err == ELOOP || err == ENOTDIR)
        fail(entry, "path goes through a symlink or non-directory \"" + so_far + "\"; refusing to follow it");
      fail(entry, "open parent \"" + so_far + "\": " + std::strerror(err));
    }
    dir_stack_.push_back({parts[k], UniqueFd(fd)});
  }
  return parts.empty() ? root_fd_ : dir_stack_.back().fd.get();
}

void Extractor::remove_existing(int dir, const std::string& base, bool keep_dir) {
  struct stat st;
  if (::fstatat(dir, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return;
  if (S_ISDIR(st.st_mode) && keep_dir) return;
  ++replaced_;
  if (S_ISDIR(st.st_mode)) {
    // Replacing a directory by a non-directory: remove the whole subtree.
    remove_tree(fs::path("/proc/self/fd") / std::to_string(dir) / base);
    forget_open_dirs();  // they may be inside what was removed
    return;
  }
  if (::unlinkat(dir, base.c_str(), 0) != 0) throw_errno("replace " + base);
  if (S_ISLNK(st.st_mode)) forget_open_dirs();  // one may have been reached through it
}

void Extractor::set_owner(int dir, const std::string& base, struct archive_entry* e, const std::string& name) {
  uid_t uid = static_cast<uid_t>(archive_entry_uid(e));
  gid_t gid = static_cast<gid_t>(archive_entry_gid(e));
  if (::fchownat(dir, base.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0 && (is_root_ || errno != EPERM))
    fail(name, std::string("chown: ") + std::strerror(errno));
}

void Extractor::set_xattrs(int fd, const std::string& proc_path, struct archive_entry* e, const std::string& name) {
  archive_entry_xattr_reset(e);
  const char* key;
  const void* value;
  size_t size;
  while (archive_entry_xattr_next(e, &key, &value, &size) == ARCHIVE_OK) {
    std::string k = key;
    if (k.rfind("trusted.overlay.", 0) == 0) fail(name, "refusing overlayfs-internal xattr " + k);
    if (k.rfind("user.", 0) != 0 && k.rfind("security.", 0) != 0 && k.rfind("trusted.", 0) != 0) continue;
    int rc = fd >= 0 ? ::fsetxattr(fd, key, value, size, 0) : ::lsetxattr(proc_path.c_str(), key, value, size, 0);
    if (rc != 0 && errno != ENOTSUP && !(errno == EPERM && !is_root_))
      fail(name, "set xattr " + k + ": " + std::strerror(errno));
  }
}

void Extractor::write_data(struct archive* a, int fd, const std::string& name, int64_t size) {
  const void* buf;
  size_t len;
  la_int64_t offset;
  int64_t pos = 0;
  while (true) {
    int rc = archive_read_data_block(a, &buf, &len, &offset);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) fail(name, std::string("reading file data: ") + archive_error_string(a));
    if (offset != pos && ::lseek(fd, offset, SEEK_SET) < 0) throw_errno("seek " + name);
    write_all(fd, buf, len, name);
    pos = offset + static_cast<int64_t>(len);
  }
  if (pos != size && ::ftruncate(fd, size) != 0) throw_errno("truncate " + name);
}

// AUFS whiteouts → overlayfs form.
void Extractor::apply_whiteout(const Member& m) {
  int dir = parent_fd(m.parent, m.name);
  if (m.base == kOpaqueMarker) {
    if (::fsetxattr(dir, "trusted.overlay.opaque", "y", 1, 0) != 0)
      fail(m.name, std::string("mark directory opaque: ") + std::strerror(errno));
    return;
  }
  if (m.base.rfind(".wh..wh.", 0) == 0) return;  // AUFS internals (.wh..wh.plnk, …)
  std::string target = m.base.substr(std::strlen(kWhiteoutPrefix));
  if (target.empty() || target == "." || target == "..") fail(m.name, "invalid whiteout name");
  remove_existing(dir, target, false);
  dir = parent_fd(m.parent, m.name);
  if (::mknodat(dir, target.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0)
    fail(m.name, std::string("create whiteout: ") + std::strerror(errno));
  set_owner(dir, target, m.e, m.name);
}

void Extractor::apply_hard_link(int dir, const Member& m, const char* target_name) {
  std::string target;
  if (!clean_member_name(target_name, &target, climbing_) || target.empty())
    fail(m.name, "hard link target climbs out of the layer");
  size_t ts = target.rfind('/');
  UniqueFd tdir;
  try {
    tdir = open_dir(ts == std::string::npos ? "" : target.substr(0, ts), m.name);
  } catch (const Error&) {
    fail(m.name, "hard link target \"" + target + "\" is not in the layer");
  }
  std::string tbase = ts == std::string::npos ? target : target.substr(ts + 1);
  struct stat st;
  if (::fstatat(tdir.get(), tbase.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    fail(m.name, "hard link target \"" + target + "\" is not in the layer");
  if (S_ISDIR(st.st_mode)) fail(m.name, "hard link to a directory");
  remove_existing(dir, m.base, false);
  dir = parent_fd(m.parent, m.name);
  if (::linkat(tdir.get(), tbase.c_str(), dir, m.base.c_str(), 0) != 0)
    fail(m.name, std::string("hard link: ") + std::strerror(errno));
}

void Extractor::create_file(struct archive* a, int dir, const Member& m, ExtractStats* stats) {
  UniqueFd fd(::openat(dir, m.base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) fail(m.name, std::string("create: ") + std::strerror(errno));
  int64_t size = archive_entry_size(m.e);
  write_data(a, fd.get(), m.name, size);
  // Start writing it to disk now, so the sync before commit finds little left to do.
  if (size > 0 && waits_for_disk()) ::sync_file_range(fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
  stats->bytes += size;
  if (size > 0) stats->files_with_data.push_back(m.name);
  set_owner(dir, m.base, m.e, m.name);
  if (::fchmod(fd.get(), archive_entry_perm(m.e) & 07777) != 0) throw_errno("chmod " + m.name);
  set_xattrs(fd.get(), "", m.e, m.name);
  if (::futimens(fd.get(), m.times) != 0) throw_errno("set times " + m.name);
}

void Extractor::create_directory(int dir, const Member& m) {
  if (::mkdirat(dir, m.base.c_str(), 0700) != 0 && errno != EEXIST)
    fail(m.name, std::string("mkdir: ") + std::strerror(errno));
  UniqueFd fd(::openat(dir, m.base.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) fail(m.name, std::string("open directory: ") + std::strerror(errno));
  set_owner(dir, m.base, m.e, m.name);
  if (::fchmod(fd.get(), archive_entry_perm(m.e) & 07777) != 0) throw_errno("chmod " + m.name);
  set_xattrs(fd.get(), "", m.e, m.name);
  dir_times_.push_back({m.name, {m.times[0], m.times[1]}});
}

// Symlinks and devices: no descriptor of their own, so xattrs go through /proc/self/fd.
void Extractor::create_special(int dir, const Member& m, ExtractStats* stats) {
  mode_t type = archive_entry_filetype(m.e);
  mode_t perm = archive_entry_perm(m.e) & 07777;
  if (type == AE_IFLNK) {
    const char* target = archive_entry_symlink(m.e);
    if (!target) fail(m.name, "symlink without a target");
    // The target is stored as text and never followed while extracting.
    if (::symlinkat(target, dir, m.base.c_str()) != 0) fail(m.name, std::string("symlink: ") + std::strerror(errno));
    stats->bytes += static_cast<int64_t>(std::strlen(target));  // lstat size, as Docker counts it
    set_owner(dir, m.base, m.e, m.name);
  } else {
    dev_t dev = makedev(archive_entry_rdevmajor(m.e), archive_entry_rdevminor(m.e));
    if (::mknodat(dir, m.base.c_str(), type | perm, dev) != 0) fail(m.name, std::string("mknod: ") + std::strerror(errno));
    set_owner(dir, m.base, m.e, m.name);
    if (::fchmodat(dir, m.base.c_str(), perm, 0) != 0) throw_errno("chmod " + m.name);
  }
  set_xattrs(-1, "/proc/self/fd/" + std::to_string(dir) + "/" + m.base, m.e, m.name);
  ::utimensat(dir, m.base.c_str(), m.times, AT_SYMLINK_NOFOLLOW);
}

void Extractor::apply(struct archive* a, struct archive_entry* e, ExtractStats* stats) {
  const char* raw_name = archive_entry_pathname(e);
  if (!raw_name) fail("", "entry without a name");
  Member m{};
  m.e = e;
  if (!clean_member_name(raw_name, &m.name, climbing_)) fail(raw_name, "path climbs out of the layer (\"..\")");
  if (m.name.empty()) return;  // the root itself ("./"): nothing to create
  size_t slash = m.name.rfind('/');
  m.parent = slash == std::string::npos ? "" : m.name.substr(0, slash);
  m.base = slash == std::string::npos ? m.name : m.name.substr(slash + 1);
  ++stats->entries;
  if (m.base.rfind(kWhiteoutPrefix, 0) == 0) return apply_whiteout(m);

  m.times[0] = {archive_entry_atime(e), archive_entry_atime_nsec(e)};
  m.times[1] = {archive_entry_mtime(e), archive_entry_mtime_nsec(e)};
  if (!archive_entry_atime_is_set(e)) m.times[0] = m.times[1];
  int dir = parent_fd(m.parent, m.name);
  if (const char* hardlink = archive_entry_hardlink(e)) return apply_hard_link(dir, m, hardlink);

  mode_t type = archive_entry_filetype(e);
  remove_existing(dir, m.base, type == AE_IFDIR);
  dir = parent_fd(m.parent, m.name);
  switch (type) {
    case AE_IFREG: return create_file(a, dir, m, stats);
    case AE_IFDIR: return create_directory(dir, m);
    case AE_IFLNK:
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: return create_special(dir, m, stats);
    default: fail(m.name, "unsupported tar entry type");
  }
}

void Extractor::finish() {
  forget_open_dirs();
  // Deepest first is not needed: utimens on a directory does not touch its parent.
  for (const DirTime& d : dir_times_) {
    UniqueFd fd;
    try {
      fd = open_dir(d.path, d.path);
    } catch (const Error&) {
      continue;  // replaced by a later entry (a file, a symlink): not a directory any more
    }
    if (::futimens(fd.get(), d.times) != 0) throw_errno("set times " + d.path);
  }
}

}  // namespace

ExtractStats extract_layer(ByteReader& tar, int dir_fd, const std::string& what, ClimbingNames climbing) {
  TarReader reader(tar, what);
  Extractor ex(dir_fd, what, climbing);
  ExtractStats stats;
  while (reader.next()) {
    try {
      ex.apply(reader.handle(), reader.entry(), &stats);
    } catch (const Error&) {
      reader.rethrow_stream_error();
      throw;
    }
  }
  ex.finish();
  stats.replaced = ex.replaced_;
  stats.through_links = ex.through_links_;
  return stats;
}

}  // namespace berth
