// berth restart [-t N] CONTAINER...: stop (as `stop` does), then start again.
#include "cli/command.h"
#include "cli/container_refs.h"
#include "engine/containers.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "restart");
  int timeout = static_cast<int>(args.integer("time", 10));
  return for_each_container(args, [&](const std::string& ref) {
    restart_container(ctx.store(), ref, timeout);
  });
}

}  // namespace

const Command kRestartCommand = {"restart", "berth restart [OPTIONS] CONTAINER [CONTAINER...]",
                                 "Restart one or more containers", {{'t', "time", true}}, run};

}  // namespace berth
