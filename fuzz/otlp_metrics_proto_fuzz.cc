// OTLP protobuf metrics decoder: arbitrary bytes never crash, hang or
// allocate without bound; every data point kept is one the checks accept
// (metric_checks.h), within max_exemplars; records counts them; and what
// decodes survives a round trip (proto_round_trip.h).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "proto_round_trip.h"
#include "otlp/metric_checks.h"

namespace {

using namespace otelpack;  // NOLINT: a fuzz target's own vocabulary

template <typename Point>
void CheckPoints(std::span<const Point> points, const otlp::DecodeLimits& limits) {
  for (const Point& p : points) {
    fuzz::Check(p.attributes.size() <= limits.max_attributes, "max_attributes");
    if constexpr (std::is_same_v<Point, NumberDataPoint>) {
      fuzz::Check(otlp::InvalidDataPoint(p).empty(), "only valid points are kept");
    } else {
      fuzz::Check(otlp::InvalidDataPoint(p, limits.max_buckets).empty(), "only valid points are kept");
    }
    if constexpr (requires { p.exemplars; }) {
      fuzz::Check(p.exemplars.size() <= limits.max_exemplars, "max_exemplars");
    }
  }
}

void CheckKept(MetricsView metrics, const otlp::DecodeLimits& limits) {
  for (const ResourceMetrics& rm : metrics) {
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      for (const Metric& m : sm.metrics) {
        fuzz::Check(m.metadata.size() <= limits.max_attributes, "max_attributes in metadata");
        CheckPoints(m.number_points, limits);
        CheckPoints(m.histogram_points, limits);
        CheckPoints(m.exponential_histogram_points, limits);
        CheckPoints(m.summary_points, limits);
        const bool numbers = m.kind == MetricKind::kGauge || m.kind == MetricKind::kSum;
        fuzz::Check(numbers || m.number_points.empty(), "number points only in a gauge or a sum");
        fuzz::Check(m.kind == MetricKind::kHistogram || m.histogram_points.empty(), "one kind of point");
        fuzz::Check(m.kind == MetricKind::kExponentialHistogram || m.exponential_histogram_points.empty(),
                    "one kind of point");
        fuzz::Check(m.kind == MetricKind::kSummary || m.summary_points.empty(), "one kind of point");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  fuzz::CheckRoundTrip<MetricsView>(body, otlp::DecodeMetricsProto, otlp::EncodeMetricsProto, CountDataPoints,
                                    CheckKept);
  return 0;
}
