// The model -> protobuf Export*ServiceRequest, for load generation,
// benchmarks and tests: the bytes libprotobuf writes for the same data
// (fields in number order, proto3 defaults left out). The common messages
// and the levels above the records are written once (proto_schema.h), each
// signal's records below. Written for clarity, not speed: each nested message
// is encoded into its own buffer and then appended with its length (the load
// tools encode their requests once, before the clock starts).
#include <bit>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "otlp/decode.h"
#include "otlp/proto_schema.h"
#include "otlp/wire.h"

namespace otelpack::otlp {
namespace {

using wire::PutBytes;
using wire::PutTag;
using wire::PutVarint;

// proto3: a scalar equal to its default is not written.
void PutString(std::uint32_t field, std::string_view s, std::string* out) {
  if (!s.empty()) PutBytes(field, s, out);
}

void PutUint(std::uint32_t field, std::uint64_t v, std::string* out) {
  if (v == 0) return;
  PutTag(field, wire::kVarint, out);
  PutVarint(v, out);
}

void AppendFixed64(std::uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// A fixed64 written even when zero: a oneof member, a proto3 `optional`.
void PutFixed64Always(std::uint32_t field, std::uint64_t v, std::string* out) {
  PutTag(field, wire::kFixed64, out);
  AppendFixed64(v, out);
}

void PutFixed64(std::uint32_t field, std::uint64_t v, std::string* out) {
  if (v != 0) PutFixed64Always(field, v, out);
}

// A double is left out when its bits are zero (-0.0 is written, as
// libprotobuf does).
void PutDouble(std::uint32_t field, double d, std::string* out) {
  PutFixed64(field, std::bit_cast<std::uint64_t>(d), out);
}

void PutOptionalDouble(std::uint32_t field, std::optional<double> d, std::string* out) {
  if (d) PutFixed64Always(field, std::bit_cast<std::uint64_t>(*d), out);
}

void PutFixed32(std::uint32_t field, std::uint32_t v, std::string* out) {
  if (v == 0) return;
  PutTag(field, wire::kFixed32, out);
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

template <std::size_t N>
std::string_view IdBytes(const std::array<std::uint8_t, N>& id) {
  return {reinterpret_cast<const char*>(id.data()), N};
}

void PutKeyValue(std::uint32_t field, const KeyValue& kv, std::string* out);

void PutAnyValue(std::uint32_t field, const AnyValue& v, std::string* out) {
  std::string m;
  switch (v.type()) {
    case ValueType::kEmpty:
      break;
    case ValueType::kString:
      PutBytes(1, v.string_value(), &m);  // oneof members are written even when empty
      break;
    case ValueType::kBool:
      PutTag(2, wire::kVarint, &m);
      PutVarint(v.bool_value() ? 1 : 0, &m);
      break;
    case ValueType::kInt:
      PutTag(3, wire::kVarint, &m);
      PutVarint(static_cast<std::uint64_t>(v.int_value()), &m);
      break;
    case ValueType::kDouble:
      PutFixed64Always(4, std::bit_cast<std::uint64_t>(v.double_value()), &m);
      break;
    case ValueType::kBytes:
      PutBytes(7, v.string_value(), &m);
      break;
    case ValueType::kArray: {
      std::string array;
      for (const AnyValue& e : v.array_value()) PutAnyValue(1, e, &array);
      PutBytes(5, array, &m);
      break;
    }
    case ValueType::kKvList: {
      std::string list;
      for (const KeyValue& kv : v.kvlist_value()) PutKeyValue(1, kv, &list);
      PutBytes(6, list, &m);
      break;
    }
  }
  PutBytes(field, m, out);
}

void PutKeyValue(std::uint32_t field, const KeyValue& kv, std::string* out) {
  std::string m;
  PutString(1, kv.key, &m);
  PutAnyValue(2, kv.value, &m);
  PutBytes(field, m, out);
}

void PutAttributes(std::uint32_t field, Attributes attributes, std::string* out) {
  for (const KeyValue& kv : attributes) PutKeyValue(field, kv, out);
}

// Resource { attributes = 1; dropped_attributes_count = 2; }
void PutResource(std::uint32_t field, const Resource& resource, std::string* out) {
  std::string m;
  PutAttributes(1, resource.attributes, &m);
  PutUint(2, resource.dropped_attributes_count, &m);
  PutBytes(field, m, out);
}

// InstrumentationScope { name = 1; version = 2; attributes = 3; dropped_attributes_count = 4; }
void PutScope(std::uint32_t field, const InstrumentationScope& scope, std::string* out) {
  std::string m;
  PutString(1, scope.name, &m);
  PutString(2, scope.version, &m);
  PutAttributes(3, scope.attributes, &m);
  PutUint(4, scope.dropped_attributes_count, &m);
  PutBytes(field, m, out);
}

// Export*ServiceRequest { repeated Resource* = 1; }, each resource group
// { resource = 1; repeated Scope* = 2; schema_url = 3; } and each scope group
// { scope = 1; repeated record = 2; schema_url = 3; }; `put_record` writes one
// record as field 2 of its scope group.
template <typename Schema, typename PutRecord>
void PutRequest(typename Schema::View view, std::string* out, PutRecord put_record) {
  for (const typename Schema::ResourceGroup& rg : view) {
    std::string resource_group;
    PutResource(1, rg.resource, &resource_group);
    for (const typename Schema::ScopeGroup& sg : rg.*Schema::kScopeGroupsOf) {
      std::string scope_group;
      PutScope(1, sg.scope, &scope_group);
      for (const typename Schema::Record& record : sg.*Schema::kRecordsOf) put_record(record, &scope_group);
      PutString(3, sg.schema_url, &scope_group);
      PutBytes(2, scope_group, &resource_group);
    }
    PutString(3, rg.schema_url, &resource_group);
    PutBytes(1, resource_group, out);
  }
}

// --- Traces -------------------------------------------------------------------

void PutSpan(const Span& s, std::string* out) {
  std::string m;
  PutBytes(1, IdBytes(s.trace_id.bytes), &m);
  PutBytes(2, IdBytes(s.span_id.bytes), &m);
  PutString(3, s.trace_state, &m);
  if (s.parent_span_id.valid()) PutBytes(4, IdBytes(s.parent_span_id.bytes), &m);
  PutString(5, s.name, &m);
  PutUint(6, static_cast<std::uint64_t>(s.kind), &m);
  PutFixed64(7, s.start_time_unix_nano, &m);
  PutFixed64(8, s.end_time_unix_nano, &m);
  PutAttributes(9, s.attributes, &m);
  PutUint(10, s.dropped_attributes_count, &m);
  for (const SpanEvent& e : s.events) {
    std::string event;
    PutFixed64(1, e.time_unix_nano, &event);
    PutString(2, e.name, &event);
    PutAttributes(3, e.attributes, &event);
    PutUint(4, e.dropped_attributes_count, &event);
    PutBytes(11, event, &m);
  }
  PutUint(12, s.dropped_events_count, &m);
  for (const SpanLink& l : s.links) {
    std::string link;
    PutBytes(1, IdBytes(l.trace_id.bytes), &link);
    PutBytes(2, IdBytes(l.span_id.bytes), &link);
    PutString(3, l.trace_state, &link);
    PutAttributes(4, l.attributes, &link);
    PutUint(5, l.dropped_attributes_count, &link);
    PutFixed32(6, l.flags, &link);
    PutBytes(13, link, &m);
  }
  PutUint(14, s.dropped_links_count, &m);
  if (s.status_code != SpanStatusCode::kUnset || !s.status_message.empty()) {
    std::string status;
    PutString(2, s.status_message, &status);
    PutUint(3, static_cast<std::uint64_t>(s.status_code), &status);
    PutBytes(15, status, &m);
  }
  PutFixed32(16, s.flags, &m);
  PutBytes(2, m, out);  // ScopeSpans.spans
}

// --- Logs ---------------------------------------------------------------------

void PutLogRecord(const LogRecord& r, std::string* out) {
  std::string m;
  PutFixed64(1, r.time_unix_nano, &m);
  // An int32 enum: a negative one is written sign-extended, as libprotobuf does.
  PutUint(2, static_cast<std::uint64_t>(std::int64_t{r.severity_number}), &m);
  PutString(3, r.severity_text, &m);
  if (r.body.type() != ValueType::kEmpty) PutAnyValue(5, r.body, &m);
  PutAttributes(6, r.attributes, &m);
  PutUint(7, r.dropped_attributes_count, &m);
  PutFixed32(8, r.flags, &m);
  // All-zero ids mean "not in a trace": written as SDKs write them, absent.
  if (r.trace_id.valid()) PutBytes(9, IdBytes(r.trace_id.bytes), &m);
  if (r.span_id.valid()) PutBytes(10, IdBytes(r.span_id.bytes), &m);
  PutFixed64(11, r.observed_time_unix_nano, &m);
  PutString(12, r.event_name, &m);
  PutBytes(2, m, out);  // ScopeLogs.log_records
}

// --- Metrics ------------------------------------------------------------------

std::uint32_t ZigZag32(std::int32_t v) {
  return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}

// A packed repeated fixed64 or double.
template <typename T>
void PutPackedFixed64(std::uint32_t field, std::span<const T> values, std::string* out) {
  if (values.empty()) return;
  PutTag(field, wire::kLen, out);
  PutVarint(values.size() * 8, out);
  for (T v : values) AppendFixed64(std::bit_cast<std::uint64_t>(v), out);
}

void PutPackedVarints(std::uint32_t field, std::span<const std::uint64_t> values, std::string* out) {
  if (values.empty()) return;
  std::string packed;
  for (std::uint64_t v : values) PutVarint(v, &packed);
  PutBytes(field, packed, out);
}

// NumberDataPoint's and Exemplar's oneof value: the as_double or the as_int
// field, written whenever set, even to zero.
void PutAsDouble(std::uint32_t field, NumberValue v, std::string* out) {
  if (v.type == NumberValue::Type::kDouble) PutFixed64Always(field, std::bit_cast<std::uint64_t>(v.as_double), out);
}

void PutAsInt(std::uint32_t field, NumberValue v, std::string* out) {
  if (v.type == NumberValue::Type::kInt) PutFixed64Always(field, static_cast<std::uint64_t>(v.as_int), out);
}

void PutExemplars(std::uint32_t field, std::span<const Exemplar> exemplars, std::string* out) {
  for (const Exemplar& e : exemplars) {
    std::string m;
    PutFixed64(2, e.time_unix_nano, &m);
    PutAsDouble(3, e.value, &m);
    if (e.span_id.valid()) PutBytes(4, IdBytes(e.span_id.bytes), &m);
    if (e.trace_id.valid()) PutBytes(5, IdBytes(e.trace_id.bytes), &m);
    PutAsInt(6, e.value, &m);
    PutAttributes(7, e.filtered_attributes, &m);
    PutBytes(field, m, out);
  }
}

void PutPoint(const NumberDataPoint& p, std::string* out) {
  std::string m;
  PutFixed64(2, p.start_time_unix_nano, &m);
  PutFixed64(3, p.time_unix_nano, &m);
  PutAsDouble(4, p.value, &m);
  PutExemplars(5, p.exemplars, &m);
  PutAsInt(6, p.value, &m);
  PutAttributes(7, p.attributes, &m);
  PutUint(8, p.flags, &m);
  PutBytes(1, m, out);
}

void PutPoint(const HistogramDataPoint& p, std::string* out) {
  std::string m;
  PutFixed64(2, p.start_time_unix_nano, &m);
  PutFixed64(3, p.time_unix_nano, &m);
  PutFixed64(4, p.count, &m);
  PutOptionalDouble(5, p.sum, &m);
  PutPackedFixed64(6, p.bucket_counts, &m);
  PutPackedFixed64(7, p.explicit_bounds, &m);
  PutExemplars(8, p.exemplars, &m);
  PutAttributes(9, p.attributes, &m);
  PutUint(10, p.flags, &m);
  PutOptionalDouble(11, p.min, &m);
  PutOptionalDouble(12, p.max, &m);
  PutBytes(1, m, out);
}

// Buckets { sint32 offset = 1; repeated uint64 bucket_counts = 2; }, left
// out when empty.
void PutBuckets(std::uint32_t field, const ExponentialBuckets& b, std::string* out) {
  if (b.offset == 0 && b.bucket_counts.empty()) return;
  std::string m;
  PutUint(1, ZigZag32(b.offset), &m);
  PutPackedVarints(2, b.bucket_counts, &m);
  PutBytes(field, m, out);
}

void PutPoint(const ExponentialHistogramDataPoint& p, std::string* out) {
  std::string m;
  PutAttributes(1, p.attributes, &m);
  PutFixed64(2, p.start_time_unix_nano, &m);
  PutFixed64(3, p.time_unix_nano, &m);
  PutFixed64(4, p.count, &m);
  PutOptionalDouble(5, p.sum, &m);
  PutUint(6, ZigZag32(p.scale), &m);
  PutFixed64(7, p.zero_count, &m);
  PutBuckets(8, p.positive, &m);
  PutBuckets(9, p.negative, &m);
  PutUint(10, p.flags, &m);
  PutExemplars(11, p.exemplars, &m);
  PutOptionalDouble(12, p.min, &m);
  PutOptionalDouble(13, p.max, &m);
  PutDouble(14, p.zero_threshold, &m);
  PutBytes(1, m, out);
}

void PutPoint(const SummaryDataPoint& p, std::string* out) {
  std::string m;
  PutFixed64(2, p.start_time_unix_nano, &m);
  PutFixed64(3, p.time_unix_nano, &m);
  PutFixed64(4, p.count, &m);
  PutDouble(5, p.sum, &m);
  for (const ValueAtQuantile& q : p.quantile_values) {
    std::string quantile;
    PutDouble(1, q.quantile, &quantile);
    PutDouble(2, q.value, &quantile);
    PutBytes(6, quantile, &m);
  }
  PutAttributes(7, p.attributes, &m);
  PutUint(8, p.flags, &m);
  PutBytes(1, m, out);
}

// Gauge, Sum, Histogram, ExponentialHistogram or Summary, as Metric's
// `field`: written even without points, since it says what the metric is.
template <typename Point>
void PutData(std::uint32_t field, std::span<const Point> points, const Metric& metric, std::string* out) {
  std::string m;
  for (const Point& p : points) PutPoint(p, &m);
  if (metric.kind == MetricKind::kSum || metric.kind == MetricKind::kHistogram ||
      metric.kind == MetricKind::kExponentialHistogram) {
    PutUint(2, static_cast<std::uint64_t>(metric.temporality), &m);
  }
  if (metric.kind == MetricKind::kSum) PutUint(3, metric.monotonic ? 1 : 0, &m);
  PutBytes(field, m, out);
}

void PutMetric(const Metric& metric, std::string* out) {
  std::string m;
  PutString(1, metric.name, &m);
  PutString(2, metric.description, &m);
  PutString(3, metric.unit, &m);
  switch (metric.kind) {
    case MetricKind::kNone:
      break;
    case MetricKind::kGauge:
      PutData(5, metric.number_points, metric, &m);
      break;
    case MetricKind::kSum:
      PutData(7, metric.number_points, metric, &m);
      break;
    case MetricKind::kHistogram:
      PutData(9, metric.histogram_points, metric, &m);
      break;
    case MetricKind::kExponentialHistogram:
      PutData(10, metric.exponential_histogram_points, metric, &m);
      break;
    case MetricKind::kSummary:
      PutData(11, metric.summary_points, metric, &m);
      break;
  }
  PutAttributes(12, metric.metadata, &m);
  PutBytes(2, m, out);  // ScopeMetrics.metrics
}

}  // namespace

void EncodeLogsProto(LogsView logs, std::string* out) {
  PutRequest<LogsSchema>(logs, out, PutLogRecord);
}

void EncodeMetricsProto(MetricsView metrics, std::string* out) {
  PutRequest<MetricsSchema>(metrics, out, PutMetric);
}

void EncodeTracesProto(TracesView traces, std::string* out) {
  PutRequest<TracesSchema>(traces, out, PutSpan);
}

}  // namespace otelpack::otlp
