// The monitor: one detached process per running container, what containerd's
// shim or podman's conmon are. It mounts the root file system, writes the OCI
// bundle, has the runtime (runc/crun) create and start the container, owns
// its stdout/stderr (written to the json-file log), is its subreaper so it
// can wait for it, records the exit code and time, and cleans up: the mount,
// the network namespace, and for --rm the whole container.
//
// `berth run`/`start` launch it and wait on a pipe for one line: "started",
// or "error CODE MESSAGE" (CODE: 125, or 126/127 when the command could not
// be executed). An attached `run` keeps the pipe open and then gets "exit N".
// With a terminal (-t) the monitor keeps its master end: the output goes to
// the log and to clients of the attach socket (runtime/attach_socket.h). A
// launch that attaches first is sent "attach" before the container starts,
// connects, and only then is the container started, so no output is missed.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"
#include "store/store.h"

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
};

// Starts the monitor for container `id` and waits until it reports. Throws
// ContainerStartError when the container did not start.
MonitorLaunch launch_monitor(const std::filesystem::path& root, const std::string& id, const MonitorWiring& wiring);

// The monitor process's main (the hidden `berth container-monitor` command).
// `wait_for_attach`: the first attach client connects before the container starts.
int run_monitor(const std::filesystem::path& root, const std::string& id, int report_fd, bool wait_for_attach);

// The runtime binary: $BERTH_RUNTIME, else runc, else crun (first found on PATH).
std::string default_runtime();
// The runtime a container was created with.
std::string runtime_of(const ContainerRecord& c);

// Undoes what starting did: the runtime's state, the root mount, the network
// namespace. Quiet and idempotent: the monitor calls it when the container
// exits, and whoever finds a container whose monitor died calls it instead.
void release_container(Store& store, const ContainerRecord& c);

// Docker's exit code for a command the runtime could not start: 127 not
// found, 126 not executable, else 125.
int start_failure_code(const std::string& runtime_error);

// The last error the runtime wrote to a --log-format json log ("" if none).
std::string runtime_log_error(const std::filesystem::path& log);

}  // namespace berth
