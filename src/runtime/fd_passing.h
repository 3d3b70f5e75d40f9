// File descriptors sent over unix sockets (SCM_RIGHTS): how runc hands over a
// container's terminal (--console-socket), and how the monitor hands a copy of
// it to an attached berth, which needs it to pass on window-size changes.
#pragma once

#include <cstddef>
#include <string>

#include "core/fs.h"

namespace berth {

// Sends `fd` with a one-byte message.
void send_fd(int socket, int fd);
// Receives a descriptor sent with a message of up to `message_size` bytes
// (runc sends the terminal's name with it; send_fd one byte, which may be
// followed by other data on the stream). Throws if the message carries none.
UniqueFd receive_fd(int socket, const std::string& what, size_t message_size);

}  // namespace berth
