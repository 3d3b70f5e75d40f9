// Attached sessions: see container_attach.h.
#include "cli/container_attach.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/container_output.h"
#include "cli/terminal_attach.h"
#include "core/error.h"
#include "core/fs.h"
#include "engine/container_logs.h"
#include "engine/containers.h"
#include "runtime/attach_socket.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_paths.h"

namespace berth {
namespace {

// Docker's --sig-proxy: signals sent to an attached `run` go to the container.
volatile sig_atomic_t g_container_pid = 0;

void forward_signal(int sig) {
  if (g_container_pid > 0) ::kill(g_container_pid, sig);
}

void proxy_signals(int pid) {
  g_container_pid = pid;
  struct sigaction sa{};
  sa.sa_handler = forward_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) ::sigaction(sig, &sa, nullptr);
}

// Follows the log (unless the output went through a terminal) while the
// container runs, until the monitor reports "exit N"; returns N.
int follow(Context& ctx, const ContainerRecord& c, int pipe_fd, bool print_log) {
  UniqueFd report(pipe_fd);
  ContainerLogReader log(ctx.store(), c.id);
  std::string line;
  for (;;) {
    pollfd p{report.get(), POLLIN, 0};
    int n = ::poll(&p, 1, 20);
    if (print_log) print_log_entries(log.read());
    if (n <= 0) continue;
    char ch;
    ssize_t k = ::read(report.get(), &ch, 1);
    if (k <= 0) return 125;  // the monitor went away without a word
    if (ch != '\n') {
      line += ch;
      continue;
    }
    if (line.starts_with("exit ")) {
      if (print_log) print_log_entries(log.read());
      return std::atoi(line.c_str() + 5);
    }
    line.clear();
  }
}


}  // namespace

int attach_started(Context& ctx, const ContainerRecord& c, const MonitorLaunch& launch, bool tty, bool forward_stdin) {
  if (!tty) {  // with a terminal, ^C reaches the container through it
    std::optional<ContainerRecord> started = ctx.store().containers().get(c.id);
    if (started && started->pid > 0) proxy_signals(started->pid);
    return follow(ctx, c, launch.pipe_fd, true);
  }
  // The terminal carries the output; then the monitor reports the exit.
  UniqueFd attach(launch.attach_fd);
  if (attach.get() < 0) throw Error("could not attach to the container's terminal");
  if (relay_terminal(attach.get(), forward_stdin) == RelayEnd::kDetached) {
    ::close(launch.pipe_fd);
    return 0;  // ^P^Q: the container goes on, as with Docker
  }
  return follow(ctx, c, launch.pipe_fd, false);
}

int attach_running(Context& ctx, const ContainerRecord& c, bool forward_stdin, bool sig_proxy) {
  Store& store = ctx.store();
  if (c.config["Config"].value("Tty", false)) {
    UniqueFd attach = connect_attach(ContainerPaths(store, c.id).dir);
    bool open_stdin = c.config["Config"].value("OpenStdin", false);
    if (relay_terminal(attach.get(), forward_stdin && open_stdin) == RelayEnd::kDetached) return 0;
    return wait_container(store, c.id);
  }
  // No terminal: the output from now on, as it reaches the log.
  if (sig_proxy && c.pid > 0) proxy_signals(c.pid);
  ContainerLogReader log(store, c.id, /*from_end=*/true);
  for (;;) {
    std::optional<ContainerRecord> now = store.containers().get(c.id);
    if (now) now = refresh_container(store, *now);
    print_log_entries(log.read());
    if (!now || now->state != "running") return now ? now->exit_code : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace berth
