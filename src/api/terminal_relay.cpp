#include "api/terminal_relay.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "core/fs.h"

namespace berth {

void relay_terminal(int fd, bool with_stdin, ResponseStream& to, WhenClientGoes when_gone) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {with_stdin ? to.fd() : -1, POLLIN, 0}};
  char buf[32768];
  bool client_here = true;
  for (;;) {
    // Once the client sends nothing more, only a look now and then tells
    // whether it closed the connection completely (a half-close is the end of its stdin).
    int ready = ::poll(fds, 2, fds[1].fd < 0 && client_here ? 250 : -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (client_here && fds[1].fd < 0 && to.peer_closed()) {
      client_here = false;
      if (when_gone == WhenClientGoes::stop) return;
    }
    if (fds[0].revents) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;  // EOF, or EIO: the process and everything on its terminal are gone
      try {
        if (client_here) to.write(std::string_view(buf, static_cast<size_t>(n)));
      } catch (const Error&) {
        client_here = false;
        fds[1].fd = -1;
        if (when_gone == WhenClientGoes::stop) return;
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
