// The image operations a front end calls: tag, and removing images as `docker
// rmi` and `image prune` do, with Docker's conflict
// rules, and reporting it as Docker does: "Untagged: NAME" for each name,
// "Deleted: sha256:…" for the image and each layer nothing else used. The
// checks and every record they allow to go are one transaction, so another
// berth process cannot tag or run the image in between; files go after it
// commits (invariant 3).
#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct Removal {
  std::vector<std::string> lines;  // Untagged:/Deleted: lines, in order
  int64_t reclaimed = 0;           // unpacked bytes of the deleted layers
};

struct RemoveImageOptions {
  bool force = false;     // -f: untag an image in several repositories, or used by stopped containers
  bool prune_parents = true;  // without --no-prune: the unnamed build steps it came from go too
};

// `rmi NAME|ID`. Throws conflict errors with Docker's messages.
Removal remove_image(Store& store, const std::string& name_or_id, const RemoveImageOptions& options);

struct PruneImagesOptions {
  bool all = false;  // -a: every image no container uses, not just the dangling ones
};

// `image prune`: dangling (or all unused) images, never a build step another
// image stands on nor an image a container uses.
Removal prune_images(Store& store, const PruneImagesOptions& options);

// `builder prune`: forgets every build step record and context-file digest and
// empties the RUN --mount=type=cache directories; returns the bytes they held.
int64_t prune_build_cache(Store& store);

// `tag SOURCE TARGET`: TARGET (a reference without a digest) names SOURCE's image.
void tag_image(Store& store, const std::string& source, const std::string& target);

// `build -t A -t B`: every name (full, checked by the caller) for image `id`, in one transaction.
void tag_image(Store& store, const Digest& id, const std::vector<std::string>& full_names);

}  // namespace berth
