// A directory written as a tar stream, sorted by name, with PAX headers (long
// names, xattrs such as security.capability) and hard links kept. Our own
// ustar+PAX writer: libarchive's would drag every format and filter it has
// (bzip2, lzma, xar's libxml2) into the statically linked binary.
// Two uses: a container's overlay upper dir as a layer (commit, and build
// later), where overlay whiteouts become Docker's AUFS-style ones (a char
// device 0/0 -> ".wh.NAME", an opaque directory -> ".wh..wh..opq" inside it);
// and a whole file system as it is (export).
#pragma once

#include <filesystem>
#include <string>

namespace berth {

enum class DirectoryTarMode { kOverlayLayer, kPlainTree };

void write_directory_tar(const std::filesystem::path& dir, int out_fd, DirectoryTarMode mode);

// One entry of `parent_fd` — a file, or a directory and everything below it —
// named by its own name in the tar, as `docker cp CONTAINER:PATH -` writes it.
void write_entry_tar(int parent_fd, const std::string& name, int out_fd);

}  // namespace berth
