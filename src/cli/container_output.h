// Printing a container's json-file log entries (engine/container_logs.h reads
// them), and `--since` as Docker takes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/json_log.h"

namespace berth {

// --since as Docker takes it: an RFC 3339 time, unix seconds ("1700000000.5"), or
// a duration before now ("10m", "1h30m"). Returns unix nanoseconds; throws Error.
int64_t parse_since(const std::string& text);

// Prints entries, stdout ones to stdout and stderr ones to stderr (each with
// its time first, with `timestamps`).
void print_log_entries(const std::vector<LogEntry>& entries, bool timestamps = false);

}  // namespace berth
