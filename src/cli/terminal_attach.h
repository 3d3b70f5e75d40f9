// The client side of a container's terminal (run -it, start -a, attach):
// berth's own terminal in raw mode, relayed to the monitor's attach socket;
// window-size changes (SIGWINCH) passed on through the terminal's master end,
// which the monitor sends first; Docker's detach keys, ^P^Q.
#pragma once

namespace berth {

enum class RelayEnd { kOutputEnded, kDetached };

// Relays until the container's terminal closes, or the user types ^P^Q (only
// when stdin is forwarded). `attach_fd` is a connected attach socket.
RelayEnd relay_terminal(int attach_fd, bool forward_stdin);

}  // namespace berth
