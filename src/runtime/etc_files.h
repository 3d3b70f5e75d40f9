// The /etc/hostname, /etc/hosts and /etc/resolv.conf a container or a build
// step gets, written beside its bundle and bind-mounted over the image's, as
// Docker does: with its own network namespace, a hosts file of its own (its
// address and hostname, --add-host lines) and a resolv.conf by Docker's rules
// (network/resolv_conf.h); on the host's network, the host's files.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "network/resolv_conf.h"

namespace berth {

struct EtcFiles {
  std::filesystem::path hostname, hosts, resolv_conf;
};

struct EtcSettings {
  std::string hostname;
  bool host_network = false;
  bool minimal_hosts = false;  // just the loopback names (a build step with no network)
  std::string address;         // the container's address on its first network; "" = none
  std::vector<std::pair<std::string, std::string>> extra_hosts;  // --add-host: name, address
  DnsSettings dns;
  bool embedded_dns = false;  // the network has berth's resolver at 127.0.0.11
};

// Writes the three files into `dir` and returns their paths.
EtcFiles write_etc_files(const std::filesystem::path& dir, const EtcSettings& settings);

}  // namespace berth
