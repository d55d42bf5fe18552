// EventSchema: what one event type (docs/wire-protocol.md: "Span event", "Log
// event", "Metric event") allows, for the body walk in validator.cc, which
// reads an event's "type", then hands each of its fields to that type's
// schema and finally asks it whether the set of fields was right.
#ifndef OTELPACK_SINK_EVENT_SCHEMA_H_
#define OTELPACK_SINK_EVENT_SCHEMA_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "common/str_cat.h"
#include "otelpack/status.h"
#include "sink/event_types.h"
#include "sink/json_checker.h"
#include "sink/validator.h"

namespace otelpack::sink {

// An event is at depth 3 (the body is 1, "events" 2), its fields' values at 4.
inline constexpr int kEventDepth = 3;
inline constexpr int kEventFieldDepth = kEventDepth + 1;

// The fields of the optional "scope" object, shared by every type.
inline constexpr std::array<std::string_view, 3> kScopeFields = {"name", "version", "attributes"};

// Reused from event to event (Begin resets what one event's check keeps);
// not thread-safe.
class EventSchema {
 public:
  explicit EventSchema(JsonChecker* checker) : c_(*checker) {}
  virtual ~EventSchema() = default;
  EventSchema(const EventSchema&) = delete;
  EventSchema& operator=(const EventSchema&) = delete;

  // The event's field names in the document's order; a field's id is its
  // index. Fewer than 32.
  virtual std::span<const std::string_view> Fields() const = 0;
  // The id of the field named `key`, or -1 (the hot path of Fields()).
  virtual int FieldId(std::string_view key) const = 0;
  // Starts an event: sets out->type and forgets the previous event.
  virtual void Begin(EventRecord* out) = 0;
  // Checks the value of field `id` (at kEventFieldDepth), filling *out. The
  // checker's path ends with the field.
  virtual Status Field(int id, od::value& value, EventRecord* out) = 0;
  // After the last field; bit i of `seen` is set when field i was there.
  // Refuses a missing field or one the event may not have.
  virtual Status End(std::uint32_t seen) = 0;

 protected:
  // The "resource" and "scope" objects every type may end with.
  Status Resource(od::value& value) { return c_.Attributes(value, kEventFieldDepth); }
  Status Scope(od::value& value);
  // Refuses (at the field's path) the first field of `required` not in
  // `seen`, then the first of `seen` not in `allowed`, saying it is "not a
  // field of <what>".
  Status CheckFieldSet(std::uint32_t seen, std::uint32_t required, std::uint32_t allowed,
                       std::string_view what);

  JsonChecker& c_;
};

// What follows from a type's field names (a constexpr array): Fields,
// FieldId with the names known at compile time (so the lookup every field
// goes through is inlined), and Begin.
template <EventType kType, const auto& kNames>
class FieldTable : public EventSchema {
 public:
  using EventSchema::EventSchema;
  std::span<const std::string_view> Fields() const final { return kNames; }
  int FieldId(std::string_view key) const final { return FindName(kNames, key); }
  void Begin(EventRecord* out) override { out->type = kType; }

 protected:
  // "type", read again although the body walk chose the schema by it: a
  // value left unread is skipped, and simdjson's skipping does not validate
  // (it takes `"log":` for a key, so `"type":"log":}}` would pass).
  Status Type(od::value& value) {
    std::string_view type;
    if (Status s = c_.String(value, &type); !s.ok()) return s;
    return type == EventTypeName(kType) ? Status::Ok()
                                        : c_.Schema(StrCat("expected \"", EventTypeName(kType), "\""));
  }
};

// A set of field ids as the bits of `seen`.
constexpr std::uint32_t FieldBits(std::initializer_list<int> ids) {
  std::uint32_t bits = 0;
  for (int id : ids) bits |= std::uint32_t{1} << id;
  return bits;
}
// Fields 0..n-1.
constexpr std::uint32_t FirstFields(int n) { return (std::uint32_t{1} << n) - 1; }

std::unique_ptr<EventSchema> NewSpanSchema(JsonChecker* checker);
std::unique_ptr<EventSchema> NewLogSchema(JsonChecker* checker);
std::unique_ptr<EventSchema> NewMetricSchema(JsonChecker* checker);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_EVENT_SCHEMA_H_
