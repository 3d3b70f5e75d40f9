// The step cache: what changes a step's key (parent, the step, ARGs in
// scope, SOURCE_DATE_EPOCH) and what must not (the order ARGs were given in);
// and --cache-from matching by
// history and layers.
#include <gtest/gtest.h>

#include "builder/step_cache.h"

namespace {

using berth::CacheFromStep;
using berth::Digest;
using berth::ImageConfig;
using berth::Json;
using berth::step_cache_key;

const std::string kParent = berth::base_key(Digest::of("parent"), "linux/amd64");

TEST(StepCacheKey, ChangesWithWhatTheStepSees) {
  std::string base = step_cache_key(kParent, "run true", {{"A", "1"}}, std::nullopt);
  EXPECT_EQ(base, step_cache_key(kParent, "run true", {{"A", "1"}}, std::nullopt)) << "stable";
  EXPECT_NE(base, step_cache_key(berth::base_key(Digest::of("other"), "linux/amd64"), "run true", {{"A", "1"}},
                                 std::nullopt));
  EXPECT_NE(base, step_cache_key(berth::base_key(std::nullopt, "linux/amd64"), "run true", {{"A", "1"}}, std::nullopt))
      << "scratch";
  EXPECT_NE(base, step_cache_key(berth::base_key(Digest::of("parent"), "linux/arm64"), "run true", {{"A", "1"}},
                                 std::nullopt))
      << "another platform";
  // Chained by keys: the step after `base` has a key of its own, whatever image `base` made.
  EXPECT_NE(step_cache_key(base, "run true", {}, std::nullopt), step_cache_key(kParent, "run true", {}, std::nullopt));
  EXPECT_NE(base, step_cache_key(kParent, "run false", {{"A", "1"}}, std::nullopt));
  EXPECT_NE(base, step_cache_key(kParent, "run true", {{"A", "2"}}, std::nullopt));
  EXPECT_NE(base, step_cache_key(kParent, "run true", {{"A", "1"}, {"B", ""}}, std::nullopt));
  EXPECT_NE(base, step_cache_key(kParent, "run true", {}, std::nullopt));
  EXPECT_NE(base, step_cache_key(kParent, "run true", {{"A", "1"}}, 1700000000));
  EXPECT_NE(step_cache_key(kParent, "run true", {}, 1), step_cache_key(kParent, "run true", {}, 2));
}

TEST(StepCacheKey, DoesNotChangeWithWhatItDoesNotSee) {
  std::map<std::string, std::string> ab, ba;
  ab.emplace("A", "1");
  ab.emplace("B", "2");
  ba.emplace("B", "2");
  ba.emplace("A", "1");
  EXPECT_EQ(step_cache_key(kParent, "s", ab, std::nullopt), step_cache_key(kParent, "s", ba, std::nullopt));
}

ImageConfig image_with(const std::vector<std::pair<std::string, bool>>& steps, const std::vector<Digest>& diff_ids) {
  ImageConfig c;
  c.doc = {{"history", Json::array()}};
  for (const auto& [created_by, empty] : steps) {
    Json e = {{"created_by", created_by}};
    if (empty) e["empty_layer"] = true;
    c.doc["history"].push_back(e);
  }
  c.diff_ids = diff_ids;
  return c;
}

TEST(CacheFrom, TheNextStepAfterTheSameHistory) {
  Digest l1 = Digest::of("l1"), l2 = Digest::of("l2");
  std::vector<ImageConfig> images = {image_with({{"FROM", false}, {"ENV A=1", true}, {"RUN make", false}}, {l1, l2})};
  Json history = Json::array({{{"created_by", "FROM"}}});
  std::vector<Digest> so_far = {l1};
  auto all = [](const Digest&) { return true; };
  auto none = [](const Digest&) { return false; };
  std::optional<CacheFromStep> env = berth::match_cache_from(images, {history, so_far}, "ENV A=1", all);
  ASSERT_TRUE(env);
  EXPECT_FALSE(env->diff_id) << "an empty-layer step brings no layer";
  EXPECT_FALSE(berth::match_cache_from(images, {history, so_far}, "ENV A=2", all)) << "another step";
  history.push_back({{"created_by", "ENV A=1"}, {"empty_layer", true}});
  std::optional<CacheFromStep> run = berth::match_cache_from(images, {history, so_far}, "RUN make", all);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->diff_id, std::optional<Digest>(l2));
  EXPECT_FALSE(berth::match_cache_from(images, {history, so_far}, "RUN make", none)) << "a layer the store lacks";
  std::vector<Digest> other = {Digest::of("other")};
  EXPECT_FALSE(berth::match_cache_from(images, {history, other}, "RUN make", all)) << "other layers below";
  Json different = Json::array({{{"created_by", "FROM other"}}, {{"created_by", "ENV A=1"}, {"empty_layer", true}}});
  EXPECT_FALSE(berth::match_cache_from(images, {different, so_far}, "RUN make", all)) << "another history";
  Json done = images[0].doc["history"];
  EXPECT_FALSE(berth::match_cache_from(images, {done, images[0].diff_ids}, "RUN more", all)) << "past its end";
}

}  // namespace
