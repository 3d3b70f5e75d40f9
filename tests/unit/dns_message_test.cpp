// The embedded resolver's DNS: reading a query's question, writing answers,
// and what it answers itself versus forwards.
#include <gtest/gtest.h>

#include "network/dns_message.h"
#include "network/dns_resolver.h"

namespace berth {
namespace {

// A standard query for `name` (one question), as a stub resolver sends it.
std::vector<uint8_t> query(const std::string& name, uint16_t type, uint16_t id = 0x1234) {
  std::vector<uint8_t> m = {static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    m.push_back(static_cast<uint8_t>(dot - start));
    m.insert(m.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  m.push_back(0);
  m.insert(m.end(), {0, static_cast<uint8_t>(type), 0, 1});
  return m;
}

TEST(DnsMessage, ReadsTheQuestion) {
  std::optional<DnsQuestion> q = parse_dns_query(query("Web.App", dns::kTypeA));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->id, 0x1234);
  EXPECT_TRUE(q->recursion_desired);
  EXPECT_EQ(q->name, "web.app");  // names compare without case
  EXPECT_EQ(q->type, dns::kTypeA);
  EXPECT_EQ(q->klass, dns::kClassIn);
}

TEST(DnsMessage, RefusesWhatIsNotOneQuestion) {
  std::vector<uint8_t> response = query("web", dns::kTypeA);
  response[2] |= 0x80;
  EXPECT_FALSE(parse_dns_query(response));
  std::vector<uint8_t> two = query("web", dns::kTypeA);
  two[5] = 2;
  EXPECT_FALSE(parse_dns_query(two));
  std::vector<uint8_t> cut = query("web", dns::kTypeA);
  cut.resize(cut.size() - 3);
  EXPECT_FALSE(parse_dns_query(cut));
  std::vector<uint8_t> pointer = query("web", dns::kTypeA);
  pointer[12] = 0xc0;  // compression in a question
  EXPECT_FALSE(parse_dns_query(pointer));
  EXPECT_FALSE(parse_dns_query({1, 2, 3}));
}

TEST(DnsMessage, WritesARecords) {
  std::vector<uint8_t> q = query("web", dns::kTypeA);
  std::vector<uint8_t> a = dns_answer(q, *parse_dns_query(q), dns::kNoError, {Ipv4::parse("172.18.0.2")});
  ASSERT_EQ(a.size(), q.size() + 16);
  EXPECT_EQ(a[0], 0x12);
  EXPECT_EQ(a[1], 0x34);
  EXPECT_EQ(a[2] & 0x80, 0x80);  // a response
  EXPECT_EQ(a[3] & 0x0f, 0);     // NOERROR
  EXPECT_EQ(a[7], 1);            // one answer
  EXPECT_EQ(std::vector<uint8_t>(a.end() - 4, a.end()), (std::vector<uint8_t>{172, 18, 0, 2}));
}

TEST(DnsMessage, ReverseNames) {
  EXPECT_EQ(reverse_lookup_address("2.0.18.172.in-addr.arpa")->str(), "172.18.0.2");
  EXPECT_FALSE(reverse_lookup_address("web.app"));
  EXPECT_FALSE(reverse_lookup_address("x.in-addr.arpa"));
}

TEST(DnsResolver, AnswersItsNamesAndFailsOthersWithoutUpstream) {
  DnsNames names;
  names.addresses_of = [](const std::string& n) {
    return n == "web" ? std::vector<Ipv4>{Ipv4::parse("172.18.0.2")} : std::vector<Ipv4>{};
  };
  names.name_of = [](Ipv4 ip) -> std::optional<std::string> {
    if (ip == Ipv4::parse("172.18.0.2")) return "web.app";
    return std::nullopt;
  };
  std::vector<uint8_t> a = resolve_dns_query(query("web", dns::kTypeA), names, {}, false);
  ASSERT_GT(a.size(), 12u);
  EXPECT_EQ(a[7], 1);
  // AAAA for a name of ours: no records, no error (IPv4 only), as Docker's.
  std::vector<uint8_t> aaaa = resolve_dns_query(query("web", dns::kTypeAaaa), names, {}, false);
  EXPECT_EQ(aaaa[3] & 0x0f, dns::kNoError);
  EXPECT_EQ(aaaa[7], 0);
  std::vector<uint8_t> ptr = resolve_dns_query(query("2.0.18.172.in-addr.arpa", dns::kTypePtr), names, {}, false);
  EXPECT_EQ(ptr[7], 1);
  // Not ours and nobody upstream: SERVFAIL, never silence.
  std::vector<uint8_t> other = resolve_dns_query(query("example.org", dns::kTypeA), names, {}, false);
  EXPECT_EQ(other[3] & 0x0f, dns::kServerFailure);
}

}  // namespace
}  // namespace berth
