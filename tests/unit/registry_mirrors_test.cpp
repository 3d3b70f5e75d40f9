// Registry mirrors: registries.conf as containers-registries.conf(5) writes
// it, Docker's registry-mirrors for Docker Hub, and which mirror may serve
// which reference (digest-only never resolves a tag through a mirror).
#include "engine/registry_mirrors.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace {

berth::Reference ref_of(const std::string& text) { return berth::parse_docker_ref_or_throw(text); }

const char* kConf = R"(# a registries.conf
unqualified-search-registries = ["docker.io",
  "quay.io"]

[[registry]]
location = "127.0.0.1:5000"   # the origin
[[registry.mirror]]
location = "127.0.0.1:5001"
insecure = true
[[registry.mirror]]
location = 'mirror.example/team'
pull-from-mirror = "digest-only"

[[registry]]
prefix = "127.0.0.1:5000/special"
location = "127.0.0.1:5000/special"
mirror-by-digest-only = true
[[registry.mirror]]
location = "127.0.0.1:5002"
)";

TEST(RegistriesConf, RegistriesAndTheirMirrorsInOrder) {
  std::vector<berth::MirroredRegistry> r = berth::parse_registries_conf(kConf);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].prefix, "127.0.0.1:5000");
  ASSERT_EQ(r[0].mirrors.size(), 2u);
  EXPECT_EQ(r[0].mirrors[0].domain, "127.0.0.1:5001");
  EXPECT_TRUE(r[0].mirrors[0].plain_http);
  EXPECT_EQ(r[0].mirrors[1].domain, "mirror.example");
  EXPECT_EQ(r[0].mirrors[1].repository, "team");
  EXPECT_TRUE(r[0].mirrors[1].digest_only);
  EXPECT_TRUE(r[1].mirrors[0].digest_only);  // mirror-by-digest-only, the older form
}

TEST(RegistriesConf, BadLinesAreErrors) {
  EXPECT_THROW(berth::parse_registries_conf("[[registry.mirror]]\nlocation = \"x\"\n"), berth::Error);
  EXPECT_THROW(berth::parse_registries_conf("[[registry]]\nlocation\n"), berth::Error);
  EXPECT_THROW(berth::parse_registries_conf("[[registry]]\nprefix = \"a\"\n[[registry.mirror]]\npull-from-mirror = \"some\"\n"),
               berth::Error);
}

TEST(RegistryMirrors, WhichMirrorServesWhat) {
  std::vector<berth::MirroredRegistry> r = berth::parse_registries_conf(kConf);
  // A tag: the digest-only mirror is left out.
  std::vector<berth::RegistryMirror> tag = berth::mirrors_for(ref_of("127.0.0.1:5000/app:1"), {}, r);
  ASSERT_EQ(tag.size(), 1u);
  EXPECT_EQ(tag[0].domain, "127.0.0.1:5001");
  EXPECT_EQ(tag[0].repository, "app");
  // A digest: both, in order; the mirror's path goes in front.
  std::string digest = "@sha256:" + std::string(64, 'a');
  std::vector<berth::RegistryMirror> pinned = berth::mirrors_for(ref_of("127.0.0.1:5000/app" + digest), {}, r);
  ASSERT_EQ(pinned.size(), 2u);
  EXPECT_EQ(pinned[1].repository, "team/app");
  // The longest prefix wins.
  EXPECT_TRUE(berth::mirrors_for(ref_of("127.0.0.1:5000/special/x:1"), {}, r).empty());
  EXPECT_EQ(berth::mirrors_for(ref_of("127.0.0.1:5000/special/x" + digest), {}, r).at(0).repository, "x");
  // Another registry: none.
  EXPECT_TRUE(berth::mirrors_for(ref_of("127.0.0.1:6000/app:1"), {}, r).empty());
}

TEST(RegistryMirrors, DockerHubMirrorsFromTheConfig) {
  std::vector<berth::RegistryMirror> m =
      berth::mirrors_for(ref_of("busybox:1"), {"http://127.0.0.1:5001/", "https://hub-mirror.example"}, {});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].domain, "127.0.0.1:5001");
  EXPECT_TRUE(m[0].plain_http);
  EXPECT_EQ(m[0].repository, "library/busybox");
  EXPECT_FALSE(m[1].plain_http);
  EXPECT_TRUE(berth::mirrors_for(ref_of("127.0.0.1:5000/busybox:1"), {"http://127.0.0.1:5001"}, {}).empty());
}

}  // namespace
