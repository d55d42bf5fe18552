// FaultInjector: decides, deterministically from a seed, which ingest requests
// the sink fails or throttles, and how late it answers them.
#ifndef OTELPACK_SINK_FAULTS_H_
#define OTELPACK_SINK_FAULTS_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

#include "otelpack/status.h"
#include "sink/sink.h"

namespace otelpack::sink {

// InvalidArgument naming the bad field: a ratio outside [0, 1], a fail status
// outside 400..599, a negative latency or Retry-After.
Status ValidateFaultOptions(const FaultOptions& options);

class FaultInjector {
 public:
  explicit FaultInjector(const FaultOptions& options);

  // Replaces the options and restarts the random sequence from their seed.
  // Values out of range are clamped (see ValidateFaultOptions).
  void Set(const FaultOptions& options);

  struct Decision {
    int status = 0;               // 0: serve normally; else answer with this status
    int retry_after_seconds = 0;  // with status 429: the Retry-After value
  };
  // The fate of the next ingest request. Each call draws two numbers from the
  // seeded generator, whatever the ratios, so a given seed always yields the
  // same sequence: the first decides a failure (fail_ratio), the second a
  // throttle (throttle_ratio); a failure wins when both hit.
  Decision Next();

  // How late to answer an ingest request.
  std::chrono::milliseconds Latency();

 private:
  std::mutex mu_;
  FaultOptions options_;        // guarded by mu_
  std::mt19937_64 generator_;   // guarded by mu_
};

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_FAULTS_H_
