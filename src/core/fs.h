// Small POSIX helpers with RAII and errors that name the path. The store's
// crash-safety rule (build under tmp/, fsync, rename) is written once, here.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

namespace fs = std::filesystem;

// Owns a file descriptor; closes it once.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

UniqueFd open_or_throw(const fs::path& path, int flags, mode_t mode = 0644);
std::string read_file(const fs::path& path);
void write_all(int fd, const void* data, size_t size, const std::string& what);
// When a write must be on disk before the call returns (core/durability.h).
// always:    whatever the sync mode — a login, a volume's metadata, a user's
//            file: nothing would notice its loss after a power cut.
// when_full: only under --sync=full; in normal mode a durability mark covers
//            it (a layer's or blob's files), or it is made again before use.
enum class Flush { always, when_full };
// Writes to a sibling temporary, fsyncs (see Flush) and renames: readers see
// old or new, never half. Flush::always syncs the rename (the directory) too.
void write_file_atomic(const fs::path& path, std::string_view bytes, mode_t mode = 0644,
                       Flush flush = Flush::always);
void fsync_path(const fs::path& path, Flush flush);
// Removes a tree without following symlinks; missing is fine.
void remove_tree(const fs::path& path);
// Has ext4 place each directory made in `dir` as a top-level one (chattr +T,
// Orlov's spreading): in a block group with few directories, not beside its
// parent. Best effort: other file systems ignore or refuse it.
void spread_subdirectories(const fs::path& dir);
// Go's path.Clean for '/'-separated paths: "a//b/./c/.." -> "a/b", "/../x" -> "/x",
// "../x" stays; "" -> ".".
std::string clean_path(const std::string& path);
// "a/b/c" -> {"a", "b", "c"}; empty components are skipped.
std::vector<std::string> path_components(const std::string& rel);
// Opens `rel` below the directory `root` one component at a time, never
// following a symlink, so nothing outside `root` can be reached: every
// component but the last must be a real directory, the last is opened with
// `flags` | O_NOFOLLOW. "" opens `root` itself. On failure returns an invalid
// fd with errno set (ELOOP or ENOTDIR: a symlink or non-directory on the way).
UniqueFd open_beneath(int root, const std::string& rel, int flags);
// The path (relative, cleaned) that `rel` names below `root` when its symlinks
// are followed as if `root` were "/" — an absolute target starts again at
// `root`, ".." stops there (Docker's FollowSymlinkInScope): COPY into an image
// whose /bin is a link to usr/bin lands in usr/bin. What does not exist is
// kept as written. Throws Error after 255 links (a loop).
std::string resolve_beneath(int root, const std::string& rel);
// The bytes of the regular files below `dir` (symlinks not followed; 0 when
// it does not exist): a volume's or a container layer's disk usage.
int64_t bytes_below(const fs::path& dir);
// Detaches every mount at or below `dir` (deepest first), as a killed command
// may have left them: a removal must never descend into a mounted overlay.
void unmount_below(const fs::path& dir);
// mkdir -p of `rel` below `root` (0755), with open_beneath's rule: a symlink on
// the way is never followed (throws Error naming the path). The directories it
// creates get `uid`:`gid` (Docker's MkdirAllAndChownNew for COPY --chown).
void make_directories_beneath(int root, const std::string& rel, uid_t uid = 0, gid_t gid = 0);

// A random lowercase hex string of n characters (cache IDs, temp names).
std::string random_hex(size_t n);
// Docker overlay2's 26-char short link name: [A-Z0-9].
std::string random_link_id();

}  // namespace berth
