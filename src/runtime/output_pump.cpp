#include "runtime/output_pump.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "core/subprocess.h"
#include "core/error.h"
#include "runtime/fd_passing.h"

namespace berth {
namespace {

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

}  // namespace

// Copies the container's stdout and stderr pipes to the log until both close
// and the init has exited; returns its exit code.
int copy_pipe_output(int out_fd, int err_fd, JsonLogWriter& writer, pid_t init) {
  int exit_code = -1;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open || exit_code < 0) {
    if (!out_open && !err_open) {  // output is over: only the exit status is missing
      exit_code = wait_for_exit(init);
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
    if (!master_open && exit_code < 0) exit_code = wait_for_exit(init);
    if (exit_code >= 0 && (!master_open || n == 0)) break;
    reap_orphans(init, &exit_code);
  }
  return exit_code;
}

}  // namespace berth
