#include "builder/dockerignore.h"

#include <algorithm>

#include "core/ascii_space.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

// Patterns are cleaned and relative to the context: a leading '/' is dropped.
std::string clean(const std::string& p) {
  std::string c = clean_path(p);
  return c.size() > 1 && c[0] == '/' ? c.substr(1) : c;
}

}  // namespace

DockerIgnore::DockerIgnore(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? text.size() : nl + 1;
    if (!line.empty() && line[0] == '#') continue;
    add(line, ".dockerignore pattern");
  }
}

DockerIgnore DockerIgnore::from_patterns(const std::vector<std::string>& patterns, const std::string& what) {
  DockerIgnore out;
  for (const std::string& p : patterns) out.add(p, what);
  return out;
}

void DockerIgnore::add(std::string line, const std::string& what) {
  line = trim_ascii_space(line);
  if (line.empty()) return;
  bool exclusion = line[0] == '!';
  if (exclusion) line = trim_ascii_space(line.substr(1));
  if (line.empty()) return;
  line = clean(line);
  try {
    patterns_.push_back({line, PathGlob(line), exclusion});
  } catch (const Error&) {
    throw Error("invalid " + what + " \"" + line + "\": syntax error in pattern");
  }
}

bool DockerIgnore::excluded(const std::string& path) const {
  bool matched = false;
  for (const Pattern& p : patterns_) {
    if (p.exclusion == !matched) continue;  // cannot change the outcome
    if (p.glob.matches_or_parent(path)) matched = !p.exclusion;
  }
  return matched;
}

bool DockerIgnore::may_bring_back_below(const std::string& dir) const {
  std::string below = dir + "/";
  return std::any_of(patterns_.begin(), patterns_.end(), [&](const Pattern& p) {
    if (!p.exclusion) return false;
    // Only paths that start with the pattern's literal part can match it.
    std::string literal = p.text.substr(0, p.text.find_first_of("*?[\\"));
    return literal.starts_with(below) || below.starts_with(literal);
  });
}

bool DockerIgnore::leaves_out(const std::filesystem::path& root, const std::string& path) const {
  if (!excluded(path)) return false;
  if (!may_bring_back_below(path)) return true;  // no walk of a large excluded tree (node_modules) for nothing
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::symlink_status(root / path, ec))) return true;
  // Symlinks are not followed: what is below the directory is what is sent.
  for (auto it = std::filesystem::recursive_directory_iterator(root / path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (!excluded(path + "/" + it->path().lexically_relative(root / path).generic_string())) return false;
  return true;
}

}  // namespace berth
