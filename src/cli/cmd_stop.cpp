// berth stop [-t N] CONTAINER... and berth kill [-s SIGNAL] CONTAINER...
#include <signal.h>

#include <iostream>

#include "cli/command.h"
#include "cli/container_refs.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "runtime/container_lifecycle.h"

namespace berth {
namespace {

// Docker's stop: the stop signal (the image's StopSignal, else SIGTERM), then
// SIGKILL after the timeout.
void stop_one(Store& store, const std::string& ref, int timeout_s) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state != "running") return;
  std::string sig = c.config["Config"].value("StopSignal", "SIGTERM");
  try {
    signal_container(c, parse_signal(sig));
  } catch (const Error&) {
    return;  // it ended meanwhile
  }
  if (wait_until_stopped(store, c.id, std::chrono::seconds(timeout_s))) return;
  try {
    signal_container(c, SIGKILL);
  } catch (const Error&) {
  }
  if (!wait_until_stopped(store, c.id, std::chrono::seconds(10)))
    throw Error("container " + c.name + " did not stop after SIGKILL");
}

int stop(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "stop");
  int timeout = 10;
  if (args.has("time")) timeout = std::stoi(args.value("time"));
  return for_each_container(args, [&](const std::string& ref) {
    stop_one(ctx.store(), ref, timeout);
  });
}

int kill(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "kill");
  int sig = parse_signal(args.value("signal", "KILL"));
  return for_each_container(args, [&](const std::string& ref) {
    signal_container(refresh_container(ctx.store(), ctx.store().containers().find(ref)), sig);
  });
}

}  // namespace

const Command kStopCommand = {"stop", "berth stop [OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers",
                              {{'t', "time", true}}, stop};
const Command kKillCommand = {"kill", "berth kill [OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers",
                              {{'s', "signal", true}}, kill};

}  // namespace berth
