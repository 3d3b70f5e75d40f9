// What a registry client decides before any byte goes out: how it reads
// WWW-Authenticate challenges, which registries may use plain HTTP, and the
// scopes it asks token servers for.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/registry_access.h"
#include "core/base64.h"
#include "core/fs.h"
#include "registry/auth_challenge.h"
#include "registry/registry_client.h"

namespace {

using berth::parse_auth_challenge;

TEST(AuthChallenge, BearerWithQuotedParams) {
  auto ch = parse_auth_challenge(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")");
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->scheme, "bearer");
  EXPECT_EQ(ch->param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(ch->param("service"), "registry.docker.io");
  EXPECT_EQ(ch->param("scope"), "repository:library/nginx:pull");
  EXPECT_EQ(ch->param("error"), "");
}

TEST(AuthChallenge, SchemeCaseSpacesEscapesAndBareTokens) {
  auto ch = parse_auth_challenge(R"(  BASIC   Realm = "a \"quoted\" realm" , charset=UTF-8)");
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->scheme, "basic");
  EXPECT_EQ(ch->param("realm"), R"(a "quoted" realm)");
  EXPECT_EQ(ch->param("charset"), "UTF-8");
}

TEST(AuthChallenge, OnlyTheFirstChallengeIsRead) {
  auto ch = parse_auth_challenge(R"(Bearer realm="r1", Basic realm="r2")");
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->scheme, "bearer");
  EXPECT_EQ(ch->param("realm"), "r1");
}

TEST(AuthChallenge, EmptyOrBrokenHeaders) {
  EXPECT_FALSE(parse_auth_challenge(""));
  EXPECT_FALSE(parse_auth_challenge("   "));
  auto ch = parse_auth_challenge(R"(Bearer realm="never closed)");
  ASSERT_TRUE(ch);  // the scheme is still known; the broken parameter is dropped
  EXPECT_EQ(ch->param("realm"), "");
}

TEST(TokenResponse, TokenElseAccessTokenAndNothingElse) {
  EXPECT_EQ(berth::token_of_response(R"({"token":"abc","access_token":"def"})"), "abc");
  EXPECT_EQ(berth::token_of_response(R"({"access_token":"def"})"), "def");
  EXPECT_EQ(berth::token_of_response(R"({"token":"","access_token":"def"})"), "def");
  EXPECT_EQ(berth::token_of_response(R"({"token":7})"), "");  // a number is no token (and no exception)
  EXPECT_EQ(berth::token_of_response("not json"), "");
  EXPECT_EQ(berth::token_of_response("[]"), "");
}

TEST(Endpoint, DockerHubNamesItsApiHostAndCredentialsKey) {
  berth::RegistryEndpoint e = berth::endpoint_for("docker.io", {});
  EXPECT_EQ(e.api_host, "registry-1.docker.io");
  EXPECT_EQ(e.creds_key, "https://index.docker.io/v1/");
  EXPECT_FALSE(e.insecure);
}

TEST(Endpoint, LoopbackIsInsecureLikeDocker) {
  for (const char* d : {"localhost:5000", "localhost", "127.0.0.1:5000", "127.1.2.3", "[::1]:5000"})
    EXPECT_TRUE(berth::endpoint_for(d, {}).insecure) << d;
  for (const char* d : {"registry.example.com", "10.0.0.5:5000", "128.0.0.1"})
    EXPECT_FALSE(berth::endpoint_for(d, {}).insecure) << d;
}

TEST(Endpoint, InsecureListMatchesHostPortHostAndCidr) {
  EXPECT_TRUE(berth::endpoint_for("reg.example:5000", {"reg.example:5000"}).insecure);
  EXPECT_TRUE(berth::endpoint_for("reg.example:5000", {"reg.example"}).insecure);
  EXPECT_FALSE(berth::endpoint_for("reg.example:5000", {"other.example"}).insecure);
  EXPECT_TRUE(berth::endpoint_for("10.1.2.3:5000", {"10.0.0.0/8"}).insecure);
  EXPECT_FALSE(berth::endpoint_for("11.1.2.3:5000", {"10.0.0.0/8"}).insecure);
  EXPECT_TRUE(berth::endpoint_for("192.168.7.1", {"0.0.0.0/0"}).insecure);
  EXPECT_EQ(berth::endpoint_for("reg.example:5000", {}).creds_key, "reg.example:5000");
}

TEST(Scopes, AsTokenServersExpectThem) {
  EXPECT_EQ(berth::pull_scope("library/nginx"), "repository:library/nginx:pull");
  EXPECT_EQ(berth::push_scope("team/app"), "repository:team/app:pull,push");
}

TEST(Base64, RoundTripsAndRefusesJunk) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "user:pa:ss", std::string("\0\xff\x10", 3)})
    EXPECT_EQ(berth::base64_decode(berth::base64_encode(s)), s);
  EXPECT_EQ(berth::base64_encode("tester:secret"), "dGVzdGVyOnNlY3JldA==");
  EXPECT_FALSE(berth::base64_decode("abc"));
  EXPECT_FALSE(berth::base64_decode("a*c="));
}

}  // namespace

namespace {

TEST(InsecureRegistries, FlagsAndTheConfigFile) {
  std::filesystem::path file = std::filesystem::temp_directory_path() / ("berth-config-" + berth::random_hex(8) + ".json");
  berth::Context ctx("/nonexistent-root");
  ctx.insecure_registries = {"flag.example:5000"};
  setenv("BERTH_CONFIG", file.c_str(), 1);
  EXPECT_EQ(berth::insecure_registries(ctx), std::vector<std::string>{"flag.example:5000"});  // no file: flags only
  berth::write_file_atomic(file, R"({"insecure-registries": ["file.example", "10.0.0.0/8"], "other": 1})");
  EXPECT_EQ(berth::insecure_registries(ctx),
            (std::vector<std::string>{"flag.example:5000", "file.example", "10.0.0.0/8"}));
  berth::write_file_atomic(file, "not json");
  EXPECT_THROW(berth::insecure_registries(ctx), berth::Error);
  unsetenv("BERTH_CONFIG");
  std::filesystem::remove(file);
}

}  // namespace
