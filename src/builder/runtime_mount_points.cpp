#include "builder/runtime_mount_points.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "core/error.h"

namespace berth {

namespace {

// Whether the image's file system has /NAME: the nearest layer that names it
// decides (a whiteout — a 0/0 character device — hides it).
bool image_has(Store& store, const std::optional<Digest>& top, const char* name) {
  if (!top) return false;
  std::vector<LayerInfo> stack = store.layers().stack(*top);
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    struct stat st;
    if (::lstat((store.layers().diff_dir(*it) / name).c_str(), &st) != 0) continue;
    return !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
  }
  return false;
}

}  // namespace

void keep_runtime_mount_points(Store& store, const std::optional<Digest>& top, const WorkingLayer& layer) {
  for (const char* name : {"dev", "proc", "sys"}) {
    if (image_has(store, top, name)) continue;
    std::filesystem::path dir = layer.changes() / name;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("create " + dir.string());
    ::chmod(dir.c_str(), 0755);  // whatever the umask
  }
}

}  // namespace berth
