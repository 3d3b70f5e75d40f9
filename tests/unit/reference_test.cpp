// Docker's reference grammar, checked against distribution/reference's own
// results for every input in tests/conformance/image-reference.
#include "core/reference.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance.h"

using berth::Reference;
using berth::ReferenceResult;
using nlohmann::json;

namespace {

json load_json(const std::string& rel) { return berth::testing::conformance_json(rel); }

std::string str_or_empty(const json& j) { return j.is_string() ? j.get<std::string>() : ""; }

void expect_matches(const std::string& input, const char* function, const ReferenceResult& got,
                    const json& want) {
  SCOPED_TRACE(std::string(function) + "(\"" + input + "\")");
  if (!want["error"].is_null()) {
    EXPECT_FALSE(got.ref.has_value()) << "accepted, want error " << want["error"];
    return;
  }
  ASSERT_TRUE(got.ref.has_value()) << "refused: " << got.message;
  EXPECT_EQ(got.ref->str(), want["string"].get<std::string>());
  if (want["kind"] != "digest-only") {
    EXPECT_EQ(got.ref->name(), str_or_empty(want["name"]));
    EXPECT_EQ(got.ref->domain, str_or_empty(want["domain"]));
    EXPECT_EQ(got.ref->path, str_or_empty(want["path"]));
  }
  EXPECT_EQ(got.ref->tag, str_or_empty(want["tag"]));
  EXPECT_EQ(got.ref->digest, str_or_empty(want["digest"]));
}

}  // namespace

TEST(Reference, AgreesWithDistributionReferenceOnEveryDerivedRow) {
  json rows = load_json("image-reference/derived-parse-results.json")["rows"];
  ASSERT_GT(rows.size(), 150u);
  for (const json& row : rows) {
    std::string input = row["input"];
    expect_matches(input, "Parse", berth::parse_reference(input), row["parse"]);
    ReferenceResult named = berth::parse_normalized_named(input);
    expect_matches(input, "ParseNormalizedNamed", named, row["parse_normalized_named"]);
    if (named.ref && row["familiar_string"].is_string()) {
      EXPECT_EQ(named.ref->familiar_name(), row["familiar_name"].get<std::string>()) << input;
      EXPECT_EQ(named.ref->familiar_str(), row["familiar_string"].get<std::string>()) << input;
    }
    expect_matches(input, "ParseDockerRef", berth::parse_docker_ref(input), row["parse_docker_ref"]);
    expect_matches(input, "ParseAnyReference", berth::parse_any_reference(input),
                   row["parse_any_reference"]);
  }
}

TEST(Reference, ParseTableErrorKinds) {
  json vectors = load_json("image-reference/reference-test-vectors.json");
  const std::map<std::string, berth::ReferenceError> kinds = {
      {"ErrReferenceInvalidFormat", berth::ReferenceError::kInvalidFormat},
      {"ErrNameEmpty", berth::ReferenceError::kNameEmpty},
      {"ErrNameTooLong", berth::ReferenceError::kNameTooLong},
      {"ErrNameContainsUppercase", berth::ReferenceError::kNameContainsUppercase},
      {"digest.ErrDigestInvalidFormat", berth::ReferenceError::kDigestInvalidFormat},
      {"digest.ErrDigestInvalidLength", berth::ReferenceError::kDigestInvalidLength},
      {"digest.ErrDigestUnsupported", berth::ReferenceError::kDigestUnsupported},
  };
  int checked = 0;
  for (const json& c : vectors["tables"]["parse"]["cases"]) {
    std::string input = c["input"];
    ReferenceResult r = berth::parse_reference(input);
    if (c["error"].is_null()) {
      ASSERT_TRUE(r.ref) << input << ": " << r.message;
      EXPECT_EQ(r.ref->str(), input);
    } else {
      ASSERT_FALSE(r.ref) << input;
      auto it = kinds.find(c["error"].get<std::string>());
      ASSERT_NE(it, kinds.end()) << c["error"];
      EXPECT_EQ(r.error, it->second) << input;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 48);
}

TEST(Reference, NormalizedNameValidity) {
  json t = load_json("image-reference/reference-test-vectors.json")["tables"]["normalized_name_validity"];
  for (const json& s : t["valid"]) EXPECT_TRUE(berth::parse_normalized_named(s.get<std::string>()).ref) << s;
  for (const json& s : t["invalid"]) EXPECT_FALSE(berth::parse_normalized_named(s.get<std::string>()).ref) << s;
}

TEST(Reference, FamiliarForms) {
  Reference r = berth::parse_docker_ref_or_throw("nginx");
  EXPECT_EQ(r.str(), "docker.io/library/nginx:latest");
  EXPECT_EQ(r.familiar_str(), "nginx:latest");
  r = berth::parse_docker_ref_or_throw("localhost:5000/a/b:tag");
  EXPECT_EQ(r.familiar_str(), "localhost:5000/a/b:tag");
  EXPECT_THROW(berth::parse_docker_ref_or_throw("Not/Valid"), berth::Error);
}
