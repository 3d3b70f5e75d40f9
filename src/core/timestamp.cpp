#include "core/timestamp.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/error.h"
#include "core/number.h"

namespace berth {

std::string rfc3339_nano(int64_t unix_nanos) {
  time_t seconds = static_cast<time_t>(unix_nanos / 1000000000);
  int64_t nanos = unix_nanos % 1000000000;
  struct tm tm;
  gmtime_r(&seconds, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  std::string frac = std::to_string(1000000000 + nanos).substr(1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) out += "." + frac;
  return out + "Z";
}

int64_t now_unix_nanos() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return unix_nanos(ts);
}

int64_t unix_nanos(const struct timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; }

int64_t parse_go_duration(const std::string& s) {
  if (s == "0") return 0;
  if (s.empty()) throw Error("time: invalid duration \"\"");
  double total = 0;
  size_t i = 0;
  bool negative = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') ++i;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (start == i) throw Error("time: invalid duration \"" + s + "\"");
    std::optional<double> parsed = try_parse_double(s.substr(start, i - start));
    if (!parsed) throw Error("time: invalid duration \"" + s + "\"");
    double value = *parsed;
    size_t unit_start = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
    std::string unit = s.substr(unit_start, i - unit_start);
    double scale = unit == "ns" ? 1 : unit == "us" || unit == "\xc2\xb5s" ? 1e3 : unit == "ms" ? 1e6 : unit == "s" ? 1e9
                 : unit == "m" ? 60e9 : unit == "h" ? 3600e9 : -1;
    if (scale < 0)
      throw Error("time: " + std::string(unit.empty() ? "missing unit" : "unknown unit \"" + unit + "\"") +
                  " in duration \"" + s + "\"");
    total += value * scale;
  }
  int64_t ns = static_cast<int64_t>(std::llround(total));
  return negative ? -ns : ns;
}

namespace {

// `value` / 10^digits as Go prints it: the fraction's trailing zeros dropped.
std::string with_fraction(uint64_t value, int digits) {
  uint64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = std::to_string(value / scale);
  std::string fraction = std::to_string(value % scale);
  fraction.insert(0, static_cast<size_t>(digits) - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? out : out + "." + fraction;
}

}  // namespace

std::string format_go_duration(int64_t nanos) {
  if (nanos == 0) return "0s";
  std::string sign = nanos < 0 ? "-" : "";
  uint64_t u = nanos < 0 ? static_cast<uint64_t>(-(nanos + 1)) + 1 : static_cast<uint64_t>(nanos);
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + with_fraction(u, 3) + "\xc2\xb5s";
  if (u < 1000000000) return sign + with_fraction(u, 6) + "ms";
  uint64_t seconds = u / 1000000000, minutes = seconds / 60, hours = minutes / 60;
  std::string out = with_fraction(u % 60000000000ULL, 9) + "s";
  if (minutes > 0) out = std::to_string(minutes % 60) + "m" + out;
  if (hours > 0) out = std::to_string(hours) + "h" + out;
  return sign + out;
}

std::optional<int64_t> parse_rfc3339(const std::string& text) {
  int y, mo, d, h, mi, s, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6) return std::nullopt;
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.')
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9';) ++i;
  struct tm tm = {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t t = static_cast<int64_t>(timegm(&tm));
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    int64_t off = oh * 3600 + om * 60;
    t += text[i] == '+' ? -off : off;
  }
  return t;
}

std::optional<int64_t> parse_rfc3339_nanos(const std::string& text) {
  std::optional<int64_t> seconds = parse_rfc3339(text);
  if (!seconds) return std::nullopt;
  int64_t nanos = *seconds * 1000000000;
  size_t dot = text.find('.');
  if (dot != std::string::npos) {
    std::string digits;
    for (size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits.size() < 9; ++i)
      digits += text[i];
    digits.resize(9, '0');
    nanos += try_parse_int(digits).value_or(0);
  }
  return nanos;
}

}  // namespace berth
