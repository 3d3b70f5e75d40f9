// The resolv.conf a container gets, by Docker's rules: on the host's network
// the host's file; on the default bridge the host's nameservers except the
// loopback ones (they are the host's own, unreachable from the container);
// on a user-defined network the embedded resolver at 127.0.0.11, which
// forwards what it does not know to the host's (or --dns) servers. --dns,
// --dns-search and --dns-option replace the host's lines of their kind.
#pragma once

#include <string>
#include <vector>

namespace berth {

inline constexpr const char* kEmbeddedResolver = "127.0.0.11";

struct ResolvConf {
  std::vector<std::string> nameservers, search, options;

  static ResolvConf parse(const std::string& text);
  std::string render() const;
};

struct DnsSettings {
  std::vector<std::string> servers, search, options;  // --dns, --dns-search, --dns-option
};

// `embedded`: the container's network has berth's resolver.
ResolvConf container_resolv_conf(const ResolvConf& host, const DnsSettings& settings, bool embedded);

// The servers the embedded resolver forwards to: --dns, else the host's.
std::vector<std::string> upstream_servers(const ResolvConf& host, const DnsSettings& settings);

}  // namespace berth
