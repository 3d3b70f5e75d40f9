// Docker's -p syntax: [IP:][HOSTPORT:]CONTAINERPORT[/PROTO], and its round
// trip through HostConfig.PortBindings.
#include <gtest/gtest.h>

#include "core/error.h"
#include "runtime/port_mapping.h"

namespace {

using berth::PortMapping;
using berth::parse_port_mapping;

TEST(PortMapping, ParsesDockersForms) {
  PortMapping m = parse_port_mapping("80");
  EXPECT_EQ(m.container_port, 80);
  EXPECT_EQ(m.host_port, 0);
  EXPECT_EQ(m.proto, "tcp");
  m = parse_port_mapping("8080:80");
  EXPECT_EQ(m.host_port, 8080);
  EXPECT_EQ(m.host_ip, "");
  m = parse_port_mapping("127.0.0.1:5353:53/udp");
  EXPECT_EQ(m.host_ip, "127.0.0.1");
  EXPECT_EQ(m.host_port, 5353);
  EXPECT_EQ(m.container_port, 53);
  EXPECT_EQ(m.proto, "udp");
  m = parse_port_mapping("127.0.0.1::80");
  EXPECT_EQ(m.host_port, 0);
}

TEST(PortMapping, RefusesMalformed) {
  for (const char* bad : {"", "80x", "0", "65536", "a:b:c:d", "1.2.3:80:80", "80/sctp", "80/", "-1:80"})
    EXPECT_THROW(parse_port_mapping(bad), berth::Error) << bad;
}

TEST(PortMapping, RoundTripsThroughPortBindings) {
  berth::Json bindings = berth::Json::object();
  add_port_binding(&bindings, parse_port_mapping("8080:80"));
  add_port_binding(&bindings, parse_port_mapping("127.0.0.1:5353:53/udp"));
  EXPECT_EQ(bindings.dump(),
            R"({"80/tcp":[{"HostIp":"","HostPort":"8080"}],"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}]})");
  std::vector<PortMapping> back = berth::port_mappings(bindings);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].proto, "udp");
  EXPECT_EQ(back[1].host_ip, "127.0.0.1");
  EXPECT_EQ(back[1].host_port, 5353);
}

}  // namespace
