// Being attached to a container, as `run` (without -d), `start -a` and
// `attach` are: its output here (the json-file log followed, or its terminal
// relayed), signals passed on (Docker's --sig-proxy; with a terminal, ^C
// travels through it), and its exit code as ours — or 0 when the user
// detaches with ^P^Q and leaves it running.
#pragma once

#include "cli/command.h"
#include "runtime/monitor_launch.h"

namespace berth {

// After launch_monitor(…, {attached = true, attach_terminal = tty}).
int attach_started(Context& ctx, const ContainerRecord& c, const MonitorLaunch& launch, bool tty, bool forward_stdin);

// To a container that is already running (`berth attach`).
int attach_running(Context& ctx, const ContainerRecord& c, bool forward_stdin, bool sig_proxy);

}  // namespace berth
