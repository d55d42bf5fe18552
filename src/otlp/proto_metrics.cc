// The protobuf decoder for ExportMetricsServiceRequest: metrics and their
// data points straight into the model in one pass (proto_reader.h has the
// rest: the levels above the metrics, attributes, values, limits).
//
// A data point is the signal's record: each is checked (metric_checks.h) and
// left out and counted when it cannot become the backend's event. Repeated
// numbers (bucket counts, bounds) are accepted packed and unpacked, as
// protobuf parsers must, and copied into the arena (the body's bytes are not
// aligned). Past max_buckets they are only counted, not kept: such a point
// is left out anyway, so a histogram of ten million buckets costs no memory.
//
// Field numbers are those of opentelemetry-proto (metrics.proto).
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "common/json_text.h"
#include "common/str_cat.h"
#include "otlp/decode.h"
#include "otlp/metric_checks.h"
#include "otlp/proto_reader.h"
#include "otlp/proto_schema.h"

namespace otelpack::otlp {
namespace {

using namespace proto_internal;  // the decoder's vocabulary

// Numbers of one data point gathered up to `cap`: past it the point is left
// out, so the rest are counted, not kept.
template <typename T>
struct CappedList {
  CappedList(ListStacks& stacks, DecodeBudget& budget, std::size_t cap_) : items(stacks, budget), cap(cap_) {}
  bool over() const { return count > cap; }

  StackList<T> items;
  std::size_t cap;
  std::size_t count = 0;  // kept or not
};

// Why a point whose list went past its cap is left out (metric_checks.h
// cannot say it: the list was not kept).
std::string TooMany(std::string_view list, std::size_t count, std::size_t cap) {
  return StrCat(list, " has ", count, " entries, more than the ", cap, " max_buckets allows");
}

// proto3's sint32: zigzag over the varint's low 32 bits.
std::int32_t ZigZag32(std::uint64_t v) {
  const auto n = static_cast<std::uint32_t>(v);
  return static_cast<std::int32_t>((n >> 1) ^ (~(n & 1) + 1));
}

// An enum's value as protobuf reads it (the varint's low 32 bits); unknown
// temporalities are unspecified.
AggregationTemporality Temporality(std::uint64_t v) {
  const auto n = static_cast<std::uint32_t>(v);
  return n <= 2 ? static_cast<AggregationTemporality>(n) : AggregationTemporality::kUnspecified;
}

// Where each kind of data point keeps the fields every kind has (0: it has
// none). Times are 2 and 3 in all of them.
template <typename Point>
struct PointFields;
template <>
struct PointFields<NumberDataPoint> {
  static constexpr std::uint32_t kAttributes = 7, kFlags = 8, kExemplars = 5, kCount = 0, kSum = 0, kMin = 0,
                                 kMax = 0;
};
template <>
struct PointFields<HistogramDataPoint> {
  static constexpr std::uint32_t kAttributes = 9, kFlags = 10, kExemplars = 8, kCount = 4, kSum = 5, kMin = 11,
                                 kMax = 12;
};
template <>
struct PointFields<ExponentialHistogramDataPoint> {
  static constexpr std::uint32_t kAttributes = 1, kFlags = 10, kExemplars = 11, kCount = 4, kSum = 5, kMin = 12,
                                 kMax = 13;
};
template <>
struct PointFields<SummaryDataPoint> {
  static constexpr std::uint32_t kAttributes = 7, kFlags = 8, kExemplars = 0, kCount = 4, kSum = 5, kMin = 0,
                                 kMax = 0;
};

class MetricsDecoder : public ProtoDecoder<MetricsDecoder, MetricsSchema> {
 public:
  using ProtoDecoder::ProtoDecoder;

  // ScopeMetrics.metrics: a metric is always kept (with the points that are
  // valid); its points are the records.
  bool DecodeRecord(std::string_view message, std::size_t /*index*/, StackList<Metric>& metrics) {
    Metric metric;
    return DecodeMetric(message, &metric) && Push(metrics, metric);
  }

 private:
  // The data oneof of the metric being decoded. protobuf merges a member
  // that occurs twice (its points add up) and clears it when another member
  // comes: the last member present wins.
  struct Data {
    Data(ListStacks& stacks, DecodeBudget& budget)
        : numbers(stacks, budget), histograms(stacks, budget), exponential(stacks, budget), summaries(stacks, budget) {}

    StackList<NumberDataPoint> numbers;  // a gauge's or a sum's
    StackList<HistogramDataPoint> histograms;
    StackList<ExponentialHistogramDataPoint> exponential;
    StackList<SummaryDataPoint> summaries;
    std::size_t rejected = 0;
    std::string rejection;  // "data point N: why", for the first one left out
  };

  bool DecodeMetric(std::string_view message, Metric* out) {
    StackList<KeyValue> metadata(stacks_, budget_);
    std::size_t dropped_metadata = 0;  // OTLP has no count for them
    Data data(stacks_, budget_);
    const bool ok = ForEachField(message, [&](const Field& f) {
      switch (f.number) {
        case 1:
          return ReadBytes(f, "name", &out->name);
        case 2:
          return ReadBytes(f, "description", &out->description);
        case 3:
          return ReadBytes(f, "unit", &out->unit);
        case 5:
          return DataMember(f, MetricKind::kGauge, "gauge", data.numbers, data, out);
        case 7:
          return DataMember(f, MetricKind::kSum, "sum", data.numbers, data, out);
        case 9:
          return DataMember(f, MetricKind::kHistogram, "histogram", data.histograms, data, out);
        case 10:
          return DataMember(f, MetricKind::kExponentialHistogram, "exponential_histogram", data.exponential, data,
                            out);
        case 11:
          return DataMember(f, MetricKind::kSummary, "summary", data.summaries, data, out);
        case 12:
          return Expect(f, kLen, "metadata") && DecodeAttribute(f.bytes, metadata, &dropped_metadata, "metadata");
        default:
          return true;
      }
    });
    if (!ok) return false;
    out->metadata = metadata.CopyTo(arena_);
    out->number_points = data.numbers.CopyTo(arena_);
    out->histogram_points = data.histograms.CopyTo(arena_);
    out->exponential_histogram_points = data.exponential.CopyTo(arena_);
    out->summary_points = data.summaries.CopyTo(arena_);
    result_.records += out->data_point_count();
    if (data.rejected > 0) {
      if (result_.rejected == 0) {
        result_.rejection = StrCat("metric \"", PrintableExcerpt(out->name), "\" ", data.rejection);
      }
      result_.rejected += data.rejected;
    }
    return true;
  }

  // One of the data oneof's members, `kind`, whose points go to `points`.
  template <typename Point>
  bool DataMember(const Field& f, MetricKind kind, std::string_view name, StackList<Point>& points, Data& data,
                  Metric* out) {
    if (!Expect(f, kLen, name)) return false;
    Select(kind, data, out);
    return In(name, DecodeData(f.bytes, points, data, out));
  }

  // Unless `kind` is the member already there, what came before is
  // forgotten, as protobuf clears a oneof.
  static void Select(MetricKind kind, Data& data, Metric* out) {
    if (out->kind == kind) return;
    out->kind = kind;
    out->temporality = AggregationTemporality::kUnspecified;
    out->monotonic = false;
    data.numbers.Clear();
    data.histograms.Clear();
    data.exponential.Clear();
    data.summaries.Clear();
    data.rejected = 0;
    data.rejection.clear();
  }

  // Gauge, Sum, Histogram, ExponentialHistogram, Summary: data_points = 1,
  // and aggregation_temporality = 2, is_monotonic = 3 where the member has
  // them (a Gauge or a Summary has neither: there they are unknown fields).
  template <typename Point>
  bool DecodeData(std::string_view message, StackList<Point>& points, Data& data, Metric* out) {
    const bool temporal = out->kind == MetricKind::kSum || out->kind == MetricKind::kHistogram ||
                          out->kind == MetricKind::kExponentialHistogram;
    return ForEachField(message, [&](const Field& f) {
      if (f.number == 1) return Expect(f, kLen, "data_points") && DataPoint(f.bytes, points, data);
      if (f.number == 2 && temporal) {
        if (!Expect(f, kVarint, "aggregation_temporality")) return false;
        out->temporality = Temporality(f.value);
      } else if (f.number == 3 && out->kind == MetricKind::kSum) {
        if (!Expect(f, kVarint, "is_monotonic")) return false;
        out->monotonic = f.value != 0;
      }
      return true;
    });
  }

  // One data point: kept, or left out and counted.
  template <typename Point>
  bool DataPoint(std::string_view message, StackList<Point>& points, Data& data) {
    const std::size_t index = points.size() + data.rejected;
    Point point;
    std::string why;
    if (!In("data_points", index, DecodePoint(message, &point, &why))) return false;
    if (why.empty()) why = Check(point);
    if (why.empty()) return Push(points, point);
    if (data.rejected++ == 0) data.rejection = StrCat("data point ", index, ": ", why);
    return true;
  }

  static std::string Check(const NumberDataPoint& p) { return InvalidDataPoint(p); }
  template <typename Point>
  std::string Check(const Point& p) const {
    return InvalidDataPoint(p, limits_.max_buckets);
  }

  bool DecodePoint(std::string_view message, NumberDataPoint* out, std::string* /*why*/) {
    return DecodePointFields(message, out, [&](const Field& f) {
      return f.number == 4 || f.number == 6 ? ReadNumber(f, 4, &out->value) : true;
    });
  }

  bool DecodePoint(std::string_view message, HistogramDataPoint* out, std::string* why) {
    CappedList<std::uint64_t> counts(stacks_, budget_, CountsCap());
    CappedList<double> bounds(stacks_, budget_, limits_.max_buckets);
    const bool ok = DecodePointFields(message, out, [&](const Field& f) {
      if (f.number == 6) return Fixed64s(f, "bucket_counts", counts);
      if (f.number == 7) return Fixed64s(f, "explicit_bounds", bounds);
      return true;
    });
    if (bounds.over()) {
      *why = TooMany("explicit_bounds", bounds.count, bounds.cap);
    } else if (counts.over()) {
      *why = TooMany("bucket_counts", counts.count, counts.cap);
    } else {
      out->bucket_counts = counts.items.CopyTo(arena_);
      out->explicit_bounds = bounds.items.CopyTo(arena_);
    }
    return ok;
  }

  bool DecodePoint(std::string_view message, ExponentialHistogramDataPoint* out, std::string* why) {
    std::size_t positive = 0, negative = 0;  // buckets on each side, kept or not
    const bool ok = DecodePointFields(message, out, [&](const Field& f) {
      switch (f.number) {
        case 6:
          if (!Expect(f, kVarint, "scale")) return false;
          out->scale = ZigZag32(f.value);
          return true;
        case 7:
          return ReadFixed64(f, "zero_count", &out->zero_count);
        case 8:
          return Expect(f, kLen, "positive") && In("positive", DecodeBuckets(f.bytes, &out->positive, &positive));
        case 9:
          return Expect(f, kLen, "negative") && In("negative", DecodeBuckets(f.bytes, &out->negative, &negative));
        case 14:
          return ReadDouble(f, "zero_threshold", &out->zero_threshold);
        default:
          return true;
      }
    });
    if (positive > limits_.max_buckets) {
      *why = TooMany("positive.bucket_counts", positive, limits_.max_buckets);
    } else if (negative > limits_.max_buckets) {
      *why = TooMany("negative.bucket_counts", negative, limits_.max_buckets);
    }
    return ok;
  }

  // Buckets { sint32 offset = 1; repeated uint64 bucket_counts = 2; }. A
  // side that occurs twice merges, as in protobuf: its counts add up.
  // *count is the side's number of buckets so far, kept or not.
  bool DecodeBuckets(std::string_view message, ExponentialBuckets* out, std::size_t* count) {
    CappedList<std::uint64_t> counts(stacks_, budget_, limits_.max_buckets);
    if (*count > counts.cap) {
      counts.count = *count;
    } else {
      for (std::uint64_t c : out->bucket_counts) {
        if (!Add(counts, c)) return false;
      }
    }
    const bool ok = ForEachField(message, [&](const Field& f) {
      if (f.number == 2) return Varints(f, "bucket_counts", counts);
      if (f.number != 1) return true;
      if (!Expect(f, kVarint, "offset")) return false;
      out->offset = ZigZag32(f.value);
      return true;
    });
    if (!ok) return false;
    out->bucket_counts = counts.over() ? std::span<const std::uint64_t>() : counts.items.CopyTo(arena_);
    *count = counts.count;
    return true;
  }

  bool DecodePoint(std::string_view message, SummaryDataPoint* out, std::string* why) {
    CappedList<ValueAtQuantile> quantiles(stacks_, budget_, limits_.max_buckets);
    const bool ok = DecodePointFields(message, out, [&](const Field& f) {
      if (f.number != 6) return true;
      ValueAtQuantile q;
      return Expect(f, kLen, "quantile_values") &&
             In("quantile_values", quantiles.count, DecodeQuantile(f.bytes, &q)) && Add(quantiles, q);
    });
    if (quantiles.over()) {
      *why = TooMany("quantile_values", quantiles.count, quantiles.cap);
    } else {
      out->quantile_values = quantiles.items.CopyTo(arena_);
    }
    return ok;
  }

  // ValueAtQuantile { double quantile = 1; double value = 2; }
  bool DecodeQuantile(std::string_view message, ValueAtQuantile* out) {
    return ForEachField(message, [&](const Field& f) {
      if (f.number == 1) return ReadDouble(f, "quantile", &out->quantile);
      if (f.number == 2) return ReadDouble(f, "value", &out->value);
      return true;
    });
  }

  // The lists of a data point: attributes (OTLP has no dropped count for a
  // point's) and, but for a summary, exemplars (past max_exemplars, dropped).
  struct PointLists {
    PointLists(ListStacks& stacks, DecodeBudget& budget) : attributes(stacks, budget), exemplars(stacks, budget) {}

    StackList<KeyValue> attributes;
    StackList<Exemplar> exemplars;
    std::size_t dropped_attributes = 0;
  };

  // A data point: the fields every kind has (PointFields says where) read
  // here, the others handed to `other(f)`.
  template <typename Point, typename Other>
  bool DecodePointFields(std::string_view message, Point* out, Other other) {
    using Fields = PointFields<Point>;
    PointLists lists(stacks_, budget_);
    const bool ok = ForEachField(message, [&](const Field& f) {
      if (f.number == 2) return ReadFixed64(f, "start_time_unix_nano", &out->start_time_unix_nano);
      if (f.number == 3) return ReadFixed64(f, "time_unix_nano", &out->time_unix_nano);
      if (f.number == Fields::kAttributes) {
        return Expect(f, kLen, "attributes") && DecodeAttribute(f.bytes, lists.attributes, &lists.dropped_attributes);
      }
      if (f.number == Fields::kFlags) {
        if (!Expect(f, kVarint, "flags")) return false;
        out->flags = static_cast<std::uint32_t>(f.value);
        return true;
      }
      if (f.number == Fields::kExemplars) return AddExemplar(f, lists);
      if constexpr (Fields::kCount != 0) {
        if (f.number == Fields::kCount) return ReadFixed64(f, "count", &out->count);
        if (f.number == Fields::kSum) return ReadDouble(f, "sum", &out->sum);
      }
      if constexpr (Fields::kMin != 0) {
        if (f.number == Fields::kMin) return ReadDouble(f, "min", &out->min);
        if (f.number == Fields::kMax) return ReadDouble(f, "max", &out->max);
      }
      return other(f);
    });
    if (!ok) return false;
    out->attributes = lists.attributes.CopyTo(arena_);
    if constexpr (Fields::kExemplars != 0) out->exemplars = lists.exemplars.CopyTo(arena_);
    return true;
  }

  // NumberDataPoint's or Exemplar's oneof value: as_double at `as_double`,
  // else as_int (an sfixed64, field 6 in both).
  bool ReadNumber(const Field& f, std::uint32_t as_double, NumberValue* out) {
    const bool is_double = f.number == as_double;
    if (!Expect(f, kFixed64, is_double ? "as_double" : "as_int")) return false;
    *out = is_double ? NumberValue::Double(std::bit_cast<double>(f.value))
                     : NumberValue::Int(static_cast<std::int64_t>(f.value));
    return true;
  }

  // An exemplar with an id of the wrong length is dropped, as a span's link
  // to nothing is; so is one past max_exemplars (neither is counted: OTLP
  // has no count for them).
  bool AddExemplar(const Field& f, PointLists& lists) {
    if (!Expect(f, kLen, "exemplars")) return false;
    if (lists.exemplars.size() == limits_.max_exemplars) return true;
    Exemplar exemplar;
    bool valid = true;
    if (!In("exemplars", lists.exemplars.size(), DecodeExemplar(f.bytes, &exemplar, &valid))) return false;
    return !valid || Push(lists.exemplars, exemplar);
  }

  bool DecodeExemplar(std::string_view message, Exemplar* out, bool* valid) {
    StackList<KeyValue> attributes(stacks_, budget_);
    std::size_t dropped_attributes = 0;  // OTLP has no count for them
    bool bad_trace_id = false, bad_span_id = false;
    const bool ok = ForEachField(message, [&](const Field& f) {
      switch (f.number) {
        case 7:
          return Expect(f, kLen, "filtered_attributes") &&
                 DecodeAttribute(f.bytes, attributes, &dropped_attributes, "filtered_attributes");
        case 2:
          return ReadFixed64(f, "time_unix_nano", &out->time_unix_nano);
        case 3:
        case 6:
          return ReadNumber(f, 3, &out->value);
        case 4:
          return ReadIdOrEmpty(f, "span_id", &out->span_id.bytes, &bad_span_id);
        case 5:
          return ReadIdOrEmpty(f, "trace_id", &out->trace_id.bytes, &bad_trace_id);
        default:
          return true;
      }
    });
    if (!ok) return false;
    out->filtered_attributes = attributes.CopyTo(arena_);
    *valid = !bad_trace_id && !bad_span_id;
    return true;
  }

  // bucket_counts may hold one more entry than max_buckets: the last bucket.
  std::size_t CountsCap() const {
    return limits_.max_buckets == SIZE_MAX ? SIZE_MAX : limits_.max_buckets + 1;
  }

  // One number into `list`, or only counted past its cap.
  template <typename T>
  bool Add(CappedList<T>& list, const T& v) {
    if (++list.count > list.cap) return true;
    return Push(list.items, v);
  }

  // A repeated fixed64 or double: packed (one length-delimited run of
  // 8-byte values) or not (one fixed64 field per value).
  template <typename T>
  bool Fixed64s(const Field& f, std::string_view name, CappedList<T>& list) {
    if (f.wire == kFixed64) return Add(list, std::bit_cast<T>(f.value));
    if (!Expect(f, kLen, name)) return false;
    if (f.bytes.size() % 8 != 0) return Malformed(f, name, "packed length is not a multiple of 8");
    const std::size_t n = f.bytes.size() / 8;
    if (list.count > list.cap || n > list.cap - list.count) {  // the point is left out: keep none
      list.count += n;
      return true;
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t v;
      std::memcpy(&v, f.bytes.data() + 8 * i, 8);
      if (!Add(list, std::bit_cast<T>(v))) return false;
    }
    return true;
  }

  // A repeated uint64: packed (one length-delimited run of varints) or not.
  bool Varints(const Field& f, std::string_view name, CappedList<std::uint64_t>& list) {
    if (f.wire == kVarint) return Add(list, f.value);
    if (!Expect(f, kLen, name)) return false;
    FieldReader packed(f.bytes);
    while (!packed.done()) {
      std::uint64_t v;
      if (!packed.ReadVarint(&v)) return Malformed(f, name, "truncated packed varint");
      if (!Add(list, v)) return false;
    }
    return true;
  }
};

}  // namespace

Result<DecodedMetrics> DecodeMetricsProto(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  return DecodeWith<MetricsDecoder>(body, arena, limits);
}

}  // namespace otelpack::otlp
