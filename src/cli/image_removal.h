// Removing images the way `docker rmi` and `image prune` report it:
// "Untagged: NAME" for each name, "Deleted: sha256:…" for the image and
// each layer that nothing else used.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct Removal {
  std::vector<std::string> lines;  // Untagged:/Deleted: lines, in order
  int64_t reclaimed = 0;           // unpacked bytes of the deleted layers
};

// Removes every name of the image and then the image itself; with
// `prune_parents`, also the build steps it came from that are left with no
// name, no other child and no container (Docker's rmi without --no-prune).
Removal remove_image(Store& store, const Digest& id, bool prune_parents = true);

}  // namespace berth
