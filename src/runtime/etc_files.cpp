#include "runtime/etc_files.h"

#include "core/fs.h"

namespace berth {
namespace {

std::string read_host_file(const char* path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec) ? read_file(path) : "";
}

std::string hosts_file(const EtcSettings& s) {
  std::string hosts = s.host_network    ? read_host_file("/etc/hosts")
                      : s.minimal_hosts ? "127.0.0.1\tlocalhost\n::1\tlocalhost\n"
                                        : "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                                          "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
                                          "ff02::2\tip6-allrouters\n";
  if (!hosts.empty() && hosts.back() != '\n') hosts += "\n";
  for (const auto& [name, address] : s.extra_hosts) hosts += address + "\t" + name + "\n";
  if (!s.host_network && !s.minimal_hosts) hosts += (s.address.empty() ? "127.0.0.1" : s.address) + "\t" + s.hostname + "\n";
  return hosts;
}

}  // namespace

EtcFiles write_etc_files(const std::filesystem::path& dir, const EtcSettings& s) {
  EtcFiles files{dir / "hostname", dir / "hosts", dir / "resolv.conf"};
  write_file_atomic(files.hostname, s.hostname + "\n", 0644, Flush::when_full);
  write_file_atomic(files.hosts, hosts_file(s), 0644, Flush::when_full);
  std::string host_resolv = read_host_file("/etc/resolv.conf");
  std::string resolv = s.host_network ? host_resolv
                                      : container_resolv_conf(ResolvConf::parse(host_resolv), s.dns, s.embedded_dns).render();
  write_file_atomic(files.resolv_conf, resolv, 0644, Flush::when_full);
  return files;
}

}  // namespace berth
