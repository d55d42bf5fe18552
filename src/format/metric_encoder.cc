// MetricEncoder: one data point -> one JSON event, written through a raw
// cursor the way SpanEncoder writes spans (see span_encoder.cc for the
// techniques). Each point copies the prepared head (service, name, unit,
// kind) in 16-byte blocks, then writes its times and attributes, then its
// kind's fields with one reservation for all of them, the bucket lists
// included (their size is known before writing).
//
// Doubles are the expensive part of a histogram, and its bounds are most of
// them; the points of a metric nearly always share their bounds, so each
// bound's `{"le":<bound>,"count":` is written once into a slot and copied
// for every point whose bounds are the same.
#include "format/metric_encoder.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "format/json_writer.h"
#include "format/service_name.h"
#include "format/value_writer.h"

namespace otelpack {
namespace {

using format::Cursor;
using format::Lit;

// What BeginPoint writes after the head: two times and their keys.
constexpr std::size_t kTimesRoom = 20 + 17 + 20 + 14;

// By AggregationTemporality's value; anything else is "unspecified".
constexpr std::array<format::PaddedName, 3> kTemporalities = {format::Pad("unspecified"), format::Pad("delta"),
                                                              format::Pad("cumulative")};

std::uint8_t TemporalityIndex(AggregationTemporality t) {
  const auto i = static_cast<std::uint8_t>(t);
  return i < kTemporalities.size() ? i : 0;
}

std::string_view KindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kGauge: return "gauge";
    case MetricKind::kSum: return "sum";
    case MetricKind::kHistogram: return "histogram";
    case MetricKind::kExponentialHistogram: return "exponential_histogram";
    case MetricKind::kSummary: return "summary";
    case MetricKind::kNone: break;
  }
  return "none";  // unreachable through Encode, which skips such metrics
}

// The most `"temporality":"<name>"` with its comma takes.
constexpr std::size_t kTemporalityRoom = 16 + format::kPieceBlock + 1;

char* WriteTemporality(std::uint8_t index, char* p) {
  p = Lit(p, ",\"temporality\":\"");
  p = format::CopyPadded(kTemporalities[index], p);
  *p++ = '"';
  return p;
}

// `,"sum":s,"min":m,"max":M` after a histogram's count.
constexpr std::size_t kSumMinMaxRoom = 3 * (7 + format::kOptionalDoubleRoom);

char* WriteSumMinMax(const std::optional<double>& sum, const std::optional<double>& min,
                     const std::optional<double>& max, char* p) {
  p = Lit(p, ",\"sum\":");
  p = format::WriteOptionalDouble(sum, p);
  p = Lit(p, ",\"min\":");
  p = format::WriteOptionalDouble(min, p);
  p = Lit(p, ",\"max\":");
  return format::WriteOptionalDouble(max, p);
}

// A bound's piece `{"le":<bound>,"count":` in a slot of its own, the last
// byte of the slot its length, so that it is copied with three fixed moves.
constexpr std::size_t kBoundSlot = 48;
static_assert(6 + format::kMaxNumberChars + 9 < kBoundSlot, "a bound's piece fits its slot with its length");

// One bucket with its comma, at most: a slot copied whole, the count's
// digits and scratch bytes, "},".
constexpr std::size_t kBucketRoom = kBoundSlot + 20 + 2;

// [{"le":bound,"count":n},...,{"le":null,"count":n}]: count i gets bound i
// (its slot), which is null past the last bound (OTLP's +Inf bucket, or a
// count without a bound in a histogram the agent would have refused).
// REQUIRES: `bounded` slots, bounded <= counts.size(), room for 2 +
// kBucketRoom * counts.size().
char* WriteBuckets(std::span<const std::uint64_t> counts, const char* slots, std::size_t bounded, char* p) {
  *p++ = '[';
  if (counts.empty()) {
    *p++ = ']';
    return p;
  }
  for (std::size_t i = 0; i < bounded; ++i) {
    const char* slot = slots + i * kBoundSlot;
    format::detail::Copy16(p, slot);
    format::detail::Copy16(p + 16, slot + 16);
    format::detail::Copy16(p + 32, slot + 32);
    p += static_cast<unsigned char>(slot[kBoundSlot - 1]);
    p = format::WriteUint(counts[i], p);
    p = Lit(p, "},");
  }
  for (std::size_t i = bounded; i < counts.size(); ++i) {
    p = Lit(p, "{\"le\":null,\"count\":");
    p = format::WriteUint(counts[i], p);
    p = Lit(p, "},");
  }
  p[-1] = ']';
  return p;
}

// `,"positive":{"offset":o,"bucket_counts":[...]}` without its counts.
constexpr std::size_t kExponentialSideRoom = 22 + format::kMaxNumberChars + 18 + 2;
// One count with its comma.
constexpr std::size_t kCountRoom = 21;

// {"offset":o,"bucket_counts":[n,...]}. REQUIRES: room for
// kExponentialSideRoom + kCountRoom * side.bucket_counts.size().
char* WriteExponentialSide(const ExponentialBuckets& side, char* p) {
  p = Lit(p, "{\"offset\":");
  p = format::WriteInt(side.offset, p);
  p = Lit(p, ",\"bucket_counts\":[");
  if (side.bucket_counts.empty()) return Lit(p, "]}");
  for (std::uint64_t n : side.bucket_counts) {
    p = format::WriteUint(n, p);
    *p++ = ',';
  }
  p[-1] = ']';
  *p++ = '}';
  return p;
}

// `{"quantile":q,"value":v},` at most.
constexpr std::size_t kQuantileRoom = 12 + format::kMaxNumberChars + 9 + format::kMaxNumberChars + 2;

}  // namespace

MetricEncoder::MetricEncoder(ExtraFields extra) : context_(extra) {
  BeginResource(Resource{});
  Metric unnamed;
  unnamed.kind = MetricKind::kGauge;
  BeginMetric(unnamed);
}

template <typename Point>
void MetricEncoder::EncodePoints(std::span<const Point> points, std::string_view name, EventSink& sink) {
  for (const Point& point : points) {
    AppendDataPoint(point, &sink.BeginEvent());
    sink.EndEvent(name);
  }
}

void MetricEncoder::Encode(MetricsView metrics, EventSink& sink) {
  for (const ResourceMetrics& rm : metrics) {
    BeginResource(rm.resource);
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      BeginScope(sm.scope);
      for (const Metric& m : sm.metrics) {
        if (m.kind == MetricKind::kNone) continue;
        BeginMetric(m);
        switch (m.kind) {
          case MetricKind::kGauge:
          case MetricKind::kSum: EncodePoints(m.number_points, m.name, sink); break;
          case MetricKind::kHistogram: EncodePoints(m.histogram_points, m.name, sink); break;
          case MetricKind::kExponentialHistogram: EncodePoints(m.exponential_histogram_points, m.name, sink); break;
          case MetricKind::kSummary: EncodePoints(m.summary_points, m.name, sink); break;
          case MetricKind::kNone: break;
        }
      }
    }
  }
}

void MetricEncoder::BeginResource(const Resource& resource) {
  service_piece_.Clear();
  service_piece_.Append("{\"type\":\"metric\",\"service\":");
  AppendJsonString(ServiceName(resource), &service_piece_);
  context_.BeginResource(resource);
  JoinHead();
}

void MetricEncoder::BeginScope(const InstrumentationScope& scope) { context_.BeginScope(scope); }

void MetricEncoder::BeginMetric(const Metric& metric) {
  metric_piece_.Clear();
  metric_piece_.Append(",\"name\":");
  AppendJsonString(metric.name, &metric_piece_);
  metric_piece_.Append(",\"unit\":");
  AppendJsonString(metric.unit, &metric_piece_);
  metric_piece_.Append(",\"kind\":\"");
  metric_piece_.Append(KindName(metric.kind));
  metric_piece_.Append("\",\"timestamp_ms\":");
  sum_ = metric.kind == MetricKind::kSum;
  monotonic_ = metric.monotonic;
  temporality_ = TemporalityIndex(metric.temporality);
  JoinHead();
}

void MetricEncoder::JoinHead() {
  head_.Clear();
  head_.Append(service_piece_.view());
  head_.Append(metric_piece_.view());
  format::PadPiece(&head_);
}

std::size_t MetricEncoder::PointHeadRoom() const {
  // The head is copied in blocks, so up to kPieceBlock - 1 bytes more.
  return head_.size() + format::kPieceBlock + kTimesRoom;
}

void MetricEncoder::BeginPoint(Cursor& c, std::uint64_t start_unix_nano, std::uint64_t time_unix_nano,
                               Attributes attributes) {
  char* p = format::CopyPiece(head_, c.p);
  p = format::WriteUint(time_unix_nano / 1000000, p);
  p = Lit(p, ",\"start_time_ms\":");
  p = start_unix_nano != 0 ? format::WriteUint(start_unix_nano / 1000000, p) : Lit(p, "null");
  c.p = Lit(p, ",\"attributes\":");
  format::WriteObject(c, attributes, 0);
}

void MetricEncoder::EndPoint(Cursor& c) {
  if (context_.any()) context_.Append(c);
  c.Ensure(1);
  *c.p++ = '}';
  c.Done();
}

void MetricEncoder::AppendDataPoint(const NumberDataPoint& point, Buffer* out) {
  Cursor c(out, PointHeadRoom());
  BeginPoint(c, point.start_time_unix_nano, point.time_unix_nano, point.attributes);
  c.Ensure(9 + format::kMaxNumberChars + 19 + kTemporalityRoom);
  char* p = Lit(c.p, ",\"value\":");
  const bool recorded = (point.flags & kDataPointNoRecordedValue) == 0;
  if (recorded && point.value.type == NumberValue::Type::kInt) {
    p = format::WriteInt(point.value.as_int, p);
  } else if (recorded && point.value.type == NumberValue::Type::kDouble) {
    p = format::WriteDouble(point.value.as_double, p);
  } else {
    p = Lit(p, "null");  // no recorded value, or none at all
  }
  if (sum_) {
    p = monotonic_ ? Lit(p, ",\"monotonic\":true") : Lit(p, ",\"monotonic\":false");
    p = WriteTemporality(temporality_, p);
  }
  c.p = p;
  EndPoint(c);
}

void MetricEncoder::PrepareBoundSlots(std::span<const double> bounds) {
  if (bounds.size() == slot_bounds_.size() &&
      (bounds.empty() || std::memcmp(bounds.data(), slot_bounds_.data(), bounds.size_bytes()) == 0)) {
    return;  // the bounds of the previous point, as usual within a metric
  }
  slot_bounds_.assign(bounds.begin(), bounds.end());
  bound_slots_.Clear();
  char* slots = bound_slots_.ReserveAppend(bounds.size() * kBoundSlot);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    char* slot = slots + i * kBoundSlot;
    char* p = Lit(slot, "{\"le\":");
    p = format::WriteDouble(bounds[i], p);
    p = Lit(p, ",\"count\":");
    slot[kBoundSlot - 1] = static_cast<char>(p - slot);
  }
  bound_slots_.Commit(bounds.size() * kBoundSlot);
}

void MetricEncoder::AppendDataPoint(const HistogramDataPoint& point, Buffer* out) {
  // Bounds without a count are not written; counts past the last bound get
  // no slot.
  const std::size_t bounded = std::min(point.bucket_counts.size(), point.explicit_bounds.size());
  PrepareBoundSlots(point.explicit_bounds.first(bounded));
  Cursor c(out, PointHeadRoom());
  BeginPoint(c, point.start_time_unix_nano, point.time_unix_nano, point.attributes);
  c.Ensure(kTemporalityRoom + 9 + 20 + kSumMinMaxRoom + 12 + 2 + kBucketRoom * point.bucket_counts.size());
  char* p = WriteTemporality(temporality_, c.p);
  p = Lit(p, ",\"count\":");
  p = format::WriteUint(point.count, p);
  p = WriteSumMinMax(point.sum, point.min, point.max, p);
  p = Lit(p, ",\"buckets\":");
  c.p = WriteBuckets(point.bucket_counts, bound_slots_.data(), bounded, p);
  EndPoint(c);
}

void MetricEncoder::AppendDataPoint(const ExponentialHistogramDataPoint& point, Buffer* out) {
  Cursor c(out, PointHeadRoom());
  BeginPoint(c, point.start_time_unix_nano, point.time_unix_nano, point.attributes);
  const std::size_t counts = point.positive.bucket_counts.size() + point.negative.bucket_counts.size();
  c.Ensure(kTemporalityRoom + 9 + 20 + kSumMinMaxRoom + 9 + format::kMaxNumberChars + 14 + 20 + 18 +
           format::kMaxNumberChars + 2 * (12 + kExponentialSideRoom) + kCountRoom * counts);
  char* p = WriteTemporality(temporality_, c.p);
  p = Lit(p, ",\"count\":");
  p = format::WriteUint(point.count, p);
  p = WriteSumMinMax(point.sum, point.min, point.max, p);
  p = Lit(p, ",\"scale\":");
  p = format::WriteInt(point.scale, p);
  p = Lit(p, ",\"zero_count\":");
  p = format::WriteUint(point.zero_count, p);
  p = Lit(p, ",\"zero_threshold\":");
  p = format::WriteDouble(point.zero_threshold, p);
  p = Lit(p, ",\"positive\":");
  p = WriteExponentialSide(point.positive, p);
  p = Lit(p, ",\"negative\":");
  c.p = WriteExponentialSide(point.negative, p);
  EndPoint(c);
}

void MetricEncoder::AppendDataPoint(const SummaryDataPoint& point, Buffer* out) {
  Cursor c(out, PointHeadRoom());
  BeginPoint(c, point.start_time_unix_nano, point.time_unix_nano, point.attributes);
  c.Ensure(9 + 20 + 7 + format::kMaxNumberChars + 14 + 2 + kQuantileRoom * point.quantile_values.size());
  char* p = Lit(c.p, ",\"count\":");
  p = format::WriteUint(point.count, p);
  p = Lit(p, ",\"sum\":");
  p = format::WriteDouble(point.sum, p);
  p = Lit(p, ",\"quantiles\":[");
  if (point.quantile_values.empty()) {
    *p++ = ']';
  } else {
    for (const ValueAtQuantile& q : point.quantile_values) {
      p = Lit(p, "{\"quantile\":");
      p = format::WriteDouble(q.quantile, p);
      p = Lit(p, ",\"value\":");
      p = format::WriteDouble(q.value, p);
      p = Lit(p, "},");
    }
    p[-1] = ']';
  }
  c.p = p;
  EndPoint(c);
}

}  // namespace otelpack
