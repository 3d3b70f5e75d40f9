#include "builder/build_context.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>

#include "archive/layer_extractor.h"
#include "core/error.h"
#include "core/fs.h"

namespace berth {
namespace {

bool has_wildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> entries_of(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d))
    if (std::string n = e->d_name; n != "." && n != "..") out.push_back(n);
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

bool is_real_directory(const std::filesystem::path& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// `base` and every directory below it (symlinks not followed).
void add_with_directories_below(const std::filesystem::path& root, const std::string& base,
                                std::vector<std::string>& out) {
  out.push_back(base);
  std::string prefix = base.empty() ? "" : base + "/";
  for (const std::string& name : entries_of(root / base))
    if (is_real_directory(root / (prefix + name))) add_with_directories_below(root, prefix + name, out);
}

}  // namespace

std::vector<std::string> expand_sources(const std::filesystem::path& root, const std::string& pattern,
                                        const DockerIgnore* ignore, DoubleStar double_star) {
  std::string clean;
  if (!clean_member_name(pattern, &clean)) throw Error("forbidden path outside the build context: " + pattern);
  std::vector<std::string> found = {""};
  for (const std::string& part : path_components(clean)) {
    std::vector<std::string> next;
    if (part == "**" && double_star == DoubleStar::kAnyDepth) {
      for (const std::string& base : found)
        if (base.empty() || is_real_directory(root / base)) add_with_directories_below(root, base, next);
      found = std::move(next);
      continue;
    }
    for (const std::string& base : found) {
      std::string prefix = base.empty() ? "" : base + "/";
      if (!has_wildcard(part)) {
        struct stat st;
        if (::lstat((root / (prefix + part)).c_str(), &st) == 0) next.push_back(prefix + part);
        continue;
      }
      for (const std::string& name : entries_of(root / base))
        if (fnmatch(part.c_str(), name.c_str(), 0) == 0) next.push_back(prefix + name);
    }
    found = std::move(next);
  }
  std::vector<std::string> out;
  for (const std::string& f : found)
    if (!ignore || f.empty() || !ignore->leaves_out(root, f)) out.push_back(f);
  return out;
}

KeptPaths::KeptPaths(std::vector<std::string> matches) {
  for (std::string& m : matches) {
    if (m.empty()) everything_ = true;
    matches_.insert(std::move(m));
  }
}

bool KeptPaths::keeps(const std::string& path) const {
  if (everything_ || matches_.contains(path)) return true;
  // Below a match?
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    if (matches_.contains(path.substr(0, slash))) return true;
  // On the way to one?
  auto below = matches_.lower_bound(path + "/");
  return below != matches_.end() && below->starts_with(path + "/");
}

}  // namespace berth
