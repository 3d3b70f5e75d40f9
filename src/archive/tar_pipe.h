// Files copied from one tree into another as a tar stream through a pipe: our
// tar writer on one thread, the layer extractor (which refuses any path out
// of its directory, docs/architecture.md §5) on this one. Owners, modes, xattrs and hard
// links come along. Volume copy-up and a build's COPY use it.
#pragma once

#include <functional>
#include <string>

#include "core/byte_reader.h"
#include "core/digest.h"

namespace berth {

// Runs `write_tar(fd)` on another thread and hands what it writes to `read`
// on this one. `what` names the stream in errors.
void read_written(const std::function<void(int out_fd)>& write_tar, const std::function<void(ByteReader& tar)>& read,
                  const std::string& what);

// Runs `write_tar(fd)` on another thread and extracts what it writes below
// `to_dir_fd`. `what` names the copy in errors.
void copy_through_tar(const std::function<void(int out_fd)>& write_tar, int to_dir_fd, const std::string& what);

// The sha256 of what `write_tar(fd)` writes (a build step's cache key for its sources).
Digest hash_written(const std::function<void(int out_fd)>& write_tar);

}  // namespace berth
