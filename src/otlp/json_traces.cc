// The OTLP/HTTP JSON encoding of ExportTraceServiceRequest, decoded into the
// model: spans, their events, links and status. What every signal shares
// (the parse, resource, scope, attributes, AnyValue) is json_decoder.h's.
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
constexpr auto kTraceFieldNames = WithValueNames({
    {"traceId", "trace_id", Field::kTraceId},
    {"spanId", "span_id", Field::kSpanId},
    {"parentSpanId", "parent_span_id", Field::kParentSpanId},
    {"name", "", Field::kName},
    {"kind", "", Field::kKind},
    {"startTimeUnixNano", "start_time_unix_nano", Field::kStartTimeUnixNano},
    {"endTimeUnixNano", "end_time_unix_nano", Field::kEndTimeUnixNano},
    {"status", "", Field::kStatus},
    {"events", "", Field::kEvents},
    {"links", "", Field::kLinks},
    {"flags", "", Field::kFlags},
    {"traceState", "trace_state", Field::kTraceState},
    {"droppedAttributesCount", "dropped_attributes_count", Field::kDroppedAttributesCount},
    {"droppedEventsCount", "dropped_events_count", Field::kDroppedEventsCount},
    {"droppedLinksCount", "dropped_links_count", Field::kDroppedLinksCount},
    {"timeUnixNano", "time_unix_nano", Field::kTimeUnixNano},
    {"message", "", Field::kMessage},
    {"code", "", Field::kCode},
    {"resourceSpans", "resource_spans", Field::kResourceSpans},
    {"resource", "", Field::kResource},
    {"scopeSpans", "scope_spans", Field::kScopeSpans},
    {"schemaUrl", "schema_url", Field::kSchemaUrl},
    {"scope", "", Field::kScope},
    {"spans", "", Field::kSpans},
    {"version", "", Field::kVersion},
});
static_assert(HasSharedFields(kTraceFieldNames));

constexpr std::array<std::string_view, 6> kSpanKindNames = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> kStatusCodeNames = {
    "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

class TracesDecoder : private Decoder {
 public:
  TracesDecoder(ParsedBody& body, Arena& arena, const DecodeLimits& limits)
      : Decoder(body, arena, limits, kTraceFieldNames) {}

  Status Request(DecodedTraces* out);

 private:
  Status ResourceSpansItem(od::value v, std::size_t index, ResourceSpans* out);
  Status ScopeSpansItem(od::value v, std::size_t resource, std::size_t index, ScopeSpans* out);
  Status SpanItem(od::value v, Span* out, std::string_view* rejection);
  Status EventItem(od::value v, bool keep, SpanEvent* out);
  Status LinkItem(od::value v, bool keep, SpanLink* out, bool* valid);
  Status StatusItem(od::value v, Span* out);

  DecodedTraces* result_ = nullptr;
};

Status TracesDecoder::Request(DecodedTraces* out) {
  result_ = out;
  Status s = Decoder::Request<ResourceSpans>(
      Field::kResourceSpans, &out->data,
      [&](std::size_t index, od::value item, ResourceSpans* rs) { return ResourceSpansItem(item, index, rs); });
  if (!s.ok()) return s;
  out->records = CountSpans(out->data);
  return Status::Ok();
}

Status TracesDecoder::ResourceSpansItem(od::value v, std::size_t index, ResourceSpans* out) {
  return Group(v, Field::kResource, &out->resource, &out->schema_url, Field::kScopeSpans, &out->scope_spans,
               [&](std::size_t scope_index, od::value item, StackList<ScopeSpans>& scopes) {
                 ScopeSpans ss;
                 if (Status st = ScopeSpansItem(item, index, scope_index, &ss); !st.ok()) return st;
                 return Push(scopes, ss);
               });
}

Status TracesDecoder::ScopeSpansItem(od::value v, std::size_t resource, std::size_t index, ScopeSpans* out) {
  return Group(v, Field::kScope, &out->scope, &out->schema_url, Field::kSpans, &out->spans,
               Records<Span>("span", resource, index, result_, [this](od::value item, Span* span, std::string_view* why) {
                 return SpanItem(item, span, why);
               }));
}

// *rejection: why the span must be left out (its ids), empty if it is kept.
Status TracesDecoder::SpanItem(od::value v, Span* out, std::string_view* rejection) {
  std::string_view trace_id, span_id, parent_span_id;  // views into the parser's buffer
  std::uint64_t trimmed_attributes = 0, trimmed_events = 0, trimmed_links = 0;
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kTraceId: return String(value, &trace_id);
      case Field::kSpanId: return String(value, &span_id);
      case Field::kParentSpanId: return String(value, &parent_span_id);
      case Field::kTraceState: return ArenaString(value, &out->trace_state);
      case Field::kFlags: return Uint32(value, &out->flags);
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kKind: {
        int kind = 0;
        if (Status st = Enum(value, kSpanKindNames, "span kind", &kind); !st.ok()) return st;
        out->kind = static_cast<SpanKind>(kind);
        return Status::Ok();
      }
      case Field::kStartTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->start_time_unix_nano);
      case Field::kEndTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->end_time_unix_nano);
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed_attributes);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      case Field::kDroppedEventsCount: return Uint32(value, &out->dropped_events_count);
      case Field::kDroppedLinksCount: return Uint32(value, &out->dropped_links_count);
      case Field::kStatus: return StatusItem(value, out);
      case Field::kEvents: {
        StackList<SpanEvent> events = List<SpanEvent>();
        trimmed_events = 0;
        Status st = Array(value, [&](std::size_t, od::value item) {
          const bool keep = events.size() < limits_.max_events_per_span;
          SpanEvent event;
          if (Status se = EventItem(item, keep, &event); !se.ok()) return se;
          if (keep) return Push(events, event);
          ++trimmed_events;
          return Status::Ok();
        });
        if (!st.ok()) return st;
        out->events = events.CopyTo(arena_);
        return Status::Ok();
      }
      case Field::kLinks: {
        StackList<SpanLink> links = List<SpanLink>();
        trimmed_links = 0;
        Status st = Array(value, [&](std::size_t, od::value item) {
          const bool keep = links.size() < limits_.max_links_per_span;
          SpanLink link;
          bool valid = false;
          if (Status sl = LinkItem(item, keep, &link, &valid); !sl.ok()) return sl;
          if (keep && valid) return Push(links, link);
          ++trimmed_links;  // over the limit, or a link to no valid span
          return Status::Ok();
        });
        if (!st.ok()) return st;
        out->links = links.CopyTo(arena_);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
  if (!s.ok()) return s;
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed_attributes);
  out->dropped_events_count = SaturatingAdd(out->dropped_events_count, trimmed_events);
  out->dropped_links_count = SaturatingAdd(out->dropped_links_count, trimmed_links);

  if (!ParseHexId(trace_id, out->trace_id.bytes)) {
    *rejection = "traceId must be 32 hex digits";
  } else if (!out->trace_id.valid()) {
    *rejection = "traceId must not be all zero";
  } else if (!ParseHexId(span_id, out->span_id.bytes)) {
    *rejection = "spanId must be 16 hex digits";
  } else if (!out->span_id.valid()) {
    *rejection = "spanId must not be all zero";
  } else if (!parent_span_id.empty() && !ParseHexId(parent_span_id, out->parent_span_id.bytes)) {
    *rejection = "parentSpanId must be empty or 16 hex digits";
  }
  return Status::Ok();
}

Status TracesDecoder::StatusItem(od::value v, Span* out) {
  return Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kMessage: return ArenaString(value, &out->status_message);
      case Field::kCode: {
        int code = 0;
        if (Status s = Enum(value, kStatusCodeNames, "status code", &code); !s.ok()) return s;
        out->status_code = static_cast<SpanStatusCode>(code);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
}

Status TracesDecoder::EventItem(od::value v, bool keep, SpanEvent* out) {
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->time_unix_nano);
      case Field::kAttributes: return AttributeList(value, keep, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      default: return Status::Ok();
    }
  });
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed);
  return s;
}

// *valid: the link names a span (its ids are well-formed and not zero).
Status TracesDecoder::LinkItem(od::value v, bool keep, SpanLink* out, bool* valid) {
  std::string_view trace_id, span_id;
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kTraceId: return String(value, &trace_id);
      case Field::kSpanId: return String(value, &span_id);
      case Field::kTraceState: return ArenaString(value, &out->trace_state);
      case Field::kAttributes: return AttributeList(value, keep, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      case Field::kFlags: return Uint32(value, &out->flags);
      default: return Status::Ok();
    }
  });
  if (!s.ok()) return s;
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed);
  *valid = ParseHexId(trace_id, out->trace_id.bytes) && out->trace_id.valid() &&
           ParseHexId(span_id, out->span_id.bytes) && out->span_id.valid();
  return Status::Ok();
}

}  // namespace

Result<DecodedTraces> DecodeTracesJson(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  return DecodeWith<TracesDecoder, DecodedTraces>(body, arena, limits);
}

}  // namespace otelpack::otlp
