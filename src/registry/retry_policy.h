// The one answer, for every registry request, to "try again?". Registries
// and the networks before them fail in passing (a 5xx from a busy backend, a
// 429 rate limit, a connection reset) and a pull of many layers meets such
// failures often; a 4xx other than 429 is an answer, and repeating the
// request cannot change it. Time is injectable so tests run the policy
// without waiting.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "registry/http_client.h"

namespace berth {

using Millis = std::chrono::milliseconds;

// Time as the policy sees it: the wall clock (for Retry-After dates) and a
// way to wait.
class RetryClock {
 public:
  virtual ~RetryClock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  virtual void sleep(Millis duration) = 0;
};

// The system clock, waiting with std::this_thread::sleep_for.
RetryClock& system_retry_clock();

// A Retry-After value (RFC 9110 10.2.3), delay-seconds or an HTTP-date (all
// three forms), as the wait from `now`: zero for a date past. nullopt when it
// is neither.
std::optional<Millis> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

struct RetryLimits {
  // Until this refactor berth had four retry loops; all made 5 attempts and
  // waited 250 ms doubled after each failure (250, 500, 1000, 2000 ms), so
  // those numbers stay, and the cap is the longest wait they reached.
  int attempts = 5;              // in all, the first included
  Millis first_delay{250};       // after the first failure, doubled after each next
  Millis max_delay{2000};        // the doubling stops here
  // A Retry-After longer than this is not waited for: the response is
  // returned and the user hears of it now rather than minutes later.
  Millis max_retry_after{30000};
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryLimits limits = {}, RetryClock& clock = system_retry_clock())
      : limits_(limits), clock_(&clock) {}

  const RetryLimits& limits() const { return limits_; }

  // 429 and 5xx. Not 401: the auth layer re-authenticates once itself.
  // (Of the four old loops only the request and blob loops retried 429; the
  // most generous is kept, so the ping, token and upload PUT do too now.)
  static bool retryable_status(long status);

  // The wait after failed attempt `attempt` (1-based): first_delay doubled
  // attempt-1 times, at most max_delay.
  Millis backoff(int attempt) const;

  // The wait after `resp` (a retryable status) failed attempt `attempt`: its
  // Retry-After when it has one, else backoff(attempt). nullopt: do not retry
  // (Retry-After asks for longer than max_retry_after).
  std::optional<Millis> delay_after(const HttpResponse& resp, int attempt) const;

  // Calls `send` until it returns a response not worth retrying or the
  // attempts are spent, and returns that response (a last 5xx included: the
  // caller words the error). A TransportError from `send` is retried too
  // (unless !retry_transport, or another policy inside `send` spent its
  // retries on it already) and rethrown once attempts are spent, marked
  // retries_spent; any other exception passes through at once.
  HttpResponse run(const std::function<HttpResponse()>& send, bool retry_transport = true) const;

 private:
  RetryLimits limits_;
  RetryClock* clock_;
};

}  // namespace berth
