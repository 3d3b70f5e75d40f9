// berth pause CONTAINER... and berth unpause CONTAINER... (and container pause|unpause).
#include "cli/command.h"
#include "cli/container_refs.h"
#include "runtime/container_pause.h"

namespace berth {
namespace {

int pause(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "pause");
  return for_each_container(args, [&](const std::string& ref) { pause_container(ctx.store(), ref); });
}

int unpause(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "unpause");
  return for_each_container(args, [&](const std::string& ref) { unpause_container(ctx.store(), ref); });
}

}  // namespace

const Command kPauseCommand = {"pause", "berth pause CONTAINER [CONTAINER...]",
                               "Pause all processes within one or more containers", {}, pause};
const Command kUnpauseCommand = {"unpause", "berth unpause CONTAINER [CONTAINER...]",
                                 "Unpause all processes within one or more containers", {}, unpause};

}  // namespace berth
