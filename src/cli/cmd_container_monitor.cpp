// berth container-monitor ID FD: internal; the process `run` and `start`
// leave behind for each running container (runtime/container_monitor.h).
#include "cli/command.h"
#include "core/number.h"
#include "runtime/container_monitor.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 2, 3, "container-monitor");
  const auto& p = args.positional();
  return run_monitor(ctx.root(), p[0], static_cast<int>(parse_int(p[1], "descriptor", 0, 1024)), p.size() == 3 && p[2] == "attach-first");
}

}  // namespace

const Command kContainerMonitorCommand = {"container-monitor", "berth container-monitor ID FD [attach-first]",
                                          "Internal: watch over a running container", {}, run, false, true};

}  // namespace berth
