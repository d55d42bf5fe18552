// The OTLP/HTTP JSON encoding of ExportTraceServiceRequest, decoded into the
// model on simdjson's On-Demand API.
//
// The mapping is protobuf's JSON mapping with OTLP's two exceptions: trace and
// span ids are hex (not base64), and enums are integers (names accepted too).
// 64-bit integers may be strings or numbers; both key spellings (lowerCamelCase
// and the proto field names) are accepted; unknown fields are skipped, as the
// specification requires; null means absent.
//
// Lists are gathered on scratch stacks and copied into the arena once, when
// the list closes (list_stack.h, shared with the protobuf decoder), within
// the same budget on decoded bytes: no heap allocation per span. The stacks
// live in a thread_local, as does the parser.
//
// Recursion happens only through AnyValue (arrays and key-value lists in
// values) and stops at the depth cap: a deeper value is skipped by simdjson,
// which does that without recursing. Everything else has a fixed depth.
//
// This file walks the request's messages; reading each value (scalars,
// strings and their escapes, ids, base64) is json_values.h's part.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "otlp/decode.h"
#include "otlp/list_stack.h"
#include "otlp/json_values.h"

namespace otelpack::otlp {
namespace {

namespace od = simdjson::ondemand;

using json_internal::DecodeBase64;
using json_internal::kMaxValueDepthCap;
using json_internal::ParseHexId;
using json_internal::PathSegment;
using json_internal::SaturatingAdd;
using json_internal::TruncateUtf8;
using json_internal::ValueReader;

// A parser that grew beyond this for one huge request gives the memory back
// afterwards instead of holding it for the life of the thread.
constexpr std::size_t kKeepParserCapacity = 16u << 20;

// What parsing a body of `body_bytes` takes besides the model: the padded
// copy simdjson reads, and its structural index, 4 bytes for every byte of
// the body (every one is a structural character in the worst case, "[[[[",
// and stage 1 writes the index before anything is decoded).
std::size_t ParseBytes(std::size_t body_bytes) { return 5 * body_bytes + simdjson::SIMDJSON_PADDING; }

// Every field name of the request's messages. One id per name: the same name
// means the same thing in every message that has it ("name", "attributes").
enum class Field : std::uint8_t {
  kUnknown,
  kResourceSpans, kResource, kScopeSpans, kSchemaUrl, kScope, kSpans,
  kAttributes, kDroppedAttributesCount, kName, kVersion,
  kTraceId, kSpanId, kTraceState, kParentSpanId, kFlags, kKind,
  kStartTimeUnixNano, kEndTimeUnixNano, kEvents, kDroppedEventsCount,
  kLinks, kDroppedLinksCount, kStatus, kTimeUnixNano, kMessage, kCode,
  kKey, kValue, kValues,
  kStringValue, kBoolValue, kIntValue, kDoubleValue, kArrayValue, kKvlistValue, kBytesValue,
};

struct FieldName {
  std::string_view camel;
  std::string_view snake;  // the .proto name; empty when it is the same
  Field field;
};

// The most frequent names (those of every attribute) first.
constexpr FieldName kFieldNames[] = {
    {"key", "", Field::kKey},
    {"value", "", Field::kValue},
    {"stringValue", "string_value", Field::kStringValue},
    {"intValue", "int_value", Field::kIntValue},
    {"doubleValue", "double_value", Field::kDoubleValue},
    {"boolValue", "bool_value", Field::kBoolValue},
    {"arrayValue", "array_value", Field::kArrayValue},
    {"kvlistValue", "kvlist_value", Field::kKvlistValue},
    {"bytesValue", "bytes_value", Field::kBytesValue},
    {"values", "", Field::kValues},
    {"attributes", "", Field::kAttributes},
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
};

Field LookupField(std::string_view key) {
  for (const FieldName& f : kFieldNames) {
    if (key == f.camel || (!f.snake.empty() && key == f.snake)) return f.field;
  }
  return Field::kUnknown;
}

constexpr std::array<std::string_view, 6> kSpanKindNames = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> kStatusCodeNames = {
    "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

// Reused from request to request by one thread.
struct Scratch {
  od::parser parser;
  std::string padded;  // the body followed by simdjson's padding
  std::string bytes;   // a bytesValue being decoded
  ListStacks lists;
  std::vector<PathSegment> path;
};

// Walks one parsed request into the model. Reading single values, and the
// path that errors name, come from ValueReader (inherited privately: a means
// of the decoder, not part of its interface).
class Decoder : private ValueReader {
 public:
  // `parse_bytes`: what simdjson takes to parse the body (ParseBytes).
  Decoder(Scratch& scratch, Arena& arena, const DecodeLimits& limits, std::size_t body_bytes,
          std::size_t parse_bytes)
      : ValueReader(scratch.padded, arena, scratch.path),
        s_(scratch),
        budget_(body_bytes, limits.max_decoded_bytes, parse_bytes),
        arena_(arena),
        limits_(limits),
        max_value_depth_(std::clamp(limits.max_depth, 0, kMaxValueDepthCap)) {}

  Status Request(od::document& doc, DecodedTraces* out);

 private:
  // Messages and lists.
  Status ResourceSpansItem(od::value v, std::size_t index, ResourceSpans* out);
  Status ScopeSpansItem(od::value v, std::size_t resource, std::size_t index, ScopeSpans* out);
  Status SpanItem(od::value v, Span* out, std::string_view* rejection);
  Status EventItem(od::value v, bool keep, SpanEvent* out);
  Status LinkItem(od::value v, bool keep, SpanLink* out, bool* valid);
  Status ScopeItem(od::value v, InstrumentationScope* out);
  Status ResourceItem(od::value v, Resource* out);
  Status StatusItem(od::value v, Span* out);
  // A top-level attribute list: keeps the first max_attributes and counts the rest in *trimmed.
  Status AttributeList(od::value v, bool keep, Attributes* out, std::uint64_t* trimmed);
  // `level` is the nesting level an array or key-value list in this value has.
  Status KeyValueItem(od::value v, int level, bool keep, KeyValue* out);
  Status AnyValueItem(od::value v, int level, bool keep, AnyValue* out);
  template <typename T, typename ReadItem>
  Status ValuesItem(od::value v, bool keep, ReadItem read_item, std::span<const T>* out);

  // Calls fn(Field, od::value) for each known, non-null field of the object v
  // (null: none).
  template <typename Fn>
  Status Object(od::value v, Fn&& fn);
  // Calls fn(index, od::value) for each element of the array v.
  template <typename Fn>
  Status Array(od::value v, Fn&& fn);

  template <typename T>
  StackList<T> List() {
    return StackList<T>(s_.lists, budget_);
  }
  // Pushes `item`; over the budget, the request is refused as too large.
  template <typename T>
  Status Push(StackList<T>& list, const T& item) {
    if (list.Push(item)) [[likely]] return Status::Ok();
    return Status::TooLarge(budget_.Message());
  }

  Scratch& s_;
  DecodeBudget budget_;
  Arena& arena_;
  const DecodeLimits& limits_;
  const int max_value_depth_;
  DecodedTraces* result_ = nullptr;
};

template <typename Fn>
Status Decoder::Object(od::value v, Fn&& fn) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::null) return Status::Ok();
  if (type != od::json_type::object) return Expected("an object");
  od::object object;
  if (auto e = v.get_object().get(object)) return Malformed(e);
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (Status s = Key(field, &key); !s.ok()) return s;
    const Field id = LookupField(key);
    if (id == Field::kUnknown) {
      if (Status s = CheckUnknown(field.value(), 0); !s.ok()) return s;
      continue;
    }
    PathScope scope(this, key);
    od::value value = field.value();
    if (auto e = value.type().get(type)) return Malformed(e);
    if (type == od::json_type::null) {
      if (Status s = Null(value); !s.ok()) return s;
      continue;  // null: the field is absent
    }
    if (Status s = fn(id, value); !s.ok()) return s;
  }
  return Status::Ok();
}

template <typename Fn>
Status Decoder::Array(od::value v, Fn&& fn) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type != od::json_type::array) return Expected("an array");
  od::array array;
  if (auto e = v.get_array().get(array)) return Malformed(e);
  std::size_t index = 0;
  for (auto element : array) {
    PathScope scope(this, index);
    od::value item;
    if (auto e = std::move(element).get(item)) return Malformed(e);
    if (Status s = fn(index, item); !s.ok()) return s;
    ++index;
  }
  return Status::Ok();
}

Status Decoder::Request(od::document& doc, DecodedTraces* out) {
  result_ = out;
  od::json_type type;
  if (auto e = doc.type().get(type)) return Malformed(e);
  if (type != od::json_type::object) return Expected("a JSON object");
  od::object root;
  if (auto e = doc.get_object().get(root)) return Malformed(e);
  for (auto field_result : root) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (Status s = Key(field, &key); !s.ok()) return s;
    if (LookupField(key) != Field::kResourceSpans) {
      if (Status s = CheckUnknown(field.value(), 0); !s.ok()) return s;
      continue;
    }
    PathScope scope(this, key);
    od::value value = field.value();
    if (auto e = value.type().get(type)) return Malformed(e);
    if (type == od::json_type::null) {
      if (Status s = Null(value); !s.ok()) return s;
      continue;
    }
    StackList<ResourceSpans> resources = List<ResourceSpans>();
    Status s = Array(value, [&](std::size_t index, od::value item) {
      ResourceSpans rs;
      if (Status st = ResourceSpansItem(item, index, &rs); !st.ok()) return st;
      return Push(resources, rs);
    });
    if (!s.ok()) return s;
    out->data = resources.CopyTo(arena_);  // a repeated key: the last one counts
  }
  // Anything but whitespace after the object is malformed.
  if (!doc.current_location().error()) {
    return Status::InvalidArgument("malformed JSON: content after the request object");
  }
  out->records = CountSpans(out->data);
  return Status::Ok();
}

Status Decoder::ResourceSpansItem(od::value v, std::size_t index, ResourceSpans* out) {
  return Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kResource: return ResourceItem(value, &out->resource);
      case Field::kSchemaUrl: return ArenaString(value, &out->schema_url);
      case Field::kScopeSpans: {
        StackList<ScopeSpans> scopes = List<ScopeSpans>();
        Status s = Array(value, [&](std::size_t scope_index, od::value item) {
          ScopeSpans ss;
          if (Status st = ScopeSpansItem(item, index, scope_index, &ss); !st.ok()) return st;
          return Push(scopes, ss);
        });
        if (!s.ok()) return s;
        out->scope_spans = scopes.CopyTo(arena_);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
}

Status Decoder::ResourceItem(od::value v, Resource* out) {
  std::uint32_t dropped = 0;
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &dropped);
      default: return Status::Ok();
    }
  });
  out->dropped_attributes_count = SaturatingAdd(dropped, trimmed);
  return s;
}

Status Decoder::ScopeItem(od::value v, InstrumentationScope* out) {
  std::uint32_t dropped = 0;
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kVersion: return ArenaString(value, &out->version);
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &dropped);
      default: return Status::Ok();
    }
  });
  out->dropped_attributes_count = SaturatingAdd(dropped, trimmed);
  return s;
}

Status Decoder::ScopeSpansItem(od::value v, std::size_t resource, std::size_t index,
                               ScopeSpans* out) {
  return Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kScope: return ScopeItem(value, &out->scope);
      case Field::kSchemaUrl: return ArenaString(value, &out->schema_url);
      case Field::kSpans: {
        StackList<Span> spans = List<Span>();
        Status s = Array(value, [&](std::size_t span_index, od::value item) {
          Span span;
          std::string_view rejection;
          if (Status st = SpanItem(item, &span, &rejection); !st.ok()) return st;
          if (rejection.empty()) return Push(spans, span);
          if (result_->rejected++ == 0) {
            result_->rejection = StrCat("span ", span_index, " of scope ", index, " of resource ",
                                        resource, ": ", rejection);
          }
          return Status::Ok();
        });
        if (!s.ok()) return s;
        out->spans = spans.CopyTo(arena_);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
}

// *rejection: why the span must be left out (its ids), empty if it is kept.
Status Decoder::SpanItem(od::value v, Span* out, std::string_view* rejection) {
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

Status Decoder::StatusItem(od::value v, Span* out) {
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

Status Decoder::EventItem(od::value v, bool keep, SpanEvent* out) {
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
Status Decoder::LinkItem(od::value v, bool keep, SpanLink* out, bool* valid) {
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

Status Decoder::AttributeList(od::value v, bool keep, Attributes* out, std::uint64_t* trimmed) {
  StackList<KeyValue> kvs = List<KeyValue>();
  *trimmed = 0;
  Status s = Array(v, [&](std::size_t, od::value item) {
    const bool store = keep && kvs.size() < limits_.max_attributes;
    KeyValue kv;
    if (Status st = KeyValueItem(item, 1, store, &kv); !st.ok()) return st;
    if (store) return Push(kvs, kv);
    ++*trimmed;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  *out = kvs.CopyTo(arena_);
  return Status::Ok();
}

Status Decoder::KeyValueItem(od::value v, int level, bool keep, KeyValue* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kKey: {
        if (!keep) return String(value, &out->key);  // checked, not kept
        return ArenaString(value, &out->key);
      }
      case Field::kValue: return AnyValueItem(value, level, keep, &out->value);
      default: return Status::Ok();
    }
  });
}

Status Decoder::AnyValueItem(od::value v, int level, bool keep, AnyValue* out) {
  *out = AnyValue();
  int set = 0;
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kStringValue: {
        std::string_view text;
        bool in_arena = false;
        if (Status st = String(value, &text, &in_arena); !st.ok()) return st;
        text = TruncateUtf8(text, limits_.max_value_bytes);
        if (keep) *out = AnyValue::String(in_arena ? text : arena_.Copy(text));
        break;
      }
      case Field::kBoolValue: {
        bool b = false;
        if (Status st = Bool(value, &b); !st.ok()) return st;
        *out = AnyValue::Bool(b);
        break;
      }
      case Field::kIntValue:
        if (Status st = IntValue(value, out); !st.ok()) return st;
        break;
      case Field::kDoubleValue: {
        double d = 0;
        if (Status st = Double(value, &d); !st.ok()) return st;
        *out = AnyValue::Double(d);
        break;
      }
      case Field::kBytesValue: {
        std::string_view text;
        if (Status st = String(value, &text); !st.ok()) return st;
        if (!DecodeBase64(text, &s_.bytes)) return Expected("base64");
        std::string_view bytes(s_.bytes);
        if (keep) *out = AnyValue::Bytes(arena_.Copy(bytes.substr(0, limits_.max_value_bytes)));
        break;
      }
      case Field::kArrayValue: {
        if (level > max_value_depth_) {
          *out = AnyValue();  // too deep: empty, and skipped without a look
          break;
        }
        std::span<const AnyValue> items;
        auto read = [&](od::value item, AnyValue* e) { return AnyValueItem(item, level + 1, keep, e); };
        if (Status st = ValuesItem<AnyValue>(value, keep, read, &items); !st.ok()) return st;
        *out = AnyValue::Array(items);
        break;
      }
      case Field::kKvlistValue: {
        if (level > max_value_depth_) {
          *out = AnyValue();
          break;
        }
        std::span<const KeyValue> items;
        auto read = [&](od::value item, KeyValue* kv) { return KeyValueItem(item, level + 1, keep, kv); };
        if (Status st = ValuesItem<KeyValue>(value, keep, read, &items); !st.ok()) return st;
        *out = AnyValue::KvList(items);
        break;
      }
      default: return Status::Ok();
    }
    if (++set > 1) return Status::InvalidArgument(StrCat(Path(), ": a second value in one AnyValue"));
    return Status::Ok();
  });
  if (!keep) *out = AnyValue();
  return s;
}

// ArrayValue {"values": [AnyValue...]} and KeyValueList {"values":
// [KeyValue...]}: each item of "values" read by `read_item` into one list.
template <typename T, typename ReadItem>
Status Decoder::ValuesItem(od::value v, bool keep, ReadItem read_item, std::span<const T>* out) {
  StackList<T> values = List<T>();
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    if (f != Field::kValues) return Status::Ok();
    values.Clear();  // a repeated key: the last one counts
    return Array(value, [&](std::size_t, od::value item) {
      T element;
      if (Status st = read_item(item, &element); !st.ok()) return st;
      return keep ? Push(values, element) : Status::Ok();
    });
  });
  if (!s.ok()) return s;
  *out = values.CopyTo(arena_);
  return Status::Ok();
}

}  // namespace

Result<DecodedTraces> DecodeTracesJson(std::string_view body, Arena& arena,
                                       const DecodeLimits& limits) {
  const std::size_t parse_bytes = ParseBytes(body.size());
  if (parse_bytes > limits.max_decoded_bytes) {
    return Status::TooLarge(StrCat("a JSON body of ", body.size(), " bytes takes ", parse_bytes,
                                   " bytes to parse, more than max_decoded_size (", limits.max_decoded_bytes,
                                   "): send protobuf, or smaller requests"));
  }
  thread_local Scratch scratch;
  scratch.path.clear();
  scratch.padded.assign(body);
  scratch.padded.append(simdjson::SIMDJSON_PADDING, '\0');

  DecodedTraces out;
  Status status;
  {
    od::document doc;
    if (auto e = scratch.parser.iterate(scratch.padded.data(), body.size(), scratch.padded.size())
                     .get(doc)) {
      status = Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
    } else {
      Decoder decoder(scratch, arena, limits, body.size(), parse_bytes);
      status = decoder.Request(doc, &out);
    }
  }
  scratch.lists.Trim();
  if (scratch.parser.capacity() > kKeepParserCapacity) {
    scratch.parser = od::parser();
    scratch.padded = std::string();
  }
  if (!status.ok()) return status;
  return out;
}

}  // namespace otelpack::otlp
