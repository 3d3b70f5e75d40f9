// Docker's ways of printing sizes and times (go-units HumanSize and
// HumanDuration, RFC 3339), so columns read exactly as `docker`'s do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/timestamp.h"  // parse_rfc3339, which the columns read times with

namespace berth {

// units.HumanSizeWithPrecision: decimal units, "%.*g" — "1.23MB", "372MB".
std::string human_size(double bytes, int precision = 3);
// units.BytesSize: binary units, "%.4g" — "23.54GiB" (docker info's Total Memory).
std::string bytes_size(double bytes);

// units.HumanDuration: "Less than a second", "About an hour", "3 weeks".
std::string human_duration(int64_t seconds);
// Formats unix seconds as RFC 3339 in UTC, as `time.RFC3339` does.
std::string format_rfc3339(int64_t seconds);
// Ellipsis: at most `max` characters (code points), the last one "…".
std::string ellipsis(const std::string& s, size_t max);

}  // namespace berth
