// Which schemes the first request to a registry tries, and that a malformed
// insecure-registry CIDR matches nothing instead of failing.
#include <gtest/gtest.h>

#include "registry/registry_endpoint.h"

namespace {

TEST(Schemes, SecureRegistriesOnlyHttpsWithRetries) {
  auto s = berth::schemes_to_try(berth::endpoint_for("registry.example.com", {}));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].scheme, "https");
  EXPECT_TRUE(s[0].retry_transport);
}

TEST(Schemes, InsecureRegistriesFallBackToHttpAtOnce) {
  auto s = berth::schemes_to_try(berth::endpoint_for("localhost:5000", {}));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].scheme, "https");
  EXPECT_FALSE(s[0].retry_transport);
  EXPECT_EQ(s[1].scheme, "http");
  EXPECT_TRUE(s[1].retry_transport);
}

TEST(Endpoint, MalformedCidrsMatchNothing) {
  for (const char* cidr : {"10.0.0.0/", "10.0.0.0/x", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8x", "nonsense/8"})
    EXPECT_FALSE(berth::endpoint_for("10.1.2.3:5000", {cidr}).insecure) << cidr;
  EXPECT_TRUE(berth::endpoint_for("10.1.2.3:5000", {"10.0.0.0/8"}).insecure);
}

}  // namespace
