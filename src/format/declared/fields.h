// What each signal offers to a declaration's references (docs/formats.md,
// "What each signal offers"): for every `$name` a reference may use, its
// type, when it may be absent, how often it changes (per resource, scope,
// metric, record or list element) and, for metrics, the kinds whose points
// have it. The compiler checks references against these tables; the
// runners (declared_encoder.h) read each field from the model by its
// FieldId, one `case` per field.
#ifndef OTELPACK_FORMAT_DECLARED_FIELDS_H_
#define OTELPACK_FORMAT_DECLARED_FIELDS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/model/metrics.h"

namespace otelpack::format::declared {

// Where a reference is read: a signal's record, or an element of one of its
// lists (inside `$item`).
enum class Context : std::uint8_t {
  kSpan, kSpanEvent, kSpanLink,
  kLog,
  kPoint, kBucket, kQuantile,
  kEnvelope,  // the body around the events: $sent_at
};

enum class FieldType : std::uint8_t {
  kTraceId, kSpanId,
  kTime,      // ns since the epoch
  kDuration,  // ns
  kString,
  kInt,       // signed integer
  kUint,      // unsigned integer (counts)
  kDouble,    // a double: NaN and infinities are null
  kNumber,    // an int64 or a double, as it came
  kBool,
  kEnum,
  kMap,       // attributes
  kAny,       // any value (a log body, a picked attribute)
  kList,      // a list of elements with fields of their own: needs $each
  kUintList,  // a list of unsigned integers, written as an array
};

// How often a value changes, which decides where it is written: per
// resource, scope or metric values are prepared once and copied per record.
enum class Level : std::uint8_t { kConstant, kResource, kScope, kMetric, kRecord, kItem };

// Every field a runner can read. Op codes (plan.h) start with these.
enum class FieldId : std::uint8_t {
  // Everywhere.
  kProjectId, kService, kResourceAttributes, kResourceDropped, kScopeName, kScopeVersion, kScopeAttributes,
  kPick,  // one attribute picked by key: `$attributes["k"]`
  // Spans, their events and links.
  kSpanTraceId, kSpanSpanId, kSpanParentSpanId, kSpanTraceState, kSpanFlags, kSpanName, kSpanKind,
  kSpanStartTime, kSpanEndTime, kSpanDuration, kSpanStatusCode, kSpanStatusMessage, kSpanAttributes,
  kSpanDroppedAttributes, kSpanDroppedEvents, kSpanDroppedLinks, kSpanEvents, kSpanLinks,
  kEventName, kEventTime, kEventAttributes, kEventDropped,
  kLinkTraceId, kLinkSpanId, kLinkTraceState, kLinkAttributes, kLinkFlags, kLinkDropped,
  // Log records.
  kLogTime, kLogObservedTime, kLogTimestamp, kLogSeverityNumber, kLogSeverityText, kLogSeverity, kLogBody,
  kLogAttributes, kLogDropped, kLogFlags, kLogTraceId, kLogSpanId, kLogEventName,
  // Metric data points, their buckets and quantiles.
  kMetricName, kMetricDescription, kMetricUnit, kMetricKind, kMonotonic, kTemporality,
  kPointStartTime, kPointTime, kPointAttributes, kPointFlags, kPointValue, kPointCount, kPointSum, kPointMin,
  kPointMax, kPointBuckets, kPointScale, kPointZeroCount, kPointZeroThreshold, kPositiveOffset,
  kPositiveCounts, kNegativeOffset, kNegativeCounts, kPointQuantiles,
  kBucketLe, kBucketCount, kQuantileQuantile, kQuantileValue,
  // The envelope's (compile.cc writes it; no runner reads it).
  kSentAt,
};
inline constexpr int kFieldIdCount = static_cast<int>(FieldId::kSentAt) + 1;

// An enumeration's names, by value (0, 1, ...).
struct EnumInfo {
  std::span<const std::string_view> names;
  bool has_numbers;  // OTLP gives it numbers (`| number`)
};

// The metric kinds whose points have a field: bit (1 << MetricKind).
using KindMask = std::uint8_t;
constexpr KindMask KindBit(MetricKind k) { return static_cast<KindMask>(1u << static_cast<unsigned>(k)); }
inline constexpr KindMask kAllKinds = 0xff;

struct FieldInfo {
  std::string_view name;  // as written after '$', dotted: "trace_id", "metric.name"
  FieldId id;
  FieldType type;
  Level level;
  bool may_be_absent;
  KindMask kinds = kAllKinds;
  const EnumInfo* enumeration = nullptr;  // kEnum
  Context element = Context::kSpan;       // kList: the context of its elements
};

// The field `name` (a reference's path joined by '.') in `context`, the
// fields of every context included; null when there is none.
const FieldInfo* FindField(Context context, std::string_view name);

// The context `$parent.` reaches from inside a list of `context`, or false
// when `context` is a record's (not inside `$item`).
bool ParentContext(Context context, Context* parent);

// Every name FindField knows in `context`, for suggestions.
std::vector<std::string_view> FieldNames(Context context);

// When `name` is a group of fields ("resource", "positive", "parent"), the
// names of its fields in `context` joined by ", "; else empty.
std::string GroupMembers(Context context, std::string_view name);

// "a trace id", "a time", "a map", ... for messages.
std::string_view TypeName(FieldType type);

// The metric kinds' names, by MetricKind (kNone's is "").
std::string_view MetricKindName(MetricKind kind);

// The enumerations, for the compiler's case() checks and the runners' tables.
const EnumInfo& SpanKindEnum();
const EnumInfo& StatusCodeEnum();
const EnumInfo& TemporalityEnum();
const EnumInfo& MetricKindEnum();

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_FIELDS_H_
