// berth rename CONTAINER NEW_NAME (and container rename).
#include "cli/command.h"
#include "engine/containers.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "rename");
  rename_container(ctx.store(), args.positional()[0], args.positional()[1]);
  return 0;
}

}  // namespace

const Command kRenameCommand = {"rename", "berth rename CONTAINER NEW_NAME", "Rename a container", {}, run};

}  // namespace berth
