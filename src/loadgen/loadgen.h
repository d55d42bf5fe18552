// Loadgen: realistic synthetic spans for the demo, the tests and the benchmarks.
//
// The shape follows what a mid-sized microservice system exports: a fixed set
// of services and operations, traces that interleave (so trace ids repeat
// within a batch), 5-15 attributes of mixed types per span, a fifth of the
// spans with events and a few errors carrying real-looking stack traces. With
// the default options the backend JSON averages about 700 bytes per span.
#ifndef OTELPACK_LOADGEN_LOADGEN_H_
#define OTELPACK_LOADGEN_LOADGEN_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "otelpack/model.h"

namespace otelpack::loadgen {

struct GeneratorOptions {
  // Seeds the generator; equal options give identical spans.
  std::uint64_t seed = 42;
  // Distinct service.name values (one ResourceSpans each).
  int services = 20;
  // Distinct span names, spread over the services.
  int operations = 200;
  // Fraction of spans with at least one event (error spans included).
  double event_ratio = 0.21;
  // Fraction of spans with status ERROR; each has an "exception" event with
  // exception.type, exception.message and a 1.05-2.2 KB Java, Python or Go
  // style exception.stacktrace.
  double error_ratio = 0.02;
  // Traces open at once; spans are drawn from them in turn, so trace ids
  // repeat within a batch and a trace may continue into the next batch.
  int interleaved_traces = 12;
  // Also emit bytes, arrays, nested key-value lists, empty values, doubles
  // including NaN, +-Inf and -0.0, extreme integers, unicode, control
  // characters, quotes and backslashes (in keys too), invalid UTF-8 and
  // values nested deeper than any encoder cap. A span may then carry more
  // than 15 attributes.
  bool all_value_types = false;
  // The time of the first trace, Unix ns. 0 means a fixed instant
  // (2024-11-24T20:26:40Z) so that the output depends on the options only;
  // pass the current time for live traffic.
  std::uint64_t start_unix_nano = 0;
};

// Generates realistic spans into storage it owns (an otelpack::Arena).
// Deterministic for given options. Not thread-safe.
class SpanGenerator {
 public:
  explicit SpanGenerator(GeneratorOptions options = {});
  ~SpanGenerator();
  SpanGenerator(const SpanGenerator&) = delete;
  SpanGenerator& operator=(const SpanGenerator&) = delete;

  // Exactly n spans, grouped by resource (service) and scope. Spans nest
  // within a trace: a root has an invalid parent id, and every other span's
  // parent is a span of the same trace generated earlier (in this batch or a
  // previous one). The view stays valid until the next Next() call or the
  // generator's destruction.
  TracesView Next(std::size_t n);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace otelpack::loadgen

#endif  // OTELPACK_LOADGEN_LOADGEN_H_
