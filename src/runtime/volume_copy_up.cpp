#include "runtime/volume_copy_up.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "archive/directory_tar.h"
#include "archive/layer_extractor.h"
#include "core/byte_reader.h"
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

// The tree below `from` into `to`, through a pipe: our tar writer on one end,
// the layer extractor (which refuses any path out of `to`) on the other.
void copy_tree(int from, int to, const std::string& what) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd read_end(p[0]), write_end(p[1]);
  std::exception_ptr writer_error;
  std::thread writer([&] {
    try {
      write_directory_tar("/proc/self/fd/" + std::to_string(from), write_end.get(), DirectoryTarMode::kPlainTree);
    } catch (...) {
      writer_error = std::current_exception();
    }
    write_end = UniqueFd();  // end of the stream (or a short one: the extractor then fails too)
  });
  try {
    FdReader tar(read_end.get(), what);
    extract_layer(tar, to, what);
  } catch (...) {
    read_end = UniqueFd();  // unblocks the writer
    writer.join();
    throw;
  }
  writer.join();
  if (writer_error) std::rethrow_exception(writer_error);
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
    copy_tree(source.get(), data.get(), what);
    struct stat st;  // the volume's root takes the owner and mode of the image's directory
    if (::fstat(source.get(), &st) == 0) {
      if (::fchown(data.get(), st.st_uid, st.st_gid) != 0) throw_errno(what);
      if (::fchmod(data.get(), st.st_mode & 07777) != 0) throw_errno(what);
    }
  }
}

}  // namespace berth
