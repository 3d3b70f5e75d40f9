// Timestamps as Go's time.Time marshals them (RFC 3339 with nanoseconds,
// trailing zeros trimmed, UTC): what image configs and `inspect` carry.
#pragma once

#include <time.h>

#include <cstdint>
#include <optional>
#include <string>

namespace berth {

// "2026-11-28T05:17:01.123456789Z"
std::string rfc3339_nano(int64_t unix_nanos);
int64_t now_unix_nanos();
// A file time (stat's st_mtim, st_ctim) in unix nanoseconds.
int64_t unix_nanos(const struct timespec& t);
// Go's time.ParseDuration, in nanoseconds: "30s", "1m30s", "1.5h", "100ms".
// Throws Error for anything else.
int64_t parse_go_duration(const std::string& text);
// Go's time.Duration.String(): "0s", "500ms", "1.5s", "1m30s", "1h0m0s".
std::string format_go_duration(int64_t nanos);
// Parses an RFC 3339 timestamp (as image configs carry) to unix seconds.
std::optional<int64_t> parse_rfc3339(const std::string& text);
// The same to unix nanoseconds, the fraction kept (a json-file log's times).
std::optional<int64_t> parse_rfc3339_nanos(const std::string& text);

}  // namespace berth
