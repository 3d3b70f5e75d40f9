// The few parts of DNS (RFC 1035) the embedded resolver needs: reading the
// question of a query, and writing an answer with A or PTR records or an
// error code. Anything else (several questions, compression in the
// question, a response) is not a query this resolver answers itself; it is
// forwarded as it came.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "network/ipv4.h"

namespace berth {

namespace dns {
inline constexpr uint16_t kTypeA = 1, kTypePtr = 12, kTypeAaaa = 28, kClassIn = 1;
inline constexpr uint8_t kNoError = 0, kServerFailure = 2, kNameError = 3;
}  // namespace dns

struct DnsQuestion {
  uint16_t id = 0;
  bool recursion_desired = false;
  std::string name;  // lower case, without the final dot
  uint16_t type = 0, klass = 0;
  size_t end = 0;  // where the question ends in the message
};

// The question of a standard query with exactly one; nullopt for anything else.
std::optional<DnsQuestion> parse_dns_query(const std::vector<uint8_t>& message);

// An answer to `query` (the message the question came from): `rcode`, and
// A records for `addresses` or a PTR record for `ptr_name`.
std::vector<uint8_t> dns_answer(const std::vector<uint8_t>& query, const DnsQuestion& q, uint8_t rcode,
                                const std::vector<Ipv4>& addresses, const std::string& ptr_name = "");

// "4.3.2.1.in-addr.arpa" → 1.2.3.4; nullopt for any other name.
std::optional<Ipv4> reverse_lookup_address(const std::string& name);

}  // namespace berth
