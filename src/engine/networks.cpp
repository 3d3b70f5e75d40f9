#include "engine/networks.h"


#include "core/error.h"
#include "core/fs.h"
#include "engine/filter_spec.h"
#include "core/timestamp.h"
#include "network/bridge_network.h"
#include "network/ipam.h"
#include "network/route_netlink.h"
#include "runtime/container_lifecycle.h"
#include "runtime/container_network.h"
#include "runtime/container_paths.h"
#include "runtime/network_mode.h"
#include "store/event_log.h"

namespace berth {
namespace {

// Docker's filters: driver, id (prefix), label (KEY or KEY=VALUE), name
// (substring), scope, type (custom | builtin), dangling.
bool matches(Store& store, const NetworkRecord& n, const std::vector<std::string>& filters) {
  FilterSpec spec(filters, {"driver", "id", "label", "name", "scope", "type", "dangling"});
  bool builtin = n.name == "bridge" || n.name == "host" || n.name == "none";
  const Json labels = n.config.value("Labels", Json::object());
  auto test = [&](const std::string& key, const std::string& v) {
    if (key == "driver") return n.driver == v;
    if (key == "id") return n.id.starts_with(v);
    if (key == "name") return n.name.find(v) != std::string::npos;
    if (key == "scope") return v == "local";
    if (key == "type") return v == (builtin ? "builtin" : "custom");
    if (key == "dangling") return (v == "true" || v == "1") == (!builtin && store.networks().endpoints_on(n.id).empty());
    size_t eq = v.find('=');
    std::string k = v.substr(0, eq);
    return labels.contains(k) && (eq == std::string::npos || labels[k] == v.substr(eq + 1));
  };
  return spec.matches(test);
}

bool predefined(const NetworkRecord& n) { return n.name == kDefaultBridgeNetwork || n.name == "host" || n.name == "none"; }

// Deletes the record and, once that is committed, the bridge (records before files, invariant 3).
void delete_network(Store& store, const NetworkRecord& n) {
  Transaction tx(store.db());
  if (!store.networks().endpoints_on(n.id).empty())
    throw conflict("error while removing network: network " + n.name + " id " + n.id + " has active endpoints");
  store.networks().remove(n.id);
  if (is_bridge_network(n)) sync_network_firewall(store);
  tx.commit();
  if (is_bridge_network(n)) remove_bridge(bridge_network(n));
  record_event(store.root(), "network", "destroy", n.id, Json{{"name", n.name}, {"type", n.driver}});
}

}  // namespace

NetworkRecord create_network(Store& store, const NetworkCreateOptions& options) {
  ensure_default_networks(store);
  if (options.driver == "host" || options.driver == "null")
    throw Error("only one instance of \"" + options.driver + "\" network is allowed", ErrorKind::permission);
  if (options.driver != "bridge") throw not_found("plugin \"" + options.driver + "\" not found");
  Transaction tx(store.db());
  NetworkRecord n = new_bridge_network(store, options.bridge);
  store.networks().add(n);
  BridgeNetwork bridge = bridge_network(n);
  try {
    ensure_bridge(store, bridge);
    tx.commit();
  } catch (...) {
    remove_bridge(bridge);  // the rules follow the rollback at the next sync; the bridge goes now
    throw;
  }
  record_event(store.root(), "network", "create", n.id, Json{{"name", n.name}, {"type", n.driver}});
  return n;
}

std::vector<NetworkRecord> list_networks(Store& store, const std::vector<std::string>& filters) {
  ensure_default_networks(store);
  std::vector<NetworkRecord> out;
  for (NetworkRecord& n : store.networks().all())
    if (matches(store, n, filters)) out.push_back(std::move(n));
  return out;
}

NetworkRecord find_network(Store& store, const std::string& ref) {
  ensure_default_networks(store);
  return store.networks().find(ref);
}

Json inspect_network(Store& store, const NetworkRecord& n) {
  Json containers = Json::object();
  for (const EndpointRecord& e : store.networks().endpoints_on(n.id)) {
    if (e.ip.empty()) continue;  // Docker lists the endpoints of running containers
    std::optional<ContainerRecord> c = store.containers().get(e.container_id);
    std::string prefix = is_bridge_network(n) ? "/" + std::to_string(bridge_network(n).addresses.subnet.prefix) : "";
    containers[e.container_id] = {{"Name", c ? c->name : ""},
                                  {"EndpointID", e.endpoint_id},
                                  {"MacAddress", e.mac},
                                  {"IPv4Address", e.ip + prefix},
                                  {"IPv6Address", ""}};
  }
  const Json& c = n.config;
  return {{"Name", n.name},
          {"Id", n.id},
          {"Created", rfc3339_nano(n.created)},
          {"Scope", "local"},
          {"Driver", n.driver},
          {"EnableIPv6", c.value("EnableIPv6", false)},
          {"IPAM", c.value("IPAM", Json::object())},
          {"Internal", c.value("Internal", false)},
          {"Attachable", c.value("Attachable", false)},
          {"Ingress", false},
          {"ConfigFrom", {{"Network", ""}}},
          {"ConfigOnly", false},
          {"Containers", containers},
          {"Options", c.value("Options", Json::object())},
          {"Labels", c.value("Labels", Json::object())}};
}

void remove_network(Store& store, const std::string& ref) {
  NetworkRecord n = find_network(store, ref);
  if (predefined(n))
    throw Error(n.name + " is a pre-defined network and cannot be removed", ErrorKind::permission);
  delete_network(store, n);
}

std::vector<std::string> prune_networks(Store& store) {
  std::vector<std::string> removed;
  for (const NetworkRecord& n : list_networks(store)) {
    if (predefined(n) || !store.networks().endpoints_on(n.id).empty()) continue;
    try {
      delete_network(store, n);
      removed.push_back(n.name);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict) throw;  // a container was attached meanwhile: it stays
    }
  }
  return removed;
}

void connect_network(Store& store, const std::string& network_ref, const std::string& container_ref,
                     const std::vector<std::string>& aliases, const std::string& ip) {
  NetworkRecord n = find_network(store, network_ref);
  ContainerRecord c = refresh_container(store, store.containers().find(container_ref));
  if (!is_bridge_network(n))
    throw Error("container cannot be disconnected from host network or connected to host network", ErrorKind::permission);
  if (network_mode(c).kind != NetworkMode::Kind::own || c.config["HostConfig"].value("NetworkMode", "") == "none")
    throw Error("container sharing network namespace with another container or host cannot be connected to any other network",
                ErrorKind::permission);
  if (n.name == kDefaultBridgeNetwork && (!aliases.empty() || !ip.empty()))
    throw invalid_argument("network-scoped alias is supported only for containers in user defined networks");
  if (!ip.empty()) check_requested_address(bridge_network(n).addresses, Ipv4::parse(ip));
  EndpointRecord e;
  e.network_id = n.id;
  e.container_id = c.id;
  e.endpoint_id = random_hex(64);
  e.aliases = aliases;
  e.requested_ip = ip;
  {
    Transaction tx(store.db());
    for (const EndpointRecord& have : store.networks().endpoints_of(c.id))
      if (have.network_id == n.id) throw conflict("endpoint with name " + c.name + " already exists in network " + n.name);
    store.networks().add_endpoint(e);
    tx.commit();
  }
  record_event(store.root(), "network", "connect", n.id, Json{{"container", c.id}, {"name", n.name}, {"type", n.driver}});
  if (c.state != "running") return;
  try {
    int index = static_cast<int>(store.networks().endpoints_of(c.id).size()) - 1;
    attach_endpoint(store, c, e, ContainerPaths(store, c.id).netns(), index);
  } catch (...) {
    RouteNetlink().delete_link(host_veth_name(e));
    store.networks().remove_endpoint(n.id, c.id);
    throw;
  }
}

void disconnect_network(Store& store, const std::string& network_ref, const std::string& container_ref) {
  NetworkRecord n = find_network(store, network_ref);
  ContainerRecord c = store.containers().find(container_ref);
  for (const EndpointRecord& e : store.networks().endpoints_of(c.id)) {
    if (e.network_id != n.id) continue;
    RouteNetlink().delete_link(host_veth_name(e));  // takes the container's end with it
    store.networks().remove_endpoint(n.id, c.id);
    record_event(store.root(), "network", "disconnect", n.id,
                 Json{{"container", c.id}, {"name", n.name}, {"type", n.driver}});
    return;
  }
  throw Error("container " + c.id + " is not connected to network " + n.name, ErrorKind::permission);
}

}  // namespace berth
