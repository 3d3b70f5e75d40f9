// berth export [-o FILE] CONTAINER: the container's whole file system as a tar.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "archive/directory_tar.h"
#include "cli/command.h"
#include "core/error.h"
#include "core/fs.h"
#include "runtime/container_rootfs.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "export");
  Store& store = ctx.store();
  ContainerRecord c = store.containers().find(args.positional()[0]);
  std::string out = args.value("output");
  if (out.empty() && ::isatty(1))
    throw Error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
  // A stopped container's root is not mounted: mount it for the export.
  bool mounted_here = c.state != "running";
  if (mounted_here) mount_container_rootfs(store, c.layer_id);
  try {
    if (out.empty()) {
      write_directory_tar(container_merged_dir(store, c.layer_id), 1, DirectoryTarMode::kPlainTree);
    } else {
      std::string tmp = out + ".tmp-" + random_hex(8);
      UniqueFd fd = open_or_throw(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      write_directory_tar(container_merged_dir(store, c.layer_id), fd.get(), DirectoryTarMode::kPlainTree);
      if (::rename(tmp.c_str(), out.c_str()) != 0) throw_errno("rename " + tmp);
    }
  } catch (...) {
    if (mounted_here) unmount_container_rootfs(store, c.layer_id);
    throw;
  }
  if (mounted_here) unmount_container_rootfs(store, c.layer_id);
  return 0;
}

}  // namespace

const Command kExportCommand = {"export", "berth export [OPTIONS] CONTAINER",
                                "Export a container's filesystem as a tar archive", {{'o', "output", true}}, run};

}  // namespace berth
