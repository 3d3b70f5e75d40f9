// Network records: Docker's network objects (bridge, host, none and the
// user's own) and the endpoints that attach containers to them. An endpoint
// is made with its container (create, network connect) and lives as long as
// the attachment; its address is leased only while the container runs, so a
// UNIQUE(network, address) constraint is what keeps two berth processes
// starting containers at once from handing out one address twice
// (docs/containers.md, "Networks").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/image_config.h"
#include "store/database.h"

namespace berth {

struct NetworkRecord {
  std::string id;      // 64 hex digits
  std::string name;
  std::string driver;  // bridge | host | null
  int64_t created = 0;  // unix nanos
  // Docker's shape: {"IPAM": {"Config": [{"Subnet", "Gateway", "IPRange"}]},
  // "Internal", "Options", "Labels"}; "Subnet" empty for host and null.
  Json config = Json::object();
};

struct EndpointRecord {
  std::string network_id, container_id;
  std::string endpoint_id;  // 64 hex digits, Docker's EndpointID
  std::vector<std::string> aliases;  // --network-alias / connect --alias
  std::string requested_ip;          // --ip / connect --ip; "" = any
  std::string ip, mac;               // leased while the container runs; "" otherwise
  int64_t attached = 0;              // order of attachment (the first gives the default route)
};

class NetworkStore {
 public:
  explicit NetworkStore(Database& db) : db_(db) {}

  // Throws Docker's conflict "network with name X already exists".
  void add(const NetworkRecord& n);
  std::vector<NetworkRecord> all();  // by name
  std::optional<NetworkRecord> get(const std::string& id);
  // A name, a full ID or a unique ID prefix; throws "network X not found".
  NetworkRecord find(const std::string& ref);
  // Deletes the record; its endpoints must be gone already.
  void remove(const std::string& id);

  // Throws conflict "endpoint with name C already exists in network N".
  void add_endpoint(const EndpointRecord& e);
  void remove_endpoint(const std::string& network_id, const std::string& container_id);
  std::vector<EndpointRecord> endpoints_of(const std::string& container_id);  // in order of attachment
  std::vector<EndpointRecord> endpoints_on(const std::string& network_id);
  // Records the address a starting container got; false when another
  // endpoint of the network holds it (the caller picks another).
  bool lease(const std::string& network_id, const std::string& container_id, const std::string& ip,
             const std::string& mac);
  void release_leases(const std::string& container_id);
  // Every address leased on the network, for picking a free one.
  std::vector<std::string> leased_addresses(const std::string& network_id);

  // The running containers of a network as its name resolver sees them.
  struct Peer {
    std::string container_id, container_name, ip;
    std::vector<std::string> aliases;
  };
  std::vector<Peer> peers_on(const std::string& network_id);

 private:
  Database& db_;
};

}  // namespace berth
