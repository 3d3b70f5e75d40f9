// berth attach [--no-stdin] [--sig-proxy=false] CONTAINER: this terminal
// joins a running container — its terminal (with -t; ^P^Q detaches), or the
// output it writes from now on — and exits with the container's exit code.
#include "cli/command.h"
#include "cli/container_attach.h"
#include "core/error.h"
#include "runtime/container_lifecycle.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  require_args(args, 1, 1, "attach");
  Store& store = ctx.store();
  ContainerRecord c = refresh_container(store, store.containers().find(args.positional()[0]));
  if (c.state != "running") throw Error("You cannot attach to a stopped container, start it first");
  return attach_running(ctx, c, !args.flag("no-stdin"), args.value("sig-proxy", "true") != "false");
}

}  // namespace

const Command kAttachCommand = {"attach", "berth attach [OPTIONS] CONTAINER",
                                "Attach local standard input, output, and error streams to a running container",
                                {{0, "no-stdin", false}, {0, "sig-proxy", false}}, run};

}  // namespace berth
