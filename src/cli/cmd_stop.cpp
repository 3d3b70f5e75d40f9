// berth stop [-t N] CONTAINER... and berth kill [-s SIGNAL] CONTAINER...
#include <signal.h>

#include <iostream>

#include "cli/command.h"
#include "cli/container_refs.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "engine/containers.h"
#include "runtime/container_lifecycle.h"

namespace berth {
namespace {

int stop(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "stop");
  int timeout = static_cast<int>(args.integer("time", 10));
  return for_each_container(args, [&](const std::string& ref) {
    stop_container(ctx.store(), ref, timeout);
  });
}

int kill(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "kill");
  int sig = parse_signal(args.value("signal", "KILL"));
  return for_each_container(args, [&](const std::string& ref) {
    kill_container(ctx.store(), ref, sig);
  });
}

}  // namespace

const Command kStopCommand = {"stop", "berth stop [OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers",
                              {{'t', "time", true}}, stop};
const Command kKillCommand = {"kill", "berth kill [OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers",
                              {{'s', "signal", true}}, kill};

}  // namespace berth
