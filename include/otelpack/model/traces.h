// Traces: OpenTelemetry spans as otelpack sees them, grouped as in OTLP
// (resource -> scope -> span), so that what is the same for a whole resource
// (the service name) is looked at once per resource, not per span. Views, as
// the whole model (common.h).
#ifndef OTELPACK_MODEL_TRACES_H_
#define OTELPACK_MODEL_TRACES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "otelpack/model/common.h"

namespace otelpack {

enum class SpanKind : std::uint8_t {
  kUnspecified = 0, kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5,
};

// OTLP's status code; only kError makes the backend's status "error".
enum class SpanStatusCode : std::uint8_t { kUnset = 0, kOk = 1, kError = 2 };

struct SpanEvent {
  std::string_view name;
  std::uint64_t time_unix_nano = 0;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct SpanLink {
  TraceId trace_id;
  SpanId span_id;
  std::string_view trace_state;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::uint32_t flags = 0;
};

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // invalid (all zero) for a root span
  std::string_view trace_state;
  std::uint32_t flags = 0;
  std::string_view name;
  SpanKind kind = SpanKind::kUnspecified;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t end_time_unix_nano = 0;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::span<const SpanEvent> events;
  std::uint32_t dropped_events_count = 0;
  std::span<const SpanLink> links;
  std::uint32_t dropped_links_count = 0;
  SpanStatusCode status_code = SpanStatusCode::kUnset;
  std::string_view status_message;
};

struct ScopeSpans {
  InstrumentationScope scope;
  std::span<const Span> spans;
  std::string_view schema_url;
};

struct ResourceSpans {
  Resource resource;
  std::span<const ScopeSpans> scope_spans;
  std::string_view schema_url;
};

// The unit of export: spans grouped by resource and scope, as in OTLP.
using TracesView = std::span<const ResourceSpans>;

// Number of spans in `traces`.
std::size_t CountSpans(TracesView traces);

}  // namespace otelpack

#endif  // OTELPACK_MODEL_TRACES_H_
