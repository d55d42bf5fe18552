// BodyParser: parses an ingest body and checks it against the schema of
// docs/wire-protocol.md, strictly: each event is a span, a log or a metric by
// its "type" and is checked against that type's section: required fields,
// JSON types, exact hex formats, allowed enum values, integers where the
// document says integer, null only where it allows null, attribute values of
// the allowed types at any depth up to the limit, optional fields only with
// their documented shapes, and no unknown field anywhere in an event. Events
// of different types may share a body.
//
// It refuses with the first problem found, naming the field and the event's
// index, e.g. "events[3].trace_id: expected 32 lowercase hex digits", so the
// sender's log says exactly what to fix.
#ifndef OTELPACK_SINK_VALIDATOR_H_
#define OTELPACK_SINK_VALIDATOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "otelpack/status.h"
#include "sink/event_types.h"

namespace otelpack::sink {

// Readable bytes a caller must provide after the end of the JSON text (the
// parser reads whole SIMD words). Their values do not matter.
inline constexpr std::size_t kJsonPadding = 64;

struct BodyLimits {
  // More events than this in one body: TooLarge (the sink answers 413).
  std::size_t max_events = 10000;
  // Deepest allowed nesting of objects and arrays; the body object itself is
  // depth 1, an event 3, its "attributes" object 4. Deeper: InvalidArgument.
  int max_depth = 64;
};

// One accepted event: what the store keeps of it. The views point into the
// parsed text or into the BodyParser's own buffers (unescaped strings).
struct EventRecord {
  std::string_view json;  // the event's text exactly as received
  EventType type = EventType::kSpan;
  // A span's ids; a log's, or "" where the log has null; "" for a metric.
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view service;
  // A span's operation, a metric's name, a log's event_name ("" when none).
  std::string_view name;
  // A span's start_time_ms, a log's or a metric's timestamp_ms.
  std::int64_t time_ms = 0;
};

// How many of `events` are of each type.
EventCounts CountByType(std::span<const EventRecord> events);

struct IngestBody {
  std::string_view project_id;
  std::int64_t sent_at = 0;
  std::vector<EventRecord> events;
};

// Reusable (its buffers are kept between bodies); not thread-safe.
class BodyParser {
 public:
  BodyParser();
  ~BodyParser();
  BodyParser(const BodyParser&) = delete;
  BodyParser& operator=(const BodyParser&) = delete;

  // Parses `json`. REQUIRES: kJsonPadding readable bytes follow json's end.
  // On success the views in *body stay valid until the next Parse call on this
  // parser, and as long as the text of `json` lives.
  // Errors: InvalidArgument for malformed JSON or a schema violation (400),
  // TooLarge for more than limits.max_events events (413).
  Status Parse(std::string_view json, const BodyLimits& limits, IngestBody* body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `s` is exactly `n` lowercase hex digits.
bool IsLowerHex(std::string_view s, std::size_t n);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_VALIDATOR_H_
