// The store's networks as Docker has them: the three predefined ones
// (`bridge`, `host`, `none`) that exist from the first command, and the
// record a new bridge network gets — its ID, its subnet from the default
// pools when none is given, its bridge name — checked against every
// network and host route it must not overlap.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

inline constexpr const char* kDefaultBridgeNetwork = "bridge";

// Adds bridge, host and none when the store has no `bridge` yet. The default
// bridge's interface is berth0, or $BERTH_DEFAULT_BRIDGE when the store is new.
void ensure_default_networks(Store& store);

struct BridgeNetworkRequest {
  std::string name;
  std::string subnet, gateway, ip_range;  // "" = chosen
  bool internal = false;
  Json labels = Json::object();   // --label
  Json options = Json::object();  // -o, Docker's com.docker.network.* keys
};

// The record of a new bridge network, checked (name free, subnet free on the
// host and in the store, gateway and range inside it); not yet added.
// Call it inside the write transaction that adds it.
NetworkRecord new_bridge_network(Store& store, const BridgeNetworkRequest& request);

}  // namespace berth
