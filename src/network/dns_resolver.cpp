#include "network/dns_resolver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "network/dns_message.h"
#include "network/network_namespace.h"
#include "network/resolv_conf.h"

namespace berth {
namespace {

constexpr int kUpstreamTimeoutMs = 2000;
constexpr size_t kMaxMessage = 65535;

sockaddr_in address_of(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(Ipv4::parse(ip).value);
  return a;
}

bool wait_readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

bool read_exact(int fd, uint8_t* data, size_t size) {
  while (size > 0) {
    if (!wait_readable(fd, kUpstreamTimeoutMs)) return false;
    ssize_t n = ::recv(fd, data, size, 0);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool write_all(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// A DNS message over TCP: two bytes of length, then the message.
std::vector<uint8_t> read_tcp_message(int fd) {
  uint8_t len[2];
  if (!read_exact(fd, len, 2)) return {};
  std::vector<uint8_t> m(static_cast<size_t>(len[0] << 8 | len[1]));
  if (m.empty() || !read_exact(fd, m.data(), m.size())) return {};
  return m;
}

bool write_tcp_message(int fd, const std::vector<uint8_t>& m) {
  uint8_t len[2] = {static_cast<uint8_t>(m.size() >> 8), static_cast<uint8_t>(m.size())};
  return write_all(fd, len, 2) && write_all(fd, m.data(), m.size());
}

// Asks one upstream server, over the transport the client used (a UDP answer
// that was truncated makes the client retry over TCP, and so do we).
std::vector<uint8_t> ask_upstream(const std::string& server, const std::vector<uint8_t>& query, bool tcp) {
  if (!Ipv4::try_parse(server)) return {};  // an IPv6 server: not reachable from here
  UniqueFd fd(::socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0));
  sockaddr_in to = address_of(server, 53);
  if (fd.get() < 0 || ::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) return {};
  if (tcp) {
    if (!write_tcp_message(fd.get(), query)) return {};
    return read_tcp_message(fd.get());
  }
  if (::send(fd.get(), query.data(), query.size(), 0) < 0 || !wait_readable(fd.get(), kUpstreamTimeoutMs)) return {};
  std::vector<uint8_t> reply(kMaxMessage);
  ssize_t n = ::recv(fd.get(), reply.data(), reply.size(), 0);
  if (n < 12 || reply[0] != query[0] || reply[1] != query[1]) return {};
  reply.resize(static_cast<size_t>(n));
  return reply;
}

}  // namespace

std::vector<uint8_t> resolve_dns_query(const std::vector<uint8_t>& query, const DnsNames& names,
                                       const std::vector<std::string>& upstream, bool tcp) {
  std::optional<DnsQuestion> q = parse_dns_query(query);
  if (q && q->klass == dns::kClassIn) {
    if (q->type == dns::kTypePtr) {
      if (std::optional<Ipv4> ip = reverse_lookup_address(q->name))
        if (std::optional<std::string> name = names.name_of(*ip)) return dns_answer(query, *q, dns::kNoError, {}, *name);
    } else if (std::vector<Ipv4> found = names.addresses_of(q->name); !found.empty()) {
      // A name of ours: its IPv4 addresses; for any other type no records, as Docker answers AAAA.
      return dns_answer(query, *q, dns::kNoError, q->type == dns::kTypeA ? found : std::vector<Ipv4>{});
    }
  }
  for (const std::string& server : upstream)
    if (std::vector<uint8_t> reply = ask_upstream(server, query, tcp); !reply.empty()) return reply;
  return q ? dns_answer(query, *q, dns::kServerFailure, {}) : std::vector<uint8_t>{};
}

DnsResolver::DnsResolver(const std::filesystem::path& netns, DnsNames names, std::vector<std::string> upstream)
    : names_(std::move(names)), upstream_(std::move(upstream)) {
  NetworkNamespaceGuard inside(netns);  // the sockets belong to the container's namespace
  sockaddr_in a = address_of(kEmbeddedResolver, 53);
  udp_ = UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  tcp_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (udp_.get() < 0 || tcp_.get() < 0 || ::bind(udp_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::bind(tcp_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(tcp_.get(), 64) != 0)
    throw_errno("listen on the container's DNS address 127.0.0.11:53");
}

DnsResolver::~DnsResolver() {
  stopping_ = true;
  ::shutdown(udp_.get(), SHUT_RDWR);  // wakes recvfrom() and accept()
  ::shutdown(tcp_.get(), SHUT_RDWR);
  for (std::thread& t : threads_) t.join();
}

void DnsResolver::start() {
  threads_.emplace_back(&DnsResolver::serve_udp, this);
  threads_.emplace_back(&DnsResolver::serve_tcp, this);
}

void DnsResolver::serve_udp() {
  std::vector<uint8_t> buf(kMaxMessage);
  while (!stopping_) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    ssize_t n = ::recvfrom(udp_.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      if (stopping_ || n == 0) break;
      continue;
    }
    std::vector<uint8_t> query(buf.begin(), buf.begin() + n);
    std::vector<uint8_t> reply = resolve_dns_query(query, names_, upstream_, /*tcp=*/false);
    if (!reply.empty()) ::sendto(udp_.get(), reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
  }
}

void DnsResolver::serve_tcp() {
  while (!stopping_) {
    int client = ::accept4(tcp_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;
    }
    UniqueFd owned(client);
    // One connection at a time: a client sends its query and waits (glibc, busybox, dig +tcp).
    for (std::vector<uint8_t> query; !(query = read_tcp_message(client)).empty();) {
      std::vector<uint8_t> reply = resolve_dns_query(query, names_, upstream_, /*tcp=*/true);
      if (reply.empty() || !write_tcp_message(client, reply)) break;
    }
  }
}

}  // namespace berth
