// Platforms as --platform and OCI indexes name them, normalised as
// containerd does, and the choice of a manifest from an index.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/platform.h"

namespace {

using berth::Platform;

TEST(Platform, ParsesAndNormalises) {
  EXPECT_EQ(Platform::parse("linux/amd64").str(), "linux/amd64");
  EXPECT_EQ(Platform::parse("linux/x86_64").str(), "linux/amd64");
  EXPECT_EQ(Platform::parse("linux/aarch64").str(), "linux/arm64");
  EXPECT_EQ(Platform::parse("linux/arm64/v8").str(), "linux/arm64");
  EXPECT_EQ(Platform::parse("linux/arm").str(), "linux/arm/v7");
  EXPECT_EQ(Platform::parse("linux/armhf").str(), "linux/arm/v7");
  EXPECT_EQ(Platform::parse("arm64").str(), "linux/arm64");
  EXPECT_EQ(Platform::parse("Linux/AMD64").str(), "linux/amd64");
}

TEST(Platform, RefusesMalformed) {
  for (const char* bad : {"", "linux/", "/amd64", "linux//v7", "linux/arm/v7/extra"})
    EXPECT_THROW(Platform::parse(bad), berth::Error) << bad;
}

TEST(Platform, HostIsNormalised) {
  Platform h = Platform::host();
  EXPECT_EQ(h.os, "linux");
  EXPECT_NE(h.architecture, "x86_64");
  EXPECT_NE(h.architecture, "aarch64");
}

berth::Index index_of(const std::string& json) { return berth::parse_index(json, "test index"); }

const char* kIndex = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","platform":{"os":"linux","architecture":"arm","variant":"v6"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","platform":{"os":"linux","architecture":"arm","variant":"v7"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:4444444444444444444444444444444444444444444444444444444444444444","platform":{"os":"unknown","architecture":"unknown"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:5555555555555555555555555555555555555555555555555555555555555555","platform":{"os":"linux","architecture":"amd64"}}]})";

TEST(PickManifest, ChoosesByOsArchitectureAndVariant) {
  berth::Index idx = index_of(kIndex);
  EXPECT_EQ(berth::pick_manifest(idx, Platform::parse("linux/amd64"))->digest.hex()[0], '5');
  EXPECT_EQ(berth::pick_manifest(idx, Platform::parse("linux/arm64"))->digest.hex()[0], '3');
  EXPECT_EQ(berth::pick_manifest(idx, Platform::parse("linux/arm/v7"))->digest.hex()[0], '2');
  EXPECT_EQ(berth::pick_manifest(idx, Platform::parse("linux/arm/v6"))->digest.hex()[0], '1');
  EXPECT_FALSE(berth::pick_manifest(idx, Platform::parse("linux/s390x")));
  EXPECT_FALSE(berth::pick_manifest(idx, Platform::parse("windows/amd64")));
}

}  // namespace
