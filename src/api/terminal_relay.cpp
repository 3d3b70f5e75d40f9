#include "api/terminal_relay.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

void relay_terminal(int fd, bool with_stdin, ResponseStream& to) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {with_stdin ? to.fd() : -1, POLLIN, 0}};
  char buf[32768];
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;  // EOF, or EIO: the process and everything on its terminal are gone
      try {
        to.write(std::string_view(buf, static_cast<size_t>(n)));
      } catch (const Error&) {
        fds[1].fd = -1;  // the client is gone; drain the terminal until it closes
      }
    }
    if (fds[1].fd >= 0 && fds[1].revents) {
      ssize_t n = ::read(fds[1].fd, buf, sizeof buf);
      if (n <= 0) fds[1].fd = -1;  // the client closed its side: no more input
      else write_all(fd, buf, static_cast<size_t>(n), "the terminal");
    }
  }
}

}  // namespace berth
