// The network operations a front end calls (`network create`, `ls`,
// `inspect`, `rm`, `prune`), with Docker's rules: names are unique, the
// predefined networks cannot be removed, a network with containers attached
// cannot be removed, only the bridge driver makes new networks. Each is all
// or nothing: a network whose bridge or rules could not be made is not recorded.
#pragma once

#include <string>
#include <vector>

#include "network/network_catalog.h"
#include "store/store.h"

namespace berth {

struct NetworkCreateOptions {
  std::string driver = "bridge";
  BridgeNetworkRequest bridge;
};

// Returns the new network's record.
NetworkRecord create_network(Store& store, const NetworkCreateOptions& options);

// Every network, the predefined ones included, by name; with `filters`
// (KEY=VALUE: driver, id prefix, label, name substring, scope, type
// custom|builtin, dangling) those that match. Throws for an unknown key.
std::vector<NetworkRecord> list_networks(Store& store, const std::vector<std::string>& filters = {});

// A name, full ID or unique ID prefix; throws "network X not found".
NetworkRecord find_network(Store& store, const std::string& ref);

// Docker's `network inspect` object.
Json inspect_network(Store& store, const NetworkRecord& network);

// Throws conflict when containers are attached or the network is predefined.
void remove_network(Store& store, const std::string& ref);

// Removes every user-defined network no container is attached to; returns their names.
std::vector<std::string> prune_networks(Store& store);

// `network connect`: a running container is wired in at once (a new ethN).
void connect_network(Store& store, const std::string& network_ref, const std::string& container_ref,
                     const std::vector<std::string>& aliases, const std::string& ip);
// `network disconnect`: a running container loses that interface at once.
void disconnect_network(Store& store, const std::string& network_ref, const std::string& container_ref);

}  // namespace berth
