#include "registry/retry_policy.h"

#include <time.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <thread>

#include "core/number.h"

namespace berth {
namespace {

class SystemRetryClock : public RetryClock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  void sleep(Millis duration) override { std::this_thread::sleep_for(duration); }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// An HTTP-date as seconds since the epoch: IMF-fixdate, and the obsolete
// RFC 850 and asctime forms recipients must still accept. Parsed with
// strptime, whose day and month names are the C locale's (berth sets only
// LC_CTYPE).
std::optional<int64_t> parse_http_date(const std::string& text) {
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    struct tm tm = {};
    const char* end = ::strptime(text.c_str(), format, &tm);
    if (end && *end == '\0') return static_cast<int64_t>(::timegm(&tm));
  }
  return std::nullopt;
}

}  // namespace

RetryClock& system_retry_clock() {
  static SystemRetryClock clock;
  return clock;
}

std::optional<Millis> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    std::optional<int64_t> seconds = try_parse_int(value);
    if (!seconds) return std::nullopt;
    // Beyond a day it makes no difference to the caller; this keeps it from overflowing.
    return Millis(std::min<int64_t>(*seconds, 86400) * 1000);
  }
  std::optional<int64_t> at = parse_http_date(std::string(value));
  if (!at) return std::nullopt;
  auto wait = std::chrono::system_clock::from_time_t(static_cast<time_t>(*at)) - now;
  return std::max(Millis(0), std::chrono::duration_cast<Millis>(wait));
}

bool RetryPolicy::retryable_status(long status) { return status == 429 || status >= 500; }

Millis RetryPolicy::backoff(int attempt) const {
  Millis delay = limits_.first_delay;
  for (int i = 1; i < attempt && delay < limits_.max_delay; ++i) delay *= 2;
  return std::min(delay, limits_.max_delay);
}

std::optional<Millis> RetryPolicy::delay_after(const HttpResponse& resp, int attempt) const {
  std::string said = resp.header("retry-after");
  if (said.empty()) return backoff(attempt);
  std::optional<Millis> wait = parse_retry_after(said, clock_->now());
  if (!wait) return backoff(attempt);  // unreadable: as if it were not there
  if (*wait > limits_.max_retry_after) return std::nullopt;
  return wait;
}

HttpResponse RetryPolicy::run(const std::function<HttpResponse()>& send, bool retry_transport) const {
  for (int attempt = 1;; ++attempt) {
    std::optional<Millis> wait;
    try {
      HttpResponse resp = send();
      if (!retryable_status(resp.status) || attempt >= limits_.attempts) return resp;
      wait = delay_after(resp, attempt);
      if (!wait) return resp;
    } catch (TransportError& e) {
      if (e.retries_spent || !retry_transport || attempt >= limits_.attempts) {
        e.retries_spent = true;
        throw;
      }
      wait = backoff(attempt);
    }
    clock_->sleep(*wait);
  }
}

}  // namespace berth
