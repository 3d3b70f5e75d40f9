#include "network/dns_message.h"

#include "core/ascii_case.h"

namespace berth {
namespace {

constexpr uint32_t kTtl = 600;  // Docker's embedded resolver's TTL

uint16_t u16(const std::vector<uint8_t>& m, size_t at) { return static_cast<uint16_t>(m[at] << 8 | m[at + 1]); }

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void put32(std::vector<uint8_t>& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v >> 16));
  put16(out, static_cast<uint16_t>(v));
}

void put_name(std::vector<uint8_t>& out, const std::string& name) {
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    out.push_back(static_cast<uint8_t>(dot - start));
    out.insert(out.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  out.push_back(0);
}

}  // namespace

std::optional<DnsQuestion> parse_dns_query(const std::vector<uint8_t>& m) {
  if (m.size() < 12) return std::nullopt;
  uint16_t flags = u16(m, 2);
  bool response = flags & 0x8000;
  int opcode = flags >> 11 & 0xf;
  if (response || opcode != 0 || u16(m, 4) != 1 || u16(m, 6) != 0 || u16(m, 8) != 0) return std::nullopt;
  DnsQuestion q;
  q.id = u16(m, 0);
  q.recursion_desired = flags & 0x0100;
  size_t at = 12;
  while (true) {
    if (at >= m.size()) return std::nullopt;
    uint8_t len = m[at++];
    if (len == 0) break;
    if (len > 63 || at + len > m.size() || q.name.size() + len > 253) return std::nullopt;  // compression has no place in a question
    if (!q.name.empty()) q.name += '.';
    q.name += ascii_lower(std::string_view(reinterpret_cast<const char*>(m.data() + at), len));
    at += len;
  }
  if (at + 4 > m.size()) return std::nullopt;
  q.type = u16(m, at);
  q.klass = u16(m, at + 2);
  q.end = at + 4;
  return q;
}

std::vector<uint8_t> dns_answer(const std::vector<uint8_t>& query, const DnsQuestion& q, uint8_t rcode,
                                const std::vector<Ipv4>& addresses, const std::string& ptr_name) {
  std::vector<uint8_t> out;
  put16(out, q.id);
  // QR, opcode 0, AA, RD as asked, RA, the code.
  put16(out, static_cast<uint16_t>(0x8400 | (q.recursion_desired ? 0x0100 : 0) | 0x0080 | rcode));
  uint16_t answers = static_cast<uint16_t>(ptr_name.empty() ? addresses.size() : 1);
  put16(out, 1);
  put16(out, answers);
  put16(out, 0);
  put16(out, 0);
  out.insert(out.end(), query.begin() + 12, query.begin() + static_cast<long>(q.end));
  auto record = [&](uint16_t type) {
    put16(out, 0xc00c);  // the name: a pointer to the question's
    put16(out, type);
    put16(out, dns::kClassIn);
    put32(out, kTtl);
  };
  if (!ptr_name.empty()) {
    record(dns::kTypePtr);
    std::vector<uint8_t> name;
    put_name(name, ptr_name);
    put16(out, static_cast<uint16_t>(name.size()));
    out.insert(out.end(), name.begin(), name.end());
    return out;
  }
  for (const Ipv4& a : addresses) {
    record(dns::kTypeA);
    put16(out, 4);
    put32(out, a.value);
  }
  return out;
}

std::optional<Ipv4> reverse_lookup_address(const std::string& name) {
  const std::string suffix = ".in-addr.arpa";
  if (!name.ends_with(suffix)) return std::nullopt;
  std::optional<Ipv4> reversed = Ipv4::try_parse(name.substr(0, name.size() - suffix.size()));
  if (!reversed) return std::nullopt;
  uint32_t v = reversed->value;
  return Ipv4{(v & 0xff) << 24 | (v >> 8 & 0xff) << 16 | (v >> 16 & 0xff) << 8 | v >> 24};
}

}  // namespace berth
