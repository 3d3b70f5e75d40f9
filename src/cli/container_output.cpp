#include "cli/container_output.h"

#include <cctype>
#include <optional>
#include <iostream>

#include "core/units.h"
#include "core/error.h"
#include "core/timestamp.h"
#include "core/number.h"
#include "runtime/json_log.h"

namespace berth {

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
    std::optional<int64_t> nanos = parse_rfc3339_nanos(text);
    if (!nanos || *nanos == 0) throw Error("invalid value for \"since\": " + text);
    return *nanos;
  }
  try {
    return now_unix_nanos() - parse_go_duration(text);
  } catch (const Error&) {
    throw Error("invalid value for \"since\": " + text);
  }
}

void print_log_entries(const std::vector<LogEntry>& entries, bool timestamps) {
  for (const LogEntry& e : entries) {
    std::ostream& out = e.stream == "stderr" ? std::cerr : std::cout;
    if (timestamps) out << e.time << " ";
    out << e.log;
  }
  std::cout.flush();
  std::cerr.flush();
}

}  // namespace berth
