// berth top CONTAINER [ps OPTIONS]: the container's processes, as the host's
// ps shows them (Docker's way: `ps -ef` by default, filtered to the PIDs the
// runtime lists for the container).
#include <iostream>

#include "cli/command.h"
#include "engine/container_exec.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "top");
  std::vector<std::string> ps_args(args.positional().begin() + 1, args.positional().end());
  for (const std::string& line : container_top(ctx.store(), args.positional()[0], ps_args)) std::cout << line << "\n";
  return 0;
}

}  // namespace

const Command kTopCommand = {"top", "berth top CONTAINER [ps OPTIONS]", "Display the running processes of a container",
                             {}, run, true};

}  // namespace berth
