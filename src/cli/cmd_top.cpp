// berth top CONTAINER [ps OPTIONS]: the container's processes, as the host's
// ps shows them (Docker's way: `ps -ef` by default, filtered to the PIDs the
// runtime lists for the container).
#include <iostream>
#include <set>
#include <sstream>

#include "cli/command.h"
#include "core/error.h"
#include "core/image_config.h"
#include "core/subprocess.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_monitor.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "top");
  Store& store = ctx.store();
  ContainerRecord c = refresh_container(store, store.containers().find(args.positional()[0]));
  if (c.state != "running") throw Error("Container " + c.id + " is not running");
  std::string runtime = runtime_of(c);
  ProcessResult pids = run_process({runtime, "--root", (store.root() / "runtime").string(), "ps", "--format", "json", c.id}, "");
  Json list = Json::parse(pids.output, nullptr, false);
  if (pids.exit_code != 0 || !list.is_array()) throw Error("cannot list the processes of " + c.name);
  std::set<std::string> wanted;
  for (const Json& p : list) wanted.insert(std::to_string(p.get<int64_t>()));

  std::vector<std::string> ps = {"ps"};
  if (args.positional().size() > 1) ps.insert(ps.end(), args.positional().begin() + 1, args.positional().end());
  else ps.push_back("-ef");
  ProcessResult out = run_process(ps, "");
  if (out.exit_code != 0) throw Error("ps failed");
  std::istringstream lines(out.output);
  std::string header;
  std::getline(lines, header);
  // The PID column, found in the header as Docker finds it.
  std::istringstream hs(header);
  size_t pid_col = 0, i = 0;
  for (std::string h; hs >> h; ++i)
    if (h == "PID") pid_col = i;
  std::cout << header << "\n";
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fs(line);
    std::string field;
    for (size_t k = 0; k <= pid_col && fs >> field; ++k) {
    }
    if (wanted.count(field)) std::cout << line << "\n";
  }
  return 0;
}

}  // namespace

const Command kTopCommand = {"top", "berth top CONTAINER [ps OPTIONS]", "Display the running processes of a container",
                             {}, run, true};

}  // namespace berth
