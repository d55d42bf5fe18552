// A hand-written protobuf decoder for ExportTraceServiceRequest, straight
// into the model, in one pass over the body: strings and bytes stay views
// into the request body, and lists are gathered on scratch stacks
// (list_stack.h), so decoding a span costs no heap allocation and no string
// copy, and no byte of the body is read twice.
//
// Field numbers are those of opentelemetry-proto (trace.proto, common.proto,
// resource.proto, trace_service.proto). Unknown fields are skipped, as
// protobuf requires; a known field with the wrong wire type is an error.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "common/json_text.h"
#include "common/str_cat.h"
#include "otlp/decode.h"
#include "otlp/list_stack.h"
#include "otlp/wire.h"

namespace otelpack::otlp {
namespace {

using WireType = wire::Type;
using wire::kFixed32;
using wire::kFixed64;
using wire::kLen;
using wire::kVarint;

struct Field {
  std::uint32_t number = 0;
  std::uint8_t wire = 0;
  std::uint64_t value = 0;  // kVarint, kFixed64, kFixed32
  std::string_view bytes;   // kLen
};

// Walks the fields of one message.
class FieldReader {
 public:
  explicit FieldReader(std::string_view message)
      : p_(reinterpret_cast<const std::uint8_t*>(message.data())), end_(p_ + message.size()) {}

  bool done() const { return p_ == end_; }

  // Reads the next field; false with *error set when the bytes are malformed.
  [[gnu::always_inline]] inline bool Next(Field* f, std::string* error) {
    std::uint64_t tag;
    if (!ReadVarint(&tag)) return Fail(error, "truncated or overlong field tag");
    f->number = static_cast<std::uint32_t>(tag >> 3);
    f->wire = static_cast<std::uint8_t>(tag & 7);
    if (f->number == 0 || (tag >> 3) > 0x1fffffff) return Fail(error, "invalid field number");
    switch (f->wire) {
      case kVarint:
        if (!ReadVarint(&f->value)) return Fail(error, FieldError(f->number, "truncated varint"));
        return true;
      case kFixed64:
        if (end_ - p_ < 8) return Fail(error, FieldError(f->number, "truncated fixed64"));
        std::memcpy(&f->value, p_, 8);  // little-endian on every target we build for
        p_ += 8;
        return true;
      case kFixed32: {
        if (end_ - p_ < 4) return Fail(error, FieldError(f->number, "truncated fixed32"));
        std::uint32_t v;
        std::memcpy(&v, p_, 4);
        f->value = v;
        p_ += 4;
        return true;
      }
      case kLen: {
        std::uint64_t n;
        if (!ReadVarint(&n)) return Fail(error, FieldError(f->number, "truncated length"));
        if (n > static_cast<std::uint64_t>(end_ - p_)) {
          return Fail(error, FieldError(f->number, "length runs past the end of the message"));
        }
        f->bytes = {reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n)};
        p_ += n;
        return true;
      }
      default:
        return Fail(error, FieldError(f->number, StrCat("unsupported wire type ", int{f->wire})));
    }
  }

 private:
  [[gnu::noinline, gnu::cold]] static std::string FieldError(std::uint32_t number,
                                                             std::string_view what) {
    return StrCat("field ", number, ": ", what);
  }
  [[gnu::noinline, gnu::cold]] static bool Fail(std::string* error, std::string message) {
    *error = std::move(message);
    return false;
  }

  bool ReadVarint(std::uint64_t* out) {
    if (p_ < end_ && *p_ < 0x80) {  // the common case: one byte
      *out = *p_++;
      return true;
    }
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) {
        *out = v;
        return true;
      }
    }
    return false;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

// `s` cut to at most `max` bytes, not inside a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

class Decoder {
 public:
  Decoder(std::string_view body, Arena& arena, const DecodeLimits& limits, ListStacks& stacks)
      : arena_(arena), limits_(limits), stacks_(stacks), budget_(body.size(), limits.max_decoded_bytes) {}

  Result<DecodedTraces> Decode(std::string_view body) {
    StackList<ResourceSpans> resources(stacks_, budget_);
    FieldReader reader(body);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return Error();
      if (f.number != 1) continue;
      ResourceSpans rs;
      if (!Expect(f, kLen, "resource_spans") ||
          !In("resource_spans", resources.size(), DecodeResourceSpans(f.bytes, &rs)) ||
          !Push(resources, rs)) {
        return Error();
      }
    }
    result_.data = resources.CopyTo(arena_);
    return std::move(result_);
  }

 private:
  // Pushes `item`; over the budget, the request is refused as too large.
  // Every caller returns false at once, so a list that reaches CopyTo was
  // decoded whole and within the budget.
  template <typename T>
  bool Push(StackList<T>& list, const T& item) {
    if (list.Push(item)) [[likely]] return true;
    too_large_ = true;
    error_ = budget_.Message();
    return false;
  }

  Status Error() {
    if (too_large_) return Status::TooLarge(error_);
    return Status::InvalidArgument(StrCat("invalid OTLP protobuf: ", error_));
  }

  // Prefixes the error of a nested message with its place in the parent:
  // "resource_spans[0].scope_spans[2].spans[7]: field 8: truncated fixed64".
  bool In(std::string_view name, std::size_t index, bool ok) {
    if (!ok) AddPath(StrCat(name, "[", index, "]"));
    return ok;
  }
  bool In(std::string_view name, bool ok) {
    if (!ok) AddPath(name);
    return ok;
  }
  [[gnu::noinline, gnu::cold]] void AddPath(std::string_view name) {
    if (too_large_) return;
    error_ = StrCat(name, error_has_path_ ? "." : ": ", error_);
    error_has_path_ = true;
  }

  bool Expect(const Field& f, WireType wire, std::string_view name) {
    if (f.wire == wire) [[likely]] return true;
    return WrongWireType(f, name);
  }
  [[gnu::noinline, gnu::cold]] bool WrongWireType(const Field& f, std::string_view name) {
    error_ = StrCat(name, " (field ", f.number, "): wrong wire type ", int{f.wire});
    return false;
  }

  bool DecodeResourceSpans(std::string_view message, ResourceSpans* out) {
    StackList<ScopeSpans> scopes(stacks_, budget_);
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      switch (f.number) {
        case 1:
          if (!Expect(f, kLen, "resource") || !In("resource", DecodeResource(f.bytes, &out->resource))) return false;
          break;
        case 2: {
          ScopeSpans ss;
          if (!Expect(f, kLen, "scope_spans") ||
              !In("scope_spans", scopes.size(), DecodeScopeSpans(f.bytes, &ss)) || !Push(scopes, ss)) {
            return false;
          }
          break;
        }
        case 3:
          if (!Expect(f, kLen, "schema_url")) return false;
          out->schema_url = f.bytes;
          break;
        default:
          break;
      }
    }
    out->scope_spans = scopes.CopyTo(arena_);
    return true;
  }

  bool DecodeResource(std::string_view message, Resource* out) {
    return DecodeAttributeOwner(message, /*attributes=*/1, /*dropped=*/2, &out->attributes,
                                &out->dropped_attributes_count, nullptr);
  }

  // Messages whose only list is their attributes (Resource, Event, Link,
  // InstrumentationScope): decodes attributes and the dropped count, and
  // hands every other field to `other`.
  template <typename Other>
  bool DecodeAttributeOwner(std::string_view message, std::uint32_t attributes_field,
                            std::uint32_t dropped_field, Attributes* attributes,
                            std::uint32_t* dropped, Other other) {
    StackList<KeyValue> kvs(stacks_, budget_);
    std::uint32_t dropped_here = 0;
    std::uint64_t dropped_declared = 0;
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      if (f.number == attributes_field) {
        if (!Expect(f, kLen, "attributes")) return false;
        if (!DecodeAttribute(f.bytes, kvs, &dropped_here)) return false;
      } else if (f.number == dropped_field) {
        if (!Expect(f, kVarint, "dropped_attributes_count")) return false;
        dropped_declared = f.value;
      } else if constexpr (!std::is_same_v<Other, std::nullptr_t>) {
        if (!other(f)) return false;
      }
    }
    *attributes = kvs.CopyTo(arena_);
    *dropped = Saturate(dropped_declared + dropped_here);
    return true;
  }

  // One attribute into `kvs`, or into *dropped past max_attributes.
  template <typename Count>
  bool DecodeAttribute(std::string_view message, StackList<KeyValue>& kvs, Count* dropped) {
    if (kvs.size() == limits_.max_attributes) {
      ++*dropped;
      return true;
    }
    KeyValue kv;
    return In("attributes", kvs.size(), DecodeKeyValue(message, 1, &kv)) && Push(kvs, kv);
  }

  static std::uint32_t Saturate(std::uint64_t v) {
    return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
  }

  bool DecodeScopeSpans(std::string_view message, ScopeSpans* out) {
    StackList<Span> spans(stacks_, budget_);
    std::size_t index = 0;
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      switch (f.number) {
        case 1:
          if (!Expect(f, kLen, "scope") || !In("scope", DecodeScope(f.bytes, &out->scope))) return false;
          break;
        case 2: {
          if (!Expect(f, kLen, "spans")) return false;
          Span span;
          if (!In("spans", index, DecodeSpan(f.bytes, &span))) return false;
          if (!Reject(index, span) && !Push(spans, span)) return false;
          ++index;
          break;
        }
        case 3:
          if (!Expect(f, kLen, "schema_url")) return false;
          out->schema_url = f.bytes;
          break;
        default:
          break;
      }
    }
    out->spans = spans.CopyTo(arena_);
    result_.records += out->spans.size();
    return true;
  }

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

  bool DecodeScope(std::string_view message, InstrumentationScope* out) {
    return DecodeAttributeOwner(message, 3, 4, &out->attributes, &out->dropped_attributes_count,
                                [&](const Field& f) {
                                  if (f.number == 1) {
                                    if (!Expect(f, kLen, "name")) return false;
                                    out->name = f.bytes;
                                  } else if (f.number == 2) {
                                    if (!Expect(f, kLen, "version")) return false;
                                    out->version = f.bytes;
                                  }
                                  return true;
                                });
  }

  template <std::size_t N>
  static bool CopyId(std::string_view bytes, std::array<std::uint8_t, N>* id) {
    if (bytes.size() != N) return false;
    std::memcpy(id->data(), bytes.data(), N);
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
          bad_parent_id_ = !f.bytes.empty() && !CopyId(f.bytes, &out->parent_span_id.bytes);
          if (f.bytes.empty()) out->parent_span_id = SpanId();
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

  // KeyValue { string key = 1; AnyValue value = 2; }
  bool DecodeKeyValue(std::string_view message, int depth, KeyValue* out) {
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      if (f.number == 1) {
        if (!Expect(f, kLen, "key")) return false;
        out->key = f.bytes;
      } else if (f.number == 2) {
        if (!Expect(f, kLen, "value") || !In("value", DecodeAnyValue(f.bytes, depth, &out->value))) {
          return false;
        }
      }
    }
    return true;
  }

  // AnyValue's oneof; the last member present wins, as in protobuf.
  bool DecodeAnyValue(std::string_view message, int depth, AnyValue* out) {
    FieldReader reader(message);
    Field f;
    *out = AnyValue();
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      switch (f.number) {
        case 1:
          if (!Expect(f, kLen, "string_value")) return false;
          *out = AnyValue::String(TruncateUtf8(f.bytes, limits_.max_value_bytes));
          break;
        case 2:
          if (!Expect(f, kVarint, "bool_value")) return false;
          *out = AnyValue::Bool(f.value != 0);
          break;
        case 3:
          if (!Expect(f, kVarint, "int_value")) return false;
          *out = AnyValue::Int(static_cast<std::int64_t>(f.value));
          break;
        case 4:
          if (!Expect(f, kFixed64, "double_value")) return false;
          *out = AnyValue::Double(std::bit_cast<double>(f.value));
          break;
        case 5:
          if (!Expect(f, kLen, "array_value")) return false;
          if (depth > limits_.max_depth) {
            *out = AnyValue();
          } else if (!In("array_value", DecodeArray(f.bytes, depth + 1, out))) {
            return false;
          }
          break;
        case 6:
          if (!Expect(f, kLen, "kvlist_value")) return false;
          if (depth > limits_.max_depth) {
            *out = AnyValue();
          } else if (!In("kvlist_value", DecodeKvList(f.bytes, depth + 1, out))) {
            return false;
          }
          break;
        case 7:
          if (!Expect(f, kLen, "bytes_value")) return false;
          *out = AnyValue::Bytes(f.bytes.substr(0, limits_.max_value_bytes));
          break;
        default:
          break;
      }
    }
    return true;
  }

  // ArrayValue { repeated AnyValue values = 1; } and
  // KeyValueList { repeated KeyValue values = 1; }: every element of field 1
  // decoded by `decode_one` into one list.
  template <typename T, typename DecodeOne>
  bool DecodeValues(std::string_view message, std::span<const T>* out, DecodeOne decode_one) {
    StackList<T> values(stacks_, budget_);
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      if (f.number != 1) continue;
      T value;
      if (!Expect(f, kLen, "values") || !In("values", values.size(), decode_one(f.bytes, &value)) ||
          !Push(values, value)) {
        return false;
      }
    }
    *out = values.CopyTo(arena_);
    return true;
  }

  bool DecodeArray(std::string_view message, int depth, AnyValue* out) {
    std::span<const AnyValue> values;
    if (!DecodeValues<AnyValue>(message, &values, [&](std::string_view m, AnyValue* v) {
          return DecodeAnyValue(m, depth, v);
        })) {
      return false;
    }
    *out = AnyValue::Array(values);
    return true;
  }

  bool DecodeKvList(std::string_view message, int depth, AnyValue* out) {
    std::span<const KeyValue> values;
    if (!DecodeValues<KeyValue>(message, &values, [&](std::string_view m, KeyValue* kv) {
          return DecodeKeyValue(m, depth, kv);
        })) {
      return false;
    }
    *out = AnyValue::KvList(values);
    return true;
  }

  Arena& arena_;
  const DecodeLimits& limits_;
  ListStacks& stacks_;
  DecodeBudget budget_;
  bool too_large_ = false;
  bool error_has_path_ = false;  // error_ already starts with a field path
  // The id checks of the span being decoded.
  bool bad_trace_id_ = false, bad_span_id_ = false, bad_parent_id_ = false;
  std::string error_;
  DecodedTraces result_;
};

}  // namespace

Result<DecodedTraces> DecodeTracesProto(std::string_view body, Arena& arena,
                                        const DecodeLimits& limits) {
  thread_local ListStacks stacks;
  Result<DecodedTraces> result = Decoder(body, arena, limits, stacks).Decode(body);
  stacks.Trim();
  return result;
}

}  // namespace otelpack::otlp
