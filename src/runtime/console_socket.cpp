#include "runtime/console_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "core/error.h"
#include "runtime/fd_passing.h"

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
  return receive_fd(conn.get(), "the container's terminal", 256);
}

}  // namespace berth
