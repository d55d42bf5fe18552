// The span event's schema (docs/wire-protocol.md, "Span event" and its
// "Optional fields").
#include <array>
#include <cstdint>
#include <string_view>

#include "sink/event_schema.h"

namespace otelpack::sink {
namespace {

enum SpanField : int {
  kType, kTraceId, kSpanId, kParentSpanId, kService, kOperation, kStartTimeMs, kDurationMs,
  kStatus, kStatusMessage, kAttributes, kEvents,
  kKind, kTraceState, kLinks, kResource, kScope, kDropped,
  kSpanFieldCount
};
constexpr std::array<std::string_view, kSpanFieldCount> kSpanFieldNames = {
    "type", "trace_id", "span_id", "parent_span_id", "service", "operation", "start_time_ms",
    "duration_ms", "status", "status_message", "attributes", "events",
    "kind", "trace_state", "links", "resource", "scope", "dropped"};
constexpr std::uint32_t kRequired = FirstFields(kEvents + 1);

constexpr std::array<std::string_view, 3> kSpanEventFields = {"name", "timestamp_ms", "attributes"};
constexpr std::array<std::string_view, 4> kLinkFields = {"trace_id", "span_id", "trace_state",
                                                         "attributes"};
constexpr std::array<std::string_view, 3> kDroppedFields = {"attributes", "events", "links"};
constexpr std::array<std::string_view, 2> kStatuses = {"ok", "error"};
constexpr std::array<std::string_view, 6> kSpanKinds = {"unspecified", "internal", "server",
                                                        "client",      "producer", "consumer"};

class SpanSchema final : public FieldTable<EventType::kSpan, kSpanFieldNames> {
 public:
  using FieldTable::FieldTable;

  Status Field(int id, od::value& value, EventRecord* out) override;
  Status End(std::uint32_t seen) override {
    return CheckFieldSet(seen, kRequired, FirstFields(kSpanFieldCount), "a span event");
  }

 private:
  // "events": [{"name": string, "timestamp_ms": integer, "attributes": object}]
  Status SpanEvents(od::value& value);
  // "links": [{"trace_id": hex32, "span_id": hex16, "trace_state": string,
  // "attributes": object}]
  Status Links(od::value& value);
};

Status SpanSchema::SpanEvents(od::value& value) {
  return c_.Array(value, kEventFieldDepth, [this](od::value& item, int depth) {
    return c_.FixedObject(item, depth, kSpanEventFields, [this](int f, od::value& v, int d) {
      std::string_view name;
      std::int64_t timestamp;
      switch (f) {
        case 0: return c_.String(v, &name);
        case 1: return c_.NonNegativeInt(v, &timestamp);
        default: return c_.Attributes(v, d);
      }
    });
  });
}

Status SpanSchema::Links(od::value& value) {
  return c_.Array(value, kEventFieldDepth, [this](od::value& item, int depth) {
    return c_.FixedObject(item, depth, kLinkFields, [this](int f, od::value& v, int d) {
      std::string_view text;
      switch (f) {
        case 0: return c_.Hex(v, 32, &text);
        case 1: return c_.Hex(v, 16, &text);
        case 2: return c_.String(v, &text);
        default: return c_.Attributes(v, d);
      }
    });
  });
}

Status SpanSchema::Field(int id, od::value& value, EventRecord* out) {
  std::string_view text;
  int index = -1;
  switch (id) {
    case kType: return Type(value);
    case kTraceId: return c_.Hex(value, 32, &out->trace_id);
    case kSpanId: return c_.Hex(value, 16, &out->span_id);
    case kParentSpanId:
      return c_.HexOrNull(value, 16, "a root span's parent must be null", &text);
    case kService: return c_.String(value, &out->service);
    case kOperation: return c_.String(value, &out->name);
    case kStartTimeMs: return c_.NonNegativeInt(value, &out->time_ms);
    case kDurationMs: return c_.NonNegativeNumber(value);
    case kStatus: return c_.Enum(value, kStatuses, "\"ok\" or \"error\"", &index);
    case kStatusMessage: return c_.String(value, &text);
    case kAttributes: return c_.Attributes(value, kEventFieldDepth);
    case kEvents: return SpanEvents(value);
    case kKind:
      return c_.Enum(value, kSpanKinds,
                     "unspecified, internal, server, client, producer or consumer", &index);
    case kTraceState: return c_.String(value, &text);
    case kLinks: return Links(value);
    case kResource: return Resource(value);
    case kScope: return Scope(value);
    case kDropped:
      return c_.FixedObject(value, kEventFieldDepth, kDroppedFields, [this](int, od::value& v, int) {
        std::int64_t count;
        return c_.NonNegativeInt(v, &count);
      });
    default: return c_.Schema("unknown field");
  }
}

}  // namespace

std::unique_ptr<EventSchema> NewSpanSchema(JsonChecker* checker) {
  return std::make_unique<SpanSchema>(checker);
}

}  // namespace otelpack::sink
