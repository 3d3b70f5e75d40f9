// A terminal relayed to a hijacked connection, raw both ways: what `fd` gives
// (an exec's pty master, a container's attach socket) goes to the client,
// and with `with_stdin` what the client sends goes to `fd`, until `fd` ends.
#pragma once

#include "api/http_message.h"

namespace berth {

void relay_terminal(int fd, bool with_stdin, ResponseStream& to);

}  // namespace berth
