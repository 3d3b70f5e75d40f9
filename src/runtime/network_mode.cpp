#include "runtime/network_mode.h"

#include "core/error.h"
#include "runtime/container_paths.h"

namespace berth {

NetworkMode network_mode(const ContainerRecord& c) {
  std::string mode = c.config["HostConfig"].value("NetworkMode", "default");
  if (mode == "host") return NetworkMode{NetworkMode::Kind::host, ""};
  if (mode.starts_with("container:")) return NetworkMode{NetworkMode::Kind::container, mode.substr(10)};
  return NetworkMode{};
}

std::filesystem::path network_namespace_of(const Store& store, const ContainerRecord& c) {
  NetworkMode mode = network_mode(c);
  switch (mode.kind) {
    case NetworkMode::Kind::host: return {};
    case NetworkMode::Kind::container: return ContainerPaths(store, mode.container_id).netns();
    case NetworkMode::Kind::own: break;
  }
  return ContainerPaths(store, c.id).netns();
}

std::vector<ContainerNetwork> container_networks(Store& store, const ContainerRecord& c) {
  std::vector<ContainerNetwork> out;
  NetworkMode mode = network_mode(c);
  if (mode.kind == NetworkMode::Kind::container) return out;
  std::string name = c.config["HostConfig"].value("NetworkMode", "default");
  if (name == "host" || name == "none") {
    try {
      out.push_back(ContainerNetwork{store.networks().find(name), std::nullopt});
    } catch (const Error&) {
      // A store made before networks were: nothing to show.
    }
    return out;
  }
  for (const EndpointRecord& e : store.networks().endpoints_of(c.id))
    if (std::optional<NetworkRecord> n = store.networks().get(e.network_id)) out.push_back(ContainerNetwork{*n, e});
  return out;
}

}  // namespace berth
