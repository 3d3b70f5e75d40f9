// `exec` and `top`: another process in a running container, and the list of
// its processes. Both go through the OCI runtime driver; a front end only
// says what to run and shows what comes back.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/fs.h"
#include "store/store.h"

namespace berth {

struct ExecOptions {
  std::vector<std::string> args;  // the command and its arguments
  std::vector<std::string> env;   // added to the container's environment
  std::string user;               // "" = the container's user
  std::string workdir;            // "" = the container's working directory
  bool interactive = false;       // -i: the process reads this process's stdin (else /dev/null)
  bool tty = false;               // -t: the runtime makes a terminal and relays this process's to it
  bool detach = false;            // -d: return once it started
  // Where the process's stdio goes: this process's by default; the Engine API
  // passes its connection or pipes. stdin only with `interactive`.
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
  // With tty: the master end of the terminal the runtime relays is handed to
  // this (run on its own thread while the process runs; it returns when the
  // terminal closes), instead of this process's terminal being used.
  std::function<void(UniqueFd master)> terminal;
};

// The container an exec may run in: running and not paused (Docker's conflicts).
ContainerRecord exec_target(Store& store, const std::string& container);

// Runs the process with the stdio of `options` (stdin only with -i); returns its
// exit code. Throws Error when the container is not running, RuntimeError
// (runtime/oci_runtime.h) when the command could not be executed.
int exec_in_container(Store& store, const std::string& container, const ExecOptions& options);

// `top`: `ps ps_args` (default -ef) on the host, its rows kept for the
// container's processes (found by the PID column), as moby's ContainerTop
// gives them: the header's titles, and each row's fields, the last one taking
// the rest of the line.
struct ProcessTable {
  std::vector<std::string> titles;
  std::vector<std::vector<std::string>> processes;
};
ProcessTable container_top(Store& store, const std::string& container, const std::vector<std::string>& ps_args);

}  // namespace berth
