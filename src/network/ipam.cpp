#include "network/ipam.h"

#include <algorithm>

#include "core/error.h"

namespace berth {

std::vector<Subnet> default_address_pools() {
  std::vector<Subnet> pools;
  for (uint32_t second = 17; second <= 31; ++second) pools.push_back(Subnet{Ipv4{172u << 24 | second << 16}, 16});
  for (uint32_t third = 0; third < 256; third += 16) pools.push_back(Subnet{Ipv4{192u << 24 | 168u << 16 | third << 8}, 20});
  return pools;
}

Subnet pick_subnet(const std::vector<Subnet>& pools, const std::vector<Subnet>& taken) {
  for (const Subnet& pool : pools)
    if (std::none_of(taken.begin(), taken.end(), [&](const Subnet& t) { return t.overlaps(pool); })) return pool;
  throw Error("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network",
              ErrorKind::unavailable);
}

AddressPlan plan_addresses(const Subnet& subnet, const std::optional<Ipv4>& gateway, const std::optional<Subnet>& range) {
  if (subnet.prefix > 30) throw invalid_argument("invalid subnet " + subnet.str() + ": too small for a network");
  AddressPlan plan{subnet, gateway.value_or(Ipv4{subnet.base.value + 1}), range};
  if (!subnet.contains(plan.gateway) || plan.gateway == subnet.first() || plan.gateway == subnet.last())
    throw invalid_argument("invalid gateway " + plan.gateway.str() + ": it is not a host address of subnet " + subnet.str());
  if (range && !subnet.contains(*range))
    throw invalid_argument("invalid ip-range " + range->str() + ": it is not inside subnet " + subnet.str());
  return plan;
}

std::optional<Ipv4> pick_address(const AddressPlan& plan, const std::vector<Ipv4>& leased) {
  std::vector<Ipv4> sorted = leased;
  std::sort(sorted.begin(), sorted.end());
  const Subnet& range = plan.range ? *plan.range : plan.subnet;
  for (uint64_t v = range.first().value; v <= range.last().value; ++v) {
    Ipv4 ip{static_cast<uint32_t>(v)};
    if (ip == plan.subnet.first() || ip == plan.subnet.last() || ip == plan.gateway) continue;
    if (!std::binary_search(sorted.begin(), sorted.end(), ip)) return ip;
  }
  return std::nullopt;
}

void check_requested_address(const AddressPlan& plan, Ipv4 ip) {
  if (!plan.subnet.contains(ip))
    throw invalid_argument("Invalid address " + ip.str() + ": It does not belong to any of this network's subnets");
  if (ip == plan.subnet.first() || ip == plan.subnet.last() || ip == plan.gateway)
    throw conflict("Address already in use: " + ip.str() + " is the network's own");
}

}  // namespace berth
