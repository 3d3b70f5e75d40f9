// The one retry policy of registry requests, on a fake clock: what it
// retries (5xx, 429, dropped connections) and what it never does (4xx),
// how long it waits (Retry-After in seconds or as a date, else doubling up
// to a cap), and when it gives up.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "registry/retry_policy.h"

namespace {

using berth::HttpResponse;
using berth::Millis;
using berth::RetryLimits;
using berth::RetryPolicy;
using berth::TransportError;
using std::chrono::system_clock;

// 2026-12-02 07:00:00 UTC, and the waits asked for.
class FakeClock : public berth::RetryClock {
 public:
  system_clock::time_point now() const override { return system_clock::from_time_t(1796194800); }
  void sleep(Millis d) override { slept.push_back(d.count()); }
  std::vector<long long> slept;
};

HttpResponse response(long status, std::string retry_after = "") {
  HttpResponse r;
  r.status = status;
  if (!retry_after.empty()) r.headers.emplace_back("retry-after", retry_after);
  return r;
}

// Answers from a script, one per attempt; a status of -1 is a dropped connection.
struct Script {
  std::deque<HttpResponse> answers;
  int calls = 0;
  HttpResponse operator()() {
    ++calls;
    HttpResponse r = answers.front();
    answers.pop_front();
    if (r.status == -1) throw TransportError("GET http://x/v2/: Connection reset by peer");
    return r;
  }
};

TEST(RetryPolicy, RetriesServerErrorsAndTooManyRequestsOnly) {
  for (long s : {429L, 500L, 502L, 503L, 504L}) EXPECT_TRUE(RetryPolicy::retryable_status(s)) << s;
  for (long s : {200L, 201L, 202L, 206L, 307L, 400L, 401L, 403L, 404L, 405L, 409L, 416L})
    EXPECT_FALSE(RetryPolicy::retryable_status(s)) << s;
}

TEST(RetryPolicy, BackoffDoublesFromTheFirstDelayUpToTheCap) {
  FakeClock clock;
  RetryPolicy p({}, clock);
  EXPECT_EQ(p.backoff(1), Millis(250));
  EXPECT_EQ(p.backoff(2), Millis(500));
  EXPECT_EQ(p.backoff(3), Millis(1000));
  EXPECT_EQ(p.backoff(4), Millis(2000));
  EXPECT_EQ(p.backoff(5), Millis(2000));   // capped
  EXPECT_EQ(p.backoff(60), Millis(2000));  // and no overflow far beyond
  RetryPolicy q({.attempts = 10, .first_delay = Millis(100), .max_delay = Millis(700)}, clock);
  EXPECT_EQ(q.backoff(3), Millis(400));
  EXPECT_EQ(q.backoff(4), Millis(700));
}

TEST(RetryPolicy, ServerErrorThenSuccess) {
  FakeClock clock;
  Script s{{response(500), response(503), response(200)}};
  HttpResponse r = RetryPolicy({}, clock).run(std::ref(s));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(s.calls, 3);
  EXPECT_EQ(clock.slept, (std::vector<long long>{250, 500}));
}

TEST(RetryPolicy, GivesUpAfterTheAttemptLimitWithTheLastResponse) {
  FakeClock clock;
  Script s{{response(500), response(500), response(500), response(500), response(502), response(200)}};
  HttpResponse r = RetryPolicy({}, clock).run(std::ref(s));
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(s.calls, 5);
  EXPECT_EQ(clock.slept, (std::vector<long long>{250, 500, 1000, 2000}));
}

TEST(RetryPolicy, NotFoundAndOtherClientErrorsAreNotRetried) {
  for (long status : {400L, 401L, 403L, 404L}) {
    FakeClock clock;
    Script s{{response(status), response(200)}};
    EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(s)).status, status);
    EXPECT_EQ(s.calls, 1) << status;
    EXPECT_TRUE(clock.slept.empty());
  }
}

TEST(RetryPolicy, DroppedConnectionsAreRetried) {
  FakeClock clock;
  Script s{{response(-1), response(-1), response(200)}};
  EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(s)).status, 200);
  EXPECT_EQ(s.calls, 3);
  EXPECT_EQ(clock.slept, (std::vector<long long>{250, 500}));
}

TEST(RetryPolicy, DroppedConnectionsRethrownWhenAttemptsAreSpent) {
  FakeClock clock;
  Script s{std::deque<HttpResponse>(5, response(-1))};
  EXPECT_THROW(RetryPolicy({}, clock).run(std::ref(s)), TransportError);
  EXPECT_EQ(s.calls, 5);
}

TEST(RetryPolicy, TransportRetriesCanBeTurnedOff) {
  FakeClock clock;
  Script s{{response(-1), response(200)}};
  EXPECT_THROW(RetryPolicy({}, clock).run(std::ref(s), /*retry_transport=*/false), TransportError);
  EXPECT_EQ(s.calls, 1);
  Script t{{response(500), response(200)}};  // statuses are still retried
  EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(t), false).status, 200);
}

TEST(RetryPolicy, NestedPoliciesDoNotMultiplyAttempts) {
  // A request whose token fetch gave up on a dropped connection: the
  // request's own policy does not start the fetch over.
  FakeClock clock;
  RetryPolicy policy({}, clock);
  Script inner{std::deque<HttpResponse>(5, response(-1))};
  int outer_calls = 0;
  try {
    policy.run([&] {
      ++outer_calls;
      return policy.run(std::ref(inner));
    });
    FAIL() << "nothing thrown";
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.retries_spent);
  }
  EXPECT_EQ(outer_calls, 1);
  EXPECT_EQ(inner.calls, 5);
}

TEST(RetryPolicy, OtherExceptionsPassThroughAtOnce) {
  FakeClock clock;
  int calls = 0;
  EXPECT_THROW(RetryPolicy({}, clock).run([&]() -> HttpResponse {
    ++calls;
    throw berth::Error("blob is longer than its 3 bytes");
  }),
               berth::Error);
  EXPECT_EQ(calls, 1);
}

TEST(RetryPolicy, TooManyRequestsWaitsTheRetryAfterSeconds) {
  FakeClock clock;
  Script s{{response(429, "3"), response(429, "0"), response(200)}};
  EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(s)).status, 200);
  EXPECT_EQ(clock.slept, (std::vector<long long>{3000, 0}));
}

TEST(RetryPolicy, RetryAfterAsAnHttpDate) {
  FakeClock clock;
  // 7 seconds after the fake now.
  Script s{{response(503, "Wed, 02 Dec 2026 07:00:07 GMT"), response(200)}};
  EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(s)).status, 200);
  EXPECT_EQ(clock.slept, (std::vector<long long>{7000}));
}

TEST(RetryPolicy, UnreadableRetryAfterFallsBackToBackoff) {
  FakeClock clock;
  Script s{{response(429, "soon"), response(429, "-5"), response(200)}};
  EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(s)).status, 200);
  EXPECT_EQ(clock.slept, (std::vector<long long>{250, 500}));
}

TEST(RetryPolicy, ARetryAfterBeyondTheCeilingEndsTheRetries) {
  FakeClock clock;
  Script s{{response(429, "3600"), response(200)}};
  EXPECT_EQ(RetryPolicy({}, clock).run(std::ref(s)).status, 429);
  EXPECT_EQ(s.calls, 1);
  EXPECT_TRUE(clock.slept.empty());
}

TEST(RetryAfter, SecondsAndTheThreeDateForms) {
  auto now = system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  using berth::parse_retry_after;
  EXPECT_EQ(parse_retry_after("120", now), Millis(120000));
  EXPECT_EQ(parse_retry_after(" 5 ", now), Millis(5000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Millis(10000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:57 GMT", now), Millis(20000));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:50:07 1994", now), Millis(30000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Millis(0));  // past: at once
  EXPECT_EQ(parse_retry_after("99999999999999999999", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT trailing", now), std::nullopt);
}

}  // namespace
