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

}  // namespace

std::vector<std::string> expand_sources(const std::filesystem::path& root, const std::string& pattern,
                                        const DockerIgnore* ignore) {
  std::string clean;
  if (!clean_member_name(pattern, &clean)) throw Error("forbidden path outside the build context: " + pattern);
  std::vector<std::string> found = {""};
  for (const std::string& part : path_components(clean)) {
    std::vector<std::string> next;
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

}  // namespace berth
