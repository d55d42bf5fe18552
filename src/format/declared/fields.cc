// The field tables of fields.h, one per context, as docs/formats.md lists
// them ("What each signal offers").
#include "format/declared/fields.h"

#include <array>

namespace otelpack::format::declared {
namespace {

using enum FieldType;
using L = Level;
using F = FieldId;

constexpr std::string_view kSpanKinds[] = {"unspecified", "internal", "server", "client", "producer", "consumer"};
constexpr std::string_view kStatusCodes[] = {"unset", "ok", "error"};
constexpr std::string_view kTemporalities[] = {"unspecified", "delta", "cumulative"};
// By MetricKind; kNone has no name a declaration can use.
constexpr std::string_view kMetricKinds[] = {"", "gauge", "sum", "histogram", "exponential_histogram", "summary"};

const EnumInfo kSpanKindEnum{kSpanKinds, true};
const EnumInfo kStatusCodeEnum{kStatusCodes, true};
const EnumInfo kTemporalityEnum{kTemporalities, true};
const EnumInfo kMetricKindEnum{kMetricKinds, false};

constexpr KindMask kNumbers = KindBit(MetricKind::kGauge) | KindBit(MetricKind::kSum);
constexpr KindMask kSums = KindBit(MetricKind::kSum);
constexpr KindMask kHistograms = KindBit(MetricKind::kHistogram) | KindBit(MetricKind::kExponentialHistogram);
constexpr KindMask kExponential = KindBit(MetricKind::kExponentialHistogram);
constexpr KindMask kSummaries = KindBit(MetricKind::kSummary);
constexpr KindMask kBucketed = KindBit(MetricKind::kHistogram);

const FieldInfo kCommon[] = {
    {"project_id", F::kProjectId, kString, L::kConstant, false},
    {"service", F::kService, kString, L::kResource, false},
    {"resource.attributes", F::kResourceAttributes, kMap, L::kResource, false},
    {"resource.dropped_attributes_count", F::kResourceDropped, kUint, L::kResource, false},
    {"scope.name", F::kScopeName, kString, L::kScope, false},
    {"scope.version", F::kScopeVersion, kString, L::kScope, false},
    {"scope.attributes", F::kScopeAttributes, kMap, L::kScope, false},
};

const FieldInfo kSpanFields[] = {
    {"trace_id", F::kSpanTraceId, kTraceId, L::kRecord, false},
    {"span_id", F::kSpanSpanId, kSpanId, L::kRecord, false},
    {"parent_span_id", F::kSpanParentSpanId, kSpanId, L::kRecord, true},
    {"trace_state", F::kSpanTraceState, kString, L::kRecord, false},
    {"flags", F::kSpanFlags, kUint, L::kRecord, false},
    {"name", F::kSpanName, kString, L::kRecord, false},
    {"kind", F::kSpanKind, kEnum, L::kRecord, false, kAllKinds, &kSpanKindEnum},
    {"start_time", F::kSpanStartTime, kTime, L::kRecord, false},
    {"end_time", F::kSpanEndTime, kTime, L::kRecord, false},
    {"duration", F::kSpanDuration, kDuration, L::kRecord, false},
    {"status_code", F::kSpanStatusCode, kEnum, L::kRecord, false, kAllKinds, &kStatusCodeEnum},
    {"status_message", F::kSpanStatusMessage, kString, L::kRecord, false},
    {"attributes", F::kSpanAttributes, kMap, L::kRecord, false},
    {"dropped_attributes_count", F::kSpanDroppedAttributes, kUint, L::kRecord, false},
    {"dropped_events_count", F::kSpanDroppedEvents, kUint, L::kRecord, false},
    {"dropped_links_count", F::kSpanDroppedLinks, kUint, L::kRecord, false},
    {"events", F::kSpanEvents, kList, L::kRecord, false, kAllKinds, nullptr, Context::kSpanEvent},
    {"links", F::kSpanLinks, kList, L::kRecord, false, kAllKinds, nullptr, Context::kSpanLink},
};

const FieldInfo kSpanEventFields[] = {
    {"name", F::kEventName, kString, L::kItem, false},
    {"time", F::kEventTime, kTime, L::kItem, false},
    {"attributes", F::kEventAttributes, kMap, L::kItem, false},
    {"dropped_attributes_count", F::kEventDropped, kUint, L::kItem, false},
};

const FieldInfo kSpanLinkFields[] = {
    {"trace_id", F::kLinkTraceId, kTraceId, L::kItem, false},
    {"span_id", F::kLinkSpanId, kSpanId, L::kItem, false},
    {"trace_state", F::kLinkTraceState, kString, L::kItem, false},
    {"attributes", F::kLinkAttributes, kMap, L::kItem, false},
    {"flags", F::kLinkFlags, kUint, L::kItem, false},
    {"dropped_attributes_count", F::kLinkDropped, kUint, L::kItem, false},
};

const FieldInfo kLogFields[] = {
    {"time", F::kLogTime, kTime, L::kRecord, true},
    {"observed_time", F::kLogObservedTime, kTime, L::kRecord, true},
    {"timestamp", F::kLogTimestamp, kTime, L::kRecord, false},
    {"severity_number", F::kLogSeverityNumber, kInt, L::kRecord, false},
    {"severity_text", F::kLogSeverityText, kString, L::kRecord, false},
    {"severity", F::kLogSeverity, kString, L::kRecord, false},
    {"body", F::kLogBody, kAny, L::kRecord, true},
    {"attributes", F::kLogAttributes, kMap, L::kRecord, false},
    {"dropped_attributes_count", F::kLogDropped, kUint, L::kRecord, false},
    {"flags", F::kLogFlags, kUint, L::kRecord, false},
    {"trace_id", F::kLogTraceId, kTraceId, L::kRecord, true},
    {"span_id", F::kLogSpanId, kSpanId, L::kRecord, true},
    {"event_name", F::kLogEventName, kString, L::kRecord, true},
};

const FieldInfo kPointFields[] = {
    {"metric.name", F::kMetricName, kString, L::kMetric, false},
    {"metric.description", F::kMetricDescription, kString, L::kMetric, false},
    {"metric.unit", F::kMetricUnit, kString, L::kMetric, false},
    {"kind", F::kMetricKind, kEnum, L::kConstant, false, kAllKinds, &kMetricKindEnum},
    {"start_time", F::kPointStartTime, kTime, L::kRecord, true},
    {"time", F::kPointTime, kTime, L::kRecord, false},
    {"attributes", F::kPointAttributes, kMap, L::kRecord, false},
    {"flags", F::kPointFlags, kUint, L::kRecord, false},
    {"value", F::kPointValue, kNumber, L::kRecord, true, kNumbers},
    {"monotonic", F::kMonotonic, kBool, L::kMetric, false, kSums},
    {"temporality", F::kTemporality, kEnum, L::kMetric, false, kSums | kHistograms, &kTemporalityEnum},
    {"count", F::kPointCount, kUint, L::kRecord, false, kHistograms | kSummaries},
    {"sum", F::kPointSum, kDouble, L::kRecord, true, kHistograms | kSummaries},
    {"min", F::kPointMin, kDouble, L::kRecord, true, kHistograms},
    {"max", F::kPointMax, kDouble, L::kRecord, true, kHistograms},
    {"buckets", F::kPointBuckets, kList, L::kRecord, false, kBucketed, nullptr, Context::kBucket},
    {"scale", F::kPointScale, kInt, L::kRecord, false, kExponential},
    {"zero_count", F::kPointZeroCount, kUint, L::kRecord, false, kExponential},
    {"zero_threshold", F::kPointZeroThreshold, kDouble, L::kRecord, false, kExponential},
    {"positive.offset", F::kPositiveOffset, kInt, L::kRecord, false, kExponential},
    {"positive.bucket_counts", F::kPositiveCounts, kUintList, L::kRecord, false, kExponential},
    {"negative.offset", F::kNegativeOffset, kInt, L::kRecord, false, kExponential},
    {"negative.bucket_counts", F::kNegativeCounts, kUintList, L::kRecord, false, kExponential},
    {"quantiles", F::kPointQuantiles, kList, L::kRecord, false, kSummaries, nullptr, Context::kQuantile},
};

const FieldInfo kBucketFields[] = {
    {"le", F::kBucketLe, kDouble, L::kItem, true},
    {"count", F::kBucketCount, kUint, L::kItem, false},
};

const FieldInfo kQuantileFields[] = {
    {"quantile", F::kQuantileQuantile, kDouble, L::kItem, false},
    {"value", F::kQuantileValue, kDouble, L::kItem, false},
};

const FieldInfo kEnvelopeFields[] = {
    {"sent_at", F::kSentAt, kTime, L::kConstant, false},
};

std::span<const FieldInfo> Own(Context context) {
  switch (context) {
    case Context::kSpan: return kSpanFields;
    case Context::kSpanEvent: return kSpanEventFields;
    case Context::kSpanLink: return kSpanLinkFields;
    case Context::kLog: return kLogFields;
    case Context::kPoint: return kPointFields;
    case Context::kBucket: return kBucketFields;
    case Context::kQuantile: return kQuantileFields;
    case Context::kEnvelope: return kEnvelopeFields;
  }
  return {};
}

}  // namespace

const FieldInfo* FindField(Context context, std::string_view name) {
  for (const FieldInfo& f : Own(context)) {
    if (f.name == name) return &f;
  }
  for (const FieldInfo& f : kCommon) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool ParentContext(Context context, Context* parent) {
  switch (context) {
    case Context::kSpanEvent:
    case Context::kSpanLink: *parent = Context::kSpan; return true;
    case Context::kBucket:
    case Context::kQuantile: *parent = Context::kPoint; return true;
    case Context::kSpan:
    case Context::kLog:
    case Context::kPoint:
    case Context::kEnvelope: break;
  }
  return false;
}

std::vector<std::string_view> FieldNames(Context context) {
  std::vector<std::string_view> names;
  for (const FieldInfo& f : Own(context)) names.push_back(f.name);
  for (const FieldInfo& f : kCommon) names.push_back(f.name);
  return names;
}

std::string GroupMembers(Context context, std::string_view name) {
  std::string members;
  for (std::string_view field : FieldNames(context)) {
    if (field.size() > name.size() && field.starts_with(name) && field[name.size()] == '.') {
      if (!members.empty()) members += ", ";
      members += field.substr(name.size() + 1);
    }
  }
  return members;
}

std::string_view TypeName(FieldType type) {
  switch (type) {
    case kTraceId: return "a trace id";
    case kSpanId: return "a span id";
    case kTime: return "a time";
    case kDuration: return "a duration";
    case kString: return "a string";
    case kInt:
    case kUint: return "an integer";
    case kDouble:
    case kNumber: return "a number";
    case kBool: return "a boolean";
    case kEnum: return "an enum";
    case kMap: return "a map";
    case kAny: return "any value";
    case kList: return "a list";
    case kUintList: return "a list of integers";
  }
  return "a value";
}

std::string_view MetricKindName(MetricKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < std::size(kMetricKinds) ? kMetricKinds[i] : "";
}

const EnumInfo& SpanKindEnum() { return kSpanKindEnum; }
const EnumInfo& StatusCodeEnum() { return kStatusCodeEnum; }
const EnumInfo& TemporalityEnum() { return kTemporalityEnum; }
const EnumInfo& MetricKindEnum() { return kMetricKindEnum; }

}  // namespace otelpack::format::declared
