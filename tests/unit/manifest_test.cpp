// Manifests, indexes and configs from tests/conformance/oci-image-spec:
// what the OCI tests call valid parses (sha256 digests; berth refuses other
// algorithms by design), structurally broken documents are refused, and the
// real Docker v2.2 documents hash to their recorded digests.
#include <gtest/gtest.h>

#include "conformance.h"
#include "core/error.h"
#include "core/image_config.h"
#include "core/manifest.h"

using berth::Json;

namespace {

std::string read(const std::string& rel) { return berth::testing::read_conformance("oci-image-spec/" + rel); }

bool only_sha256_digests(const std::string& text) {
  for (size_t pos = 0; (pos = text.find("\"digest\"", pos)) != std::string::npos; ++pos) {
    size_t value = text.find('"', text.find(':', pos) + 1);
    if (text.compare(value + 1, 7, "sha256:") != 0) return false;
  }
  return true;
}

void parse_as(const std::string& schema, const std::string& text, const std::string& what) {
  if (schema == "image-manifest-schema.json") berth::parse_manifest(text, what);
  else if (schema == "image-index-schema.json") berth::parse_index(text, what);
  else if (schema == "config-schema.json") berth::ImageConfig::parse(text, what);
}

}  // namespace

TEST(OciConformance, ValidDocumentsParse) {
  Json index = Json::parse(read("index.json"));
  int checked = 0;
  for (const Json& c : index["cases"]) {
    std::string schema = c["schema"], file = c["file"];
    if (c["expect"] != "valid") continue;
    if (schema != "image-manifest-schema.json" && schema != "image-index-schema.json" && schema != "config-schema.json")
      continue;
    std::string text = read(file);
    if (only_sha256_digests(text)) {
      EXPECT_NO_THROW(parse_as(schema, text, file)) << file;
    } else {
      EXPECT_THROW(parse_as(schema, text, file), berth::Error) << file << ": other digest algorithms are refused";
    }
    ++checked;
  }
  EXPECT_GE(checked, 25);
}

TEST(OciConformance, StructurallyBrokenDocumentsAreRefused) {
  // The invalid cases berth's parser must catch itself: broken JSON, sizes
  // that are not integers, descriptors without a digest. (Media-type patterns
  // and config field types are JSON-schema matters berth does not police.)
  for (const char* file : {"invalid/manifest-01-expected-failure-config-size-is-a-string-expected-integer.json",
                           "invalid/manifest-02-expected-failure-layers-size-is-string-expected-integer.json",
                           "invalid/index-01-expected-failure-manifest-size-is-string-expected-integer.json",
                           "invalid/index-02-expected-failure-manifest-digest-is-missing-expected-require.json",
                           "invalid/config-06-expected-failue-invalid-json.json"}) {
    std::string f = file, text = read(f);
    std::string schema = f.find("/manifest-") != std::string::npos ? "image-manifest-schema.json"
                         : f.find("/index-") != std::string::npos  ? "image-index-schema.json"
                                                                    : "config-schema.json";
    EXPECT_THROW(parse_as(schema, text, f), berth::Error) << f;
  }
}

TEST(OciConformance, DockerDocumentsHashToTheirDigests) {
  Json index = Json::parse(read("index.json"));
  int checked = 0;
  for (const Json& c : index["cases"]) {
    if (!c.contains("sha256_of_file_bytes")) continue;
    std::string text = read(c["file"]);
    EXPECT_EQ(berth::Digest::of(text).str(), c["sha256_of_file_bytes"].get<std::string>()) << c["file"];
    ++checked;
  }
  EXPECT_EQ(checked, 4);
  berth::Manifest m = berth::parse_manifest(read("docker-v2.2-compat/docker-manifest-00.json"), "docker manifest");
  EXPECT_EQ(m.media_type, berth::media_type::kDockerManifest);
  EXPECT_FALSE(m.layers.empty());
  berth::Index idx = berth::parse_index(read("docker-v2.2-compat/docker-index-00.json"), "docker index");
  EXPECT_EQ(idx.media_type, berth::media_type::kDockerManifestList);
}

TEST(Manifest, SchemaOneIsRefusedWithAMessage) {
  for (const char* doc : {R"({"schemaVersion":1,"name":"a","tag":"1","fsLayers":[]})",
                          R"({"mediaType":"application/vnd.docker.distribution.manifest.v1+prettyjws","schemaVersion":1})"}) {
    try {
      berth::detect_manifest_media_type(Json::parse(doc), "manifest for x:1");
      ADD_FAILURE() << "accepted " << doc;
    } catch (const berth::Error& e) {
      EXPECT_NE(std::string(e.what()).find("schema 1 is not supported"), std::string::npos) << e.what();
    }
  }
}

TEST(ImageConfig, FieldsOfTheWrongTypeAreRefusedAsDockerRefusesThem) {
  const std::string rootfs = R"("rootfs":{"type":"layers","diff_ids":[]})";
  auto refused = [&](const std::string& fields, const std::string& words) {
    try {
      berth::ImageConfig::parse("{" + fields + "," + rootfs + "}", "image x");
      ADD_FAILURE() << "accepted " << fields;
    } catch (const berth::Error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  refused(R"("config":{"User":5})", "image x: image config: config.User is not a string");
  refused(R"("config":{"Env":["A=1",2]})", "config.Env is not a list of strings");
  refused(R"("config":{"Labels":{"a":1}})", "config.Labels.a is not a string");
  refused(R"("config":{"Tty":"yes"})", "config.Tty is not a boolean");
  refused(R"("config":{"Healthcheck":{"Test":"CMD true"}})", "config.Healthcheck.Test is not a list of strings");
  refused(R"("config":{"Healthcheck":{"Interval":"5s"}})", "config.Healthcheck.Interval is not an integer");
  refused(R"("config":[])", "config is not an object");
  refused(R"("history":[1])", "a history entry is not an object");
  refused(R"("history":[{"empty_layer":"true"}])", "history[].empty_layer is not a boolean");
  refused(R"("history":[{"created_by":["x"]}])", "history[].created_by is not a string");
  refused(R"("architecture":7)", "architecture is not a string");
  // What Docker takes: a string for Cmd (its strslice), nulls, unknown fields.
  EXPECT_NO_THROW(berth::ImageConfig::parse(
      R"({"config":{"Cmd":"sh","Entrypoint":null,"Labels":null,"X-Unknown":1},"history":[{"created":"2024-01-01T00:00:00Z"}],)" +
          rootfs + "}",
      "image x"));
  EXPECT_THROW(berth::ImageConfig::parse(R"({"rootfs":{"type":5}})", "image x"), berth::Error);  // no type_error
}
