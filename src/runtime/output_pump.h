// The monitor's output pumps: they copy a running container's output to its
// json-file log (and, with a terminal, to attach clients and their input
// back) until the output is over and the init has exited, reaping the
// orphans the monitor inherits as subreaper. Each returns the init's exit code.
#pragma once

#include <sys/types.h>

#include <vector>

#include "core/fs.h"
#include "runtime/attach_socket.h"
#include "runtime/json_log.h"

namespace berth {

struct AttachClient {
  UniqueFd fd;
  bool input_open = true;  // a client that ended its input still gets the output
};

// One attach client, waited for up to `timeout_ms`; an empty UniqueFd if none came.
UniqueFd accept_client(int listen_fd, int timeout_ms);

// Copies the container's stdout and stderr pipes to the log until both close
// and the init has exited.
int copy_pipe_output(int out_fd, int err_fd, JsonLogWriter& writer, pid_t init);

// -t: copies the terminal's output to the log and to every attach client, and
// (with -i) what clients type to the terminal, until it closes and the init
// has exited. New clients are accepted as they come.
int copy_terminal_output(int master, const AttachListener& listener, std::vector<AttachClient>& clients,
                         bool open_stdin, JsonLogWriter& writer, pid_t init);

}  // namespace berth
