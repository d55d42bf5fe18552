#include "retry/retry_policy.h"

#include <gtest/gtest.h>

namespace otelpack {
namespace {

using std::chrono::milliseconds;

SendResult Http(int code, std::optional<milliseconds> retry_after = std::nullopt) {
  SendResult r;
  r.http_status = code;
  r.status = ClassifyHttpStatus(code, "");
  r.retry_after = retry_after;
  return r;
}

SendResult NoResponse(Status s) {
  SendResult r;
  r.status = std::move(s);
  return r;
}

TEST(RetryPolicyTest, WaitsGrowByTheMultiplierUpToTheCap) {
  RetryOptions o;
  o.randomization_factor = 0;  // exact maths
  o.initial_interval = milliseconds(100);
  o.multiplier = 2;
  o.max_interval = milliseconds(700);
  o.max_elapsed_time = milliseconds(0);  // forever
  ManualClock clock;
  Backoff b(o, &clock, 1);
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 6; ++i) waits.push_back(b.NextDelay(Http(503))->count());
  EXPECT_EQ(waits, (std::vector<std::int64_t>{100, 200, 400, 700, 700, 700}));
  EXPECT_EQ(b.attempts(), 6);
}

TEST(RetryPolicyTest, JitterStaysWithinTheRandomizationFactor) {
  RetryOptions o;  // Collector defaults: 5 s, x1.5, ±50 %, cap 30 s
  ManualClock clock;
  double expected = 5000;
  Backoff b(o, &clock, 42);
  bool varied = false;
  std::int64_t first = -1;
  for (int i = 0; i < 8; ++i) {
    std::int64_t d = b.NextDelay(Http(502))->count();
    EXPECT_GE(d, static_cast<std::int64_t>(expected * 0.5) - 1) << i;
    EXPECT_LE(d, static_cast<std::int64_t>(expected * 1.5) + 1) << i;
    if (first < 0) first = d;
    expected = std::min(expected * 1.5, 30000.0);
    clock.Advance(milliseconds(d));
  }
  Backoff again(o, &clock, 43);
  varied = again.NextDelay(Http(502))->count() != first;
  EXPECT_TRUE(varied) << "different seeds spread differently";
}

TEST(RetryPolicyTest, RetryAfterReplacesTheComputedWait) {
  RetryOptions o;
  ManualClock clock;
  Backoff b(o, &clock, 1);
  EXPECT_EQ(b.NextDelay(Http(429, milliseconds(2000)))->count(), 2000);
  EXPECT_EQ(b.NextDelay(Http(503, milliseconds(45'000)))->count(), 45'000) << "longer than max_interval: honoured";
}

TEST(RetryPolicyTest, GivesUpWhenTheElapsedBudgetIsSpent) {
  RetryOptions o;
  o.randomization_factor = 0;
  o.initial_interval = milliseconds(1000);
  o.multiplier = 1;
  o.max_interval = milliseconds(1000);
  o.max_elapsed_time = milliseconds(3500);
  ManualClock clock;
  Backoff b(o, &clock, 1);
  int retries = 0;
  while (auto d = b.NextDelay(NoResponse(Status::Unavailable("refused")))) {
    clock.Advance(*d);
    ++retries;
  }
  EXPECT_EQ(retries, 3);  // waits end at 1, 2, 3 s; a fourth would end at 4 s > 3.5 s
}

TEST(RetryPolicyTest, ZeroElapsedTimeMeansForever) {
  RetryOptions o;
  o.max_elapsed_time = milliseconds(0);
  ManualClock clock;
  Backoff b(o, &clock, 1);
  for (int i = 0; i < 1000; ++i) {
    auto d = b.NextDelay(NoResponse(Status::DeadlineExceeded("timeout")));
    ASSERT_TRUE(d.has_value()) << i;
    clock.Advance(std::chrono::hours(1));
  }
}

TEST(RetryPolicyTest, PermanentFailuresAreNotRetried) {
  RetryOptions o;
  ManualClock clock;
  for (int code : {400, 401, 403, 404, 413, 501}) {
    Backoff b(o, &clock, 1);
    EXPECT_FALSE(b.NextDelay(Http(code)).has_value()) << code;
  }
  for (int code : {408, 429, 500, 502, 503, 504, 599, 301, 302, 307, 308}) {  // 3xx: the data is kept
    Backoff b(o, &clock, 1);
    EXPECT_TRUE(b.NextDelay(Http(code)).has_value()) << code;
  }
  Backoff b(o, &clock, 1);
  EXPECT_FALSE(b.NextDelay(NoResponse(Status::InvalidArgument("bad url"))).has_value());
}

TEST(RetryPolicyTest, TheRetryableStatusListIsConfigurable) {
  RetryOptions o;
  o.retryable_statuses = {503, 409};
  ManualClock clock;
  EXPECT_TRUE(Backoff(o, &clock, 1).NextDelay(Http(409)).has_value());
  EXPECT_TRUE(Backoff(o, &clock, 1).NextDelay(Http(503)).has_value());
  EXPECT_FALSE(Backoff(o, &clock, 1).NextDelay(Http(502)).has_value());
  EXPECT_TRUE(Backoff(o, &clock, 1).NextDelay(NoResponse(Status::Unavailable("refused"))).has_value());
}

TEST(RetryPolicyTest, DisabledMeansOneAttempt) {
  RetryOptions o;
  o.enabled = false;
  ManualClock clock;
  EXPECT_FALSE(Backoff(o, &clock, 1).NextDelay(Http(503)).has_value());
}

TEST(RetryPolicyTest, ValidationNamesTheField) {
  RetryOptions o;
  o.multiplier = 0.5;
  EXPECT_NE(ValidateRetryOptions(o).message().find("multiplier"), std::string_view::npos);
  o = {};
  o.retryable_statuses = {200};
  EXPECT_NE(ValidateRetryOptions(o).message().find("200"), std::string_view::npos);
  EXPECT_TRUE(ValidateRetryOptions(RetryOptions{}).ok());
}

}  // namespace
}  // namespace otelpack
