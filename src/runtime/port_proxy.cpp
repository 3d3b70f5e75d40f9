#include "runtime/port_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "runtime/network_namespace.h"

namespace berth {
namespace {

constexpr int kPipeSize = 1 << 20;

// Moves bytes from `from` to `to` until `from` ends, then half-closes `to`.
void pump(int from, int to) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return;
  // A 1 MiB pipe moves bulk transfers in fewer, larger splices (default: 64 KiB).
  size_t chunk = ::fcntl(p[1], F_SETPIPE_SZ, kPipeSize) > 0 ? kPipeSize : 1 << 16;
  for (;;) {
    ssize_t n = ::splice(from, nullptr, p[1], nullptr, chunk, SPLICE_F_MOVE);
    if (n <= 0) break;
    while (n > 0) {
      ssize_t k = ::splice(p[0], nullptr, to, nullptr, static_cast<size_t>(n), SPLICE_F_MOVE);
      if (k <= 0) {
        n = -1;
        break;
      }
      n -= k;
    }
    if (n < 0) break;
  }
  ::close(p[0]);
  ::close(p[1]);
  ::shutdown(to, SHUT_WR);
  ::shutdown(from, SHUT_RD);
}

// One client: a connection made inside the container's namespace, bytes both ways.
void serve(int client, const std::filesystem::path& netns, int port) {
  int upstream = -1;
  try {
    NetworkNamespaceGuard in(netns);  // the socket belongs to the namespace it is made in
    upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  } catch (...) {
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (upstream < 0 || ::connect(upstream, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    if (upstream >= 0) ::close(upstream);
    ::close(client);
    return;
  }
  int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::thread back(pump, upstream, client);
  pump(client, upstream);
  back.join();
  ::close(upstream);
  ::close(client);
}

}  // namespace

PortProxy::PortProxy(const std::vector<PortMapping>& mappings, std::filesystem::path netns) : netns_(std::move(netns)) {
  for (const PortMapping& m : mappings) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(m.host_port));
    ::inet_pton(AF_INET, m.host_ip.empty() ? "0.0.0.0" : m.host_ip.c_str(), &a.sin_addr);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 1024) != 0) {
      int err = errno;
      if (fd >= 0) ::close(fd);
      for (const Listener& l : listeners_) ::close(l.fd);
      std::string where = (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" + std::to_string(m.host_port);
      if (err == EADDRINUSE) throw Error("Bind for " + where + " failed: port is already allocated");
      errno = err;
      throw_errno("listen on " + where);
    }
    listeners_.push_back({fd, m.container_port});
  }
}

PortProxy::~PortProxy() {
  stopping_ = true;
  for (const Listener& l : listeners_) ::shutdown(l.fd, SHUT_RDWR);  // wakes accept()
  for (std::thread& t : threads_) t.join();
  for (const Listener& l : listeners_) ::close(l.fd);
}

void PortProxy::start() {
  for (size_t i = 0; i < listeners_.size(); ++i) threads_.emplace_back(&PortProxy::accept_loop, this, i);
}

void PortProxy::accept_loop(size_t i) {
  while (!stopping_) {
    int client = ::accept4(listeners_[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::thread(serve, client, netns_, listeners_[i].container_port).detach();
  }
}

}  // namespace berth
