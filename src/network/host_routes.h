// The IPv4 routes of the network namespace berth runs in, from
// /proc/net/route: a new network's subnet must overlap none of them
// (Docker's netutils.CheckRouteOverlaps), or the host would lose its way to them.
#pragma once

#include <string>
#include <vector>

#include "network/ipv4.h"

namespace berth {

struct HostRoute {
  Subnet destination;
  std::string device;
};

// Every route but the default one.
std::vector<HostRoute> host_routes();

// Parses /proc/net/route's text (split out for the tests).
std::vector<HostRoute> parse_proc_net_route(const std::string& text);

}  // namespace berth
