// berth top CONTAINER [ps OPTIONS]: the container's processes, as the host's
// ps shows them (Docker's way: `ps -ef` by default, filtered to the PIDs the
// runtime lists for the container), in docker top's table.
#include <iostream>

#include "cli/command.h"
#include "cli/go_template.h"
#include "engine/container_exec.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "top");
  std::vector<std::string> ps_args(args.positional().begin() + 1, args.positional().end());
  ProcessTable table = container_top(ctx.store(), args.positional()[0], ps_args);
  auto row = [](const std::vector<std::string>& cells) {
    std::string line;
    for (const std::string& c : cells) line += (line.empty() ? "" : "\t") + c;
    return line;
  };
  std::vector<std::string> lines = {row(table.titles)};
  for (const auto& p : table.processes) lines.push_back(row(p));
  std::cout << tabwrite(lines, 20);  // docker/cli's top: minimum width 20
  return 0;
}

}  // namespace

const Command kTopCommand = {"top", "berth top CONTAINER [ps OPTIONS]", "Display the running processes of a container",
                             {}, run, true};

}  // namespace berth
