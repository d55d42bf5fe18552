// The SDK's collected metrics as otelpack's model (metric_points.h).
#include "otel/metric_points.h"

#include <cstdint>
#include <span>

#include "opentelemetry/nostd/variant.h"
#include "opentelemetry/sdk/metrics/data/metric_data.h"
#include "opentelemetry/sdk/metrics/data/point_data.h"
#include "otel/values.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
namespace sdk = opentelemetry::sdk::metrics;

std::uint64_t Nanos(opentelemetry::common::SystemTimestamp t) {
  const std::int64_t ns = t.time_since_epoch().count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

NumberValue Number(const sdk::ValueType& v) {
  if (const std::int64_t* i = nostd::get_if<std::int64_t>(&v)) return NumberValue::Int(*i);
  return NumberValue::Double(nostd::get<double>(v));
}

double AsDouble(const sdk::ValueType& v) {
  if (const std::int64_t* i = nostd::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return nostd::get<double>(v);
}

AggregationTemporality Temporality(sdk::AggregationTemporality t) {
  switch (t) {
    case sdk::AggregationTemporality::kDelta: return AggregationTemporality::kDelta;
    case sdk::AggregationTemporality::kCumulative: return AggregationTemporality::kCumulative;
    default: return AggregationTemporality::kUnspecified;
  }
}

ExponentialBuckets Buckets(const sdk::AdaptingCircularBufferCounter* counter, Arena& arena) {
  ExponentialBuckets out;
  if (counter == nullptr || counter->Empty()) return out;
  out.offset = counter->StartIndex();
  std::span<std::uint64_t> counts =
      arena.Make<std::uint64_t>(static_cast<std::size_t>(counter->EndIndex() - counter->StartIndex()) + 1);
  for (std::int32_t i = counter->StartIndex(); i <= counter->EndIndex(); ++i) {
    counts[static_cast<std::size_t>(i - counter->StartIndex())] = counter->Get(i);
  }
  out.bucket_counts = counts;
  return out;
}

// What every point of a metric shares.
struct PointContext {
  std::uint64_t start;
  std::uint64_t end;
  Arena& arena;
};

template <typename Point>
void FillCommon(Point& out, const sdk::PointDataAttributes& p, const PointContext& c) {
  out.attributes = ViewOwnedAttributes(p.attributes, c.arena);
  out.start_time_unix_nano = c.start;
  out.time_unix_nano = c.end;
}

// The points of type PointData among `data`'s, each converted by `one`.
template <typename PointData, typename ModelPoint, typename Convert>
std::span<const ModelPoint> Points(const sdk::MetricData& data, const PointContext& c, Convert one) {
  std::span<ModelPoint> out = c.arena.Make<ModelPoint>(data.point_data_attr_.size());
  std::size_t n = 0;
  for (const sdk::PointDataAttributes& p : data.point_data_attr_) {
    const PointData* point = nostd::get_if<PointData>(&p.point_data);
    if (point == nullptr) continue;  // the SDK gives one point type per metric
    FillCommon(out[n], p, c);
    one(*point, out[n]);
    ++n;
  }
  return out.first(n);
}

// The metric's kind and points, from its first point's type. False when it
// has none the model carries.
bool ConvertPoints(const sdk::MetricData& data, Metric& m, Arena& arena) {
  if (data.point_data_attr_.empty()) return false;
  const PointContext c{Nanos(data.start_ts), Nanos(data.end_ts), arena};
  const sdk::PointType& first = data.point_data_attr_.front().point_data;
  if (const auto* sum = nostd::get_if<sdk::SumPointData>(&first)) {
    m.kind = MetricKind::kSum;
    m.temporality = Temporality(data.aggregation_temporality);
    m.monotonic = sum->is_monotonic_;
    m.number_points = Points<sdk::SumPointData, NumberDataPoint>(
        data, c, [](const sdk::SumPointData& p, NumberDataPoint& out) { out.value = Number(p.value_); });
  } else if (nostd::holds_alternative<sdk::LastValuePointData>(first)) {
    m.kind = MetricKind::kGauge;
    m.number_points = Points<sdk::LastValuePointData, NumberDataPoint>(
        data, c, [](const sdk::LastValuePointData& p, NumberDataPoint& out) {
          if (p.is_lastvalue_valid_) {
            out.value = Number(p.value_);
          } else {
            out.flags = kDataPointNoRecordedValue;
          }
        });
  } else if (nostd::holds_alternative<sdk::HistogramPointData>(first)) {
    m.kind = MetricKind::kHistogram;
    m.temporality = Temporality(data.aggregation_temporality);
    m.histogram_points = Points<sdk::HistogramPointData, HistogramDataPoint>(
        data, c, [](const sdk::HistogramPointData& p, HistogramDataPoint& out) {
          out.count = p.count_;
          out.sum = AsDouble(p.sum_);
          // With no value recorded the SDK's min and max are its starting
          // sentinels, not values.
          if (p.record_min_max_ && p.count_ > 0) {
            out.min = AsDouble(p.min_);
            out.max = AsDouble(p.max_);
          }
          out.bucket_counts = p.counts_;
          out.explicit_bounds = p.boundaries_;
        });
  } else if (nostd::holds_alternative<sdk::Base2ExponentialHistogramPointData>(first)) {
    m.kind = MetricKind::kExponentialHistogram;
    m.temporality = Temporality(data.aggregation_temporality);
    m.exponential_histogram_points =
        Points<sdk::Base2ExponentialHistogramPointData, ExponentialHistogramDataPoint>(
            data, c, [&arena](const sdk::Base2ExponentialHistogramPointData& p, ExponentialHistogramDataPoint& out) {
              out.count = p.count_;
              out.sum = p.sum_;
              if (p.record_min_max_ && p.count_ > 0) {
                out.min = p.min_;
                out.max = p.max_;
              }
              out.scale = p.scale_;
              out.zero_count = p.zero_count_;
              out.zero_threshold = p.zero_threshold_;
              out.positive = Buckets(p.positive_buckets_.get(), arena);
              out.negative = Buckets(p.negative_buckets_.get(), arena);
            });
  } else {
    return false;  // DropPointData: the view said to drop it
  }
  return m.data_point_count() > 0;
}

}  // namespace

MetricsView ConvertMetrics(const sdk::ResourceMetrics& data, Arena& arena) {
  std::span<ResourceMetrics> rm = arena.Make<ResourceMetrics>(1);
  rm[0].resource = ViewResource(data.resource_, arena);
  if (data.resource_ != nullptr) rm[0].schema_url = data.resource_->GetSchemaURL();

  std::span<ScopeMetrics> scopes = arena.Make<ScopeMetrics>(data.scope_metric_data_.size());
  std::size_t s = 0;
  for (const sdk::ScopeMetrics& scope : data.scope_metric_data_) {
    std::span<Metric> metrics = arena.Make<Metric>(scope.metric_data_.size());
    std::size_t n = 0;
    for (const sdk::MetricData& data_of_metric : scope.metric_data_) {
      Metric& m = metrics[n];
      m.name = data_of_metric.instrument_descriptor.name_;
      m.description = data_of_metric.instrument_descriptor.description_;
      m.unit = data_of_metric.instrument_descriptor.unit_;
      if (ConvertPoints(data_of_metric, m, arena)) {
        ++n;
      } else {
        m = Metric{};  // reused by the next metric
      }
    }
    if (n == 0) continue;
    scopes[s].scope = ViewScope(scope.scope_, arena);
    if (scope.scope_ != nullptr) scopes[s].schema_url = scope.scope_->GetSchemaURL();
    scopes[s].metrics = metrics.first(n);
    ++s;
  }
  rm[0].scope_metrics = scopes.first(s);
  return rm;
}

}  // namespace otelpack::otel
