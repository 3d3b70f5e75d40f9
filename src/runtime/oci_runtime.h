// The OCI runtime driver: the only code in berth that runs runc (or crun).
// Every runtime command line is spelled here, once, as containerd's
// runc.Runc spells it: global flags (--root for berth's state directory,
// --log in JSON for errors that can be read back), then the subcommand.
// Containers (the monitor), build steps, exec and top all go through it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/image_config.h"
#include "core/subprocess.h"

namespace berth {

// Why a process did not start, as Docker reports it with run's exit code.
enum class StartFailure {
  not_found,       // "executable file not found", "no such file or directory": 127
  not_executable,  // "permission denied": 126
  other,           // anything else the runtime said: 125
};
StartFailure classify_start_failure(const std::string& runtime_error);
int start_failure_exit_code(StartFailure failure);

// The runtime refused or failed a command; `failure` tells a command that
// could not be executed from any other refusal.
class RuntimeError : public Error {
 public:
  RuntimeError(const std::string& message, StartFailure failure)
      : Error(message, failure == StartFailure::not_found        ? ErrorKind::not_found
                       : failure == StartFailure::not_executable ? ErrorKind::permission
                                                                 : ErrorKind::failed),
        failure(failure) {}
  StartFailure failure;
};

// The last error a runtime wrote to a --log-format json log ("" if none).
std::string runtime_log_error(const std::filesystem::path& log);

struct RuntimeCreate {
  std::string id;
  std::filesystem::path bundle;
  std::filesystem::path pid_file;
  std::filesystem::path log;             // --log (JSON)
  std::optional<std::string> console_socket;  // -t: where the terminal's master end is sent
};

struct RuntimeExec {
  std::string id;
  std::filesystem::path process_spec;  // a process.json
  std::filesystem::path log;
  bool detach = false;
  bool tty = false;  // the runtime makes the terminal and relays the caller's to it
};

class OciRuntime {
 public:
  // `binary`: "runc", "crun" or a path; `state_root`: its --root.
  OciRuntime(std::string binary, std::filesystem::path state_root);

  // $BERTH_RUNTIME, else runc, else crun (the first found on PATH).
  static std::string default_binary();
  const std::string& binary() const { return binary_; }

  // The command lines, argv[0] included (public so tests can read them).
  std::vector<std::string> create_argv(const RuntimeCreate& c) const;
  std::vector<std::string> start_argv(const std::string& id) const;
  std::vector<std::string> run_argv(const std::string& id, const std::filesystem::path& bundle,
                                    const std::filesystem::path& log) const;
  std::vector<std::string> exec_argv(const RuntimeExec& e) const;
  std::vector<std::string> ps_argv(const std::string& id) const;
  std::vector<std::string> kill_argv(const std::string& id, int signal, bool all) const;
  std::vector<std::string> delete_argv(const std::string& id, bool force) const;
  std::vector<std::string> state_argv(const std::string& id) const;
  std::vector<std::string> pause_argv(const std::string& id) const;
  std::vector<std::string> resume_argv(const std::string& id) const;
  std::vector<std::string> update_argv(const std::string& id) const;  // resources JSON on stdin

  // Starts a long-running command (create, run, exec) with the given
  // descriptors; the caller waits for it (wait_for_exit).
  pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& options) const;

  // `create`, waited for. Throws RuntimeError with the runtime's logged reason.
  void create(const RuntimeCreate& c, const SpawnOptions& stdio) const;
  // `start`: the created container's process runs. Throws RuntimeError.
  void start(const std::string& id) const;
  // The host PIDs of the container's processes. Throws Error when it cannot tell.
  std::vector<pid_t> ps(const std::string& id) const;
  // `pause` / `resume`: the container's processes frozen (cgroup freezer) or
  // thawed. Throw Error with what the runtime said.
  void pause(const std::string& id) const;
  void resume(const std::string& id) const;
  // `update -r -`: the running container's cgroup limits set to `resources`
  // (OCI LinuxResources: memory, cpu, pids). Throws Error with what the runtime said.
  void update(const std::string& id, const Json& resources) const;
  // `delete --force`: forgets the container; quiet when the runtime knows none.
  void remove(const std::string& id) const;
  // The ids of the containers the runtime has state for.
  std::vector<std::string> list_state() const;

  // What a finished `run` or `exec` left in its log, as an error: a runtime
  // that could not start the process (RuntimeError), or nothing to say.
  static void check_log(const std::filesystem::path& log, const std::string& what);

 private:
  std::vector<std::string> global(const std::optional<std::filesystem::path>& log) const;
  SpawnOptions named(SpawnOptions options) const;

  std::string binary_;
  std::filesystem::path state_root_;
};

}  // namespace berth
