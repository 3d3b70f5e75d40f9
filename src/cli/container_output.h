// Printing a container's json-file log: all of it (`logs`), or following it
// while the container runs (`logs -f`, attached `run`).
#pragma once

#include <cstdint>
#include <string>

namespace berth {

struct LogPrintOptions {
  bool timestamps = false;
  int64_t tail = -1;  // last N lines; -1: all
  int64_t since = 0;  // unix nanoseconds: entries before it are left out; 0: all
};

// --since as Docker takes it: an RFC 3339 time, unix seconds ("1700000000.5"), or
// a duration before now ("10m", "1h30m"). Returns unix nanoseconds; throws Error.
int64_t parse_since(const std::string& text);

// Prints the log's entries from `fd`'s current offset to its end, stdout
// entries to stdout and stderr ones to stderr. Keeps a partial last line in
// `carry` for the next call.
void print_log_entries(int fd, const LogPrintOptions& options, std::string* carry);

}  // namespace berth
