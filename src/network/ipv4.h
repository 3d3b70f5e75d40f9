// IPv4 addresses and subnets as text and as numbers: what IPAM, the bridge
// and the resolver pass around. Parsing is strict (four decimal octets, a
// prefix 0–32); a bad one is an invalid_argument Error naming the input.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace berth {

struct Ipv4 {
  uint32_t value = 0;  // host byte order

  static Ipv4 parse(const std::string& text);  // throws invalid_argument
  static std::optional<Ipv4> try_parse(const std::string& text);
  std::string str() const;
  bool operator==(const Ipv4&) const = default;
  auto operator<=>(const Ipv4&) const = default;
};

struct Subnet {
  Ipv4 base;       // the network address (host bits zero)
  int prefix = 0;  // 0–32

  // "172.18.0.0/16"; host bits set ("172.18.0.1/16") are an error, as Docker's.
  static Subnet parse(const std::string& text);
  std::string str() const;
  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  Ipv4 first() const { return base; }
  Ipv4 last() const { return Ipv4{base.value | ~mask()}; }
  bool contains(Ipv4 ip) const { return (ip.value & mask()) == base.value; }
  bool contains(const Subnet& other) const { return other.prefix >= prefix && contains(other.base); }
  bool overlaps(const Subnet& other) const { return contains(other.base) || other.contains(base); }
  bool operator==(const Subnet&) const = default;
};

// Docker's MAC for an address: 02:42 and the four octets ("02:42:ac:11:00:02").
std::string mac_for(Ipv4 ip);
// "02:42:ac:11:00:02" as bytes; throws invalid_argument for anything else.
std::array<unsigned char, 6> parse_mac(const std::string& text);

}  // namespace berth
