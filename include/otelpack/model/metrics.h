// Metrics: OpenTelemetry metrics as otelpack sees them, grouped as in OTLP
// (resource -> scope -> metric -> data points). Each data point becomes one
// backend event, so a data point is the metrics signal's record: batch
// limits, counters and partial success count data points. Views, as the
// whole model (common.h).
#ifndef OTELPACK_MODEL_METRICS_H_
#define OTELPACK_MODEL_METRICS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "otelpack/model/common.h"

namespace otelpack {

// Which of OTLP's data oneof a metric carries. kNone: none (OTLP allows it;
// such a metric has no data point).
enum class MetricKind : std::uint8_t {
  kNone = 0, kGauge, kSum, kHistogram, kExponentialHistogram, kSummary,
};

enum class AggregationTemporality : std::uint8_t { kUnspecified = 0, kDelta = 1, kCumulative = 2 };

// DataPointFlags: the point stands for an absent value (a staleness marker).
inline constexpr std::uint32_t kDataPointNoRecordedValue = 1;

// OTLP's oneof {as_double, as_int} of number data points and exemplars.
struct NumberValue {
  enum class Type : std::uint8_t { kNone = 0, kDouble, kInt };
  Type type = Type::kNone;
  double as_double = 0;     // when kDouble
  std::int64_t as_int = 0;  // when kInt

  static constexpr NumberValue Double(double d) { return {Type::kDouble, d, 0}; }
  static constexpr NumberValue Int(std::int64_t i) { return {Type::kInt, 0, i}; }
};

struct Exemplar {
  Attributes filtered_attributes;
  std::uint64_t time_unix_nano = 0;
  NumberValue value;
  SpanId span_id;    // all zero: none
  TraceId trace_id;  // all zero: none
};

// A gauge's or a sum's data point.
struct NumberDataPoint {
  Attributes attributes;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
  NumberValue value;
  std::span<const Exemplar> exemplars;
  std::uint32_t flags = 0;
};

// Explicit-bucket histogram: bucket_counts[i] counts the values in
// (explicit_bounds[i-1], explicit_bounds[i]]; the last bucket is
// (explicit_bounds.back(), +Inf). So bucket_counts has one more element
// than explicit_bounds, or none at all.
struct HistogramDataPoint {
  Attributes attributes;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
  std::uint64_t count = 0;
  std::optional<double> sum;
  std::span<const std::uint64_t> bucket_counts;
  std::span<const double> explicit_bounds;
  std::span<const Exemplar> exemplars;
  std::uint32_t flags = 0;
  std::optional<double> min;
  std::optional<double> max;
};

// One side (positive or negative values) of an exponential histogram:
// bucket_counts[i] counts the values in (base^(offset+i), base^(offset+i+1)],
// base = 2^(2^-scale).
struct ExponentialBuckets {
  std::int32_t offset = 0;
  std::span<const std::uint64_t> bucket_counts;
};

struct ExponentialHistogramDataPoint {
  Attributes attributes;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
  std::uint64_t count = 0;
  std::optional<double> sum;
  std::int32_t scale = 0;
  std::uint64_t zero_count = 0;
  double zero_threshold = 0;
  ExponentialBuckets positive;
  ExponentialBuckets negative;
  std::uint32_t flags = 0;
  std::span<const Exemplar> exemplars;
  std::optional<double> min;
  std::optional<double> max;
};

struct ValueAtQuantile {
  double quantile = 0;  // 0.0 to 1.0
  double value = 0;
};

struct SummaryDataPoint {
  Attributes attributes;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
  std::uint64_t count = 0;
  double sum = 0;
  std::span<const ValueAtQuantile> quantile_values;
  std::uint32_t flags = 0;
};

struct Metric {
  std::string_view name;
  std::string_view description;
  std::string_view unit;
  MetricKind kind = MetricKind::kNone;
  // Sums, histograms and exponential histograms; kUnspecified otherwise.
  AggregationTemporality temporality = AggregationTemporality::kUnspecified;
  bool monotonic = false;  // sums only
  // The data points of `kind`; the other lists are empty.
  std::span<const NumberDataPoint> number_points;  // kGauge, kSum
  std::span<const HistogramDataPoint> histogram_points;
  std::span<const ExponentialHistogramDataPoint> exponential_histogram_points;
  std::span<const SummaryDataPoint> summary_points;
  Attributes metadata;

  // The data points of whatever kind the metric is.
  std::size_t data_point_count() const {
    return number_points.size() + histogram_points.size() + exponential_histogram_points.size() +
           summary_points.size();
  }
};

struct ScopeMetrics {
  InstrumentationScope scope;
  std::span<const Metric> metrics;
  std::string_view schema_url;
};

struct ResourceMetrics {
  Resource resource;
  std::span<const ScopeMetrics> scope_metrics;
  std::string_view schema_url;
};

// The unit of export: metrics grouped by resource and scope, as in OTLP.
using MetricsView = std::span<const ResourceMetrics>;

// Number of data points in `metrics`: the metrics signal's records.
std::size_t CountDataPoints(MetricsView metrics);

}  // namespace otelpack

#endif  // OTELPACK_MODEL_METRICS_H_
