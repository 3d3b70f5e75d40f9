// `berth load`: images in from an archive — `docker save` output (both the old
// <id>/layer.tar form and the current blobs/sha256 form) or an OCI image
// layout, plain or compressed — into the store, all or nothing.
#pragma once

#include <string>
#include <vector>

#include "core/byte_reader.h"
#include "store/store.h"

namespace berth {

struct LoadReport {
  // Lines Docker prints: "Loaded image: busybox:latest", "Loaded image ID: sha256:…",
  // and the notice when a tag moves off another image.
  std::vector<std::string> lines;
};

// Reads the whole archive from `fd` (a file, or a pipe: then copied aside
// first), verifies every digest, extracts the layers the store lacks, then
// registers everything in one transaction. On any error the store is left as
// it was.
LoadReport load_images(Store& store, int fd);
// The same from a stream (the Engine API's request body), copied aside first.
LoadReport load_images(Store& store, ByteReader& archive);

}  // namespace berth
