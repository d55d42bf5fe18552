// Fault injection for the sink: seeded, so a test that fails is a test that
// fails again.
#include "sink/faults.h"

#include <algorithm>

#include "common/str_cat.h"

namespace otelpack::sink {
namespace {

double ClampRatio(double r) { return r >= 0 ? std::min(r, 1.0) : 0.0; }  // NaN -> 0

FaultOptions Clamp(FaultOptions o) {
  o.fail_ratio = ClampRatio(o.fail_ratio);
  o.throttle_ratio = ClampRatio(o.throttle_ratio);
  if (o.fail_status < 400 || o.fail_status > 599) o.fail_status = 503;
  o.latency = std::max(o.latency, std::chrono::milliseconds(0));
  o.retry_after_seconds = std::max(o.retry_after_seconds, 0);
  return o;
}

}  // namespace

Status ValidateFaultOptions(const FaultOptions& o) {
  // Written so that NaN fails too.
  if (!(o.fail_ratio >= 0 && o.fail_ratio <= 1)) {
    return Status::InvalidArgument("faults.fail_ratio must be within [0, 1]");
  }
  if (!(o.throttle_ratio >= 0 && o.throttle_ratio <= 1)) {
    return Status::InvalidArgument("faults.throttle_ratio must be within [0, 1]");
  }
  if (o.fail_status < 400 || o.fail_status > 599) {
    return Status::InvalidArgument(
        StrCat("faults.fail_status must be within 400..599, not ", o.fail_status));
  }
  if (o.latency.count() < 0) return Status::InvalidArgument("faults.latency must be >= 0");
  if (o.retry_after_seconds < 0) {
    return Status::InvalidArgument("faults.retry_after_seconds must be >= 0");
  }
  return Status::Ok();
}

FaultInjector::FaultInjector(const FaultOptions& options) { Set(options); }

void FaultInjector::Set(const FaultOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  options_ = Clamp(options);
  generator_.seed(options_.seed);
}

FaultInjector::Decision FaultInjector::Next() {
  std::lock_guard<std::mutex> lock(mu_);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double fail = uniform(generator_);
  const double throttle = uniform(generator_);
  Decision d;
  if (fail < options_.fail_ratio) {
    d.status = options_.fail_status;
  } else if (throttle < options_.throttle_ratio) {
    d.status = 429;
    d.retry_after_seconds = options_.retry_after_seconds;
  }
  return d;
}

std::chrono::milliseconds FaultInjector::Latency() {
  std::lock_guard<std::mutex> lock(mu_);
  return options_.latency;
}

}  // namespace otelpack::sink
