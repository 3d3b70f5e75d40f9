#include "runtime/volume_copy_up.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>


#include "archive/directory_tar.h"
#include "archive/layer_extractor.h"
#include "archive/tar_pipe.h"
#include "core/error.h"
#include "core/fs.h"
#include "runtime/container_rootfs.h"

namespace berth {
namespace {

bool empty_directory(int fd) {
  DIR* d = ::fdopendir(::dup(fd));
  if (!d) throw_errno("read volume directory");
  bool empty = true;
  while (dirent* e = ::readdir(d))
    if (std::string n = e->d_name; n != "." && n != "..") empty = false;
  ::closedir(d);
  return empty;
}

}  // namespace

void copy_up_volumes(Store& store, const ContainerRecord& c) {
  const Json mounts = c.config["HostConfig"].value("Mounts", Json::array());
  UniqueFd root;
  for (const Json& m : mounts) {
    if (m.value("Type", "") != "volume" || m.value("NoCopy", false)) continue;
    UniqueFd data = open_or_throw(m["Source"].get<std::string>(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!empty_directory(data.get())) continue;
    if (root.get() < 0)
      root = open_or_throw(container_merged_dir(store, c.layer_id), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    std::string target;
    if (!clean_member_name(m["Target"].get<std::string>(), &target) || target.empty()) continue;
    UniqueFd source = open_beneath(root.get(), target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (source.get() < 0) continue;  // nothing there in the image (or not a plain directory)
    std::string what = "copy of " + m["Target"].get<std::string>() + " into volume " + m.value("Name", "");
    copy_through_tar([&](int out) { write_directory_tar(source.get(), out, TarOptions{}); }, data.get(), what);
    struct stat st;  // the volume's root takes the owner and mode of the image's directory
    if (::fstat(source.get(), &st) == 0) {
      if (::fchown(data.get(), st.st_uid, st.st_gid) != 0) throw_errno(what);
      if (::fchmod(data.get(), st.st_mode & 07777) != 0) throw_errno(what);
    }
  }
}

}  // namespace berth
