// berth update [--memory M] [--cpus N] [--pids-limit N] CONTAINER... (and
// container update): new resource limits, at once for a running container.
#include "cli/command.h"
#include "cli/container_refs.h"
#include "cli/input.h"
#include "cli/usage_error.h"
#include "runtime/container_update.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "update");
  ResourceUpdate u;
  if (args.has("memory")) u.memory = parse_memory_size(args.value("memory"));
  if (args.has("cpus")) u.nano_cpus = static_cast<int64_t>(args.real("cpus", 0) * 1e9);
  if (args.has("pids-limit")) u.pids_limit = args.integer("pids-limit", 0);
  if (u.empty()) throw UsageError("You must provide one or more flags when using this command.");
  return for_each_container(args, [&](const std::string& ref) { update_container(ctx.store(), ref, u); });
}

}  // namespace

const Command kUpdateCommand = {"update", "berth update [OPTIONS] CONTAINER [CONTAINER...]",
                                "Update configuration of one or more containers",
                                {{'m', "memory", true}, {0, "cpus", true}, {0, "pids-limit", true}}, run};

}  // namespace berth
