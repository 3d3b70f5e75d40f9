// Address management, as Docker's default IPAM does it: a new network gets
// the first subnet of Docker's default pools that no other network and no
// route of the host overlaps; a container gets the lowest free address of
// the network's range (the network address, the gateway and the broadcast
// address are never handed out). Pure: the caller says what is taken.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "network/ipv4.h"

namespace berth {

// Docker's default-address-pools: 172.17–31.0.0/16, then 192.168.0.0/16 in /20s.
std::vector<Subnet> default_address_pools();

// The first pool that overlaps nothing in `taken`; throws Docker's "all
// predefined address pools have been fully subnetted" when none is left.
Subnet pick_subnet(const std::vector<Subnet>& pools, const std::vector<Subnet>& taken);

// What a network's IPAM config says, checked: the gateway and the range
// inside the subnet. The gateway defaults to the subnet's first host address.
struct AddressPlan {
  Subnet subnet;
  Ipv4 gateway;
  std::optional<Subnet> range;  // --ip-range: where containers' addresses come from
};
AddressPlan plan_addresses(const Subnet& subnet, const std::optional<Ipv4>& gateway, const std::optional<Subnet>& range);

// The lowest address of the range (or subnet) that is neither leased nor the
// network's own; nullopt when the range is full.
std::optional<Ipv4> pick_address(const AddressPlan& plan, const std::vector<Ipv4>& leased);

// Checks an address the user asked for (--ip): inside the subnet, not the
// network, broadcast or gateway address. Throws invalid_argument.
void check_requested_address(const AddressPlan& plan, Ipv4 ip);

}  // namespace berth
