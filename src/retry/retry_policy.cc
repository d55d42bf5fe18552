#include "retry/retry_policy.h"

#include <algorithm>

#include "common/str_cat.h"

namespace otelpack {

Status ValidateRetryOptions(const RetryOptions& o) {
  if (o.initial_interval.count() <= 0) return Status::InvalidArgument("retry.initial_interval must be positive");
  if (o.multiplier < 1.0) return Status::InvalidArgument("retry.multiplier must be at least 1");
  if (o.randomization_factor < 0 || o.randomization_factor >= 1) {
    return Status::InvalidArgument("retry.randomization_factor must be in [0, 1)");
  }
  if (o.max_interval < o.initial_interval) {
    return Status::InvalidArgument("retry.max_interval must be at least retry.initial_interval");
  }
  if (o.max_elapsed_time.count() < 0) return Status::InvalidArgument("retry.max_elapsed_time must not be negative");
  for (int s : o.retryable_statuses) {
    if (s < 400 || s > 599) {
      return Status::InvalidArgument(StrCat("retry.retryable_statuses: ", s, " is not a 4xx or 5xx status"));
    }
  }
  return Status::Ok();
}

bool IsRetryableHttpStatus(const RetryOptions& options, int http_status) {
  if (!options.retryable_statuses.empty()) {
    return std::find(options.retryable_statuses.begin(), options.retryable_statuses.end(), http_status) !=
           options.retryable_statuses.end();
  }
  if (http_status == 408 || http_status == 429) return true;
  // A redirect the sender did not follow: the endpoint is wrong, which
  // someone must fix, but the data is not at fault (issue: no acknowledged
  // data lost to the backend's answers).
  if (http_status >= 300 && http_status <= 399) return true;
  return http_status >= 500 && http_status <= 599 && http_status != 501;
}

Backoff::Backoff(const RetryOptions& options, const Clock* clock, std::uint64_t seed)
    : options_(options),
      clock_(clock),
      rng_(seed),
      first_attempt_(clock->Now()),
      next_interval_ms_(static_cast<double>(options.initial_interval.count())) {}

bool Backoff::Retryable(const SendResult& result) const {
  if (result.status.ok() || !options_.enabled) return false;
  // A response: the configured list decides. No response: the transport's
  // classification (timeouts and connection failures are retryable).
  if (result.http_status != 0) return IsRetryableHttpStatus(options_, result.http_status);
  return result.status.retryable();
}

std::optional<std::chrono::milliseconds> Backoff::NextDelay(const SendResult& result) {
  ++attempts_;
  if (!Retryable(result)) return std::nullopt;

  std::chrono::milliseconds delay;
  if (result.retry_after.has_value()) {
    delay = *result.retry_after;
  } else {
    const double f = options_.randomization_factor;
    std::uniform_real_distribution<double> spread(1.0 - f, 1.0 + f);
    delay = std::chrono::milliseconds(static_cast<std::int64_t>(next_interval_ms_ * spread(rng_)));
    next_interval_ms_ = std::min(next_interval_ms_ * options_.multiplier,
                                 static_cast<double>(options_.max_interval.count()));
  }

  if (options_.max_elapsed_time.count() > 0) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Now() - first_attempt_);
    if (elapsed + delay > options_.max_elapsed_time) return std::nullopt;
  }
  return delay;
}

}  // namespace otelpack
