#include "runtime/etc_files.h"

#include "core/fs.h"

namespace berth {

EtcFiles write_etc_files(const std::filesystem::path& dir, const std::string& hostname, bool host_network,
                         bool minimal_hosts) {
  EtcFiles files{dir / "hostname", dir / "hosts", dir / "resolv.conf"};
  write_file_atomic(files.hostname, hostname + "\n", 0644);
  std::string hosts = host_network    ? read_file("/etc/hosts")
                      : minimal_hosts ? "127.0.0.1\tlocalhost\n::1\tlocalhost\n"
                                      : "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                                        "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
                                        "ff02::2\tip6-allrouters\n127.0.0.1\t" + hostname + "\n";
  write_file_atomic(files.hosts, hosts, 0644);
  std::error_code ec;
  write_file_atomic(files.resolv_conf,
                    std::filesystem::exists("/etc/resolv.conf", ec) ? read_file("/etc/resolv.conf") : "", 0644);
  return files;
}

}  // namespace berth
