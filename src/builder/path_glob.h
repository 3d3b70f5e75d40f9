// One .dockerignore (or COPY --exclude) pattern, compiled: moby/patternmatcher's
// language — Go's filepath.Match syntax (`*` and `?` within a path element,
// `[classes]`, `\` escapes) plus `**` across elements, `**/` for any
// directories or none.
//
// moby compiles a pattern to a Go regexp, which matches in linear time.
// std::regex backtracks: 40 stars took longer than any build (found by
// fuzzing). So this runs the pattern as an NFA, a set of positions advanced
// one character at a time: O(path × pattern) whatever the pattern.
#pragma once

#include <string>
#include <vector>

namespace berth {

class PathGlob {
 public:
  explicit PathGlob(const std::string& pattern);  // throws Error("syntax error in pattern")

  // Whether the pattern matches `path` or one of its parent directories
  // ("a/b" for "a/b/c"): what matches a directory matches what is below it.
  bool matches_or_parent(const std::string& path) const;

 private:
  enum class Kind {
    kChar,           // one character, as written
    kAnyButSlash,    // ?
    kClass,          // [...]: `set` holds the 256 answers
    kStar,           // *: any run without '/'
    kAnything,       // ** at the end, or not before '/': any run
    kDirectories,    // **/: nothing, or any run ending in '/'
  };
  struct Token {
    Kind kind;
    char c = 0;
    std::vector<bool> set;
  };
  std::vector<Token> tokens_;
};

}  // namespace berth
