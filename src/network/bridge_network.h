// A bridge network as the kernel holds it: a Linux bridge with the gateway's
// address, IP forwarding on, and its rules in berth's chains (network/firewall.h).
// The store's record says what it should be; ensure_bridge makes the kernel
// agree (a reboot loses the bridge, the record stays), remove_bridge undoes it.
#pragma once

#include <string>
#include <vector>

#include "network/ipam.h"
#include "store/store.h"

namespace berth {

// Docker's option keys that berth reads.
inline constexpr const char* kBridgeNameOption = "com.docker.network.bridge.name";

struct BridgeNetwork {
  std::string id, name;
  std::string bridge;  // the Linux interface: berth0, br-<12 hex of the ID>, or -o com.docker.network.bridge.name
  AddressPlan addresses;
  bool internal = false;
};

bool is_bridge_network(const NetworkRecord& n);
// The record's settings; throws Error when the record is not a bridge network.
BridgeNetwork bridge_network(const NetworkRecord& n);

// Makes the bridge when it is missing (a new network, or after a reboot) and
// then rewrites the firewall for every bridge network of the store; a bridge
// that is there is left as it is (a container start pays nothing more). Call it inside a write transaction: it reads the
// networks as the transaction sees them, and two processes never interleave.
void ensure_bridge(Store& store, const BridgeNetwork& network);
// Rewrites the firewall for the store's bridge networks (one was removed).
void sync_network_firewall(Store& store);
// Rewrites the firewall when any of the store's bridges is up: a command killed
// between making a bridge and writing its rules leaves a bridge without them,
// and ensure_bridge writes rules only when it makes the bridge. A host where no
// bridge was ever made gets no chains. Returns whether it rewrote them.
bool repair_network_firewall(Store& store);
// Deletes the Linux bridge; a missing one is no error.
void remove_bridge(const BridgeNetwork& network);

}  // namespace berth
