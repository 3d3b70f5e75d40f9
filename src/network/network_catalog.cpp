#include "network/network_catalog.h"

#include <cstdlib>

#include "core/error.h"
#include "core/fs.h"
#include "core/timestamp.h"
#include "network/bridge_network.h"
#include "network/host_routes.h"
#include "network/ipam.h"

namespace berth {
namespace {

NetworkRecord network_record(const std::string& name, const std::string& driver, Json ipam_config, Json options) {
  NetworkRecord n;
  n.id = random_hex(64);
  n.name = name;
  n.driver = driver;
  n.created = now_unix_nanos();
  n.config = {{"EnableIPv6", false},
              {"IPAM", {{"Driver", "default"}, {"Options", nullptr}, {"Config", std::move(ipam_config)}}},
              {"Internal", false},
              {"Attachable", false},
              {"Options", std::move(options)},
              {"Labels", Json::object()}};
  return n;
}

// The subnet must not take the host's way to anything, nor another network's addresses.
void check_subnet_free(Store& store, const Subnet& subnet) {
  for (const NetworkRecord& n : store.networks().all())
    if (is_bridge_network(n) && bridge_network(n).addresses.subnet.overlaps(subnet))
      throw Error("Pool overlaps with other one on this address space", ErrorKind::conflict);
  for (const HostRoute& r : host_routes())
    if (r.destination.overlaps(subnet))
      throw conflict("subnet " + subnet.str() + " overlaps with the host's route to " + r.destination.str() + " on " +
                     r.device);
}

Subnet free_pool_subnet(Store& store) {
  std::vector<Subnet> taken;
  for (const NetworkRecord& n : store.networks().all())
    if (is_bridge_network(n)) taken.push_back(bridge_network(n).addresses.subnet);
  for (const HostRoute& r : host_routes()) taken.push_back(r.destination);
  return pick_subnet(default_address_pools(), taken);
}

Json ipam_entry(const AddressPlan& plan) {
  Json entry = {{"Subnet", plan.subnet.str()}, {"Gateway", plan.gateway.str()}};
  if (plan.range) entry["IPRange"] = plan.range->str();
  return entry;
}

}  // namespace

void ensure_default_networks(Store& store) {
  NetworkStore& networks = store.networks();
  auto present = [&] {
    try {
      networks.find(kDefaultBridgeNetwork);
      return true;
    } catch (const Error&) {
      return false;
    }
  };
  if (present()) return;
  Transaction tx(store.db());
  if (present()) return;  // another berth made them meanwhile
  const char* env = std::getenv("BERTH_DEFAULT_BRIDGE");
  std::string bridge = env && *env ? env : "berth0";
  AddressPlan plan = plan_addresses(free_pool_subnet(store), std::nullopt, std::nullopt);
  networks.add(network_record(kDefaultBridgeNetwork, "bridge", Json::array({ipam_entry(plan)}),
                              {{"com.docker.network.bridge.default_bridge", "true"},
                               {"com.docker.network.bridge.enable_icc", "true"},
                               {"com.docker.network.bridge.enable_ip_masquerade", "true"},
                               {"com.docker.network.bridge.host_binding_ipv4", "0.0.0.0"},
                               {kBridgeNameOption, bridge},
                               {"com.docker.network.driver.mtu", "1500"}}));
  networks.add(network_record("host", "host", Json::array(), Json::object()));
  networks.add(network_record("none", "null", Json::array(), Json::object()));
  tx.commit();
}

NetworkRecord new_bridge_network(Store& store, const BridgeNetworkRequest& request) {
  if ((!request.gateway.empty() || !request.ip_range.empty()) && request.subnet.empty())
    throw invalid_argument("every ip-range or gateway must have a corresponding subnet");
  std::optional<Ipv4> gateway;
  if (!request.gateway.empty()) gateway = Ipv4::parse(request.gateway);
  std::optional<Subnet> range;
  if (!request.ip_range.empty()) range = Subnet::parse(request.ip_range);
  Subnet subnet = request.subnet.empty() ? free_pool_subnet(store) : Subnet::parse(request.subnet);
  AddressPlan plan = plan_addresses(subnet, gateway, range);
  if (!request.subnet.empty()) check_subnet_free(store, subnet);

  NetworkRecord n = network_record(request.name, "bridge", Json::array({ipam_entry(plan)}), request.options);
  n.config["IPAM"]["Options"] = Json::object();
  n.config["Internal"] = request.internal;
  n.config["Labels"] = request.labels;
  std::string bridge = bridge_network(n).bridge;
  if (bridge.size() >= 16) throw invalid_argument("bridge name " + bridge + " is longer than 15 characters");
  for (const NetworkRecord& other : store.networks().all())
    if (is_bridge_network(other) && bridge_network(other).bridge == bridge)
      throw conflict("bridge name " + bridge + " is already used by network " + other.name);
  return n;
}

}  // namespace berth
