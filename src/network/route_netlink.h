// rtnetlink, the kernel's own interface for links, addresses and routes —
// what iproute2 and Docker's libnetwork (vishvananda/netlink) speak, without
// a process per step: a container's veth, address and route cost a few
// system calls. A RouteNetlink acts in the network namespace of the thread
// that made it (a netlink socket belongs to the namespace it was opened in).
#pragma once

#include <string>

#include "core/fs.h"
#include "network/ipv4.h"

namespace berth {

class RouteNetlink {
 public:
  RouteNetlink();

  // The interface's index; 0 when there is none of that name.
  int link_index(const std::string& name);
  void create_bridge(const std::string& name);
  // A veth pair: `name` here, `peer` made directly inside the namespace of
  // `peer_netns_fd`, with the MAC address `peer_mac` ("02:42:…").
  void create_veth(const std::string& name, const std::string& peer, int peer_netns_fd, const std::string& peer_mac);
  void set_master(int index, int master_index);
  void set_up(int index);
  void add_address(int index, Ipv4 ip, int prefix);
  void add_default_route(int index, Ipv4 gateway);
  // Deletes the interface (a veth takes its peer with it); none is no error.
  void delete_link(const std::string& name);

 private:
  class Message;
  // Sends one request and waits for its acknowledgement; throws Error with
  // `what` and the kernel's errno.
  void request(Message& m, const std::string& what);

  UniqueFd fd_;
  uint32_t seq_ = 0;
};

}  // namespace berth
