// .dockerignore, with Docker's semantics (moby/patternmatcher): one pattern
// per line, # comments, paths cleaned and relative to the context root,
// Go's filepath.Match syntax plus ** for any number of directories, and
// !exceptions — the last pattern that matches a path decides. A pattern that
// matches a directory excludes everything below it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "builder/path_glob.h"

namespace berth {

class DockerIgnore {
 public:
  DockerIgnore() = default;
  explicit DockerIgnore(const std::string& text);  // throws Error for a bad pattern
  // The same matcher for another list of patterns (COPY --exclude); `what`
  // names a pattern in errors ("--exclude pattern").
  static DockerIgnore from_patterns(const std::vector<std::string>& patterns, const std::string& what);

  bool empty() const { return patterns_.empty(); }

  // `path`: relative to the context root, '/'-separated, no leading "./".
  bool excluded(const std::string& path) const;
  // Whether `path` stays out of what is sent from the context under `root`:
  // excluded, and not a directory holding something an exception ("!dir/keep")
  // brings back — Docker sends such a directory with only what is brought back.
  bool leaves_out(const std::filesystem::path& root, const std::string& path) const;

 private:
  void add(std::string pattern, const std::string& what);
  // Whether an exception could match something below `dir` (by its literal start).
  bool may_bring_back_below(const std::string& dir) const;

  struct Pattern {
    std::string text;
    PathGlob glob;
    bool exclusion;  // a "!" pattern
  };
  std::vector<Pattern> patterns_;
};

}  // namespace berth
