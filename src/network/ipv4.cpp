#include "network/ipv4.h"

#include <cstdio>

#include "core/error.h"
#include "core/number.h"

namespace berth {

std::optional<Ipv4> Ipv4::try_parse(const std::string& text) {
  uint32_t value = 0;
  size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    size_t start = pos;
    unsigned n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) n = n * 10 + (text[pos++] - '0');
    if (pos == start || n > 255 || (pos - start > 1 && text[start] == '0')) return std::nullopt;
    value = value << 8 | n;
  }
  if (pos != text.size()) return std::nullopt;
  return Ipv4{value};
}

Ipv4 Ipv4::parse(const std::string& text) {
  std::optional<Ipv4> ip = try_parse(text);
  if (!ip) throw invalid_argument("invalid IPv4 address: " + text);
  return *ip;
}

std::string Ipv4::str() const {
  return std::to_string(value >> 24) + "." + std::to_string(value >> 16 & 255) + "." + std::to_string(value >> 8 & 255) +
         "." + std::to_string(value & 255);
}

Subnet Subnet::parse(const std::string& text) {
  size_t slash = text.find('/');
  std::optional<Ipv4> ip = Ipv4::try_parse(text.substr(0, slash));
  std::optional<int64_t> prefix =
      slash == std::string::npos ? std::nullopt : try_parse_int(std::string_view(text).substr(slash + 1));
  if (!ip || !prefix || *prefix < 0 || *prefix > 32) throw invalid_argument("invalid CIDR address: " + text);
  Subnet s{*ip, static_cast<int>(*prefix)};
  if ((ip->value & s.mask()) != ip->value) throw invalid_argument("invalid subnet " + text + ": it has host bits set");
  return s;
}

std::string Subnet::str() const { return base.str() + "/" + std::to_string(prefix); }

std::string mac_for(Ipv4 ip) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "02:42:%02x:%02x:%02x:%02x", ip.value >> 24, ip.value >> 16 & 255, ip.value >> 8 & 255,
                ip.value & 255);
  return buf;
}

std::array<unsigned char, 6> parse_mac(const std::string& text) {
  std::array<unsigned char, 6> out{};
  bool ok = text.size() == 17;
  for (size_t i = 0; ok && i < 6; ++i) {
    std::optional<int64_t> octet = try_parse_int(std::string_view(text).substr(i * 3, 2), 16);
    ok = octet && *octet >= 0 && *octet <= 255 && (i == 5 || text[i * 3 + 2] == ':');
    if (ok) out[i] = static_cast<unsigned char>(*octet);
  }
  if (!ok) throw invalid_argument("invalid MAC address: " + text);
  return out;
}

}  // namespace berth
