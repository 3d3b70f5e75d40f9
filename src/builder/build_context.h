// The files a build can COPY: the context directory minus what .dockerignore
// excludes, or (COPY --from) another stage's or image's root file system.
// Source paths are cleaned and kept inside their root; wildcards are Go's
// filepath.Match, element by element, as Docker expands them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "builder/dockerignore.h"

namespace berth {

class BuildContext {
 public:
  BuildContext(std::filesystem::path root, const std::string& dockerignore)
      : root_(std::move(root)), ignore_(dockerignore) {}
  const std::filesystem::path& root() const { return root_; }
  const DockerIgnore& ignore() const { return ignore_; }

 private:
  std::filesystem::path root_;
  DockerIgnore ignore_;
};

// The paths (relative to `root`, cleaned) that `pattern` names; none when it
// names nothing. `ignore` (may be null) drops excluded ones. Throws Error for
// a pattern that climbs out of the root.
std::vector<std::string> expand_sources(const std::filesystem::path& root, const std::string& pattern,
                                        const DockerIgnore* ignore);

}  // namespace berth
