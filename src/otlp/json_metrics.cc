// The OTLP/HTTP JSON encoding of ExportMetricsServiceRequest, decoded into
// the model: metrics and their data points of every kind, with exemplars and
// buckets. What every signal shares (the parse, resource, scope, attributes,
// AnyValue) is json_decoder.h's.
//
// As in protobuf's JSON parser, a second member of a oneof (two data fields in
// a metric, asInt and asDouble in one point) refuses the request. An
// exemplar whose ids are neither empty nor hex of their length is dropped,
// as a span's link to no valid span is: it is an aside to its point, which
// stays. A data point's asInt is an int64 (a number, or a string of digits),
// without intValue's leniency for JavaScript's large numbers.
//
// Arrays of numbers (bucket counts, bounds) are gathered on the scratch
// stacks like every other list, within the request's budget: an array of
// millions of elements is refused as too large once it passes the budget,
// and one within it but over max_buckets leaves its data point out
// (metric_checks.h decides which points are left out, for both decoders).
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/str_cat.h"
#include "otlp/decode.h"
#include "otlp/json_decoder.h"
#include "otlp/metric_checks.h"

namespace otelpack::otlp {
namespace {

using namespace json_internal;

// After the attributes' names, those of data points (the most numerous
// objects) first, then those of metrics, then the rest.
constexpr auto kMetricFieldNames = WithValueNames({
    {"startTimeUnixNano", "start_time_unix_nano", Field::kStartTimeUnixNano},
    {"timeUnixNano", "time_unix_nano", Field::kTimeUnixNano},
    {"asDouble", "as_double", Field::kAsDouble},
    {"asInt", "as_int", Field::kAsInt},
    {"count", "", Field::kCount},
    {"sum", "", Field::kSum},
    {"bucketCounts", "bucket_counts", Field::kBucketCounts},
    {"explicitBounds", "explicit_bounds", Field::kExplicitBounds},
    {"min", "", Field::kMin},
    {"max", "", Field::kMax},
    {"flags", "", Field::kFlags},
    {"exemplars", "", Field::kExemplars},
    {"scale", "", Field::kScale},
    {"zeroCount", "zero_count", Field::kZeroCount},
    {"zeroThreshold", "zero_threshold", Field::kZeroThreshold},
    {"positive", "", Field::kPositive},
    {"negative", "", Field::kNegative},
    {"offset", "", Field::kOffset},
    {"quantileValues", "quantile_values", Field::kQuantileValues},
    {"quantile", "", Field::kQuantile},
    {"dataPoints", "data_points", Field::kDataPoints},
    {"name", "", Field::kName},
    {"description", "", Field::kDescription},
    {"unit", "", Field::kUnit},
    {"aggregationTemporality", "aggregation_temporality", Field::kAggregationTemporality},
    {"isMonotonic", "is_monotonic", Field::kIsMonotonic},
    {"gauge", "", Field::kGauge},
    {"histogram", "", Field::kHistogram},
    {"exponentialHistogram", "exponential_histogram", Field::kExponentialHistogram},
    {"summary", "", Field::kSummary},
    {"metadata", "", Field::kMetadata},
    {"filteredAttributes", "filtered_attributes", Field::kFilteredAttributes},
    {"spanId", "span_id", Field::kSpanId},
    {"traceId", "trace_id", Field::kTraceId},
    {"metrics", "", Field::kMetrics},
    {"scope", "", Field::kScope},
    {"version", "", Field::kVersion},
    {"schemaUrl", "schema_url", Field::kSchemaUrl},
    {"resource", "", Field::kResource},
    {"droppedAttributesCount", "dropped_attributes_count", Field::kDroppedAttributesCount},
    {"scopeMetrics", "scope_metrics", Field::kScopeMetrics},
    {"resourceMetrics", "resource_metrics", Field::kResourceMetrics},
});
static_assert(HasSharedFields(kMetricFieldNames));

constexpr std::array<std::string_view, 3> kTemporalityNames = {
    "AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE"};

// A metric's name in a rejection message: long enough to tell it.
constexpr std::size_t kMaxNameInMessage = 128;

// The first data point of a metric left out, until the metric's name is known.
struct FirstRejection {
  std::size_t index = 0;
  std::string reason;  // empty: none yet
};

class MetricsDecoder : private Decoder {
 public:
  MetricsDecoder(ParsedBody& body, Arena& arena, const DecodeLimits& limits)
      : Decoder(body, arena, limits, kMetricFieldNames) {}

  Status Request(DecodedMetrics* out);

 private:
  Status MetricItem(od::value v, Metric* out);
  // A Gauge, Sum, Histogram, ExponentialHistogram or Summary message: its
  // data points of type P (read by read_point), and its temporality and
  // monotonicity where `out->kind` has them.
  template <typename P, typename ReadPoint>
  Status DataItem(od::value v, Metric* out, std::span<const P>* points, ReadPoint read_point,
                  FirstRejection* first);
  Status NumberPointItem(od::value v, NumberDataPoint* out);
  Status HistogramPointItem(od::value v, HistogramDataPoint* out);
  Status ExponentialPointItem(od::value v, ExponentialHistogramDataPoint* out);
  Status BucketsItem(od::value v, ExponentialBuckets* out);
  Status SummaryPointItem(od::value v, SummaryDataPoint* out);
  Status QuantileItem(od::value v, ValueAtQuantile* out);
  // The fields most data points have: attributes, times, flags, and where P
  // has them exemplars, count, and the histograms' optional sum, min, max.
  // False when `f` is none of them.
  template <typename P>
  bool CommonPointField(Field f, od::value value, P* out, Status* status);
  Status ExemplarList(od::value v, std::span<const Exemplar>* out);
  Status ExemplarItem(od::value v, bool keep, Exemplar* out, bool* valid);
  // asDouble or asInt into *out: a second one in the same object is an error.
  Status NumberValueItem(Field f, od::value v, NumberValue* out);
  Status OptionalDouble(od::value v, std::optional<double>* out);
  template <typename T>
  Status Numbers(od::value v, std::span<const T>* out);

  DecodedMetrics* result_ = nullptr;
};

Status MetricsDecoder::Request(DecodedMetrics* out) {
  result_ = out;
  auto scope_metrics = [&](std::size_t, od::value item, StackList<ScopeMetrics>& scopes) {
    ScopeMetrics sm;
    Status st = Group(item, Field::kScope, &sm.scope, &sm.schema_url, Field::kMetrics, &sm.metrics,
                      [&](std::size_t, od::value metric, StackList<Metric>& metrics) {
                        Metric m;
                        if (Status sx = MetricItem(metric, &m); !sx.ok()) return sx;
                        return Push(metrics, m);
                      });
    if (!st.ok()) return st;
    return Push(scopes, sm);
  };
  Status s = Decoder::Request<ResourceMetrics>(
      Field::kResourceMetrics, &out->data, [&](std::size_t, od::value item, ResourceMetrics* rm) {
        return Group(item, Field::kResource, &rm->resource, &rm->schema_url, Field::kScopeMetrics,
                     &rm->scope_metrics, scope_metrics);
      });
  if (!s.ok()) return s;
  out->records = CountDataPoints(out->data);
  return Status::Ok();
}

Status MetricsDecoder::MetricItem(od::value v, Metric* out) {
  FirstRejection first;
  // The data oneof: one of the five, read by `read` once `kind` is set.
  auto data = [&](MetricKind kind, auto read) -> Status {
    if (out->kind != MetricKind::kNone) {
      return Status::InvalidArgument(StrCat(
          Path(), ": a second data field in one Metric (gauge, sum, histogram, exponentialHistogram, summary)"));
    }
    out->kind = kind;
    return read();
  };
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kDescription: return ArenaString(value, &out->description);
      case Field::kUnit: return ArenaString(value, &out->unit);
      case Field::kMetadata: {
        std::uint64_t trimmed = 0;  // a metric has no count of dropped metadata
        return AttributeList(value, true, &out->metadata, &trimmed);
      }
      case Field::kGauge:
        return data(MetricKind::kGauge, [&] {
          return DataItem(value, out, &out->number_points,
                          [&](od::value p, NumberDataPoint* n) { return NumberPointItem(p, n); }, &first);
        });
      case Field::kSum:
        return data(MetricKind::kSum, [&] {
          return DataItem(value, out, &out->number_points,
                          [&](od::value p, NumberDataPoint* n) { return NumberPointItem(p, n); }, &first);
        });
      case Field::kHistogram:
        return data(MetricKind::kHistogram, [&] {
          return DataItem(value, out, &out->histogram_points,
                          [&](od::value p, HistogramDataPoint* h) { return HistogramPointItem(p, h); }, &first);
        });
      case Field::kExponentialHistogram:
        return data(MetricKind::kExponentialHistogram, [&] {
          return DataItem(
              value, out, &out->exponential_histogram_points,
              [&](od::value p, ExponentialHistogramDataPoint* e) { return ExponentialPointItem(p, e); }, &first);
        });
      case Field::kSummary:
        return data(MetricKind::kSummary, [&] {
          return DataItem(value, out, &out->summary_points,
                          [&](od::value p, SummaryDataPoint* q) { return SummaryPointItem(p, q); }, &first);
        });
      default: return CheckUnknown(value, 0);
    }
  });
  if (!s.ok()) return s;
  // The message is written once the whole metric is read: its name may
  // follow its data points.
  if (!first.reason.empty() && result_->rejection.empty()) {
    result_->rejection = StrCat("metric \"", TruncateUtf8(out->name, kMaxNameInMessage), "\" data point ",
                                first.index, ": ", first.reason);
  }
  return Status::Ok();
}

template <typename P, typename ReadPoint>
Status MetricsDecoder::DataItem(od::value v, Metric* out, std::span<const P>* points, ReadPoint read_point,
                                FirstRejection* first) {
  return Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kDataPoints:
        return Gather<P>(value, points, [&](std::size_t index, od::value item, StackList<P>& list) {
          P point;
          if (Status st = read_point(item, &point); !st.ok()) return st;
          std::string why;
          if constexpr (std::is_same_v<P, NumberDataPoint>) {
            why = InvalidDataPoint(point);
          } else {
            why = InvalidDataPoint(point, limits_.max_buckets);
          }
          if (why.empty()) return Push(list, point);
          ++result_->rejected;
          if (first->reason.empty()) *first = {index, std::move(why)};
          return Status::Ok();
        });
      case Field::kAggregationTemporality: {
        if (out->kind == MetricKind::kGauge || out->kind == MetricKind::kSummary) return CheckUnknown(value, 0);
        int temporality = 0;
        if (Status st = Enum(value, kTemporalityNames, "temporality", &temporality); !st.ok()) {
          return st;
        }
        out->temporality = static_cast<AggregationTemporality>(temporality);
        return Status::Ok();
      }
      case Field::kIsMonotonic:
        if (out->kind != MetricKind::kSum) return CheckUnknown(value, 0);
        return Bool(value, &out->monotonic);
      default: return CheckUnknown(value, 0);
    }
  });
}

template <typename P>
bool MetricsDecoder::CommonPointField(Field f, od::value value, P* out, Status* status) {
  switch (f) {
    case Field::kAttributes: {
      std::uint64_t trimmed = 0;  // a data point has no count of dropped attributes
      *status = AttributeList(value, true, &out->attributes, &trimmed);
      return true;
    }
    case Field::kStartTimeUnixNano:
      *status = Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->start_time_unix_nano);
      return true;
    case Field::kTimeUnixNano:
      *status = Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->time_unix_nano);
      return true;
    case Field::kFlags: *status = Uint32(value, &out->flags); return true;
    default: break;
  }
  if constexpr (requires { out->exemplars; }) {
    if (f == Field::kExemplars) {
      *status = ExemplarList(value, &out->exemplars);
      return true;
    }
  }
  if constexpr (requires { out->min; }) {  // histograms: optional sum, min and max
    std::optional<double>* optional = f == Field::kSum   ? &out->sum
                                      : f == Field::kMin ? &out->min
                                      : f == Field::kMax ? &out->max
                                                         : nullptr;
    if (optional != nullptr) {
      *status = OptionalDouble(value, optional);
      return true;
    }
  }
  if constexpr (requires { out->count; }) {
    if (f == Field::kCount) {
      *status = Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->count);
      return true;
    }
  }
  return false;
}

Status MetricsDecoder::NumberPointItem(od::value v, NumberDataPoint* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    if (Status s; CommonPointField(f, value, out, &s)) return s;
    if (f == Field::kAsDouble || f == Field::kAsInt) return NumberValueItem(f, value, &out->value);
    return CheckUnknown(value, 0);
  });
}

Status MetricsDecoder::HistogramPointItem(od::value v, HistogramDataPoint* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    if (Status s; CommonPointField(f, value, out, &s)) return s;
    switch (f) {
      case Field::kBucketCounts: return Numbers(value, &out->bucket_counts);
      case Field::kExplicitBounds: return Numbers(value, &out->explicit_bounds);
      default: return CheckUnknown(value, 0);
    }
  });
}

Status MetricsDecoder::ExponentialPointItem(od::value v, ExponentialHistogramDataPoint* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    if (Status s; CommonPointField(f, value, out, &s)) return s;
    switch (f) {
      case Field::kScale: return Int32(value, &out->scale);
      case Field::kZeroCount: return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->zero_count);
      case Field::kZeroThreshold: return Double(value, &out->zero_threshold);
      case Field::kPositive: out->positive = {}; return BucketsItem(value, &out->positive);
      case Field::kNegative: out->negative = {}; return BucketsItem(value, &out->negative);
      default: return CheckUnknown(value, 0);
    }
  });
}

Status MetricsDecoder::BucketsItem(od::value v, ExponentialBuckets* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kOffset: return Int32(value, &out->offset);
      case Field::kBucketCounts: return Numbers(value, &out->bucket_counts);
      default: return CheckUnknown(value, 0);
    }
  });
}

Status MetricsDecoder::SummaryPointItem(od::value v, SummaryDataPoint* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    if (Status s; CommonPointField(f, value, out, &s)) return s;
    switch (f) {
      case Field::kSum: return Double(value, &out->sum);
      case Field::kQuantileValues:
        return Gather<ValueAtQuantile>(value, &out->quantile_values,
                                       [&](std::size_t, od::value item, StackList<ValueAtQuantile>& list) {
                                         ValueAtQuantile q;
                                         if (Status st = QuantileItem(item, &q); !st.ok()) return st;
                                         return Push(list, q);
                                       });
      default: return CheckUnknown(value, 0);
    }
  });
}

Status MetricsDecoder::QuantileItem(od::value v, ValueAtQuantile* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kQuantile: return Double(value, &out->quantile);
      case Field::kValue: return Double(value, &out->value);
      default: return CheckUnknown(value, 0);
    }
  });
}

// The first max_exemplars exemplars that name a valid span (or none) are
// kept; the others are read through and dropped (OTLP has no count for them).
Status MetricsDecoder::ExemplarList(od::value v, std::span<const Exemplar>* out) {
  return Gather<Exemplar>(v, out, [&](std::size_t, od::value item, StackList<Exemplar>& list) {
    const bool keep = list.size() < limits_.max_exemplars;
    Exemplar exemplar;
    bool valid = false;
    if (Status st = ExemplarItem(item, keep, &exemplar, &valid); !st.ok()) return st;
    return keep && valid ? Push(list, exemplar) : Status::Ok();
  });
}

// *valid: each id is empty (none) or of the right length in hex.
Status MetricsDecoder::ExemplarItem(od::value v, bool keep, Exemplar* out, bool* valid) {
  std::string_view trace_id, span_id;
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kFilteredAttributes: {
        std::uint64_t trimmed = 0;  // an exemplar has no count of dropped attributes
        return AttributeList(value, keep, &out->filtered_attributes, &trimmed);
      }
      case Field::kTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->time_unix_nano);
      case Field::kAsDouble:
      case Field::kAsInt: return NumberValueItem(f, value, &out->value);
      case Field::kSpanId: return String(value, &span_id);
      case Field::kTraceId: return String(value, &trace_id);
      default: return CheckUnknown(value, 0);
    }
  });
  if (!s.ok()) return s;
  *valid = (trace_id.empty() || ParseHexId(trace_id, out->trace_id.bytes)) &&
           (span_id.empty() || ParseHexId(span_id, out->span_id.bytes));
  return Status::Ok();
}

Status MetricsDecoder::NumberValueItem(Field f, od::value v, NumberValue* out) {
  if (out->type != NumberValue::Type::kNone) {
    return Status::InvalidArgument(StrCat(Path(), ": a second value (asDouble, asInt) in one data point"));
  }
  if (f == Field::kAsDouble) {
    double d = 0;
    if (Status s = Double(v, &d); !s.ok()) return s;
    *out = NumberValue::Double(d);
    return Status::Ok();
  }
  std::int64_t i = 0;
  if (Status s = Signed(v, &i); !s.ok()) return s;
  *out = NumberValue::Int(i);
  return Status::Ok();
}

Status MetricsDecoder::OptionalDouble(od::value v, std::optional<double>* out) {
  double d = 0;
  if (Status s = Double(v, &d); !s.ok()) return s;
  *out = d;
  return Status::Ok();
}

// An array of uint64 (bucket counts: integers or strings of digits) or of
// doubles (bounds: numbers, or "NaN", "Infinity", "-Infinity").
template <typename T>
Status MetricsDecoder::Numbers(od::value v, std::span<const T>* out) {
  return Gather<T>(v, out, [&](std::size_t, od::value item, StackList<T>& list) {
    T n = 0;
    Status st;
    if constexpr (std::is_same_v<T, double>) {
      st = Double(item, &n);
    } else {
      st = Unsigned(item, std::numeric_limits<std::uint64_t>::max(), &n);
    }
    if (!st.ok()) return st;
    return Push(list, n);
  });
}

}  // namespace

Result<DecodedMetrics> DecodeMetricsJson(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  return DecodeWith<MetricsDecoder, DecodedMetrics>(body, arena, limits);
}

}  // namespace otelpack::otlp
