#include "network/host_routes.h"

#include <sstream>

#include "core/fs.h"
#include "core/number.h"

namespace berth {
namespace {

// /proc/net/route prints addresses as the hex of the in-memory (network order) word.
std::optional<uint32_t> route_word(const std::string& hex) {
  std::optional<int64_t> v = try_parse_int(hex, 16);
  if (!v || *v < 0 || *v > 0xffffffffLL) return std::nullopt;
  uint32_t w = static_cast<uint32_t>(*v);
  return (w & 0xff) << 24 | (w >> 8 & 0xff) << 16 | (w >> 16 & 0xff) << 8 | w >> 24;
}

}  // namespace

std::vector<HostRoute> parse_proc_net_route(const std::string& text) {
  std::vector<HostRoute> out;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string iface, dest, gateway, flags, refcnt, use, metric, mask;
    if (!(fields >> iface >> dest >> gateway >> flags >> refcnt >> use >> metric >> mask)) continue;
    std::optional<uint32_t> d = route_word(dest), m = route_word(mask);
    if (!d || !m || *m == 0) continue;  // the default route covers everything; it is no conflict
    int prefix = 0;
    while (prefix < 32 && (*m << prefix & 0x80000000u)) ++prefix;
    out.push_back(HostRoute{Subnet{Ipv4{*d & *m}, prefix}, iface});
  }
  return out;
}

std::vector<HostRoute> host_routes() {
  std::string text;
  try {
    text = read_file("/proc/net/route");
  } catch (const std::exception&) {
    return {};  // no IPv4 in this namespace: nothing to avoid
  }
  return parse_proc_net_route(text);
}

}  // namespace berth
