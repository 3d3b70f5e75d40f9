// A directory written as a tar stream, sorted by name, with PAX headers (long
// names, xattrs such as security.capability) and hard links kept. Our own
// ustar+PAX writer: libarchive's would drag every format and filter it has
// (bzip2, lzma, xar's libxml2) into the statically linked binary.
// Two uses: a container's overlay upper dir as a layer (commit, and build
// later), where overlay whiteouts become Docker's AUFS-style ones (a char
// device 0/0 -> ".wh.NAME", an opaque directory -> ".wh..wh..opq" inside it);
// and a whole file system as it is (export).
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace berth {

enum class DirectoryTarMode { kOverlayLayer, kPlainTree };

// What a build's COPY and a reproducible layer change on the way.
struct TarOptions {
  DirectoryTarMode mode = DirectoryTarMode::kPlainTree;
  std::string prefix;                    // put in front of every name ("app/")
  std::optional<uint32_t> uid, gid;      // every entry's owner (COPY --chown)
  std::optional<uint32_t> mode_bits;     // every entry's permissions (COPY --chmod)
  std::optional<int64_t> clamp_mtime;    // no time later than this (SOURCE_DATE_EPOCH)
  // Entries to leave out, by their path below the walked directory (".dockerignore").
  std::function<bool(const std::string& path)> skip;
  // For a cache key: each regular file's data replaced by what this returns
  // for it (its digest), so the stream names what would be written, cheaply.
  std::function<std::string(int fd, const struct stat& st)> content_digest;
};

void write_directory_tar(const std::filesystem::path& dir, int out_fd, DirectoryTarMode mode);
// What is below `dir_fd` (not the directory itself). Returns the size Docker
// gives a layer made of this tar (a BuildKit step's, a pulled or loaded one):
// the regular files' sizes, a file with hard links once.
int64_t write_directory_tar(int dir_fd, int out_fd, const TarOptions& options);

// One entry of `parent_fd` — a file, or a directory and everything below it —
// named by its own name in the tar, as `docker cp CONTAINER:PATH -` writes it;
// or by `tar_name` (plus the prefix) when one is given.
void write_entry_tar(int parent_fd, const std::string& name, int out_fd, const TarOptions& options = {},
                     const std::string& tar_name = "");

}  // namespace berth
