#include "cli/terminal_attach.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"

namespace berth {

ConsoleSocket::ConsoleSocket() : path_("/tmp/berth-console-" + random_hex(16) + ".sock") {
  fd_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd_.get() < 0) throw_errno("console socket");
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_.get(), 1) != 0)
    throw_errno("console socket " + path_);
}

ConsoleSocket::~ConsoleSocket() { ::unlink(path_.c_str()); }

UniqueFd ConsoleSocket::receive_master() {
  pollfd p{fd_.get(), POLLIN, 0};
  if (::poll(&p, 1, 10000) <= 0) throw Error("the runtime did not send the container's terminal");
  UniqueFd conn(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (conn.get() < 0) throw_errno("accept the container's terminal");
  char name[256];
  iovec iov{name, sizeof name};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (::recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC) < 0) throw_errno("receive the container's terminal");
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS) throw Error("the runtime sent no terminal");
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return UniqueFd(fd);
}

void relay_terminal(int master, bool forward_stdin) {
  termios saved{};
  bool raw = ::isatty(0) && ::tcgetattr(0, &saved) == 0;
  if (raw) {
    termios t = saved;
    ::cfmakeraw(&t);
    ::tcsetattr(0, TCSANOW, &t);
    winsize ws{};
    if (::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(master, TIOCSWINSZ, &ws);
  }
  char buf[16384];
  bool in_open = forward_stdin;
  for (;;) {
    pollfd p[2] = {{master, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[0].revents) {
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;  // EIO: the container's side is closed
      write_all(1, buf, static_cast<size_t>(n), "stdout");
    }
    if (in_open && p[1].revents) {
      ssize_t n = ::read(0, buf, sizeof buf);
      if (n <= 0) {
        in_open = false;
        char eof = 4;  // ^D: end of input, as a terminal user would type it
        (void)!::write(master, &eof, 1);
      } else {
        write_all(master, buf, static_cast<size_t>(n), "terminal");
      }
    }
  }
  if (raw) ::tcsetattr(0, TCSANOW, &saved);
}

}  // namespace berth
