// Starting programs and reading how they ended: the one spawn helper and the
// one wait-status decoder of berth. run_process runs a helper to completion,
// its stdin fed from a string and its stdout captured (docker-credential-*
// helpers, ps); spawn_process starts one with the descriptors it is given (the
// OCI runtime driver's long-running commands).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/fs.h"

namespace berth {

// A pipe, both ends close-on-exec (a child gets an end by SpawnOptions).
struct Pipe {
  UniqueFd read, write;
  Pipe();
};

struct ProcessResult {
  int exit_code = 0;  // 128+N when killed by signal N
  std::string output;
};

// The executable `name` as $PATH finds it ("" when it does not); a name with
// a slash is checked as it is.
std::string find_in_path(const std::string& name);

// argv[0] is looked up in $PATH. Throws Error when it cannot be started.
// With `merge_stderr` its stderr is captured with its stdout (else it is ours).
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input, bool merge_stderr = false);

// A child's standard descriptors: -1 is /dev/null. `sigpipe_default` gives the
// child SIGPIPE's default action even when this process ignores it (a shell's
// pipelines rely on it).
struct SpawnOptions {
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool sigpipe_default = false;
  bool new_session = false;  // setsid: a helper that outlives us, out of reach of the terminal's signals
  std::string what;  // names the program in errors ("the OCI runtime runc"); argv[0] if empty
};

// Starts argv (argv[0] looked up in $PATH) and returns its pid. Throws Error
// "cannot run <what>: <reason>" when it cannot be started.
pid_t spawn_process(const std::vector<std::string>& argv, const SpawnOptions& options);

// A waitpid status as a shell reports it: the exit code, or 128+N for signal N.
int exit_code_of(int wait_status);

// Waits for a child (through EINTR) and returns exit_code_of its status; 255
// when it is not a child of this process (already reaped, say).
int wait_for_exit(pid_t pid);

}  // namespace berth
