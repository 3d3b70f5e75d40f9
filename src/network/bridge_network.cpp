#include "network/bridge_network.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/error.h"
#include "network/firewall.h"
#include "network/route_netlink.h"

namespace berth {
namespace {

std::filesystem::path firewall_lock(Store& store) { return store.root() / "network.lock"; }

void enable_ip_forwarding() {
  int fd = ::open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("enable IP forwarding");
  UniqueFd owned(fd);
  if (::write(fd, "1\n", 2) != 2) throw_errno("enable IP forwarding");
}

}  // namespace

bool is_bridge_network(const NetworkRecord& n) { return n.driver == "bridge"; }

BridgeNetwork bridge_network(const NetworkRecord& n) {
  if (!is_bridge_network(n)) throw Error("network " + n.name + " is not a bridge network");
  const Json& ipam = n.config["IPAM"]["Config"].at(0);
  std::optional<Subnet> range;
  if (!ipam.value("IPRange", "").empty()) range = Subnet::parse(ipam["IPRange"]);
  BridgeNetwork b;
  b.id = n.id;
  b.name = n.name;
  b.bridge = n.config["Options"].value(kBridgeNameOption, "br-" + n.id.substr(0, 12));
  b.addresses = plan_addresses(Subnet::parse(ipam.value("Subnet", "")), Ipv4::parse(ipam.value("Gateway", "")), range);
  b.internal = n.config.value("Internal", false);
  return b;
}

void ensure_bridge(Store& store, const BridgeNetwork& network) {
  RouteNetlink netlink;
  // A bridge that is there has its rules: both are made here, rules last.
  if (netlink.link_index(network.bridge) != 0) return;
  {
    try {
      netlink.create_bridge(network.bridge);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict) throw;  // another berth made it meanwhile
    }
    int index = netlink.link_index(network.bridge);
    netlink.add_address(index, network.addresses.gateway, network.addresses.subnet.prefix);
    netlink.set_up(index);
  }
  if (!network.internal) enable_ip_forwarding();
  sync_network_firewall(store);
}

void sync_network_firewall(Store& store) {
  std::vector<FirewallNetwork> rules;
  for (const NetworkRecord& n : store.networks().all()) {
    if (!is_bridge_network(n)) continue;
    BridgeNetwork b = bridge_network(n);
    rules.push_back(FirewallNetwork{b.bridge, b.addresses.subnet, b.internal});
  }
  sync_firewall(rules, firewall_lock(store));
}

bool repair_network_firewall(Store& store) {
  RouteNetlink netlink;
  for (const NetworkRecord& n : store.networks().all()) {
    if (!is_bridge_network(n) || netlink.link_index(bridge_network(n).bridge) == 0) continue;
    sync_network_firewall(store);
    return true;
  }
  return false;
}

void remove_bridge(const BridgeNetwork& network) { RouteNetlink().delete_link(network.bridge); }

}  // namespace berth
