#include "cli/container_output.h"

#include <unistd.h>

#include <cctype>
#include <deque>
#include <optional>
#include <iostream>

#include "cli/units.h"
#include "core/error.h"
#include "core/timestamp.h"
#include "core/number.h"
#include "runtime/json_log.h"

namespace berth {
namespace {

// "2026-11-30T19:00:00.123456789Z" -> unix nanoseconds (0 when unreadable).
int64_t unix_nanos_of(const std::string& time) {
  std::optional<int64_t> seconds = parse_rfc3339(time);
  if (!seconds) return 0;
  int64_t nanos = *seconds * 1000000000;
  size_t dot = time.find('.');
  if (dot != std::string::npos) {
    std::string digits;
    for (size_t i = dot + 1; i < time.size() && std::isdigit(static_cast<unsigned char>(time[i])) && digits.size() < 9; ++i)
      digits += time[i];
    digits.resize(9, '0');
    nanos += try_parse_int(digits).value_or(0);
  }
  return nanos;
}

}  // namespace

int64_t parse_since(const std::string& text) {
  if (text.empty()) return 0;
  if (std::isdigit(static_cast<unsigned char>(text[0])) && text.find_first_not_of("0123456789.") == std::string::npos) {
    size_t dot = text.find('.');
    std::optional<int64_t> seconds = try_parse_int(text.substr(0, dot));
    if (!seconds || *seconds > INT64_MAX / 1000000000) throw Error("invalid value for \"since\": " + text);
    int64_t nanos = *seconds * 1000000000;
    if (dot != std::string::npos) {
      std::string digits = text.substr(dot + 1, 9);
      digits.resize(9, '0');
      std::optional<int64_t> fraction = try_parse_int(digits);
      if (!fraction) throw Error("invalid value for \"since\": " + text);
      nanos += *fraction;
    }
    return nanos;
  }
  if (text.find('T') != std::string::npos || text.find('-') == 4) {
    int64_t nanos = unix_nanos_of(text);
    if (nanos == 0) throw Error("invalid value for \"since\": " + text);
    return nanos;
  }
  try {
    return now_unix_nanos() - parse_go_duration(text);
  } catch (const Error&) {
    throw Error("invalid value for \"since\": " + text);
  }
}

void print_log_entries(int fd, const LogPrintOptions& options, std::string* carry) {
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) carry->append(buf, static_cast<size_t>(n));
  std::deque<LogEntry> entries;
  size_t start = 0;
  for (size_t nl; (nl = carry->find('\n', start)) != std::string::npos; start = nl + 1) {
    LogEntry e;
    if (!parse_log_line(std::string_view(*carry).substr(start, nl - start), &e)) continue;
    if (options.since && unix_nanos_of(e.time) < options.since) continue;
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
