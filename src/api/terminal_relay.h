// A terminal relayed to a hijacked connection, raw both ways: what `fd` gives
// (an exec's pty master, a container's attach socket) goes to the client,
// and with `with_stdin` what the client sends goes to `fd`, until `fd` ends.
#pragma once

#include "api/http_message.h"

namespace berth {

// When the client goes away first: an exec's pty master is the service's own
// and is drained until its process ends (else the process blocks writing);
// a container's attach socket is let go (its monitor keeps the terminal).
enum class WhenClientGoes { drain, stop };

void relay_terminal(int fd, bool with_stdin, ResponseStream& to, WhenClientGoes when_gone);

}  // namespace berth
