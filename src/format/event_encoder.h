// EventEncoder: the model (otelpack/model.h) as the backend's JSON span
// events, exactly as docs/wire-protocol.md ("Span event", "Values") says.
//
// Typical use, one request body:
//
//   EventEncoder enc(extra);
//   AppendBodyPrefix(project_id, &body);
//   for (const ResourceSpans& rs : traces) {
//     enc.BeginResource(rs.resource);
//     for (const ScopeSpans& ss : rs.scope_spans) {
//       enc.BeginScope(ss.scope);
//       for (const Span& s : ss.spans) { if (n++) body.Append(','); enc.AppendSpan(s, &body); }
//     }
//   }
//   AppendBodySuffix(now_ms, &body);
//
// The encoder is the exporter's hot path: it never allocates per span or per
// attribute (it writes into the caller's reused Buffer) and runs at several
// GB/s of JSON on one core.
#ifndef OTELPACK_FORMAT_EVENT_ENCODER_H_
#define OTELPACK_FORMAT_EVENT_ENCODER_H_

#include <cstdint>
#include <string_view>

#include "otelpack/buffer.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model.h"

namespace otelpack {


// Writes span events. Not thread-safe; cheap to keep and reuse: it caches
// what is the same for every span of a resource or scope (the escaped
// service name, the resource and scope objects).
class EventEncoder {
 public:
  explicit EventEncoder(ExtraFields extra = {});

  // Call before the spans of a resource / a scope. Until the first
  // BeginResource the service is "unknown" and the resource and scope empty.
  void BeginResource(const Resource& resource);
  void BeginScope(const InstrumentationScope& scope);

  // Appends one event (no separator) to *out. Never fails: any input gives
  // valid JSON in valid UTF-8 (see AppendJsonString). Attribute values nested
  // deeper than kMaxValueDepth arrays / key-value lists are written as null,
  // which keeps every event well under the sink's nesting limit of 64.
  void AppendSpan(const Span& span, Buffer* out);

  static constexpr int kMaxValueDepth = 32;

 private:
  ExtraFields extra_;
  bool any_extra_;
  // `,"service":"<escaped service>","operation":"`: copied whole per span.
  Buffer service_piece_;
  Buffer resource_piece_;  // `,"resource":{...}` (only with extra_.resource)
  Buffer scope_piece_;     // `,"scope":{...}` (only with extra_.scope)
};

// The request body around the events:
// {"project_id":"<escaped>","events":[ ... ],"sent_at":N}
void AppendBodyPrefix(std::string_view project_id, Buffer* out);
void AppendBodySuffix(std::int64_t sent_at_unix_ms, Buffer* out);

// Appends s as a JSON string: quotes, escapes ('"', '\\', control characters
// as \n \t \r \b \f or \u00XX) and UTF-8 repair (each maximal invalid subpart
// becomes U+FFFD). U+2028 and U+2029 are left as they are: valid JSON.
void AppendJsonString(std::string_view s, Buffer* out);

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_EVENT_ENCODER_H_
