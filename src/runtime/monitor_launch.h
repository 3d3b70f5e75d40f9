// How `run` and `start` launch a container's monitor and learn how its start
// went. The monitor runs detached (a new session, re-executed as the hidden
// `berth container-monitor` command) and reports on a pipe, one line each:
// "started", or "error CODE MESSAGE" (CODE: 125, or 126/127 when the command
// could not be executed). An attached `run` keeps the pipe and then gets
// "exit N". A launch that attaches first to a terminal is sent "attach"
// before the container starts, connects, and only then is it started.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"

namespace berth {

// The container did not start; exit_code is what `run` exits with.
class ContainerStartError : public Error {
 public:
  ContainerStartError(int code, const std::string& message) : Error(message), exit_code(code) {}
  int exit_code;
};

struct MonitorLaunch {
  bool keep_pipe = false;  // attached: the pipe stays open for "exit N"
  int pipe_fd = -1;        // the read end, when kept
  int attach_fd = -1;      // attach_terminal: the connected attach socket
};

// How a started container is wired to the berth that starts it.
struct MonitorWiring {
  bool attached = false;      // keep the report pipe for "exit N"
  bool keep_stdin = false;    // -i without -t: the container reads berth's own stdin
  bool attach_terminal = false;  // -t: connect to the attach socket before the container starts
  int stdin_fd = -1;  // -i through the Engine API: the container reads this instead (a pipe an attach connection feeds)
};

// Starts the monitor for container `id` and waits until it reports. Throws
// ContainerStartError when the container did not start.
MonitorLaunch launch_monitor(const std::filesystem::path& root, const std::string& id, const MonitorWiring& wiring);

// The monitor's side: one line to the launcher (nothing when fd < 0 or it is gone).
void report_to_launcher(int fd, const std::string& line);

}  // namespace berth
