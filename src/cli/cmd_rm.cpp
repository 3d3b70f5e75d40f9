// berth rm [-f] CONTAINER... : removes containers, their writable layer and files.
#include <iostream>

#include "cli/command.h"
#include "cli/container_refs.h"
#include "core/error.h"
#include "engine/containers.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "rm");
  return for_each_container(args, [&](const std::string& ref) {
    delete_container(ctx.store(), ref, args.flag("force"), args.flag("volumes"));
  });
}

}  // namespace

const Command kRmCommand = {"rm", "berth rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                            {{'f', "force", false}, {'v', "volumes", false}}, run};

}  // namespace berth
