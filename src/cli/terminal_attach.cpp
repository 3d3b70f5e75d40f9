#include "cli/terminal_attach.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <string>

#include "core/error.h"
#include "core/fs.h"
#include "runtime/fd_passing.h"

namespace berth {
namespace {

constexpr char kCtrlP = 0x10, kCtrlQ = 0x11;

void copy_window_size(int master) {
  winsize ws{};
  if (::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(master, TIOCSWINSZ, &ws);
}

// Docker's detach sequence, ^P^Q: a ^P is held back until the next byte shows
// whether it starts the sequence.
class DetachKeys {
 public:
  // Returns what to forward of `in`; sets *detach when the sequence was typed.
  std::string filter(const char* in, size_t n, bool* detach) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      if (held_) {
        held_ = false;
        if (in[i] == kCtrlQ) {
          *detach = true;
          return out;
        }
        out += kCtrlP;
      }
      if (in[i] == kCtrlP) held_ = true;
      else out += in[i];
    }
    return out;
  }

 private:
  bool held_ = false;
};

}  // namespace

RelayEnd relay_terminal(int attach_fd, bool forward_stdin) {
  UniqueFd master = receive_fd(attach_fd, "the container's terminal", 1);
  termios saved{};
  bool raw = ::isatty(0) && ::tcgetattr(0, &saved) == 0;
  if (raw) {
    termios t = saved;
    ::cfmakeraw(&t);
    ::tcsetattr(0, TCSANOW, &t);
    copy_window_size(master.get());
  }
  sigset_t winch;
  sigemptyset(&winch);
  sigaddset(&winch, SIGWINCH);
  ::sigprocmask(SIG_BLOCK, &winch, nullptr);
  UniqueFd resized(::signalfd(-1, &winch, SFD_CLOEXEC));

  DetachKeys keys;
  RelayEnd end = RelayEnd::kOutputEnded;
  char buf[16384];
  bool in_open = forward_stdin;
  for (;;) {
    pollfd p[3] = {{attach_fd, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}, {resized.get(), POLLIN, 0}};
    if (::poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[0].revents) {
      ssize_t n = ::read(attach_fd, buf, sizeof buf);
      if (n <= 0) break;  // the container's terminal is closed
      write_all(1, buf, static_cast<size_t>(n), "stdout");
    }
    if (in_open && p[1].revents) {
      ssize_t n = ::read(0, buf, sizeof buf);
      if (n <= 0) {
        in_open = false;
        char eof = 4;  // ^D: end of input, as a terminal user would type it
        (void)!::send(attach_fd, &eof, 1, MSG_NOSIGNAL);
        ::shutdown(attach_fd, SHUT_WR);
      } else {
        bool detach = false;
        std::string out = keys.filter(buf, static_cast<size_t>(n), &detach);
        if (!out.empty() && ::send(attach_fd, out.data(), out.size(), MSG_NOSIGNAL) < 0) in_open = false;
        if (detach) {
          end = RelayEnd::kDetached;
          break;
        }
      }
    }
    if (p[2].revents) {
      signalfd_siginfo info;
      (void)!::read(resized.get(), &info, sizeof info);
      copy_window_size(master.get());
    }
  }
  if (raw) ::tcsetattr(0, TCSANOW, &saved);
  ::sigprocmask(SIG_UNBLOCK, &winch, nullptr);
  return end;
}

}  // namespace berth
