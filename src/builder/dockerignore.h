// .dockerignore, with Docker's semantics (moby/patternmatcher): one pattern
// per line, # comments, paths cleaned and relative to the context root,
// Go's filepath.Match syntax plus ** for any number of directories, and
// !exceptions — the last pattern that matches a path decides. A pattern that
// matches a directory excludes everything below it.
#pragma once

#include <regex>
#include <string>
#include <vector>

namespace berth {

class DockerIgnore {
 public:
  DockerIgnore() = default;
  explicit DockerIgnore(const std::string& text);  // throws Error for a bad pattern

  // `path`: relative to the context root, '/'-separated, no leading "./".
  bool excluded(const std::string& path) const;

 private:
  struct Pattern {
    std::string text;
    std::regex re;
    bool exclusion;  // a "!" pattern
  };
  std::vector<Pattern> patterns_;
};

}  // namespace berth
