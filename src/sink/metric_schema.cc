// The metric event's schema (docs/wire-protocol.md, "Metric event" and
// "Optional fields of log and metric events").
//
// Each field's shape is the same whatever the kind, so fields are checked as
// they come, in any order; which fields the event must and may have depends
// on its "kind", which may come last, so the set is checked at the end.
#include <array>
#include <cstdint>
#include <string_view>

#include "sink/event_schema.h"

namespace otelpack::sink {
namespace {

enum MetricField : int {
  kType, kService, kName, kUnit, kKind, kTimestampMs, kStartTimeMs, kAttributes,
  kValue, kMonotonic, kTemporality, kCount, kSum, kMin, kMax, kBuckets,
  kScale, kZeroCount, kZeroThreshold, kPositive, kNegative, kQuantiles,
  kResource, kScope,
  kMetricFieldCount
};
constexpr std::array<std::string_view, kMetricFieldCount> kMetricFieldNames = {
    "type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes",
    "value", "monotonic", "temporality", "count", "sum", "min", "max", "buckets",
    "scale", "zero_count", "zero_threshold", "positive", "negative", "quantiles",
    "resource", "scope"};
constexpr std::uint32_t kCommon = FirstFields(kAttributes + 1);
constexpr std::uint32_t kOptional = FieldBits({kResource, kScope});

enum Kind : int { kGauge, kSumKind, kHistogram, kExponentialHistogram, kSummary, kKindCount };
constexpr std::array<std::string_view, kKindCount> kKindNames = {
    "gauge", "sum", "histogram", "exponential_histogram", "summary"};
// The fields each kind adds to the common ones, and what an error calls it.
struct KindFields {
  std::uint32_t fields;
  std::string_view what;
};
constexpr std::array<KindFields, kKindCount> kKindFields = {{
    {FieldBits({kValue}), "a gauge metric"},
    {FieldBits({kValue, kMonotonic, kTemporality}), "a sum metric"},
    {FieldBits({kTemporality, kCount, kSum, kMin, kMax, kBuckets}), "a histogram metric"},
    {FieldBits({kTemporality, kCount, kSum, kMin, kMax, kScale, kZeroCount, kZeroThreshold,
                kPositive, kNegative}),
     "an exponential_histogram metric"},
    {FieldBits({kCount, kSum, kQuantiles}), "a summary metric"},
}};

constexpr std::array<std::string_view, 3> kTemporalities = {"delta", "cumulative",
                                                            "unspecified"};
constexpr std::array<std::string_view, 2> kBucketFields = {"le", "count"};
constexpr std::array<std::string_view, 2> kExponentialFields = {"offset", "bucket_counts"};
constexpr std::array<std::string_view, 2> kQuantileFields = {"quantile", "value"};

class MetricSchema final : public FieldTable<EventType::kMetric, kMetricFieldNames> {
 public:
  using FieldTable::FieldTable;

  void Begin(EventRecord* out) override {
    FieldTable::Begin(out);
    kind_ = -1;
  }
  Status Field(int id, od::value& value, EventRecord* out) override;
  Status End(std::uint32_t seen) override;

 private:
  // [{"le": number or null, "count": integer}, ...], the last "le" null.
  Status Buckets(od::value& value);
  // {"offset": integer, "bucket_counts": [integer, ...]}
  Status ExponentialBuckets(od::value& value);
  // [{"quantile": number, "value": number}, ...]
  Status Quantiles(od::value& value);

  int kind_ = -1;  // this event's Kind, once read
};

Status MetricSchema::Buckets(od::value& value) {
  std::size_t buckets = 0;
  bool last_is_infinite = false;
  Status s = c_.Array(value, kEventFieldDepth, [&](od::value& item, int depth) {
    ++buckets;
    return c_.FixedObject(item, depth, kBucketFields, [&](int f, od::value& v, int) {
      if (f == 1) return c_.Count(v);
      if (Status n = c_.Null(v, &last_is_infinite); !n.ok() || last_is_infinite) return n;
      return c_.NumberOrNull(v);
    });
  });
  if (!s.ok() || buckets == 0 || last_is_infinite) return s;
  JsonChecker::Scope index(&c_, buckets - 1);
  JsonChecker::Scope le(&c_, kBucketFields[0]);
  return c_.Schema("the last bucket's bound must be null (+Inf)");
}

Status MetricSchema::ExponentialBuckets(od::value& value) {
  return c_.FixedObject(value, kEventFieldDepth, kExponentialFields,
                        [this](int f, od::value& v, int depth) {
                          if (f == 0) return c_.Int32(v);
                          return c_.Array(v, depth,
                                          [this](od::value& count, int) { return c_.Count(count); });
                        });
}

Status MetricSchema::Quantiles(od::value& value) {
  return c_.Array(value, kEventFieldDepth, [this](od::value& item, int depth) {
    return c_.FixedObject(item, depth, kQuantileFields,
                          [this](int, od::value& v, int) { return c_.NumberOrNull(v); });
  });
}

Status MetricSchema::Field(int id, od::value& value, EventRecord* out) {
  std::string_view text;
  std::int64_t time;
  int index = -1;
  switch (id) {
    case kType: return Type(value);
    case kService: return c_.String(value, &out->service);
    case kName: return c_.String(value, &out->name);
    case kUnit: return c_.String(value, &text);
    case kKind:
      return c_.Enum(value, kKindNames,
                     "gauge, sum, histogram, exponential_histogram or summary", &kind_);
    case kTimestampMs: return c_.NonNegativeInt(value, &out->time_ms);
    case kStartTimeMs: return c_.NonNegativeIntOrNull(value, &time);
    case kAttributes: return c_.Attributes(value, kEventFieldDepth);
    case kValue:
    case kSum:
    case kMin:
    case kMax:
    case kZeroThreshold: return c_.NumberOrNull(value);
    case kMonotonic: return c_.Bool(value);
    case kTemporality:
      return c_.Enum(value, kTemporalities, "delta, cumulative or unspecified", &index);
    case kCount:
    case kZeroCount: return c_.Count(value);
    case kBuckets: return Buckets(value);
    case kScale: return c_.Int32(value);
    case kPositive:
    case kNegative: return ExponentialBuckets(value);
    case kQuantiles: return Quantiles(value);
    case kResource: return Resource(value);
    case kScope: return Scope(value);
    default: return c_.Schema("unknown field");
  }
}

Status MetricSchema::End(std::uint32_t seen) {
  if (kind_ < 0) {  // "kind" is missing: nothing else can be judged
    return CheckFieldSet(seen, kCommon, FirstFields(kMetricFieldCount), "a metric event");
  }
  const KindFields& kind = kKindFields[static_cast<std::size_t>(kind_)];
  return CheckFieldSet(seen, kCommon | kind.fields, kCommon | kind.fields | kOptional, kind.what);
}

}  // namespace

std::unique_ptr<EventSchema> NewMetricSchema(JsonChecker* checker) {
  return std::make_unique<MetricSchema>(checker);
}

}  // namespace otelpack::sink
