// RetryPolicy: whether and when to try a failed request again.
//
// Exponential backoff with jitter, as the OpenTelemetry Collector's
// exporterhelper does it (same defaults): the n-th wait is
// initial_interval * multiplier^(n-1), capped at max_interval, then spread by
// ±randomization_factor. A Retry-After from the backend replaces the computed
// wait (the backend knows when it will be ready). The retries of one request
// stop once max_elapsed_time has passed since its first attempt (0 = never
// stop), or at once for a permanent failure.
#ifndef OTELPACK_RETRY_RETRY_POLICY_H_
#define OTELPACK_RETRY_RETRY_POLICY_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "common/clock.h"
#include "otelpack/delivery.h"
#include "transport/transport.h"

namespace otelpack {

// RetryOptions is in otelpack/delivery.h.

// InvalidArgument naming the field when `options` make no sense.
Status ValidateRetryOptions(const RetryOptions& options);

// Whether an HTTP status is retried under `options`.
bool IsRetryableHttpStatus(const RetryOptions& options, int http_status);

// The retry state of one request. Not thread-safe; cheap.
class Backoff {
 public:
  Backoff(const RetryOptions& options, const Clock* clock, std::uint64_t seed);

  // After a failed attempt: how long to wait before the next one, or nullopt
  // when the failure is permanent or the time budget is spent.
  std::optional<std::chrono::milliseconds> NextDelay(const SendResult& result);

  // Whether `result` is a failure worth retrying at all.
  bool Retryable(const SendResult& result) const;

  int attempts() const { return attempts_; }

 private:
  const RetryOptions& options_;
  const Clock* clock_;
  std::mt19937_64 rng_;
  Clock::TimePoint first_attempt_;
  int attempts_ = 0;
  double next_interval_ms_;
};

}  // namespace otelpack

#endif  // OTELPACK_RETRY_RETRY_POLICY_H_
