#include "registry/registry_endpoint.h"

#include <arpa/inet.h>

#include <cstdint>

#include "core/number.h"

namespace berth {
namespace {

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr a;
  return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

// An IPv4 `host` in "a.b.c.d/bits"; false for anything that is not that.
bool in_cidr(const std::string& host, const std::string& cidr) {
  size_t slash = cidr.find('/');
  in_addr a, net;
  if (::inet_pton(AF_INET, host.c_str(), &a) != 1 || ::inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &net) != 1)
    return false;
  std::optional<int64_t> bits = try_parse_int(std::string_view(cidr).substr(slash + 1));
  if (!bits || *bits < 0 || *bits > 32) return false;
  uint32_t mask = *bits == 0 ? 0 : ~uint32_t{0} << (32 - *bits);
  return (ntohl(a.s_addr) & mask) == (ntohl(net.s_addr) & mask);
}

std::string host_part(const std::string& domain) {
  if (domain.starts_with("[")) return domain.substr(0, domain.find(']') + 1);
  return domain.substr(0, domain.find(':'));
}

}  // namespace

RegistryEndpoint endpoint_for(const std::string& domain, const std::vector<std::string>& insecure) {
  RegistryEndpoint e{domain, domain, domain, false};
  if (domain == "docker.io" || domain == "index.docker.io") {
    e.api_host = "registry-1.docker.io";
    e.creds_key = "https://index.docker.io/v1/";
  }
  std::string host = host_part(domain);
  e.insecure = is_loopback(host);
  for (const std::string& entry : insecure)
    if (entry == domain || entry == host || (entry.find('/') != std::string::npos && in_cidr(host, entry)))
      e.insecure = true;
  return e;
}

std::vector<SchemeChoice> schemes_to_try(const RegistryEndpoint& endpoint) {
  if (!endpoint.insecure) return {{"https", true}};
  return {{"https", false}, {"http", true}};
}

}  // namespace berth
