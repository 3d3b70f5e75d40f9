#include "core/timestamp.h"

#include <ctime>

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
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace berth
