// berth exec [-i] [-t] [-e] [-u] [-w] [-d] CONTAINER COMMAND [ARG...]: another
// process in a running container, through the runtime's `exec`. Its output is
// berth's own stdout/stderr; its stdin is berth's with -i (else /dev/null, as
// Docker closes it); with -t the runtime makes a terminal and relays berth's to it.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "cli/usage_error.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/image_config.h"
#include "core/subprocess.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_monitor.h"
#include "runtime/container_rootfs.h"
#include "runtime/container_user.h"

namespace berth {
namespace {

int run(Context& ctx, const Args& args) {
  if (args.positional().size() < 2) throw UsageError("\"berth exec\" requires at least 2 arguments.");
  Store& store = ctx.store();
  ContainerRecord c = refresh_container(store, store.containers().find(args.positional()[0]));
  if (c.state != "running") throw Error("Container " + c.id + " is not running");

  // The process spec: the container's environment and user, then the flags.
  Json process = Json::object();
  bool tty = args.flag("tty"), interactive = args.flag("interactive");
  if (tty && interactive && !::isatty(0)) throw Error("the input device is not a TTY");
  if (tty && !::isatty(0) && !::isatty(1) && !::isatty(2))
    throw Error("exec -t needs a terminal: none of berth's stdin, stdout and stderr is one");
  process["terminal"] = tty;
  process["args"] = std::vector<std::string>(args.positional().begin() + 1, args.positional().end());
  Json env = c.config["Config"].value("Env", Json::array());
  for (const std::string& e : args.values("env")) env.push_back(e);
  if (tty) env.push_back("TERM=xterm");  // as Docker's exec -t
  process["env"] = env;
  std::string cwd = args.value("workdir", c.config["Config"].value("WorkingDir", ""));
  process["cwd"] = cwd.empty() ? "/" : cwd;
  ContainerUser user = resolve_container_user(container_merged_dir(store, c.layer_id),
                                              args.value("user", c.config["Config"].value("User", "")));
  process["user"] = {{"uid", user.uid}, {"gid", user.gid}};
  std::filesystem::path spec = store.container_dir(c.id) / ("exec-" + random_hex(8) + ".json");
  write_file_atomic(spec, process.dump(), 0600);

  std::string runtime = runtime_of(c);
  std::filesystem::path log = spec;
  log.replace_extension(".log");
  std::vector<std::string> argv = {runtime, "--root", (store.root() / "runtime").string(), "--log", log.string(),
                                   "--log-format", "json", "exec", "--process", spec.string()};
  if (args.flag("detach")) argv.push_back("--detach");
  // With -t and no --detach, runc makes the terminal and relays berth's own to it
  // (raw mode, window size): nothing for berth to do in between.
  if (tty) argv.push_back("--tty");
  argv.push_back(c.id);
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::cout.flush();
  // runc exec waits for the process and exits with its status: hand it this process.
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);  // the runtime's own errors go to its log, said once below
    if (null >= 0) {
      ::dup2(null, 2);
      if (!interactive) ::dup2(null, 0);
    }
    ::execvp(cargv[0], cargv.data());
    _exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::unlink(spec.c_str());
  std::string error = runtime_log_error(log);
  ::unlink(log.c_str());
  if (!error.empty()) {
    // The command never ran: Docker's 126 (cannot execute) and 127 (not found).
    std::cerr << "Error: OCI runtime exec failed: " << error << "\n";
    int code = start_failure_code(error);
    return code == 125 ? 126 : code;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

const Command kExecCommand = {"exec",
                              "berth exec [OPTIONS] CONTAINER COMMAND [ARG...]",
                              "Run a command in a running container",
                              {{'d', "detach", false}, {'e', "env", true}, {'u', "user", true}, {'w', "workdir", true},
                               {'i', "interactive", false}, {'t', "tty", false}},
                              run,
                              true};

}  // namespace berth
