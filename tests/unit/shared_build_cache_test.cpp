// The build cache shared between machines: the --cache-to/--cache-from
// syntax, the description's format (and its refusal of anything malformed
// or written by another tool), and which steps mode=min and mode=max export.
#include <gtest/gtest.h>

#include "builder/cache_description.h"
#include "builder/cache_export.h"
#include "builder/cache_spec.h"
#include "core/error.h"

namespace {

using berth::CacheDirection;
using berth::CacheSpec;
using berth::Digest;
using berth::Json;

TEST(CacheSpec, BuildKitSyntax) {
  CacheSpec r = berth::parse_cache_spec("type=registry,ref=127.0.0.1:5000/cache:main,mode=max,ignore-error=false",
                                        CacheDirection::kExport);
  EXPECT_EQ(r.type, CacheSpec::Type::kRegistry);
  EXPECT_EQ(r.ref, "127.0.0.1:5000/cache:main");
  EXPECT_TRUE(r.every_stage);
  EXPECT_FALSE(r.ignore_error);
  CacheSpec min = berth::parse_cache_spec("type=registry,ref=r/c", CacheDirection::kExport);
  EXPECT_FALSE(min.every_stage);
  EXPECT_TRUE(min.ignore_error);
  EXPECT_EQ(berth::parse_cache_spec("type=local,dest=/tmp/c", CacheDirection::kExport).directory, "/tmp/c");
  EXPECT_EQ(berth::parse_cache_spec("type=local,src=/tmp/c", CacheDirection::kImport).directory, "/tmp/c");
  EXPECT_EQ(berth::parse_cache_spec("type=inline", CacheDirection::kExport).type, CacheSpec::Type::kInline);
  CacheSpec image = berth::parse_cache_spec("app:1", CacheDirection::kImport);
  EXPECT_EQ(image.type, CacheSpec::Type::kImage);
  EXPECT_EQ(image.ref, "app:1");
}

TEST(CacheSpec, BadValuesAreOneLineErrors) {
  for (auto [text, direction] : {std::pair{"type=registry", CacheDirection::kExport},
                                 std::pair{"type=local", CacheDirection::kImport},
                                 std::pair{"type=local,dest=/x", CacheDirection::kImport},
                                 std::pair{"type=s3,ref=x", CacheDirection::kExport},
                                 std::pair{"type=registry,ref=x,mode=all", CacheDirection::kExport},
                                 std::pair{"type=inline", CacheDirection::kImport},
                                 std::pair{"app:1", CacheDirection::kExport},
                                 std::pair{"type=registry,ref=x,colour=red", CacheDirection::kExport}}) {
    try {
      berth::parse_cache_spec(text, direction);
      ADD_FAILURE() << text << " was accepted";
    } catch (const berth::Error& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  }
}

TEST(CacheDescription, RoundTrips) {
  std::vector<berth::CachedStep> steps = {{"k1", "image sha256:aa linux/amd64", R"({"a":1})"}, {"k2", "k1", ""}};
  std::string config = berth::cache_config_json(steps);
  std::vector<berth::CachedStep> back = berth::parse_cache_config(config, "test");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].config, R"({"a":1})");  // byte for byte: a hit gives the very image
  EXPECT_EQ(back[1].parent, "k1");

  berth::Descriptor config_desc{berth::kCacheConfigMediaType, Digest::of(config), static_cast<int64_t>(config.size()),
                                Json::object(), Json()};
  berth::CachedLayer layer{{berth::media_type::kOciLayerGzip, Digest::of("blob"), 4, Json::object(), Json()},
                           Digest::of("tar")};
  berth::CacheManifest m =
      berth::parse_cache_manifest(berth::cache_manifest_json(config_desc, {layer}, steps), "test");
  EXPECT_EQ(m.config.digest, config_desc.digest);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(m.layers[0].diff_id, Digest::of("tar"));
  EXPECT_EQ(m.keys, (std::set<std::string>{"k1", "k2"}));  // a miss needs only the manifest
}

TEST(CacheDescription, ForeignAndMalformedAreRefused) {
  // An image's manifest (another tool's cache would look like this): not ours.
  std::string image_manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
    "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:)" + std::string(64, 'a') +
                               R"(","size":2},"layers":[]})";
  EXPECT_THROW(berth::parse_cache_manifest(image_manifest, "test"), berth::Error);
  EXPECT_THROW(berth::parse_cache_manifest("not json", "test"), berth::Error);
  EXPECT_THROW(berth::parse_cache_manifest("[]", "test"), berth::Error);
  EXPECT_THROW(berth::parse_cache_config(R"({"steps":[{"key":"k"}]})", "test"), berth::Error);
  EXPECT_THROW(berth::parse_cache_config(R"({"steps":{}})", "test"), berth::Error);
  EXPECT_THROW(berth::parse_cache_config(R"({"steps":[{"key":"","parent":"","config":""}]})", "test"), berth::Error);
  EXPECT_THROW(berth::inline_cache_steps(Json{{berth::kInlineCacheField, 3}}, "test"), berth::Error);
  EXPECT_TRUE(berth::inline_cache_steps(Json::object(), "test").empty());

  // Members of the wrong type are this module's errors, never a JSON library's exception.
  std::string cache_config = "{\"mediaType\":\"" + std::string(berth::kCacheConfigMediaType) +
                             "\",\"digest\":\"sha256:" + std::string(64, 'a') + "\",\"size\":2}";
  std::string numeric_diff_id = R"({"schemaVersion":2,"config":)" + cache_config +
                                R"(,"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:)" +
                                std::string(64, 'b') + R"(","size":1,"annotations":{")" + berth::kDiffIdAnnotation +
                                R"(":7}}]})";
  EXPECT_THROW(berth::parse_cache_manifest(numeric_diff_id, "test"), berth::Error);
  std::string numeric_keys = R"({"schemaVersion":2,"config":)" + cache_config + R"(,"layers":[],"annotations":{")" +
                             berth::kCacheKeysAnnotation + R"(":[1]}})";
  EXPECT_TRUE(berth::parse_cache_manifest(numeric_keys, "test").keys.empty());
  EXPECT_THROW(berth::parse_cache_config(R"({"steps":7})", "test"), berth::Error);
  EXPECT_THROW(berth::inline_cache_steps(Json{{berth::kInlineCacheField, {{"steps", "x"}}}}, "test"), berth::Error);
}

TEST(CacheExport, MinIsTheFinalChainMaxIsEverything) {
  Digest img = Digest::of("i");
  std::vector<berth::MadeStep> made = {{"b1", "base", img}, {"a1", "base", img}, {"b2", "b1", img},
                                       {"a2", "a1", img}, {"a3", "a2", img}};
  std::vector<berth::MadeStep> min = berth::steps_to_export(made, "a3", false);
  ASSERT_EQ(min.size(), 3u);
  EXPECT_EQ(min[0].key, "a1");
  EXPECT_EQ(min[2].key, "a3");
  EXPECT_EQ(berth::steps_to_export(made, "a3", true).size(), 5u);
  EXPECT_TRUE(berth::steps_to_export(made, "none", false).empty());
}

}  // namespace
