// berth start [-a] [-i] CONTAINER... : starts created or stopped containers
// again; with -a (one container) attached to it, as `run` is.
#include <iostream>

#include "cli/command.h"
#include "cli/container_attach.h"
#include "cli/container_refs.h"
#include "core/error.h"
#include "engine/containers.h"
#include "runtime/container_lifecycle.h"
#include "runtime/monitor_launch.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "start");
  if (args.flag("attach") || args.flag("interactive")) {
    if (args.positional().size() > 1) throw Error("you cannot start and attach multiple containers at once");
    ContainerRecord c = refresh_container(ctx.store(), ctx.store().containers().find(args.positional()[0]));
    if (c.state == "running") return attach_running(ctx, c, args.flag("interactive"), true);
    bool tty = c.config["Config"].value("Tty", false);
    MonitorWiring wiring;
    wiring.attached = true;
    wiring.attach_terminal = tty;
    wiring.keep_stdin = args.flag("interactive") && !tty;
    MonitorLaunch launch = launch_monitor(ctx.root(), c.id, wiring);
    return attach_started(ctx, c, launch, tty, args.flag("interactive"));
  }
  return for_each_container(args, [&](const std::string& ref) { start_container(ctx.store(), ref); });
}

}  // namespace

const Command kStartCommand = {"start", "berth start [OPTIONS] CONTAINER [CONTAINER...]",
                               "Start one or more stopped containers",
                               {{'a', "attach", false}, {'i', "interactive", false}}, run};

}  // namespace berth
