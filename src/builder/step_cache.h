// The build cache's two questions. Which key a step has: where it starts (the
// parent image), what it does (the instruction with its content digests), and
// what it sees (the ARGs in scope, SOURCE_DATE_EPOCH) — nothing else, so a
// step re-runs exactly when one of those changes. And, after a miss, whether
// an image given with --cache-from made this same step: the same history up
// to here and the same next history line (Docker's classic builder trusts
// --cache-from images that way).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "core/image_config.h"

namespace berth {

// `parent` is the key of the step before, or for a stage's first step what
// FROM named (base_key): keys chain from key to key, never through an image
// ID (which holds the time each step ran), so the same Dockerfile, context
// and base give the same keys on every machine — what a cache shared
// through a registry is matched by.
std::string step_cache_key(const std::string& parent, const std::string& step,
                           const std::map<std::string, std::string>& args_in_scope,
                           std::optional<int64_t> source_date_epoch);

// The chain's start: the base image by its ID (its config's digest, the same
// wherever it was pulled) or scratch, and the platform the steps run on.
std::string base_key(const std::optional<Digest>& base_image, const std::string& platform);

// A step a --cache-from image made: its history entry, and its layer's
// diff ID unless the step made none.
struct CacheFromStep {
  Json entry;
  std::optional<Digest> diff_id;
};

// Where a stage stands, as --cache-from matching compares it.
struct BuiltSoFar {
  const Json& history;                // the image's history so far (an array)
  const std::vector<Digest>& diff_ids;
};

// The step with history line `created_by` one of `images` made after the
// same steps as `so_far`. Its layer must be one the store has
// (`have_layer(chain ID)`).
std::optional<CacheFromStep> match_cache_from(const std::vector<ImageConfig>& images, const BuiltSoFar& so_far,
                                              const std::string& created_by,
                                              const std::function<bool(const Digest& chain_id)>& have_layer);

}  // namespace berth
