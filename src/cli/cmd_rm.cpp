// berth rm [-f] CONTAINER... : removes containers, their writable layer and files.
#include <signal.h>

#include <iostream>

#include "cli/command.h"
#include "cli/container_refs.h"
#include "core/error.h"
#include "runtime/container_create.h"
#include "runtime/container_lifecycle.h"

namespace berth {
namespace {

void remove_one(Store& store, const std::string& ref, bool force, bool volumes) {
  ContainerRecord c = refresh_container(store, store.containers().find(ref));
  if (c.state == "running") {
    if (!force)
      throw Error("You cannot remove a running container " + c.id +
                  ". Stop the container before attempting removal or force remove");
    try {
      signal_container(c, SIGKILL);
    } catch (const Error&) {
    }
    if (!wait_until_stopped(store, c.id, std::chrono::seconds(10)))
      throw Error("container " + c.name + " did not stop after SIGKILL");
    std::optional<ContainerRecord> after = store.containers().get(c.id);
    if (!after) return;  // it was --rm: its monitor removed it
    c = *after;
  }
  remove_container(store, c, volumes);
}

int run(Context& ctx, const Args& args) {
  require_args(args, 1, -1, "rm");
  return for_each_container(args, [&](const std::string& ref) {
    remove_one(ctx.store(), ref, args.flag("force"), args.flag("volumes"));
  });
}

}  // namespace

const Command kRmCommand = {"rm", "berth rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                            {{'f', "force", false}, {'v', "volumes", false}}, run};

}  // namespace berth
