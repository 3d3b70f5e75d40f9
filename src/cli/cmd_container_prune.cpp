// berth container prune [-f]: removes every stopped container.
#include <iostream>

#include "cli/command.h"
#include "cli/input.h"
#include "core/units.h"
#include "core/fs.h"
#include "engine/containers.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 0, 0, "container prune");
  if (!args.flag("force") && !confirmed("WARNING! This will remove all stopped containers.")) return 0;
  std::vector<std::string> removed = prune_containers(ctx.store());
  if (!removed.empty()) {
    std::cout << "Deleted Containers:\n";
    for (const std::string& id : removed) std::cout << id << "\n";
    std::cout << "\n";
  }
  std::cout << "Total reclaimed space: 0B\n";
  return 0;
}

}  // namespace

const Command kContainerPruneCommand = {"container prune", "berth container prune [OPTIONS]",
                                        "Remove all stopped containers", {{'f', "force", false}}, run};

}  // namespace berth
