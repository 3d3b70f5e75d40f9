// berth container-monitor ID FD: internal; the process `run` and `start`
// leave behind for each running container (runtime/container_monitor.h).
#include "cli/command.h"
#include "runtime/container_monitor.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 2, 2, "container-monitor");
  return run_monitor(ctx.root(), args.positional()[0], std::stoi(args.positional()[1]));
}

}  // namespace

const Command kContainerMonitorCommand = {"container-monitor", "berth container-monitor ID FD",
                                          "Internal: watch over a running container", {}, run, false, true};

}  // namespace berth
