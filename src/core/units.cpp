#include "core/units.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/timestamp.h"

namespace berth {

std::string human_size(double size, int precision) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  int i = 0;
  while (size >= 1000.0 && i < 8) {
    size /= 1000.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g%s", precision, size, units[i]);
  return buf;
}

std::string bytes_size(double size) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  int i = 0;
  while (size >= 1024.0 && i < 8) {
    size /= 1024.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g%s", size, units[i]);
  return buf;
}

std::string human_duration(int64_t seconds) {
  auto fmt = [](int64_t n, const char* unit) { return std::to_string(n) + " " + unit; };
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return fmt(seconds, "seconds");
  int64_t minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return fmt(minutes, "minutes");
  int64_t hours = static_cast<int64_t>(std::llround(static_cast<double>(seconds) / 3600.0));
  if (hours == 1) return "About an hour";
  if (hours < 48) return fmt(hours, "hours");
  if (hours < 24 * 7 * 2) return fmt(hours / 24, "days");
  if (hours < 24 * 30 * 2) return fmt(hours / 24 / 7, "weeks");
  if (hours < 24 * 365 * 2) return fmt(hours / 24 / 30, "months");
  return fmt(seconds / 3600 / 24 / 365, "years");
}

std::string format_rfc3339(int64_t seconds) { return rfc3339_nano(seconds * 1000000000); }

std::string ellipsis(const std::string& s, size_t max) {
  size_t count = 0, cut = std::string::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (count == max - 1) cut = i;
    ++count;
  }
  if (count <= max) return s;
  return s.substr(0, cut) + "…";
}

}  // namespace berth
