#include "runtime/container_network.h"

#include <fcntl.h>

#include "core/error.h"
#include "core/fs.h"
#include "network/ipam.h"
#include "network/network_namespace.h"
#include "network/route_netlink.h"

namespace berth {
namespace {

// The lowest free address (or the one asked for), recorded in one write
// transaction: two berth processes starting containers never get the same.
EndpointRecord lease_address(Store& store, const ContainerRecord& c, EndpointRecord e, const BridgeNetwork& b,
                             bool first) {
  Transaction tx(store.db());
  ensure_bridge(store, b);
  std::vector<Ipv4> leased;
  for (const std::string& ip : store.networks().leased_addresses(b.id))
    if (std::optional<Ipv4> v = Ipv4::try_parse(ip)) leased.push_back(*v);
  Ipv4 ip;
  if (!e.requested_ip.empty()) {
    ip = Ipv4::parse(e.requested_ip);
    check_requested_address(b.addresses, ip);
  } else {
    std::optional<Ipv4> free = pick_address(b.addresses, leased);
    if (!free) throw Error("no available addresses on this pool", ErrorKind::unavailable);
    ip = *free;
  }
  std::string mac = c.config["Config"].value("MacAddress", "");
  if (!first || mac.empty()) mac = mac_for(ip);
  if (!store.networks().lease(b.id, c.id, ip.str(), mac)) throw conflict("Address already in use: " + ip.str());
  tx.commit();
  e.ip = ip.str();
  e.mac = mac;
  return e;
}

// The first ethN the container does not have: a disconnect may have left a gap
// below the count of its endpoints.
std::string free_interface_name(const std::filesystem::path& netns) {
  NetworkNamespaceGuard in_container(netns);
  RouteNetlink container;
  for (int n = 0;; ++n)
    if (container.link_index("eth" + std::to_string(n)) == 0) return "eth" + std::to_string(n);
}

void wire_endpoint(const AttachedEndpoint& a, const std::filesystem::path& netns, int index) {
  const std::string host_end = host_veth_name(a.endpoint), inside = free_interface_name(netns);
  RouteNetlink host;
  host.delete_link(host_end);  // left by a monitor that was killed
  UniqueFd ns = open_or_throw(netns, O_RDONLY | O_CLOEXEC);
  host.create_veth(host_end, inside, ns.get(), a.endpoint.mac);
  int host_index = host.link_index(host_end);
  host.set_master(host_index, host.link_index(a.bridge.bridge));
  host.set_up(host_index);

  NetworkNamespaceGuard in_container(netns);
  RouteNetlink container;
  int link = container.link_index(inside);
  if (link == 0) throw Error("the container's interface " + inside + " is missing");
  container.add_address(link, Ipv4::parse(a.endpoint.ip), a.bridge.addresses.subnet.prefix);
  container.set_up(link);
  // The first network gives the default route; an internal one gives none (no way out).
  if (index == 0 && !a.bridge.internal) container.add_default_route(link, a.bridge.addresses.gateway);
}

}  // namespace

std::string host_veth_name(const EndpointRecord& e) { return "veth" + e.endpoint_id.substr(0, 7); }

AttachedEndpoint attach_endpoint(Store& store, const ContainerRecord& c, const EndpointRecord& e,
                                 const std::filesystem::path& netns, int index) {
  std::optional<NetworkRecord> n = store.networks().get(e.network_id);
  if (!n) throw not_found("network " + e.network_id + " not found");
  AttachedEndpoint a{*n, bridge_network(*n), {}};
  a.endpoint = lease_address(store, c, e, a.bridge, index == 0);
  wire_endpoint(a, netns, index);
  return a;
}

std::vector<AttachedEndpoint> attach_container_networks(Store& store, const ContainerRecord& c,
                                                        const std::filesystem::path& netns) {
  std::vector<AttachedEndpoint> attached;
  try {
    int index = 0;
    for (const EndpointRecord& e : store.networks().endpoints_of(c.id))
      attached.push_back(attach_endpoint(store, c, e, netns, index++));
  } catch (...) {
    detach_container_networks(store, c.id);
    throw;
  }
  return attached;
}

void detach_container_networks(Store& store, const std::string& container_id) {
  std::vector<EndpointRecord> endpoints = store.networks().endpoints_of(container_id);
  for (const EndpointRecord& e : endpoints) {
    try {
      RouteNetlink().delete_link(host_veth_name(e));
    } catch (const std::exception&) {
      // Gone with the namespace, or not ours to remove: the lease goes regardless.
    }
  }
  if (!endpoints.empty()) store.networks().release_leases(container_id);
}

}  // namespace berth
