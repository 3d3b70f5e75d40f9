// berth exec [-i] [-t] [-e] [-u] [-w] [-d] CONTAINER COMMAND [ARG...]: another
// process in a running container, through the runtime's `exec`. Its output is
// berth's own stdout/stderr; its stdin is berth's with -i (else /dev/null, as
// Docker closes it); with -t the runtime makes a terminal and relays berth's to it.
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "engine/container_exec.h"
#include "runtime/oci_runtime.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  if (args.positional().size() < 2) throw UsageError("\"berth exec\" requires at least 2 arguments.");
  ExecOptions o;
  o.tty = args.flag("tty");
  o.interactive = args.flag("interactive");
  if (o.tty && o.interactive && !::isatty(0)) throw Error("the input device is not a TTY");
  if (o.tty && !::isatty(0) && !::isatty(1) && !::isatty(2))
    throw Error("exec -t needs a terminal: none of berth's stdin, stdout and stderr is one");
  o.args.assign(args.positional().begin() + 1, args.positional().end());
  o.env = args.values("env");
  o.user = args.value("user", "");
  o.workdir = args.value("workdir", "");
  o.detach = args.flag("detach");
  std::cout.flush();
  try {
    return exec_in_container(ctx.store(), args.positional()[0], o);
  } catch (const RuntimeError& e) {
    // The command never ran: Docker's 126 (cannot execute) and 127 (not found).
    std::cerr << "Error: " << e.what() << "\n";
    return e.failure == StartFailure::other ? 126 : start_failure_exit_code(e.failure);
  }
}

}  // namespace

const Command kExecCommand = {"exec",
                              "berth exec [OPTIONS] CONTAINER COMMAND [ARG...]",
                              "Run a command in a running container",
                              {{'d', "detach", false}, {'e', "env", true}, {'u', "user", true}, {'w', "workdir", true},
                               {'i', "interactive", false}, {'t', "tty", false}},
                              run,
                              true};

}  // namespace berth
