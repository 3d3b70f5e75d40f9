#include "engine/container_exec.h"

#include <fcntl.h>
#include <termios.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>
#include <sstream>

#include "core/error.h"
#include "core/fs.h"
#include "core/image_config.h"
#include "core/subprocess.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_monitor.h"
#include "runtime/container_paths.h"
#include "runtime/container_rootfs.h"
#include "runtime/container_user.h"

namespace berth {

ContainerRecord exec_target(Store& store, const std::string& container) {
  ContainerRecord c = running_container(store, container);
  // (Docker names it as it was asked for here, by ID in "is not running".)
  if (c.paused) throw conflict("Container " + container + " is paused, unpause the container before exec");
  return c;
}

namespace {

// The OCI process spec: the container's environment, user and directory, then the options.
Json process_spec(Store& store, const ContainerRecord& c, const ExecOptions& o) {
  const Json& config = c.config["Config"];
  Json process = Json::object();
  process["terminal"] = o.tty;
  process["args"] = o.args;
  Json env = config.value("Env", Json::array());
  for (const std::string& e : o.env) env.push_back(e);
  if (o.tty) env.push_back("TERM=xterm");  // as Docker's exec -t
  process["env"] = env;
  std::string cwd = o.workdir.empty() ? config.value("WorkingDir", "") : o.workdir;
  process["cwd"] = cwd.empty() ? "/" : cwd;
  ContainerUser user = resolve_container_user(container_merged_dir(store, c.layer_id),
                                              o.user.empty() ? config.value("User", "") : o.user);
  process["user"] = {{"uid", user.uid}, {"gid", user.gid}, {"additionalGids", container_supplementary_groups(user)}};
  return process;
}

struct Pty {
  UniqueFd master, slave;
};

Pty open_pty() {
  Pty p;
  p.master = UniqueFd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (p.master.get() < 0 || ::grantpt(p.master.get()) != 0 || ::unlockpt(p.master.get()) != 0)
    throw_errno("open a terminal");
  char name[64];
  if (::ptsname_r(p.master.get(), name, sizeof name) != 0) throw_errno("ptsname");
  p.slave = UniqueFd(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (p.slave.get() < 0) throw_errno("open " + std::string(name));
  // Raw: the container's own terminal (runc's) echoes and edits; this one only carries bytes.
  termios t{};
  if (::tcgetattr(p.slave.get(), &t) == 0) {
    ::cfmakeraw(&t);
    ::tcsetattr(p.slave.get(), TCSANOW, &t);
  }
  return p;
}

}  // namespace

int exec_in_container(Store& store, const std::string& container, const ExecOptions& o) {
  ContainerRecord c = exec_target(store, container);
  // The process spec and the runtime's log of this exec, gone when it is over.
  struct ExecFiles {
    std::filesystem::path spec, log;
    ~ExecFiles() {
      ::unlink(spec.c_str());
      ::unlink(log.c_str());
    }
  } files;
  files.spec = ContainerPaths(store, c.id).dir / ("exec-" + random_hex(8) + ".json");
  files.log = std::filesystem::path(files.spec).replace_extension(".log");
  write_file_atomic(files.spec, process_spec(store, c, o).dump(), 0600, Flush::when_full);
  OciRuntime runtime = container_runtime(store, c);
  // runc exec waits for the process and exits with its status; its own errors
  // go to its log, said once below. With -t (and no --detach) it makes the
  // terminal and relays ours to it: nothing for us to do in between.
  RuntimeExec exec{c.id, files.spec, files.log, o.detach, o.tty};
  if (o.tty && o.terminal && !o.detach) {
    // runc relays only a terminal it is run on (a console socket needs
    // --detach, which loses the exit code): it gets the slave of a terminal
    // of ours, and the caller the master.
    Pty pty = open_pty();
    pid_t pid = runtime.spawn(runtime.exec_argv(exec), SpawnOptions{pty.slave.get(), pty.slave.get(), pty.slave.get()});
    pty.slave = UniqueFd();
    std::thread relay([&o, m = std::move(pty.master)]() mutable { o.terminal(std::move(m)); });
    int code = wait_for_exit(pid);
    relay.join();
    OciRuntime::check_log(files.log, "exec");
    return code;
  }
  int code = wait_for_exit(runtime.spawn(runtime.exec_argv(exec), SpawnOptions{o.interactive ? o.stdin_fd : -1, o.stdout_fd, o.stderr_fd}));
  OciRuntime::check_log(files.log, "exec");
  return code;
}

ProcessTable container_top(Store& store, const std::string& container, const std::vector<std::string>& ps_args) {
  ContainerRecord c = running_container(store, container);
  std::set<std::string> wanted;
  try {
    for (pid_t p : container_runtime(store, c).ps(c.id)) wanted.insert(std::to_string(p));
  } catch (const Error&) {
    throw Error("cannot list the processes of " + c.name);
  }
  std::vector<std::string> ps = {"ps"};
  if (!ps_args.empty()) ps.insert(ps.end(), ps_args.begin(), ps_args.end());
  else ps.push_back("-ef");
  ProcessResult out = run_process(ps, "", /*merge_stderr=*/true);
  if (out.exit_code != 0) throw Error("Error running ps: exit status " + std::to_string(out.exit_code));
  auto fields = [](const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
  };
  std::istringstream lines(out.output);
  std::string header;
  std::getline(lines, header);
  ProcessTable table{fields(header), {}};
  auto pid_col = std::find(table.titles.begin(), table.titles.end(), "PID");
  if (pid_col == table.titles.end()) throw Error("Couldn't find PID field in ps output");
  size_t pid_index = static_cast<size_t>(pid_col - table.titles.begin());
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> f = fields(line);
    if (f.size() < table.titles.size() || !wanted.contains(f[pid_index])) continue;
    // As moby: the last column takes the rest of the line (a command's arguments).
    std::vector<std::string> row(f.begin(), f.begin() + static_cast<long>(table.titles.size()) - 1);
    std::string rest;
    for (size_t i = table.titles.size() - 1; i < f.size(); ++i) rest += (rest.empty() ? "" : " ") + f[i];
    row.push_back(rest);
    table.processes.push_back(std::move(row));
  }
  return table;
}

}  // namespace berth
