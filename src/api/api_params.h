// Reading an Engine API request as moby's httputils do: booleans ("", "0",
// "false", "no", "none" are false), integers, the `filters` JSON in both of
// its spellings, and JSON bodies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/api_router.h"
#include "core/byte_reader.h"
#include "core/image_config.h"

namespace berth {

bool query_bool(const ApiRequest& request, const std::string& name, bool fallback = false);
// Throws invalid_argument when present and not an integer.
int64_t query_int(const ApiRequest& request, const std::string& name, int64_t fallback);
std::string query_string(const ApiRequest& request, const std::string& name, const std::string& fallback = "");

// `filters={"status":{"running":true}}` (or the older {"status":["running"]})
// as the KEY=VALUE specs a CLI --filter takes, sorted by key.
std::vector<std::string> filter_specs(const ApiRequest& request);

// The body as a JSON object ({} when empty). Throws invalid_argument for
// malformed JSON, with moby's wording.
Json json_body(const ApiRequest& request);

// The body as it arrives, for a route added with RequestBody::streamed.
ByteReader& body_stream(const ApiRequest& request);

}  // namespace berth
