// The OTLP/HTTP JSON encoding of ExportLogsServiceRequest, decoded into the
// model: log records with their body, severity and ids. What every signal
// shares (the parse, resource, scope, attributes, AnyValue) is
// json_decoder.h's.
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include "otlp/decode.h"
#include "otlp/json_decoder.h"

namespace otelpack::otlp {
namespace {

using namespace json_internal;

// After the attributes' names, the most frequent first.
constexpr auto kLogFieldNames = WithValueNames({
    {"timeUnixNano", "time_unix_nano", Field::kTimeUnixNano},
    {"observedTimeUnixNano", "observed_time_unix_nano", Field::kObservedTimeUnixNano},
    {"severityNumber", "severity_number", Field::kSeverityNumber},
    {"severityText", "severity_text", Field::kSeverityText},
    {"body", "", Field::kBody},
    {"traceId", "trace_id", Field::kTraceId},
    {"spanId", "span_id", Field::kSpanId},
    {"flags", "", Field::kFlags},
    {"droppedAttributesCount", "dropped_attributes_count", Field::kDroppedAttributesCount},
    {"eventName", "event_name", Field::kEventName},
    {"logRecords", "log_records", Field::kLogRecords},
    {"scope", "", Field::kScope},
    {"name", "", Field::kName},
    {"version", "", Field::kVersion},
    {"schemaUrl", "schema_url", Field::kSchemaUrl},
    {"resource", "", Field::kResource},
    {"scopeLogs", "scope_logs", Field::kScopeLogs},
    {"resourceLogs", "resource_logs", Field::kResourceLogs},
});
static_assert(HasSharedFields(kLogFieldNames));

constexpr std::array<std::string_view, 25> kSeverityNames = {
    "SEVERITY_NUMBER_UNSPECIFIED",
    "SEVERITY_NUMBER_TRACE", "SEVERITY_NUMBER_TRACE2", "SEVERITY_NUMBER_TRACE3", "SEVERITY_NUMBER_TRACE4",
    "SEVERITY_NUMBER_DEBUG", "SEVERITY_NUMBER_DEBUG2", "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
    "SEVERITY_NUMBER_INFO",  "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",  "SEVERITY_NUMBER_INFO4",
    "SEVERITY_NUMBER_WARN",  "SEVERITY_NUMBER_WARN2",  "SEVERITY_NUMBER_WARN3",  "SEVERITY_NUMBER_WARN4",
    "SEVERITY_NUMBER_ERROR", "SEVERITY_NUMBER_ERROR2", "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
    "SEVERITY_NUMBER_FATAL", "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3", "SEVERITY_NUMBER_FATAL4"};

class LogsDecoder : private Decoder {
 public:
  LogsDecoder(ParsedBody& body, Arena& arena, const DecodeLimits& limits)
      : Decoder(body, arena, limits, kLogFieldNames) {}

  Status Request(DecodedLogs* out);

 private:
  Status ScopeLogsItem(od::value v, std::size_t resource, std::size_t index, ScopeLogs* out);
  Status LogRecordItem(od::value v, LogRecord* out, std::string_view* rejection);

  DecodedLogs* result_ = nullptr;
};

Status LogsDecoder::Request(DecodedLogs* out) {
  result_ = out;
  Status s = Decoder::Request<ResourceLogs>(
      Field::kResourceLogs, &out->data, [&](std::size_t index, od::value item, ResourceLogs* rl) {
        return Group(item, Field::kResource, &rl->resource, &rl->schema_url, Field::kScopeLogs, &rl->scope_logs,
                     [&](std::size_t scope_index, od::value scope, StackList<ScopeLogs>& scopes) {
                       ScopeLogs sl;
                       if (Status st = ScopeLogsItem(scope, index, scope_index, &sl); !st.ok()) return st;
                       return Push(scopes, sl);
                     });
      });
  if (!s.ok()) return s;
  out->records = CountLogRecords(out->data);
  return Status::Ok();
}

Status LogsDecoder::ScopeLogsItem(od::value v, std::size_t resource, std::size_t index, ScopeLogs* out) {
  return Group(v, Field::kScope, &out->scope, &out->schema_url, Field::kLogRecords, &out->log_records,
               Records<LogRecord>("log record", resource, index, result_,
                                  [this](od::value item, LogRecord* record, std::string_view* why) {
                                    return LogRecordItem(item, record, why);
                                  }));
}

// *rejection: why the record must be left out (its ids), empty if it is
// kept. Empty ids mean "not in a trace", as all-zero ones do.
Status LogsDecoder::LogRecordItem(od::value v, LogRecord* out, std::string_view* rejection) {
  std::string_view trace_id, span_id;  // views into the parser's buffer
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->time_unix_nano);
      case Field::kObservedTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->observed_time_unix_nano);
      case Field::kSeverityNumber:
        return OpenEnum(value, kSeverityNames, "severity", &out->severity_number);
      case Field::kSeverityText: return ArenaString(value, &out->severity_text);
      case Field::kBody: return AnyValueItem(value, 1, true, &out->body);
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      case Field::kFlags: return Uint32(value, &out->flags);
      case Field::kTraceId: return String(value, &trace_id);
      case Field::kSpanId: return String(value, &span_id);
      case Field::kEventName: return ArenaString(value, &out->event_name);
      default: return CheckUnknown(value, 0);
    }
  });
  if (!s.ok()) return s;
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed);
  if (!trace_id.empty() && !ParseHexId(trace_id, out->trace_id.bytes)) {
    *rejection = "traceId must be empty or 32 hex digits";
  } else if (!span_id.empty() && !ParseHexId(span_id, out->span_id.bytes)) {
    *rejection = "spanId must be empty or 16 hex digits";
  }
  return Status::Ok();
}

}  // namespace

Result<DecodedLogs> DecodeLogsJson(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  return DecodeWith<LogsDecoder, DecodedLogs>(body, arena, limits);
}

}  // namespace otelpack::otlp
