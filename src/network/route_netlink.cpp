#include "network/route_netlink.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <array>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace berth {

// A netlink request being built: the header, a fixed struct, then attributes,
// each padded to 4 bytes; nested attributes hold their children.
class RouteNetlink::Message {
 public:
  template <typename Header>
  Message(uint16_t type, uint16_t flags, const Header& header) {
    nlmsghdr h{};
    h.nlmsg_type = type;
    h.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
    append(&h, sizeof h);
    append(&header, sizeof header);
  }
  template <typename Header>
  void raw(const Header& header) {
    append(&header, sizeof header);
  }
  void attr(uint16_t type, const void* data, size_t size) {
    rtattr a{};
    a.rta_len = static_cast<uint16_t>(RTA_LENGTH(size));
    a.rta_type = type;
    append(&a, sizeof a);
    append(data, size);
  }
  void attr(uint16_t type, const std::string& text) { attr(type, text.c_str(), text.size() + 1); }
  void attr_u32(uint16_t type, uint32_t v) { attr(type, &v, sizeof v); }
  size_t begin_nest(uint16_t type) {
    size_t at = buf_.size();
    attr(type, nullptr, 0);
    return at;
  }
  void end_nest(size_t at) {
    rtattr a{};
    std::memcpy(&a, buf_.data() + at, sizeof a);
    a.rta_len = static_cast<uint16_t>(buf_.size() - at);
    std::memcpy(buf_.data() + at, &a, sizeof a);
  }
  std::vector<char>& finish(uint32_t seq) {
    nlmsghdr h{};
    std::memcpy(&h, buf_.data(), sizeof h);
    h.nlmsg_len = static_cast<uint32_t>(buf_.size());
    h.nlmsg_seq = seq;
    std::memcpy(buf_.data(), &h, sizeof h);
    return buf_;
  }

 private:
  void append(const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    buf_.insert(buf_.end(), p, p + size);
    buf_.resize((buf_.size() + 3) & ~size_t{3});
  }
  std::vector<char> buf_;
};

namespace {

ifinfomsg link_header(int index = 0) {
  ifinfomsg h{};
  h.ifi_family = AF_UNSPEC;
  h.ifi_index = index;
  return h;
}

}  // namespace

RouteNetlink::RouteNetlink() {
  int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw_errno("open a netlink socket");
  fd_ = UniqueFd(fd);
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) throw_errno("bind a netlink socket");
}

void RouteNetlink::request(Message& m, const std::string& what) {
  std::vector<char>& buf = m.finish(++seq_);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
    throw_errno(what);
  char reply[8192];
  while (true) {
    ssize_t n = ::recv(fd_.get(), reply, sizeof reply, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(what);
    }
    for (auto* h = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(h, static_cast<unsigned>(n)); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != seq_ || h->nlmsg_type != NLMSG_ERROR) continue;
      int error = -static_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
      if (error == 0) return;
      errno = error;
      throw_errno(what);
    }
  }
}

int RouteNetlink::link_index(const std::string& name) {
  // if_nametoindex asks the namespace of the calling thread, as this socket does.
  return static_cast<int>(::if_nametoindex(name.c_str()));
}

void RouteNetlink::create_bridge(const std::string& name) {
  Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, link_header());
  m.attr(IFLA_IFNAME, name);
  size_t info = m.begin_nest(IFLA_LINKINFO);
  m.attr(IFLA_INFO_KIND, "bridge");
  m.end_nest(info);
  request(m, "create bridge " + name);
}

void RouteNetlink::create_veth(const std::string& name, const std::string& peer, int peer_netns_fd,
                               const std::string& peer_mac) {
  Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, link_header());
  m.attr(IFLA_IFNAME, name);
  size_t info = m.begin_nest(IFLA_LINKINFO);
  m.attr(IFLA_INFO_KIND, "veth");
  size_t data = m.begin_nest(IFLA_INFO_DATA);
  size_t peer_info = m.begin_nest(VETH_INFO_PEER);
  m.raw(link_header());
  m.attr(IFLA_IFNAME, peer);
  m.attr_u32(IFLA_NET_NS_FD, static_cast<uint32_t>(peer_netns_fd));
  std::array<unsigned char, 6> mac = parse_mac(peer_mac);
  m.attr(IFLA_ADDRESS, mac.data(), mac.size());
  m.end_nest(peer_info);
  m.end_nest(data);
  m.end_nest(info);
  request(m, "create veth " + name);
}

void RouteNetlink::set_master(int index, int master_index) {
  Message m(RTM_NEWLINK, 0, link_header(index));
  m.attr_u32(IFLA_MASTER, static_cast<uint32_t>(master_index));
  request(m, "attach an interface to its bridge");
}

void RouteNetlink::set_up(int index) {
  ifinfomsg h = link_header(index);
  h.ifi_flags = IFF_UP;
  h.ifi_change = IFF_UP;
  Message m(RTM_NEWLINK, 0, h);
  request(m, "set an interface up");
}

void RouteNetlink::add_address(int index, Ipv4 ip, int prefix) {
  ifaddrmsg h{};
  h.ifa_family = AF_INET;
  h.ifa_prefixlen = static_cast<unsigned char>(prefix);
  h.ifa_index = static_cast<unsigned>(index);
  Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, h);
  uint32_t addr = htonl(ip.value);
  m.attr(IFA_LOCAL, &addr, sizeof addr);
  m.attr(IFA_ADDRESS, &addr, sizeof addr);
  const uint32_t mask = Subnet{Ipv4{}, prefix}.mask();
  uint32_t broadcast = htonl((ip.value & mask) | ~mask);
  m.attr(IFA_BROADCAST, &broadcast, sizeof broadcast);
  request(m, "add address " + ip.str() + "/" + std::to_string(prefix));
}

void RouteNetlink::add_default_route(int index, Ipv4 gateway) {
  rtmsg h{};
  h.rtm_family = AF_INET;
  h.rtm_table = RT_TABLE_MAIN;
  h.rtm_protocol = RTPROT_BOOT;
  h.rtm_scope = RT_SCOPE_UNIVERSE;
  h.rtm_type = RTN_UNICAST;
  Message m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, h);
  uint32_t gw = htonl(gateway.value);
  m.attr(RTA_GATEWAY, &gw, sizeof gw);
  m.attr_u32(RTA_OIF, static_cast<uint32_t>(index));
  request(m, "add the default route via " + gateway.str());
}

void RouteNetlink::delete_link(const std::string& name) {
  if (link_index(name) == 0) return;
  Message m(RTM_DELLINK, 0, link_header());
  m.attr(IFLA_IFNAME, name);
  try {
    request(m, "delete interface " + name);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found && link_index(name) != 0) throw;  // gone meanwhile is what we wanted
  }
}

}  // namespace berth
