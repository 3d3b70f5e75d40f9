#include "cli/container_output.h"

#include <unistd.h>

#include <deque>
#include <iostream>

#include "runtime/json_log.h"

namespace berth {

void print_log_entries(int fd, const LogPrintOptions& options, std::string* carry) {
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) carry->append(buf, static_cast<size_t>(n));
  std::deque<LogEntry> entries;
  size_t start = 0;
  for (size_t nl; (nl = carry->find('\n', start)) != std::string::npos; start = nl + 1) {
    LogEntry e;
    if (!parse_log_line(std::string_view(*carry).substr(start, nl - start), &e)) continue;
    entries.push_back(std::move(e));
    if (options.tail >= 0 && entries.size() > static_cast<size_t>(options.tail)) entries.pop_front();
  }
  carry->erase(0, start);
  for (const LogEntry& e : entries) {
    std::ostream& out = e.stream == "stderr" ? std::cerr : std::cout;
    if (options.timestamps) out << e.time << " ";
    out << e.log;
  }
  std::cout.flush();
  std::cerr.flush();
}

}  // namespace berth
