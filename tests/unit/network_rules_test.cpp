// The text berth hands to iptables-restore and the resolv.conf a container gets.
#include <gtest/gtest.h>

#include "network/firewall.h"
#include "network/resolv_conf.h"

namespace berth {
namespace {

TEST(Firewall, RulesIsolateNetworksAndMasqueradeAllButInternal) {
  std::string rules = iptables_rules({{"berth0", Subnet::parse("172.17.0.0/16"), false},
                                      {"br-abc", Subnet::parse("172.18.0.0/16"), true}});
  EXPECT_EQ(rules,
            "*filter\n"
            ":BERTH-FORWARD - [0:0]\n"
            ":BERTH-ISOLATION - [0:0]\n"
            "-A BERTH-FORWARD -i berth0 -o berth0 -j ACCEPT\n"
            "-A BERTH-FORWARD -i berth0 -j BERTH-ISOLATION\n"
            "-A BERTH-FORWARD -i berth0 -j ACCEPT\n"
            "-A BERTH-FORWARD -o berth0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
            "-A BERTH-FORWARD -i br-abc -o br-abc -j ACCEPT\n"
            "-A BERTH-FORWARD -i br-abc -j BERTH-ISOLATION\n"
            "-A BERTH-FORWARD -i br-abc -j DROP\n"
            "-A BERTH-FORWARD -o br-abc -j DROP\n"
            "-A BERTH-ISOLATION -o berth0 -j DROP\n"
            "-A BERTH-ISOLATION -o br-abc -j DROP\n"
            "COMMIT\n"
            "*nat\n"
            ":BERTH-POSTROUTING - [0:0]\n"
            "-A BERTH-POSTROUTING -s 172.17.0.0/16 ! -o berth0 -j MASQUERADE\n"
            "COMMIT\n");
  // No networks: the chains are declared (so emptied) and nothing else.
  EXPECT_EQ(iptables_rules({}), "*filter\n:BERTH-FORWARD - [0:0]\n:BERTH-ISOLATION - [0:0]\nCOMMIT\n*nat\n"
                                ":BERTH-POSTROUTING - [0:0]\nCOMMIT\n");
}

TEST(ResolvConf, ParsesTheLinesThatCount) {
  ResolvConf r = ResolvConf::parse(
      "# comment\nnameserver 127.0.0.53\nnameserver 10.0.0.2\n; other\nsearch a.example b.example\noptions edns0 "
      "trust-ad\noptions rotate\n");
  EXPECT_EQ(r.nameservers, (std::vector<std::string>{"127.0.0.53", "10.0.0.2"}));
  EXPECT_EQ(r.search, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(r.options, (std::vector<std::string>{"edns0", "trust-ad", "rotate"}));
}

TEST(ResolvConf, DefaultBridgeDropsLoopbackServers) {
  ResolvConf host = ResolvConf::parse("nameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch lan\noptions edns0\n");
  EXPECT_EQ(container_resolv_conf(host, {}, false).render(), "nameserver 10.0.0.2\nsearch lan\noptions edns0\n");
  DnsSettings mine{{"10.9.9.9"}, {"corp"}, {"ndots:2"}};
  EXPECT_EQ(container_resolv_conf(host, mine, false).render(), "nameserver 10.9.9.9\nsearch corp\noptions ndots:2\n");
}

TEST(ResolvConf, UserNetworksUseTheEmbeddedResolver) {
  ResolvConf host = ResolvConf::parse("nameserver 127.0.0.53\nsearch lan\noptions edns0\n");
  EXPECT_EQ(container_resolv_conf(host, {}, true).render(), "nameserver 127.0.0.11\nsearch lan\noptions ndots:0\n");
  // The resolver forwards to the host's servers, loopback included (it runs in the host's namespace), or to --dns.
  EXPECT_EQ(upstream_servers(host, {}), (std::vector<std::string>{"127.0.0.53"}));
  EXPECT_EQ(upstream_servers(host, DnsSettings{{"10.9.9.9"}, {}, {}}), (std::vector<std::string>{"10.9.9.9"}));
}

}  // namespace
}  // namespace berth
