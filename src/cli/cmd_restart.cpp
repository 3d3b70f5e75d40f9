// berth restart [-t N] CONTAINER...: stop (as `stop` does), then start again.
#include "cli/command.h"
#include "cli/container_refs.h"
#include "runtime/container_lifecycle.h"
#include "runtime/monitor_launch.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "restart");
  int timeout = static_cast<int>(args.integer("time", 10));
  return for_each_container(args, [&](const std::string& ref) {
    stop_container(ctx.store(), ref, timeout);
    launch_monitor(ctx.root(), ctx.store().containers().find(ref).id, MonitorWiring{});
  });
}

}  // namespace

const Command kRestartCommand = {"restart", "berth restart [OPTIONS] CONTAINER [CONTAINER...]",
                                 "Restart one or more containers", {{'t', "time", true}}, run};

}  // namespace berth
