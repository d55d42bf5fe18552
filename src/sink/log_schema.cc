// The log event's schema (docs/wire-protocol.md, "Log event" and "Optional
// fields of log and metric events").
#include <array>
#include <cstdint>
#include <string_view>

#include "sink/event_schema.h"

namespace otelpack::sink {
namespace {

enum LogField : int {
  kType, kService, kTimestampMs, kSeverity, kSeverityNumber, kBody, kTraceId, kSpanId,
  kAttributes, kEventName, kResource, kScope,
  kLogFieldCount
};
constexpr std::array<std::string_view, kLogFieldCount> kLogFieldNames = {
    "type",     "service",  "timestamp_ms", "severity",   "severity_number", "body",
    "trace_id", "span_id",  "attributes",   "event_name", "resource",        "scope"};
// event_name, resource and scope are optional.
constexpr std::uint32_t kRequired = FirstFields(kAttributes + 1);

class LogSchema final : public FieldTable<EventType::kLog, kLogFieldNames> {
 public:
  using FieldTable::FieldTable;

  Status Field(int id, od::value& value, EventRecord* out) override;
  Status End(std::uint32_t seen) override {
    return CheckFieldSet(seen, kRequired, FirstFields(kLogFieldCount), "a log event");
  }
};

Status LogSchema::Field(int id, od::value& value, EventRecord* out) {
  std::string_view text;
  switch (id) {
    case kType: return Type(value);
    case kService: return c_.String(value, &out->service);
    case kTimestampMs: return c_.NonNegativeInt(value, &out->time_ms);
    // Never empty: without a severity text the sender writes the name of the
    // severity number's range ("UNSPECIFIED" at worst).
    case kSeverity: return c_.NonEmptyString(value, &text);
    case kSeverityNumber: return c_.Int32(value);
    case kBody: return c_.AnyValue(value, kEventFieldDepth);
    case kTraceId: return c_.HexOrNull(value, 32, "an absent id must be null", &out->trace_id);
    case kSpanId: return c_.HexOrNull(value, 16, "an absent id must be null", &out->span_id);
    case kAttributes: return c_.Attributes(value, kEventFieldDepth);
    // Written only when the record has one.
    case kEventName: return c_.NonEmptyString(value, &out->name);
    case kResource: return Resource(value);
    case kScope: return Scope(value);
    default: return c_.Schema("unknown field");
  }
}

}  // namespace

std::unique_ptr<EventSchema> NewLogSchema(JsonChecker* checker) {
  return std::make_unique<LogSchema>(checker);
}

}  // namespace otelpack::sink
