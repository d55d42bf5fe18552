// The protobuf decoder for ExportTraceServiceRequest: spans, their events,
// links and status, straight into the model in one pass (proto_reader.h has
// the rest: the levels above the spans, attributes, values, limits). The
// receivers' hot path: no heap allocation and no string copy per span.
//
// Field numbers are those of opentelemetry-proto (trace.proto).
#include <cstdint>
#include <string>

#include "common/json_text.h"
#include "common/str_cat.h"
#include "otlp/decode.h"
#include "otlp/proto_reader.h"
#include "otlp/proto_schema.h"

namespace otelpack::otlp {
namespace {

using namespace proto_internal;  // NOLINT: the decoder's vocabulary

class TracesDecoder : public ProtoDecoder<TracesDecoder, TracesSchema> {
 public:
  using ProtoDecoder::ProtoDecoder;

  // ScopeSpans.spans: the index-th span, kept or left out.
  bool DecodeRecord(std::string_view message, std::size_t index, StackList<Span>& spans) {
    Span span;
    if (!DecodeSpan(message, &span)) return false;
    if (Reject(index, span)) return true;
    if (!Push(spans, span)) return false;
    ++result_.records;
    return true;
  }

 private:
  // True when `span` must be left out (its ids are not valid); counts it.
  bool Reject(std::size_t index, const Span& span) {
    const char* why = nullptr;
    if (bad_trace_id_) {
      why = "trace_id must be 16 bytes, not all zero";
    } else if (bad_span_id_) {
      why = "span_id must be 8 bytes, not all zero";
    } else if (bad_parent_id_) {
      why = "parent_span_id must be empty or 8 bytes";
    } else if (!span.trace_id.valid()) {
      why = "trace_id must be 16 bytes, not all zero";
    } else if (!span.span_id.valid()) {
      why = "span_id must be 8 bytes, not all zero";
    }
    if (why == nullptr) return false;
    if (result_.rejected++ == 0) {
      result_.rejection = StrCat("span ", index, " (", PrintableExcerpt(span.name), "): ", why);
    }
    return true;
  }

  bool DecodeSpan(std::string_view message, Span* out) {
    StackList<KeyValue> attributes(stacks_, budget_);
    StackList<SpanEvent> events(stacks_, budget_);
    StackList<SpanLink> links(stacks_, budget_);
    std::uint64_t dropped_attributes = 0, dropped_events = 0, dropped_links = 0;
    bad_trace_id_ = bad_span_id_ = bad_parent_id_ = false;
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      switch (f.number) {
        case 1:
          if (!Expect(f, kLen, "trace_id")) return false;
          bad_trace_id_ = !CopyId(f.bytes, &out->trace_id.bytes);
          break;
        case 2:
          if (!Expect(f, kLen, "span_id")) return false;
          bad_span_id_ = !CopyId(f.bytes, &out->span_id.bytes);
          break;
        case 3:
          if (!Expect(f, kLen, "trace_state")) return false;
          out->trace_state = f.bytes;
          break;
        case 4:
          if (!Expect(f, kLen, "parent_span_id")) return false;
          bad_parent_id_ = !CopyIdOrEmpty(f.bytes, &out->parent_span_id.bytes);
          break;
        case 5:
          if (!Expect(f, kLen, "name")) return false;
          out->name = f.bytes;
          break;
        case 6:
          if (!Expect(f, kVarint, "kind")) return false;
          // An unknown enum value is kept by proto3; the backend has no
          // name for it, so it is written as unspecified.
          out->kind = f.value <= 5 ? static_cast<SpanKind>(f.value) : SpanKind::kUnspecified;
          break;
        case 7:
          if (!Expect(f, kFixed64, "start_time_unix_nano")) return false;
          out->start_time_unix_nano = f.value;
          break;
        case 8:
          if (!Expect(f, kFixed64, "end_time_unix_nano")) return false;
          out->end_time_unix_nano = f.value;
          break;
        case 9:
          if (!Expect(f, kLen, "attributes") || !DecodeAttribute(f.bytes, attributes, &dropped_attributes)) {
            return false;
          }
          break;
        case 10:
          if (!Expect(f, kVarint, "dropped_attributes_count")) return false;
          dropped_attributes += f.value;
          break;
        case 11: {
          if (!Expect(f, kLen, "events")) return false;
          if (events.size() == limits_.max_events_per_span) {
            ++dropped_events;
            break;
          }
          SpanEvent event;
          if (!In("events", events.size(), DecodeEvent(f.bytes, &event)) || !Push(events, event)) return false;
          break;
        }
        case 12:
          if (!Expect(f, kVarint, "dropped_events_count")) return false;
          dropped_events += f.value;
          break;
        case 13: {
          if (!Expect(f, kLen, "links")) return false;
          if (links.size() == limits_.max_links_per_span) {
            ++dropped_links;
            break;
          }
          SpanLink link;
          bool valid = false;
          if (!In("links", links.size(), DecodeLink(f.bytes, &link, &valid))) return false;
          if (!valid) {  // a link to nothing: dropped and counted
            ++dropped_links;
          } else if (!Push(links, link)) {
            return false;
          }
          break;
        }
        case 14:
          if (!Expect(f, kVarint, "dropped_links_count")) return false;
          dropped_links += f.value;
          break;
        case 15:
          if (!Expect(f, kLen, "status") || !In("status", DecodeStatus(f.bytes, out))) return false;
          break;
        case 16:
          if (!Expect(f, kFixed32, "flags")) return false;
          out->flags = static_cast<std::uint32_t>(f.value);
          break;
        default:
          break;
      }
    }
    out->attributes = attributes.CopyTo(arena_);
    out->events = events.CopyTo(arena_);
    out->links = links.CopyTo(arena_);
    out->dropped_attributes_count = Saturate(dropped_attributes);
    out->dropped_events_count = Saturate(dropped_events);
    out->dropped_links_count = Saturate(dropped_links);
    return true;
  }

  bool DecodeStatus(std::string_view message, Span* out) {
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      if (f.number == 2) {
        if (!Expect(f, kLen, "message")) return false;
        out->status_message = f.bytes;
      } else if (f.number == 3) {
        if (!Expect(f, kVarint, "code")) return false;
        out->status_code = f.value <= 2 ? static_cast<SpanStatusCode>(f.value) : SpanStatusCode::kUnset;
      }
    }
    return true;
  }

  bool DecodeEvent(std::string_view message, SpanEvent* out) {
    return DecodeAttributeOwner(message, 3, 4, &out->attributes, &out->dropped_attributes_count,
                                [&](const Field& f) {
                                  if (f.number == 1) {
                                    if (!Expect(f, kFixed64, "time_unix_nano")) return false;
                                    out->time_unix_nano = f.value;
                                  } else if (f.number == 2) {
                                    if (!Expect(f, kLen, "name")) return false;
                                    out->name = f.bytes;
                                  }
                                  return true;
                                });
  }

  bool DecodeLink(std::string_view message, SpanLink* out, bool* valid) {
    bool trace_ok = false, span_ok = false;
    const bool ok = DecodeAttributeOwner(
        message, 4, 5, &out->attributes, &out->dropped_attributes_count, [&](const Field& f) {
          switch (f.number) {
            case 1:
              if (!Expect(f, kLen, "trace_id")) return false;
              trace_ok = CopyId(f.bytes, &out->trace_id.bytes);
              break;
            case 2:
              if (!Expect(f, kLen, "span_id")) return false;
              span_ok = CopyId(f.bytes, &out->span_id.bytes);
              break;
            case 3:
              if (!Expect(f, kLen, "trace_state")) return false;
              out->trace_state = f.bytes;
              break;
            case 6:
              if (!Expect(f, kFixed32, "flags")) return false;
              out->flags = static_cast<std::uint32_t>(f.value);
              break;
            default:
              break;
          }
          return true;
        });
    *valid = trace_ok && span_ok && out->trace_id.valid() && out->span_id.valid();
    return ok;
  }

  // The id checks of the span being decoded.
  bool bad_trace_id_ = false, bad_span_id_ = false, bad_parent_id_ = false;
};

}  // namespace

Result<DecodedTraces> DecodeTracesProto(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  return DecodeWith<TracesDecoder>(body, arena, limits);
}

}  // namespace otelpack::otlp
