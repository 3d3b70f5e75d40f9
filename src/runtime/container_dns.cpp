#include "runtime/container_dns.h"

#include <mutex>

#include "core/ascii_case.h"
#include "core/fs.h"
#include "store/database.h"
#include "store/network_store.h"

namespace berth {
namespace {

// One read connection for the resolver's threads; SQLite's WAL lets it read
// while berth processes write.
class PeerDirectory {
 public:
  PeerDirectory(const std::filesystem::path& db, std::string id) : db_(db), id_(std::move(id)) {}

  // Calls `visit(peer, network name)` for every running container on this one's networks.
  template <typename Visit>
  void each_peer(Visit visit) {
    std::lock_guard<std::mutex> lock(mutex_);
    NetworkStore networks(db_);
    for (const EndpointRecord& mine : networks.endpoints_of(id_)) {
      std::optional<NetworkRecord> n = networks.get(mine.network_id);
      if (!n) continue;
      for (const NetworkStore::Peer& peer : networks.peers_on(n->id)) visit(peer, n->name);
    }
  }

 private:
  std::mutex mutex_;
  Database db_;
  std::string id_;
};

bool answers_to(const NetworkStore::Peer& peer, const std::string& network, const std::string& name) {
  if (ascii_lower(peer.container_name) == name || ascii_lower(peer.container_name + "." + network) == name) return true;
  if (name.size() == 12 && peer.container_id.starts_with(name)) return true;
  for (const std::string& alias : peer.aliases)
    if (ascii_lower(alias) == name) return true;
  return false;
}

}  // namespace

DnsNames container_dns_names(const std::filesystem::path& db, const std::string& id) {
  auto directory = std::make_shared<PeerDirectory>(db, id);
  DnsNames names;
  names.addresses_of = [directory](const std::string& name) {
    std::vector<Ipv4> out;
    directory->each_peer([&](const NetworkStore::Peer& peer, const std::string& network) {
      if (!answers_to(peer, network, name)) return;
      Ipv4 ip = Ipv4::parse(peer.ip);
      if (std::find(out.begin(), out.end(), ip) == out.end()) out.push_back(ip);
    });
    return out;
  };
  names.name_of = [directory](Ipv4 address) {
    std::optional<std::string> out;
    directory->each_peer([&](const NetworkStore::Peer& peer, const std::string& network) {
      if (!out && peer.ip == address.str()) out = peer.container_name + "." + network;
    });
    return out;
  };
  return names;
}

std::unique_ptr<DnsResolver> make_container_resolver(const std::filesystem::path& db, const std::string& id,
                                                     const std::filesystem::path& netns, const DnsSettings& dns) {
  std::error_code ec;
  std::string host = std::filesystem::exists("/etc/resolv.conf", ec) ? read_file("/etc/resolv.conf") : "";
  return std::make_unique<DnsResolver>(netns, container_dns_names(db, id),
                                       upstream_servers(ResolvConf::parse(host), dns));
}

}  // namespace berth
