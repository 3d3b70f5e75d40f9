#include "engine/container_changes.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "core/fs.h"

namespace berth {

namespace {

namespace fs = std::filesystem;

// The image's layers below the container's, nearest first, from its `lower` file.
std::vector<fs::path> lower_dirs(Store& store, const ContainerRecord& c) {
  std::vector<fs::path> out;
  fs::path overlay = store.layers().overlay_dir();
  std::string lower;
  try {
    lower = read_file(overlay / c.layer_id / "lower");
  } catch (const std::exception&) {
    return out;  // an image with no layers
  }
  size_t start = 0;
  while (start < lower.size()) {
    size_t end = lower.find(':', start);
    if (end == std::string::npos) end = lower.size();
    std::string link = lower.substr(start, end - start);
    while (!link.empty() && (link.back() == '\n' || link.back() == ' ')) link.pop_back();
    if (!link.empty()) out.push_back(overlay / link);
    start = end + 1;
  }
  return out;
}

bool in_image(const std::vector<fs::path>& lowers, const std::string& rel) {
  struct stat st{};
  for (const fs::path& l : lowers) {
    if (::lstat((l / rel).c_str(), &st) == 0) return !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
  }
  return false;
}

}  // namespace

std::vector<FileChange> container_changes(Store& store, const std::string& container) {
  ContainerRecord c = store.containers().find(container);
  fs::path upper = store.layers().overlay_dir() / c.layer_id / "diff";
  std::vector<fs::path> lowers = lower_dirs(store, c);
  std::vector<FileChange> out;
  std::function<void(const fs::path&, const std::string&)> walk = [&](const fs::path& dir, const std::string& rel) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      std::string path = rel + "/" + name;
      struct stat st{};
      if (::lstat((dir / name).c_str(), &st) != 0) continue;
      if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
        out.push_back({path, FileChange::Kind::deleted});
        continue;
      }
      out.push_back({path, in_image(lowers, path.substr(1)) ? FileChange::Kind::modified : FileChange::Kind::added});
      if (S_ISDIR(st.st_mode)) walk(dir / name, path);
    }
  };
  walk(upper, "");
  return out;
}

}  // namespace berth
