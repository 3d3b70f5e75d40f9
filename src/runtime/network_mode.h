// HostConfig.NetworkMode read once: a namespace of the container's own
// ("default", "bridge", "none" or a network's name — the endpoints say which
// networks), the host's ("host"), or another container's ("container:ID").
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace berth {

struct NetworkMode {
  enum class Kind { own, host, container } kind = Kind::own;
  std::string container_id;  // Kind::container: whose namespace
};

NetworkMode network_mode(const ContainerRecord& c);

// The namespace file the container's processes join; empty: the host's.
std::filesystem::path network_namespace_of(const Store& store, const ContainerRecord& c);

// The networks a container is on, as inspect's NetworkSettings.Networks and
// ps's NETWORKS column name them: its endpoints' networks, or `none` or
// `host` (no endpoint); none at all in another container's namespace.
struct ContainerNetwork {
  NetworkRecord network;
  std::optional<EndpointRecord> endpoint;
};
std::vector<ContainerNetwork> container_networks(Store& store, const ContainerRecord& c);

}  // namespace berth
