// IPv4 parsing, Docker's address pools and IPAM, MAC addresses, the host's
// routes as /proc/net/route gives them.
#include <gtest/gtest.h>

#include "core/error.h"
#include "network/host_routes.h"
#include "network/ipam.h"
#include "network/ipv4.h"

namespace berth {
namespace {

TEST(Ipv4, ParsesAndPrints) {
  EXPECT_EQ(Ipv4::parse("172.17.0.1").value, 0xac110001u);
  EXPECT_EQ(Ipv4::parse("0.0.0.0").str(), "0.0.0.0");
  EXPECT_EQ(Ipv4::parse("255.255.255.255").str(), "255.255.255.255");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "a.b.c.d", "1..2.3", "-1.2.3.4"})
    EXPECT_FALSE(Ipv4::try_parse(bad)) << bad;
  EXPECT_THROW(Ipv4::parse("1.2.3"), Error);
}

TEST(Subnet, ParsesChecksAndCompares) {
  Subnet s = Subnet::parse("172.18.0.0/16");
  EXPECT_EQ(s.str(), "172.18.0.0/16");
  EXPECT_EQ(s.last().str(), "172.18.255.255");
  EXPECT_TRUE(s.contains(Ipv4::parse("172.18.3.4")));
  EXPECT_FALSE(s.contains(Ipv4::parse("172.19.0.1")));
  EXPECT_TRUE(s.overlaps(Subnet::parse("172.18.5.0/24")));
  EXPECT_TRUE(Subnet::parse("172.16.0.0/12").overlaps(s));
  EXPECT_FALSE(s.overlaps(Subnet::parse("172.19.0.0/16")));
  EXPECT_TRUE(Subnet::parse("0.0.0.0/0").contains(Ipv4::parse("8.8.8.8")));
  for (const char* bad : {"172.18.0.1/16", "172.18.0.0", "172.18.0.0/33", "172.18.0.0/-1", "172.18.0.0/x", "/16"})
    EXPECT_THROW(Subnet::parse(bad), Error) << bad;
}

TEST(Ipam, DefaultPoolsAreDockers) {
  std::vector<Subnet> pools = default_address_pools();
  ASSERT_EQ(pools.size(), 15u + 16u);
  EXPECT_EQ(pools.front().str(), "172.17.0.0/16");
  EXPECT_EQ(pools[14].str(), "172.31.0.0/16");
  EXPECT_EQ(pools[15].str(), "192.168.0.0/20");
  EXPECT_EQ(pools.back().str(), "192.168.240.0/20");
}

TEST(Ipam, PicksTheFirstPoolNothingOverlaps) {
  std::vector<Subnet> pools = default_address_pools();
  EXPECT_EQ(pick_subnet(pools, {}).str(), "172.17.0.0/16");
  // A host route inside 172.17/16 (docker0, say) and a network on 172.18 push it to 172.19.
  EXPECT_EQ(pick_subnet(pools, {Subnet::parse("172.17.5.0/24"), Subnet::parse("172.18.0.0/16")}).str(), "172.19.0.0/16");
  // A route covering all of 172.16/12 leaves only 192.168's /20s.
  EXPECT_EQ(pick_subnet(pools, {Subnet::parse("172.16.0.0/12")}).str(), "192.168.0.0/20");
  EXPECT_THROW(pick_subnet(pools, {Subnet::parse("0.0.0.0/0")}), Error);
}

TEST(Ipam, GatewayAndRangeAreChecked) {
  Subnet s = Subnet::parse("10.5.0.0/24");
  EXPECT_EQ(plan_addresses(s, std::nullopt, std::nullopt).gateway.str(), "10.5.0.1");
  EXPECT_EQ(plan_addresses(s, Ipv4::parse("10.5.0.254"), std::nullopt).gateway.str(), "10.5.0.254");
  EXPECT_THROW(plan_addresses(s, Ipv4::parse("10.6.0.1"), std::nullopt), Error);
  EXPECT_THROW(plan_addresses(s, Ipv4::parse("10.5.0.255"), std::nullopt), Error);  // broadcast
  EXPECT_THROW(plan_addresses(s, std::nullopt, Subnet::parse("10.5.1.0/28")), Error);
  EXPECT_THROW(plan_addresses(Subnet::parse("10.5.0.0/31"), std::nullopt, std::nullopt), Error);
}

TEST(Ipam, HandsOutTheLowestFreeAddress) {
  AddressPlan plan = plan_addresses(Subnet::parse("10.5.0.0/29"), std::nullopt, std::nullopt);
  EXPECT_EQ(pick_address(plan, {})->str(), "10.5.0.2");  // .0 the network, .1 the gateway
  EXPECT_EQ(pick_address(plan, {Ipv4::parse("10.5.0.2"), Ipv4::parse("10.5.0.4")})->str(), "10.5.0.3");
  std::vector<Ipv4> all;
  for (int i = 2; i <= 6; ++i) all.push_back(Ipv4{plan.subnet.base.value + static_cast<uint32_t>(i)});
  EXPECT_FALSE(pick_address(plan, all));  // .7 is the broadcast address
  // A range: addresses come from it only.
  AddressPlan ranged = plan_addresses(Subnet::parse("10.5.0.0/24"), std::nullopt, Subnet::parse("10.5.0.128/25"));
  EXPECT_EQ(pick_address(ranged, {})->str(), "10.5.0.128");
  // A gateway inside the range is skipped.
  AddressPlan gw = plan_addresses(Subnet::parse("10.5.0.0/24"), Ipv4::parse("10.5.0.128"), Subnet::parse("10.5.0.128/25"));
  EXPECT_EQ(pick_address(gw, {})->str(), "10.5.0.129");
}

TEST(Ipam, RequestedAddressMustBeAHostOfTheSubnet) {
  AddressPlan plan = plan_addresses(Subnet::parse("10.5.0.0/24"), std::nullopt, std::nullopt);
  EXPECT_NO_THROW(check_requested_address(plan, Ipv4::parse("10.5.0.77")));
  EXPECT_THROW(check_requested_address(plan, Ipv4::parse("10.6.0.77")), Error);
  EXPECT_THROW(check_requested_address(plan, Ipv4::parse("10.5.0.1")), Error);
  EXPECT_THROW(check_requested_address(plan, Ipv4::parse("10.5.0.255")), Error);
}

TEST(Mac, DockersMacFromTheAddress) {
  EXPECT_EQ(mac_for(Ipv4::parse("172.17.0.2")), "02:42:ac:11:00:02");
  auto bytes = parse_mac("02:42:ac:11:00:02");
  EXPECT_EQ(bytes[0], 0x02);
  EXPECT_EQ(bytes[5], 0x02);
  EXPECT_EQ(bytes[2], 0xac);
  for (const char* bad : {"", "02:42:ac:11:00", "02:42:ac:11:00:0g", "02-42-ac-11-00-02", "02:42:ac:11:00:02:03"})
    EXPECT_THROW(parse_mac(bad), Error) << bad;
}

TEST(HostRoutes, ReadsProcNetRouteSkippingTheDefault) {
  const std::string text =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
      "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
      "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
      "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
  std::vector<HostRoute> routes = parse_proc_net_route(text);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].destination.str(), "192.0.2.0/24");
  EXPECT_EQ(routes[0].device, "eth0");
  EXPECT_EQ(routes[1].destination.str(), "172.17.0.0/16");
}

}  // namespace
}  // namespace berth
