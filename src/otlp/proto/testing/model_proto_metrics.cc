// Test support: the metrics model <-> libprotobuf's
// ExportMetricsServiceRequest.
#include <cstdint>
#include <string>

#include "otlp/proto/testing/model_proto.h"
#include "otlp/proto/testing/model_proto_internal.h"

namespace otelpack::otlp::testing {
namespace {

using namespace internal;  // NOLINT: this file's own vocabulary
namespace metrics = pb::metrics::v1;

// --- Model -> proto -----------------------------------------------------------

// NumberDataPoint's and Exemplar's oneof value.
template <typename Pb>
void NumberToProto(NumberValue v, Pb* out) {
  if (v.type == NumberValue::Type::kDouble) out->set_as_double(v.as_double);
  if (v.type == NumberValue::Type::kInt) out->set_as_int(v.as_int);
}

template <typename Repeated>
void ExemplarsToProto(std::span<const Exemplar> exemplars, Repeated* out) {
  for (const Exemplar& e : exemplars) {
    metrics::Exemplar* p = out->Add();
    AttributesToProto(e.filtered_attributes, p->mutable_filtered_attributes());
    p->set_time_unix_nano(e.time_unix_nano);
    NumberToProto(e.value, p);
    p->set_span_id(IdOrEmpty(e.span_id.bytes));
    p->set_trace_id(IdOrEmpty(e.trace_id.bytes));
  }
}

// What every data point has: attributes, times, flags.
template <typename Point, typename Pb>
void PointCommonToProto(const Point& p, Pb* out) {
  AttributesToProto(p.attributes, out->mutable_attributes());
  out->set_start_time_unix_nano(p.start_time_unix_nano);
  out->set_time_unix_nano(p.time_unix_nano);
  out->set_flags(p.flags);
}

void PointToProto(const NumberDataPoint& p, metrics::NumberDataPoint* out) {
  PointCommonToProto(p, out);
  NumberToProto(p.value, out);
  ExemplarsToProto(p.exemplars, out->mutable_exemplars());
}

void PointToProto(const HistogramDataPoint& p, metrics::HistogramDataPoint* out) {
  PointCommonToProto(p, out);
  out->set_count(p.count);
  if (p.sum) out->set_sum(*p.sum);
  for (std::uint64_t c : p.bucket_counts) out->add_bucket_counts(c);
  for (double b : p.explicit_bounds) out->add_explicit_bounds(b);
  ExemplarsToProto(p.exemplars, out->mutable_exemplars());
  if (p.min) out->set_min(*p.min);
  if (p.max) out->set_max(*p.max);
}

void BucketsToProto(const ExponentialBuckets& b, metrics::ExponentialHistogramDataPoint::Buckets* out) {
  out->set_offset(b.offset);
  for (std::uint64_t c : b.bucket_counts) out->add_bucket_counts(c);
}

void PointToProto(const ExponentialHistogramDataPoint& p, metrics::ExponentialHistogramDataPoint* out) {
  PointCommonToProto(p, out);
  out->set_count(p.count);
  if (p.sum) out->set_sum(*p.sum);
  out->set_scale(p.scale);
  out->set_zero_count(p.zero_count);
  out->set_zero_threshold(p.zero_threshold);
  if (p.positive.offset != 0 || !p.positive.bucket_counts.empty()) BucketsToProto(p.positive, out->mutable_positive());
  if (p.negative.offset != 0 || !p.negative.bucket_counts.empty()) BucketsToProto(p.negative, out->mutable_negative());
  ExemplarsToProto(p.exemplars, out->mutable_exemplars());
  if (p.min) out->set_min(*p.min);
  if (p.max) out->set_max(*p.max);
}

void PointToProto(const SummaryDataPoint& p, metrics::SummaryDataPoint* out) {
  PointCommonToProto(p, out);
  out->set_count(p.count);
  out->set_sum(p.sum);
  for (const ValueAtQuantile& q : p.quantile_values) {
    metrics::SummaryDataPoint::ValueAtQuantile* pq = out->add_quantile_values();
    pq->set_quantile(q.quantile);
    pq->set_value(q.value);
  }
}

template <typename Point, typename Pb>
void PointsToProto(std::span<const Point> points, Pb* out) {
  for (const Point& p : points) PointToProto(p, out->add_data_points());
}

void MetricToProto(const Metric& m, metrics::Metric* out) {
  out->set_name(std::string(m.name));
  out->set_description(std::string(m.description));
  out->set_unit(std::string(m.unit));
  const auto temporality = static_cast<metrics::AggregationTemporality>(m.temporality);
  switch (m.kind) {
    case MetricKind::kNone:
      break;
    case MetricKind::kGauge:
      PointsToProto(m.number_points, out->mutable_gauge());
      break;
    case MetricKind::kSum:
      PointsToProto(m.number_points, out->mutable_sum());
      out->mutable_sum()->set_aggregation_temporality(temporality);
      out->mutable_sum()->set_is_monotonic(m.monotonic);
      break;
    case MetricKind::kHistogram:
      PointsToProto(m.histogram_points, out->mutable_histogram());
      out->mutable_histogram()->set_aggregation_temporality(temporality);
      break;
    case MetricKind::kExponentialHistogram:
      PointsToProto(m.exponential_histogram_points, out->mutable_exponential_histogram());
      out->mutable_exponential_histogram()->set_aggregation_temporality(temporality);
      break;
    case MetricKind::kSummary:
      PointsToProto(m.summary_points, out->mutable_summary());
      break;
  }
  AttributesToProto(m.metadata, out->mutable_metadata());
}

// --- Comparison -----------------------------------------------------------------

template <typename Pb>
void NumberDiff(Differ& d, const std::string& path, const Pb& p, NumberValue m) {
  switch (p.value_case()) {
    case Pb::kAsDouble:
      if (m.type != NumberValue::Type::kDouble) return d.Fail(path, "model is not as_double");
      return d.Double(path, p.as_double(), m.as_double);
    case Pb::kAsInt:
      if (m.type != NumberValue::Type::kInt) return d.Fail(path, "model is not as_int");
      return d.Num(path, p.as_int(), m.as_int);
    case Pb::VALUE_NOT_SET:
      if (m.type != NumberValue::Type::kNone) d.Fail(path, "proto has no value, model has");
      return;
  }
}

template <typename Repeated>
void ExemplarsDiff(Differ& d, const std::string& path, const Repeated& p, std::span<const Exemplar> m) {
  d.List(path, p, m, [&](const std::string& at, const metrics::Exemplar& pe, const Exemplar& me) {
    d.Attrs(at + ".filtered_attributes", pe.filtered_attributes(), me.filtered_attributes);
    d.Num(at + ".time_unix_nano", pe.time_unix_nano(), me.time_unix_nano);
    NumberDiff(d, at + ".value", pe, me.value);
    d.Id(at + ".span_id", pe.span_id(), me.span_id.bytes, true);
    d.Id(at + ".trace_id", pe.trace_id(), me.trace_id.bytes, true);
  });
}

template <typename Pb, typename Point>
void PointCommonDiff(Differ& d, const std::string& path, const Pb& p, const Point& m) {
  d.Attrs(path + ".attributes", p.attributes(), m.attributes);
  d.Num(path + ".start_time_unix_nano", p.start_time_unix_nano(), m.start_time_unix_nano);
  d.Num(path + ".time_unix_nano", p.time_unix_nano(), m.time_unix_nano);
  d.Num(path + ".flags", p.flags(), m.flags);
}

void PointDiff(Differ& d, const std::string& path, const metrics::NumberDataPoint& p, const NumberDataPoint& m) {
  PointCommonDiff(d, path, p, m);
  NumberDiff(d, path + ".value", p, m.value);
  ExemplarsDiff(d, path + ".exemplars", p.exemplars(), m.exemplars);
}

template <typename Repeated>
void CountsDiff(Differ& d, const std::string& path, const Repeated& p, std::span<const std::uint64_t> m) {
  d.List(path, p, m, [&](const std::string& at, std::uint64_t pc, std::uint64_t mc) { d.Num(at, pc, mc); });
}

void PointDiff(Differ& d, const std::string& path, const metrics::HistogramDataPoint& p,
               const HistogramDataPoint& m) {
  PointCommonDiff(d, path, p, m);
  d.Num(path + ".count", p.count(), m.count);
  d.OptionalDouble(path + ".sum", p.has_sum(), p.sum(), m.sum);
  CountsDiff(d, path + ".bucket_counts", p.bucket_counts(), m.bucket_counts);
  d.List(path + ".explicit_bounds", p.explicit_bounds(), m.explicit_bounds,
         [&](const std::string& at, double pb, double mb) { d.Double(at, pb, mb); });
  ExemplarsDiff(d, path + ".exemplars", p.exemplars(), m.exemplars);
  d.OptionalDouble(path + ".min", p.has_min(), p.min(), m.min);
  d.OptionalDouble(path + ".max", p.has_max(), p.max(), m.max);
}

void BucketsDiff(Differ& d, const std::string& path, const metrics::ExponentialHistogramDataPoint::Buckets& p,
                 const ExponentialBuckets& m) {
  d.Num(path + ".offset", p.offset(), m.offset);
  CountsDiff(d, path + ".bucket_counts", p.bucket_counts(), m.bucket_counts);
}

void PointDiff(Differ& d, const std::string& path, const metrics::ExponentialHistogramDataPoint& p,
               const ExponentialHistogramDataPoint& m) {
  PointCommonDiff(d, path, p, m);
  d.Num(path + ".count", p.count(), m.count);
  d.OptionalDouble(path + ".sum", p.has_sum(), p.sum(), m.sum);
  d.Num(path + ".scale", p.scale(), m.scale);
  d.Num(path + ".zero_count", p.zero_count(), m.zero_count);
  d.Double(path + ".zero_threshold", p.zero_threshold(), m.zero_threshold);
  BucketsDiff(d, path + ".positive", p.positive(), m.positive);
  BucketsDiff(d, path + ".negative", p.negative(), m.negative);
  ExemplarsDiff(d, path + ".exemplars", p.exemplars(), m.exemplars);
  d.OptionalDouble(path + ".min", p.has_min(), p.min(), m.min);
  d.OptionalDouble(path + ".max", p.has_max(), p.max(), m.max);
}

void PointDiff(Differ& d, const std::string& path, const metrics::SummaryDataPoint& p, const SummaryDataPoint& m) {
  PointCommonDiff(d, path, p, m);
  d.Num(path + ".count", p.count(), m.count);
  d.Double(path + ".sum", p.sum(), m.sum);
  d.List(path + ".quantile_values", p.quantile_values(), m.quantile_values,
         [&](const std::string& at, const metrics::SummaryDataPoint::ValueAtQuantile& pq, const ValueAtQuantile& mq) {
           d.Double(at + ".quantile", pq.quantile(), mq.quantile);
           d.Double(at + ".value", pq.value(), mq.value);
         });
}

template <typename Pb, typename Point>
void PointsDiff(Differ& d, const std::string& path, const Pb& p, std::span<const Point> m) {
  d.List(path + ".data_points", p.data_points(), m,
         [&](const std::string& at, const auto& pp, const Point& mp) { PointDiff(d, at, pp, mp); });
}

// The model's kind for the proto's data member.
MetricKind KindOf(const metrics::Metric& p) {
  switch (p.data_case()) {
    case metrics::Metric::kGauge: return MetricKind::kGauge;
    case metrics::Metric::kSum: return MetricKind::kSum;
    case metrics::Metric::kHistogram: return MetricKind::kHistogram;
    case metrics::Metric::kExponentialHistogram: return MetricKind::kExponentialHistogram;
    case metrics::Metric::kSummary: return MetricKind::kSummary;
    case metrics::Metric::DATA_NOT_SET: break;
  }
  return MetricKind::kNone;
}

// An unknown temporality (proto3 keeps its number) is unspecified.
int ExpectedTemporality(int proto) { return proto >= 0 && proto <= 2 ? proto : 0; }

void MetricDiff(Differ& d, const std::string& path, const metrics::Metric& p, const Metric& m) {
  d.Str(path + ".name", p.name(), m.name);
  d.Str(path + ".description", p.description(), m.description);
  d.Str(path + ".unit", p.unit(), m.unit);
  d.Attrs(path + ".metadata", p.metadata(), m.metadata);
  d.Num(path + ".kind", static_cast<int>(KindOf(p)), static_cast<int>(m.kind));
  int temporality = 0;
  bool monotonic = false;
  std::size_t points = 0;
  switch (p.data_case()) {
    case metrics::Metric::kGauge:
      PointsDiff(d, path + ".gauge", p.gauge(), m.number_points);
      points = m.number_points.size();
      break;
    case metrics::Metric::kSum:
      PointsDiff(d, path + ".sum", p.sum(), m.number_points);
      points = m.number_points.size();
      temporality = ExpectedTemporality(p.sum().aggregation_temporality());
      monotonic = p.sum().is_monotonic();
      break;
    case metrics::Metric::kHistogram:
      PointsDiff(d, path + ".histogram", p.histogram(), m.histogram_points);
      points = m.histogram_points.size();
      temporality = ExpectedTemporality(p.histogram().aggregation_temporality());
      break;
    case metrics::Metric::kExponentialHistogram:
      PointsDiff(d, path + ".exponential_histogram", p.exponential_histogram(), m.exponential_histogram_points);
      points = m.exponential_histogram_points.size();
      temporality = ExpectedTemporality(p.exponential_histogram().aggregation_temporality());
      break;
    case metrics::Metric::kSummary:
      PointsDiff(d, path + ".summary", p.summary(), m.summary_points);
      points = m.summary_points.size();
      break;
    case metrics::Metric::DATA_NOT_SET:
      break;
  }
  d.Num(path + ".temporality", temporality, static_cast<int>(m.temporality));
  d.Num(path + ".monotonic", monotonic, m.monotonic);
  d.Num(path + ".data_point_count (the other kinds' lists are empty)", points, m.data_point_count());
}

}  // namespace

void ModelToProto(MetricsView view, ExportMetricsRequest* out) {
  for (const ResourceMetrics& rm : view) {
    metrics::ResourceMetrics* prm = out->add_resource_metrics();
    ResourceGroupToProto(rm, prm);
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      metrics::ScopeMetrics* psm = prm->add_scope_metrics();
      ScopeGroupToProto(sm, psm);
      for (const Metric& m : sm.metrics) MetricToProto(m, psm->add_metrics());
    }
  }
}

std::string DiffProtoAndModel(const ExportMetricsRequest& proto, MetricsView model) {
  Differ d;
  d.List("resource_metrics", proto.resource_metrics(), model,
         [&](const std::string& rp, const metrics::ResourceMetrics& prm, const ResourceMetrics& mrm) {
           d.ResourceGroupFields(rp, prm, mrm);
           d.List(rp + ".scope_metrics", prm.scope_metrics(), mrm.scope_metrics,
                  [&](const std::string& sp, const metrics::ScopeMetrics& psm, const ScopeMetrics& msm) {
                    d.ScopeGroupFields(sp, psm, msm);
                    d.List(sp + ".metrics", psm.metrics(), msm.metrics,
                           [&](const std::string& at, const metrics::Metric& pm, const Metric& mm) {
                             MetricDiff(d, at, pm, mm);
                           });
                  });
         });
  return d.Take();
}

}  // namespace otelpack::otlp::testing
