// `commit`: a container's changes (its overlay upper dir, whiteouts turned
// into Docker's) become one new layer on top of its image, with the
// container's configuration (and --change edits) as the new image's config.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct CommitOptions {
  std::vector<std::string> changes;  // -c, Dockerfile-style
  std::string message, author;
  std::optional<std::string> tag;    // full name
};

Digest commit_container(Store& store, const ContainerRecord& c, const CommitOptions& options);

}  // namespace berth
