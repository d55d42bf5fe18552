// What a receiver hands decoded telemetry to: the agent's pipeline.
#ifndef OTELPACK_RECEIVER_CONSUMER_H_
#define OTELPACK_RECEIVER_CONSUMER_H_

#include <array>
#include <atomic>
#include <cstdint>

#include "http/connection_counters.h"
#include "otelpack/model.h"
#include "otelpack/status.h"

namespace otelpack::receiver {

// Takes a signal's records (views valid during the call only). OK:
// accepted. ResourceExhausted: the queue is full, nothing was accepted; the
// client should retry later (HTTP 429 / gRPC RESOURCE_EXHAUSTED, with a
// delay). FailedPrecondition: the agent is shutting down (HTTP 503 /
// UNAVAILABLE). Any other error is permanent for this data. Thread-safe.
class Consumer {
 public:
  virtual ~Consumer() = default;
  virtual Status ConsumeTraces(TracesView traces) = 0;
  virtual Status ConsumeLogs(LogsView logs) = 0;
  virtual Status ConsumeMetrics(MetricsView metrics) = 0;
};

// One receiver's (transport's) counters for one signal, read by /metrics.
// Records are spans, log records or metric data points.
struct ReceiverCounters {
  std::atomic<std::uint64_t> requests{0};          // every request that reached the handler
  std::atomic<std::uint64_t> requests_invalid{0};  // refused: malformed, too large, wrong type (4xx)
  std::atomic<std::uint64_t> requests_unauthenticated{0};
  std::atomic<std::uint64_t> requests_refused{0};   // back-pressure or shutdown (429/503)
  std::atomic<std::uint64_t> records_accepted{0};  // handed to the pipeline and accepted
  std::atomic<std::uint64_t> records_refused{0};   // back-pressure: the client may retry them
  std::atomic<std::uint64_t> records_rejected{0};  // invalid: reported as partial success
  std::atomic<std::uint64_t> bytes_received{0};    // request bodies as received (compressed)
};

// One receiver's counters, a set per signal, and its connections' (OTLP/HTTP
// only: gRPC's connections are its library's).
struct TransportCounters {
  std::array<ReceiverCounters, kSignalCount> by_signal;
  http::ConnectionCounters connections;
  ReceiverCounters& operator[](Signal s) { return by_signal[SignalIndex(s)]; }
  const ReceiverCounters& operator[](Signal s) const { return by_signal[SignalIndex(s)]; }
};

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_CONSUMER_H_
