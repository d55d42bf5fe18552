// Loadgen for logs and metrics: realistic synthetic log records and metric
// data points, beside SpanGenerator (loadgen.h), for the demo, the tests and
// the benchmarks.
//
// Logs look like what instrumented services emit: a mix of severities (mostly
// INFO, some DEBUG and WARN, a few ERROR with stack traces), severity texts in
// each language's style, messages with ids and durations, a share with trace
// context, a few structured (map) bodies and named events.
//
// Metrics look like an SDK's periodic export: per service, the HTTP server
// duration histogram and request counters by route, method and status, an
// active-requests up-down counter, runtime gauges, pool usage, a messaging
// exponential histogram and an RPC summary, each series a fixed attribute set
// whose cumulative values grow from one collection to the next.
#ifndef OTELPACK_LOADGEN_SIGNALS_H_
#define OTELPACK_LOADGEN_SIGNALS_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "otelpack/model.h"

namespace otelpack::loadgen {

struct LogGeneratorOptions {
  // Seeds the generator; equal options give identical records.
  std::uint64_t seed = 42;
  // Distinct service.name values (one ResourceLogs each).
  int services = 20;
  // Records carrying a trace and span id.
  double trace_context_ratio = 0.6;
  // Records whose body is a map (structured logging) rather than a string.
  double map_body_ratio = 0.05;
  // Records with an event name (OTLP events).
  double event_ratio = 0.03;
  // ERROR and FATAL records; each has exception attributes and a stack trace.
  double error_ratio = 0.05;
  // The time of the first record, Unix ns; 0 means a fixed instant
  // (2024-11-24T20:26:40Z) so the output depends on the options only.
  std::uint64_t start_unix_nano = 0;
};

// Deterministic for given options. Not thread-safe.
class LogGenerator {
 public:
  explicit LogGenerator(LogGeneratorOptions options = {});
  ~LogGenerator();
  LogGenerator(const LogGenerator&) = delete;
  LogGenerator& operator=(const LogGenerator&) = delete;

  // Exactly n log records, grouped by resource (service) and scope (logger).
  // The view stays valid until the next Next() call or the generator's end.
  LogsView Next(std::size_t n);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct MetricGeneratorOptions {
  std::uint64_t seed = 42;
  int services = 20;
  // Sums, histograms and exponential histograms are reported as cumulative
  // (the SDKs' default) or as delta.
  AggregationTemporality temporality = AggregationTemporality::kCumulative;
  // Time between two collections of the same series. Default 10 s.
  std::uint64_t interval_unix_nano = 10'000'000'000ULL;
  std::uint64_t start_unix_nano = 0;  // as for logs
};

// Deterministic for given options. Not thread-safe.
class MetricGenerator {
 public:
  explicit MetricGenerator(MetricGeneratorOptions options = {});
  ~MetricGenerator();
  MetricGenerator(const MetricGenerator&) = delete;
  MetricGenerator& operator=(const MetricGenerator&) = delete;

  // Exactly n data points: the next n series in turn (a collection of every
  // series, then the next), grouped by resource, scope and metric. The view
  // stays valid until the next Next() call or the generator's end.
  MetricsView Next(std::size_t n);
  // Distinct series (metric and attribute set): a collection's data points.
  std::size_t series() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace otelpack::loadgen

#endif  // OTELPACK_LOADGEN_SIGNALS_H_
