// berth wait CONTAINER... : blocks until each stops, prints its exit code.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "runtime/container_lifecycle.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "wait");
  for (const std::string& ref : args.positional()) {
    ContainerRecord c = ctx.store().containers().find(ref);
    wait_until_stopped(ctx.store(), c.id, std::chrono::hours(24 * 365));
    std::optional<ContainerRecord> after = ctx.store().containers().get(c.id);
    std::cout << (after ? after->exit_code : 0) << "\n";
  }
  return 0;
}

}  // namespace

const Command kWaitCommand = {"wait", "berth wait CONTAINER [CONTAINER...]",
                              "Block until one or more containers stop, then print their exit codes", {}, run};

}  // namespace berth
