// "a=1,b=2,flag": the comma-separated KEY[=VALUE] lists of --mount, --secret and
// RUN --mount. A bare key has the value "".
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace berth {

std::vector<std::pair<std::string, std::string>> parse_key_value_list(const std::string& spec);

// For boolean keys: a bare key, "true" or "1".
inline bool key_value_true(const std::string& value) { return value.empty() || value == "true" || value == "1"; }

}  // namespace berth
