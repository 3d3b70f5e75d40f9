#include "runtime/container_monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"
#include "core/timestamp.h"
#include "runtime/attach_socket.h"
#include "runtime/console_socket.h"
#include "runtime/container_create.h"
#include "runtime/container_mounts.h"
#include "runtime/container_rootfs.h"
#include "runtime/container_user.h"
#include "runtime/fd_passing.h"
#include "runtime/json_log.h"
#include "runtime/network_namespace.h"
#include "runtime/port_proxy.h"
#include "runtime/volume_copy_up.h"
#include "runtime/runtime_spec.h"

extern char** environ;

namespace berth {
namespace {

void report(int fd, const std::string& line) {
  if (fd < 0) return;
  std::string l = line + "\n";
  (void)!::write(fd, l.data(), l.size());  // the reader may be gone (detached run): nothing to do
}

// Runs the runtime with `args`; its stdout/stderr go to `out_fd`/`err_fd`.
pid_t spawn_runtime(const std::string& runtime, const std::vector<std::string>& args, int in_fd, int out_fd,
                    int err_fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  std::vector<std::string> all = {runtime};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, runtime.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw Error("cannot run the OCI runtime " + runtime + ": " + std::strerror(rc));
  return pid;
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 255;
  return exit_code_of(status);
}

// Sets *exit_code once the container's init has exited (255: it is not our child after all).
void check_init(pid_t init, int* exit_code) {
  int status = 0;
  pid_t r = ::waitpid(init, &status, WNOHANG);
  if (r == init) *exit_code = exit_code_of(status);
  else if (r < 0 && errno == ECHILD) *exit_code = 255;
}

// Reaps processes of the container re-parented to us, the subreaper. The
// init may be among them (it can exit after check_init looked): then its
// status is kept, or its exit code would be lost (ECHILD, 255).
void reap_orphans(pid_t init, int* exit_code) {
  int status = 0;
  for (pid_t r; (r = ::waitpid(-1, &status, WNOHANG)) > 0;)
    if (r == init && *exit_code < 0) *exit_code = exit_code_of(status);
}

// Runs a short runtime command, capturing what it prints; returns its exit code.
int runtime_command(const std::string& runtime, const std::vector<std::string>& args, std::string* output) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd r(fds[0]), w(fds[1]);
  UniqueFd null = open_or_throw("/dev/null", O_RDWR | O_CLOEXEC);
  pid_t pid = spawn_runtime(runtime, args, null.get(), w.get(), w.get());
  w = UniqueFd();
  char buf[4096];
  for (ssize_t n; (n = ::read(r.get(), buf, sizeof buf)) > 0;)
    if (output) output->append(buf, static_cast<size_t>(n));
  return wait_exit(pid);
}

std::string one_line(std::string s) {
  // What the runtime printed, as one line: its last.
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (size_t nl = s.rfind('\n'); nl != std::string::npos) s = s.substr(nl + 1);
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

void write_text(const std::filesystem::path& p, const std::string& text) { write_file_atomic(p, text, 0644); }

// /etc/hostname, /etc/hosts and /etc/resolv.conf for the container.
void write_etc_files(const std::filesystem::path& dir, const std::string& hostname, bool host_network) {
  write_text(dir / "hostname", hostname + "\n");
  std::string hosts = host_network ? read_file("/etc/hosts")
                                   : "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                                     "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
                                     "ff02::2\tip6-allrouters\n127.0.0.1\t" + hostname + "\n";
  write_text(dir / "hosts", hosts);
  std::error_code ec;
  std::string resolv = std::filesystem::exists("/etc/resolv.conf", ec) ? read_file("/etc/resolv.conf") : "";
  write_text(dir / "resolv.conf", resolv);
}

RuntimeSpecInputs spec_inputs(Store& store, const ContainerRecord& c, const std::filesystem::path& dir) {
  const Json& cfg = c.config["Config"];
  const Json& host = c.config["HostConfig"];
  RuntimeSpecInputs in;
  in.id = c.id;
  in.hostname = cfg.value("Hostname", c.id.substr(0, 12));
  in.args.push_back(c.config.value("Path", ""));
  for (const Json& a : c.config.value("Args", Json::array())) in.args.push_back(a.get<std::string>());
  in.rootfs = container_merged_dir(store, c.layer_id);
  ContainerUser user = resolve_container_user(in.rootfs, cfg.value("User", ""));
  in.uid = user.uid;
  in.gid = user.gid;
  in.additional_gids = user.groups;
  bool has_home = false;
  for (const Json& e : cfg.value("Env", Json::array())) {
    in.env.push_back(e.get<std::string>());
    has_home |= in.env.back().starts_with("HOME=");
  }
  if (!has_home) in.env.push_back("HOME=" + user.home);
  in.terminal = cfg.value("Tty", false);
  if (in.terminal) in.env.push_back("TERM=xterm");  // as Docker adds for -t
  in.cwd = cfg.value("WorkingDir", "");
  if (in.cwd.empty()) in.cwd = "/";
  std::string network = host.value("NetworkMode", "default");
  if (network != "host") in.netns = dir / "netns";
  in.hosts = dir / "hosts";
  in.hostname_file = dir / "hostname";
  in.resolv_conf = dir / "resolv.conf";
  in.privileged = host.value("Privileged", false);
  in.read_only = host.value("ReadonlyRootfs", false);
  for (const Json& x : host.value("CapAdd", Json::array())) in.cap_add.push_back(x.get<std::string>());
  for (const Json& x : host.value("CapDrop", Json::array())) in.cap_drop.push_back(x.get<std::string>());
  std::vector<std::string> security;
  for (const Json& x : host.value("SecurityOpt", Json::array())) security.push_back(x.get<std::string>());
  apply_security_options(security, &in);
  for (const Json& m : host.value("Mounts", Json::array())) in.extra_mounts.push_back(runtime_mount(m));
  if (host.value("Init", false)) {  // tini as PID 1, as Docker's --init
    std::string tini = init_binary();
    if (tini.empty()) throw Error("--init needs tini-static (Debian's tini package)");
    in.extra_mounts.push_back({{"destination", kInitProcessPath}, {"type", "bind"}, {"source", tini},
                               {"options", {"rbind", "ro", "rprivate"}}});
    in.args.insert(in.args.begin(), {kInitProcessPath, "--"});
  }
  in.memory = host.value("Memory", int64_t{0});
  in.cpu_quota = host.value("NanoCpus", int64_t{0}) / 10000;  // per 100 ms period
  in.pids_limit = host.value("PidsLimit", int64_t{0});
  return in;
}

// Copies the container's stdout and stderr pipes to the log until both close
// and the init has exited; returns its exit code.
int copy_pipe_output(int out_fd, int err_fd, JsonLogWriter& writer, pid_t init) {
  int exit_code = -1;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || exit_code < 0) {
    if (!out_open && !err_open) {  // output is over: only the exit status is missing
      exit_code = wait_exit(init);
      break;
    }
    pollfd fds[2] = {{out_open ? out_fd : -1, POLLIN, 0}, {err_open ? err_fd : -1, POLLIN, 0}};
    int n = ::poll(fds, 2, exit_code < 0 ? 100 : 200);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      ssize_t k = ::read(fds[i].fd, buf, sizeof buf);
      if (k > 0) {
        writer.write(i ? "stderr" : "stdout", std::string_view(buf, static_cast<size_t>(k)));
      } else if (k == 0 || errno != EINTR) {
        (i ? err_open : out_open) = false;
      }
    }
    if (exit_code < 0) check_init(init, &exit_code);
    else if (n == 0) break;  // the init exited and its descendants holding the pipes are quiet: done
    reap_orphans(init, &exit_code);
  }
  return exit_code;
}

struct AttachClient {
  UniqueFd fd;
  bool input_open = true;  // a client that ended its input still gets the output
};

// One attach client, waited for up to `timeout_ms`; an empty UniqueFd if none came.
UniqueFd accept_client(int listen_fd, int timeout_ms) {
  pollfd p{listen_fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return UniqueFd();
  return UniqueFd(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
}

// -t: copies the terminal's output to the log and to every attach client, and
// (with -i) what clients type to the terminal, until it closes and the init
// has exited; returns its exit code. New clients are accepted as they come.
int copy_terminal_output(int master, const AttachListener& listener, std::vector<AttachClient>& clients,
                         bool open_stdin, JsonLogWriter& writer, pid_t init) {
  // Non-blocking: a container that reads no input must not stall its output.
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  int exit_code = -1;
  bool master_open = true;
  char buf[65536];
  for (;;) {
    std::vector<pollfd> fds = {{master_open ? master : -1, POLLIN, 0}, {listener.fd(), POLLIN, 0}};
    for (const AttachClient& c : clients) fds.push_back({c.input_open ? c.fd.get() : -1, POLLIN, 0});
    int n = ::poll(fds.data(), fds.size(), exit_code < 0 ? 100 : 200);
    if (n < 0 && errno != EINTR) break;
    if (master_open && fds[0].revents) {
      ssize_t k = ::read(master, buf, sizeof buf);
      if (k > 0) {
        writer.write("stdout", std::string_view(buf, static_cast<size_t>(k)));
        for (AttachClient& c : clients)
          if (::send(c.fd.get(), buf, static_cast<size_t>(k), MSG_NOSIGNAL) < 0) c.fd = UniqueFd();
      } else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
        master_open = false;  // EIO: no process has the terminal open any more
      }
    }
    for (size_t i = 0; i + 2 < fds.size(); ++i) {
      if (fds[i + 2].fd < 0 || !fds[i + 2].revents || clients[i].fd.get() < 0) continue;
      ssize_t k = ::read(clients[i].fd.get(), buf, sizeof buf);
      if (k > 0 && open_stdin) (void)!::write(master, buf, static_cast<size_t>(k));  // dropped when the terminal is full
      if (k <= 0) clients[i].input_open = false;
    }
    std::erase_if(clients, [](const AttachClient& c) { return c.fd.get() < 0; });
    if (fds[1].revents & POLLIN) {
      UniqueFd fd(::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC));
      if (fd.get() >= 0) {
        try {
          send_fd(fd.get(), master);
          clients.push_back(AttachClient{std::move(fd)});
        } catch (const Error&) {
          // gone already
        }
      }
    }
    if (exit_code < 0) check_init(init, &exit_code);
    if (!master_open && exit_code < 0) exit_code = wait_exit(init);
    if (exit_code >= 0 && (!master_open || n == 0)) break;
    reap_orphans(init, &exit_code);
  }
  return exit_code;
}

}  // namespace

void release_container(Store& store, const ContainerRecord& c) {
  std::string ignored;  // the runtime may no longer know it: nothing to say then
  runtime_command(runtime_of(c), {"--root", (store.root() / "runtime").string(), "delete", "--force", c.id}, &ignored);
  try {
    unmount_container_rootfs(store, c.layer_id);
  } catch (...) {
    // Not mounted any more, or busy: `rm` reports what is in its way.
  }
  remove_network_namespace(store.container_dir(c.id) / "netns");
}

std::string runtime_log_error(const std::filesystem::path& log) {
  std::error_code ec;
  if (!std::filesystem::exists(log, ec)) return "";
  std::string msg;
  std::istringstream lines(read_file(log));
  for (std::string l; std::getline(lines, l);) {
    Json j = Json::parse(l, nullptr, false);
    if (j.is_object() && j.value("level", "") == "error") msg = j.value("msg", "");
  }
  return msg;
}

int start_failure_code(const std::string& message) {
  if (message.find("executable file not found") != std::string::npos ||
      message.find("no such file or directory") != std::string::npos)
    return 127;
  if (message.find("permission denied") != std::string::npos) return 126;
  return 125;
}

std::string runtime_of(const ContainerRecord& c) {
  std::string r = c.config["HostConfig"].value("Runtime", "");
  return r.empty() ? default_runtime() : r;
}

std::string default_runtime() {
  if (const char* r = std::getenv("BERTH_RUNTIME"); r && *r) return r;
  for (const char* name : {"runc", "crun"})
    if (std::string path = find_in_path(name); !path.empty()) return path;
  return "runc";
}

int run_monitor(const std::filesystem::path& root, const std::string& id, int report_fd, bool wait_for_attach) {
  ::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // the container's init becomes our child when `create` exits
  std::unique_ptr<Store> store = std::make_unique<Store>(root);
  std::optional<ContainerRecord> rec = store->containers().get(id);
  if (!rec) {
    report(report_fd, "error 125 No such container: " + id);
    return 1;
  }
  ContainerRecord c = *rec;
  std::filesystem::path dir = store->container_dir(id);
  std::string runtime = runtime_of(c);
  std::string runtime_root = (store->root() / "runtime").string();
  bool host_network = c.config["HostConfig"].value("NetworkMode", "default") == "host";
  bool tty = c.config["Config"].value("Tty", false);
  bool open_stdin = c.config["Config"].value("OpenStdin", false);

  UniqueFd out_r, out_w, err_r, err_w;
  pid_t init = 0;
  std::unique_ptr<PortProxy> proxy;
  UniqueFd master;  // -t: the terminal's master end
  std::unique_ptr<AttachListener> attach;
  std::vector<AttachClient> clients;
  try {
    write_etc_files(dir, c.config["Config"].value("Hostname", id.substr(0, 12)), host_network);
    if (!host_network) {
      remove_network_namespace(dir / "netns");  // a stale pin from a monitor that was killed
      create_network_namespace(dir / "netns");
      // Published ports are bound before the container starts: a port in use fails the start.
      std::vector<PortMapping> ports = port_mappings(c.config["HostConfig"].value("PortBindings", Json::object()));
      if (!ports.empty()) proxy = std::make_unique<PortProxy>(ports, dir / "netns");
    }
    mount_container_rootfs(*store, c.layer_id);
    copy_up_volumes(*store, c);
    write_file_atomic(dir / "config.json", make_runtime_spec(spec_inputs(*store, c, dir)).dump(2), 0600);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
    out_r = UniqueFd(fds[0]);
    out_w = UniqueFd(fds[1]);
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
    err_r = UniqueFd(fds[0]);
    err_w = UniqueFd(fds[1]);
    UniqueFd null = open_or_throw("/dev/null", O_RDWR | O_CLOEXEC);
    std::filesystem::path pid_file = dir / "init.pid";
    std::filesystem::remove(pid_file);
    // The runtime's own complaints go to its log; the container's output to our pipes.
    std::filesystem::path runtime_log = dir / "runtime.log";
    std::filesystem::remove(runtime_log);
    std::vector<std::string> create = {"--root", runtime_root, "--log", runtime_log.string(), "--log-format", "json",
                                       "create", "--bundle", dir.string(), "--pid-file", pid_file.string()};
    std::optional<ConsoleSocket> console;
    if (tty) {  // the runtime hands the terminal's master end to us
      console.emplace();
      create.push_back("--console-socket");
      create.push_back(console->path());
    }
    create.push_back(id);
    // -i without -t: stdin is the one berth passed down (fd 0 of this process); otherwise /dev/null.
    bool pass_stdin = open_stdin && !tty;
    pid_t creator = spawn_runtime(runtime, create, pass_stdin ? 0 : null.get(), out_w.get(), err_w.get());
    if (wait_exit(creator) != 0) {
      std::string msg = runtime_log_error(runtime_log);
      if (msg.empty()) msg = "the runtime failed without saying why";
      throw ContainerStartError(start_failure_code(msg), "OCI runtime create failed: " + msg);
    }
    init = std::stoi(read_file(pid_file));
    if (tty) {
      master = console->receive_master();
      attach = std::make_unique<AttachListener>(dir);
      if (wait_for_attach) {
        report(report_fd, "attach");
        UniqueFd first = accept_client(attach->fd(), 10000);
        if (first.get() < 0) throw Error("no client attached to the container's terminal");
        clients.push_back(AttachClient{std::move(first), true});
        send_fd(clients.back().fd.get(), master.get());
      }
    }
    std::string start_out;
    if (runtime_command(runtime, {"--root", runtime_root, "start", id}, &start_out) != 0)
      throw ContainerStartError(125, "OCI runtime start failed: " + one_line(start_out));
    store->containers().set_running(id, init, ::getpid(), now_unix_nanos());
  } catch (const ContainerStartError& e) {
    proxy.reset();
    release_container(*store, c);
    report(report_fd, "error " + std::to_string(e.exit_code) + " " + e.what());
    return 1;
  } catch (const std::exception& e) {
    proxy.reset();
    release_container(*store, c);
    report(report_fd, std::string("error 125 ") + e.what());
    return 1;
  }
  out_w = UniqueFd();
  err_w = UniqueFd();
  store.reset();  // no store lock held while the container runs
  // Opened before "started", so an attached `run` finds it.
  UniqueFd log = open_or_throw(dir / (id + "-json.log"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (proxy) proxy->start();
  report(report_fd, "started");

  JsonLogWriter writer(log.get());
  int exit_code = tty ? copy_terminal_output(master.get(), *attach, clients, open_stdin, writer, init)
                      : copy_pipe_output(out_r.get(), err_r.get(), writer, init);
  clients.clear();  // their output is over
  writer.flush();
  proxy.reset();

  store = std::make_unique<Store>(root);
  // Cleaned up before it is recorded as exited: whoever waits for the exit
  // (stop, rm -f, wait) then finds no mount and no namespace in the way.
  release_container(*store, c);
  store->containers().set_exited(id, exit_code, now_unix_nanos());
  // --rm: gone (with its anonymous volumes) before an attached `run` returns.
  if (c.config["HostConfig"].value("AutoRemove", false)) remove_container(*store, c, /*volumes=*/true);
  report(report_fd, "exit " + std::to_string(exit_code));
  return 0;
}

MonitorLaunch launch_monitor(const std::filesystem::path& root, const std::string& id, const MonitorWiring& wiring) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  UniqueFd r(fds[0]), w(fds[1]);
  pid_t child = ::fork();
  if (child < 0) throw_errno("fork");
  if (child == 0) {
    // Detached: a new session, and a grandchild so no berth command is its parent.
    ::setsid();
    if (::fork() != 0) _exit(0);
    int null = ::open("/dev/null", O_RDWR);
    if (!wiring.keep_stdin) ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::dup2(w.get(), 3);  // without O_CLOEXEC
    std::string root_s = root.string();
    const char* argv[] = {"berth", "--root", root_s.c_str(), "container-monitor", id.c_str(), "3",
                          wiring.attach_terminal ? "attach-first" : nullptr, nullptr};
    ::execv("/proc/self/exe", const_cast<char**>(argv));
    _exit(127);
  }
  int status;
  ::waitpid(child, &status, 0);
  w = UniqueFd();
  auto read_line = [&] {
    std::string line;
    char c;
    while (::read(r.get(), &c, 1) == 1 && c != '\n') line += c;
    return line;
  };
  std::string line = read_line();
  MonitorLaunch m;
  if (line == "attach") {  // the container waits for us to connect to its terminal
    try {
      m.attach_fd = connect_attach(root / "containers" / id).release();  // Store::container_dir
    } catch (const Error&) {
      // The monitor gives up waiting and reports the error.
    }
    line = read_line();
  }
  if (line == "started") {
    m.keep_pipe = wiring.attached;
    if (wiring.attached) m.pipe_fd = r.release();
    return m;
  }
  if (m.attach_fd >= 0) ::close(m.attach_fd);
  if (line.starts_with("error ")) {
    size_t sp = line.find(' ', 6);
    int code = std::atoi(line.substr(6, sp - 6).c_str());
    throw ContainerStartError(code, line.substr(sp + 1));
  }
  throw ContainerStartError(125, "the container monitor exited before the container started");
}

}  // namespace berth
