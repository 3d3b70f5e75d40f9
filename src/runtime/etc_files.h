// The /etc/hostname, /etc/hosts and /etc/resolv.conf a container or a build
// step gets, written beside its bundle and bind-mounted over the image's, as
// Docker does: with its own network namespace, a hosts file of its own; on
// the host's network, the host's files.
#pragma once

#include <filesystem>
#include <string>

namespace berth {

struct EtcFiles {
  std::filesystem::path hostname, hosts, resolv_conf;
};

// Writes the three files into `dir` and returns their paths. `minimal_hosts`
// gives just the loopback names (a build step with no network).
EtcFiles write_etc_files(const std::filesystem::path& dir, const std::string& hostname, bool host_network,
                         bool minimal_hosts = false);

}  // namespace berth
