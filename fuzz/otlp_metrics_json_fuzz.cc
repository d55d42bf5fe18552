// Fuzzes the OTLP JSON metrics decoder: any bytes give a result or a clear
// error, never a crash; a result keeps every limit, holds only data points
// metric_checks.h accepts and only the list of its metric's kind, holds valid
// UTF-8, and lives in the arena (the input is overwritten before it is read).
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "model_checks.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/metric_checks.h"

namespace {

using namespace otelpack;
using namespace otelpack::fuzz;

template <typename P>
void CheckPoints(std::span<const P> points, const otlp::DecodeLimits& limits) {
  for (const P& p : points) {
    CheckAttributes(p.attributes, limits);
    if constexpr (std::is_same_v<P, NumberDataPoint>) {
      Check(otlp::InvalidDataPoint(p).empty());
    } else {
      Check(otlp::InvalidDataPoint(p, limits.max_buckets).empty());
    }
    if constexpr (requires { p.exemplars; }) {
      Check(p.exemplars.size() <= limits.max_exemplars);
      for (const Exemplar& e : p.exemplars) CheckAttributes(e.filtered_attributes, limits);
    }
  }
}

void CheckMetric(const Metric& m, const otlp::DecodeLimits& limits) {
  CheckText(m.name);
  CheckText(m.description);
  CheckText(m.unit);
  CheckAttributes(m.metadata, limits);
  Check(static_cast<int>(m.temporality) <= 2);
  const bool number = m.kind == MetricKind::kGauge || m.kind == MetricKind::kSum;
  Check(number || m.number_points.empty());
  Check(m.kind == MetricKind::kHistogram || m.histogram_points.empty());
  Check(m.kind == MetricKind::kExponentialHistogram || m.exponential_histogram_points.empty());
  Check(m.kind == MetricKind::kSummary || m.summary_points.empty());
  Check(m.kind == MetricKind::kSum || !m.monotonic);
  CheckPoints(m.number_points, limits);
  CheckPoints(m.histogram_points, limits);
  CheckPoints(m.exponential_histogram_points, limits);
  CheckPoints(m.summary_points, limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const otlp::DecodeLimits limits = FuzzLimits(data, size);
  Arena arena;
  const auto decoded = Decode(&otlp::DecodeMetricsJson, data, size, limits, arena);
  if (!decoded) return 0;
  const otlp::DecodedMetrics& d = *decoded;
  Check(d.records == CountDataPoints(d.data));
  for (const auto& rm : d.data) {
    CheckResource(rm, limits);
    for (const auto& sm : rm.scope_metrics) {
      CheckScope(sm, limits);
      for (const Metric& m : sm.metrics) CheckMetric(m, limits);
    }
  }
  return 0;
}
