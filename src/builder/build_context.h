// The files a build can COPY: the context directory minus what .dockerignore
// excludes, or (COPY --from) another stage's or image's root file system.
// Source paths are cleaned and kept inside their root; wildcards are Go's
// filepath.Match, element by element, as Docker expands them.
#pragma once

#include <filesystem>
#include <set>
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

// What `**` is as a whole path element: Go's filepath.Match reads it as `*`
// (COPY's sources); BuildKit's include patterns (COPY --parents) as any number
// of directories, none too.
enum class DoubleStar { kSameAsStar, kAnyDepth };

// The paths (relative to `root`, cleaned) that `pattern` names; none when it
// names nothing. `ignore` (may be null) drops excluded ones. Throws Error for
// a pattern that climbs out of the root.
std::vector<std::string> expand_sources(const std::filesystem::path& root, const std::string& pattern,
                                        const DockerIgnore* ignore, DoubleStar double_star = DoubleStar::kSameAsStar);

// What COPY --parents copies from a directory: the paths its pattern matched,
// everything below them, and the directories that lead to them (made as
// they are in the source) — nothing else.
class KeptPaths {
 public:
  explicit KeptPaths(std::vector<std::string> matches);
  // `path`: below the directory, '/'-separated.
  bool keeps(const std::string& path) const;

 private:
  std::set<std::string> matches_;
  bool everything_ = false;  // the directory itself matched
};

}  // namespace berth
