// Files in and out of a container's root file system: `cp` and `export`.
// Paths inside the container are walked with open_beneath — a symlink on the
// way is refused, never followed — and what is copied in goes through the same
// safe extraction as a layer, so nothing can be written outside the
// container's root. A stopped container's root is mounted for the copy.
#pragma once

#include <cstdint>
#include <string>

#include "core/byte_reader.h"
#include "store/store.h"

namespace berth {

// CONTAINER:SRC to DEST, a host path, or "-": a tar of SRC under its own name
// written to `stream_fd`.
void copy_from_container(Store& store, const std::string& container, const std::string& src, const std::string& dest,
                         int stream_fd);

// SRC (a host path, or "-": the tar `tar` reads) to CONTAINER:DEST.
void copy_into_container(Store& store, const std::string& container, const std::string& src, const std::string& dest,
                         ByteReader* tar);

// A path in the container as Docker's archive API describes it
// (X-Docker-Container-Path-Stat): the last component is not followed.
struct ContainerPathStat {
  std::string name;
  int64_t size = 0;
  uint32_t mode = 0;  // Go's os.FileMode: permission bits plus its type bits
  int64_t mtime_ns = 0;
  std::string link_target;
};
// Throws not_found when there is nothing there (or a symlink on the way).
ContainerPathStat stat_in_container(Store& store, const std::string& container, const std::string& path);

// The container's whole file system as a tar: to the file `out` (written
// beside it and renamed into place), or to `stream_fd` when `out` is "".
void export_container(Store& store, const std::string& container, const std::string& out, int stream_fd);

}  // namespace berth
