// berth start CONTAINER... : starts created or stopped containers again.
#include <iostream>

#include "cli/command.h"
#include "cli/container_refs.h"
#include "core/error.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_monitor.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "start");
  return for_each_container(args, [&](const std::string& ref) {
    ContainerRecord c = refresh_container(ctx.store(), ctx.store().containers().find(ref));
    if (c.state != "running") launch_monitor(ctx.root(), c.id, MonitorWiring{});
  });
}

}  // namespace

const Command kStartCommand = {"start", "berth start CONTAINER [CONTAINER...]", "Start one or more stopped containers",
                               {}, run};

}  // namespace berth
