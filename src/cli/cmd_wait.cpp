// berth wait CONTAINER... : blocks until each stops, prints its exit code.
#include <iostream>

#include "cli/command.h"
#include "core/error.h"
#include "engine/containers.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "wait");
  for (const std::string& ref : args.positional()) {
    std::cout << wait_container(ctx.store(), ref) << "\n";
  }
  return 0;
}

}  // namespace

const Command kWaitCommand = {"wait", "berth wait CONTAINER [CONTAINER...]",
                              "Block until one or more containers stop, then print their exit codes", {}, run};

}  // namespace berth
