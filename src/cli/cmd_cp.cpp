// berth cp CONTAINER:SRC DEST|-  and  berth cp SRC|- CONTAINER:DEST: files in
// and out of a container's root file system. Paths inside the container are
// walked with open_beneath — a symlink on the way is refused, never followed —
// and what is copied in goes through the same safe extraction as a layer, so
// nothing can be written outside the container's root.
#include "cli/command.h"
#include "cli/usage_error.h"
#include "engine/container_files.h"

namespace berth {
namespace {

// "name:path" names a container path; anything else (a path, "-") is the host's.
bool container_side(const std::string& arg, std::string* container, std::string* path) {
  size_t colon = arg.find(':');
  if (colon == std::string::npos || colon == 0 || arg.starts_with("/") || arg.starts_with(".")) return false;
  *container = arg.substr(0, colon);
  *path = arg.substr(colon + 1);
  if (path->empty() || (*path)[0] != '/') *path = "/" + *path;
  return true;
}

int run(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "cp");
  std::string from_c, from_p, to_c, to_p;
  bool from = container_side(args.positional()[0], &from_c, &from_p);
  bool to = container_side(args.positional()[1], &to_c, &to_p);
  if (from == to) throw UsageError("copying between containers is not supported; copying within the host is not berth's job");
  if (from) copy_from_container(ctx.store(), from_c, from_p, args.positional()[1], 1);
  else {
    FdReader stdin_tar(0, "stdin");
    copy_into_container(ctx.store(), to_c, args.positional()[0], to_p, &stdin_tar);
  }
  return 0;
}

}  // namespace

const Command kCpCommand = {"cp", "berth cp CONTAINER:SRC_PATH DEST_PATH|-\n        berth cp SRC_PATH|- CONTAINER:DEST_PATH",
                            "Copy files/folders between a container and the local filesystem", {}, run};

}  // namespace berth
