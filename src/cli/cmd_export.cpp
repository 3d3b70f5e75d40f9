// berth export [-o FILE] CONTAINER: the container's whole file system as a tar.
#include <unistd.h>

#include "cli/command.h"
#include "core/error.h"
#include "engine/container_files.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "export");
  std::string out = args.value("output");
  if (out.empty() && ::isatty(1))
    throw Error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
  export_container(ctx.store(), args.positional()[0], out, 1);
  return 0;
}

}  // namespace

const Command kExportCommand = {"export", "berth export [OPTIONS] CONTAINER",
                                "Export a container's filesystem as a tar archive", {{'o', "output", true}}, run};

}  // namespace berth
