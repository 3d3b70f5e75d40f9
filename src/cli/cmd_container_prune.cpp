// berth container prune [-f]: removes every stopped container.
#include "cli/command.h"
#include "cli/input.h"
#include "cli/prune_output.h"
#include "engine/containers.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "container prune");
  if (!args.flag("force") && !confirmed("WARNING! This will remove all stopped containers.")) return 0;
  print_deleted("Deleted Containers:", prune_containers(ctx.store()));
  print_reclaimed(0);
  return 0;
}

}  // namespace

const Command kContainerPruneCommand = {"container prune", "berth container prune [OPTIONS]",
                                        "Remove all stopped containers", {{'f', "force", false}}, run};

}  // namespace berth
