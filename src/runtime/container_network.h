// A container's place on its networks while it runs: for each endpoint an
// address leased in the store, a veth pair (vethXXXXXXX on the bridge, ethN
// in the container's namespace, made there directly), the address and, on
// the first network, the default route via its gateway. Detaching undoes
// it: the host ends go (each takes its peer), the leases are released.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "network/bridge_network.h"
#include "store/store.h"

namespace berth {

struct AttachedEndpoint {
  NetworkRecord network;
  BridgeNetwork bridge;
  EndpointRecord endpoint;  // with its leased ip and mac
};

// Leases and wires every endpoint of `c` into the namespace pinned at
// `netns`; what was done is undone when one fails.
std::vector<AttachedEndpoint> attach_container_networks(Store& store, const ContainerRecord& c,
                                                        const std::filesystem::path& netns);

// One endpoint (the container runs: `network connect`). `index` is its place
// among the container's endpoints; 0 gives the default route.
AttachedEndpoint attach_endpoint(Store& store, const ContainerRecord& c, const EndpointRecord& e,
                                 const std::filesystem::path& netns, int index);

// Removes the host ends of its veths and releases its leases; quiet and idempotent.
void detach_container_networks(Store& store, const std::string& container_id);

// The host end of an endpoint's veth: "veth" and 7 hex digits of the endpoint ID, as Docker's.
std::string host_veth_name(const EndpointRecord& e);

}  // namespace berth
