// Printing a container's json-file log: all of it (`logs`), or following it
// while the container runs (`logs -f`, attached `run`).
#pragma once

#include <string>

namespace berth {

struct LogPrintOptions {
  bool timestamps = false;
  int64_t tail = -1;  // last N lines; -1: all
};

// Prints the log's entries from `fd`'s current offset to its end, stdout
// entries to stdout and stderr ones to stderr. Keeps a partial last line in
// `carry` for the next call.
void print_log_entries(int fd, const LogPrintOptions& options, std::string* carry);

}  // namespace berth
