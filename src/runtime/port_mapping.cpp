#include "runtime/port_mapping.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>

#include "core/error.h"
#include "core/number.h"

namespace berth {
namespace {

int port_number(const std::string& s, const std::string& spec, bool zero_ok) {
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < (zero_ok ? 0 : 1) || v > 65535)
    throw Error("invalid port specification: \"" + spec + "\"");
  return v;
}

}  // namespace

PortMapping parse_port_mapping(const std::string& spec) {
  PortMapping m;
  std::string rest = spec;
  if (size_t slash = rest.rfind('/'); slash != std::string::npos) {
    m.proto = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (m.proto != "tcp" && m.proto != "udp")
      throw Error("invalid port specification: \"" + spec + "\" (only tcp and udp can be published)");
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t colon = rest.find(':', start);
    parts.push_back(rest.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() > 3) throw Error("invalid port specification: \"" + spec + "\"");
  m.container_port = port_number(parts.back(), spec, false);
  if (parts.size() >= 2 && !parts[parts.size() - 2].empty())
    m.host_port = port_number(parts[parts.size() - 2], spec, true);
  if (parts.size() == 3) {
    m.host_ip = parts[0];
    in_addr a;
    if (!m.host_ip.empty() && ::inet_pton(AF_INET, m.host_ip.c_str(), &a) != 1)
      throw Error("invalid IP address in port specification: \"" + spec + "\"");
  }
  return m;
}

void choose_host_port(PortMapping* m) {
  if (m->host_port != 0) return;
  int s = ::socket(AF_INET, (m->proto == "udp" ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  socklen_t len = sizeof a;
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (s >= 0) ::close(s);
    throw_errno("choose a free port");
  }
  m->host_port = ntohs(a.sin_port);
  ::close(s);
}

void add_port_binding(Json* bindings, const PortMapping& m) {
  std::string key = std::to_string(m.container_port) + "/" + m.proto;
  (*bindings)[key].push_back({{"HostIp", m.host_ip}, {"HostPort", std::to_string(m.host_port)}});
}

std::vector<PortMapping> port_mappings(const Json& bindings) {
  std::vector<PortMapping> out;
  if (!bindings.is_object()) return out;
  for (const auto& [key, list] : bindings.items()) {
    PortMapping base = parse_port_mapping(key);
    for (const Json& b : list) {
      PortMapping m = base;
      m.host_ip = b.value("HostIp", "");
      std::string host_port = b.value("HostPort", "");
      m.host_port = host_port.empty() ? 0 : static_cast<int>(parse_int(host_port, "HostPort", 0, 65535));
      out.push_back(m);
    }
  }
  return out;
}

}  // namespace berth
