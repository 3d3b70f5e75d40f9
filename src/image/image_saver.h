// `berth save`: images out as one tar in the format current Docker writes —
// manifest.json + repositories (docker-archive) and oci-layout + index.json +
// blobs/sha256 (OCI image layout) at once. Blobs shared by several images are
// written once; layers are written as the archives they came as.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct SaveItem {
  Digest id;
  std::vector<std::string> tags;  // full names to record; empty for by-ID saves
};

// Resolves what the user typed the way docker save does: NAME:TAG saves that
// tag, a bare NAME saves every tag of that repository, an ID saves no tags.
SaveItem resolve_save_item(Store& store, const std::string& text);

void save_images(Store& store, const std::vector<SaveItem>& items, int out_fd, const std::string& what);

}  // namespace berth
