#include "runtime/port_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>

#include "core/error.h"
#include "network/network_namespace.h"

namespace berth {
namespace {

constexpr int kPipeSize = 1 << 20;
// A UDP flow with no datagram either way for this long is forgotten (Docker's
// proxy uses the same 90 s, as Linux conntrack does for UDP).
constexpr auto kUdpFlowTimeout = std::chrono::seconds(90);

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A socket of `type` made inside the container's network namespace (it
// belongs to the namespace it is made in), connected to 127.0.0.1:port there.
int connect_inside(const std::filesystem::path& netns, int type, int port) {
  int fd = -1;
  try {
    NetworkNamespaceGuard in(netns);
    fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  } catch (...) {
  }
  sockaddr_in a = loopback(port);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

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

// One TCP client: a connection made inside the container's namespace, bytes both ways.
void serve(int client, const std::filesystem::path& netns, int port) {
  int upstream = connect_inside(netns, SOCK_STREAM, port);
  if (upstream < 0) {
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
    bool udp = m.proto == "udp";
    int fd = ::socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    int one = 1;
    if (!udp) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(m.host_port));
    ::inet_pton(AF_INET, m.host_ip.empty() ? "0.0.0.0" : m.host_ip.c_str(), &a.sin_addr);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || (!udp && ::listen(fd, 1024) != 0)) {
      int err = errno;
      if (fd >= 0) ::close(fd);
      for (const Listener& l : listeners_) ::close(l.fd);
      std::string where = (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" + std::to_string(m.host_port);
      if (err == EADDRINUSE) throw Error("Bind for " + where + " failed: port is already allocated");
      errno = err;
      throw_errno("listen on " + where);
    }
    listeners_.push_back({fd, m.container_port, udp});
  }
}

PortProxy::~PortProxy() {
  stopping_ = true;
  for (const Listener& l : listeners_) ::shutdown(l.fd, SHUT_RDWR);  // wakes accept() and poll()
  for (std::thread& t : threads_) t.join();
  for (const Listener& l : listeners_) ::close(l.fd);
}

void PortProxy::start() {
  for (size_t i = 0; i < listeners_.size(); ++i)
    threads_.emplace_back(listeners_[i].udp ? &PortProxy::udp_loop : &PortProxy::accept_loop, this, i);
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

// UDP has no connections: each client address gets its own socket inside the
// container (so replies can be told apart), and what comes back on it is sent
// to that client from the published port. One thread serves all of them.
void PortProxy::udp_loop(size_t i) {
  using Clock = std::chrono::steady_clock;
  struct Flow {
    int fd;
    sockaddr_in client;
    Clock::time_point last;
  };
  const Listener& listener = listeners_[i];
  std::map<std::pair<uint32_t, uint16_t>, Flow> flows;  // by client address and port
  std::vector<char> datagram(65536);
  while (!stopping_) {
    std::vector<pollfd> ready{{listener.fd, POLLIN, 0}};
    std::vector<Flow*> by_slot{nullptr};
    for (auto& [key, flow] : flows) {
      ready.push_back({flow.fd, POLLIN, 0});
      by_slot.push_back(&flow);
    }
    if (::poll(ready.data(), ready.size(), 1000) < 0 && errno != EINTR) break;
    if (stopping_) break;
    Clock::time_point now = Clock::now();
    for (size_t k = 1; k < ready.size(); ++k) {
      if (!(ready[k].revents & POLLIN)) continue;
      Flow* flow = by_slot[k];
      ssize_t n = ::recv(flow->fd, datagram.data(), datagram.size(), MSG_DONTWAIT);
      if (n < 0) continue;  // e.g. ECONNREFUSED: nothing listens in the container (yet)
      ::sendto(listener.fd, datagram.data(), static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&flow->client),
               sizeof flow->client);
      flow->last = now;
    }
    if (ready[0].revents & POLLIN) {
      sockaddr_in client{};
      socklen_t len = sizeof client;
      ssize_t n = ::recvfrom(listener.fd, datagram.data(), datagram.size(), MSG_DONTWAIT,
                             reinterpret_cast<sockaddr*>(&client), &len);
      if (n >= 0) {
        auto key = std::make_pair(client.sin_addr.s_addr, client.sin_port);
        auto it = flows.find(key);
        if (it == flows.end()) {
          int fd = connect_inside(netns_, SOCK_DGRAM, listener.container_port);
          if (fd >= 0) it = flows.emplace(key, Flow{fd, client, now}).first;
        }
        if (it != flows.end()) {
          ::send(it->second.fd, datagram.data(), static_cast<size_t>(n), MSG_DONTWAIT);
          it->second.last = now;
        }
      }
    }
    for (auto it = flows.begin(); it != flows.end();) {
      if (now - it->second.last < kUdpFlowTimeout) {
        ++it;
        continue;
      }
      ::close(it->second.fd);
      it = flows.erase(it);
    }
  }
  for (auto& [key, flow] : flows) ::close(flow.fd);
}

}  // namespace berth
