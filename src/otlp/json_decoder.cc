// The OTLP/JSON decoders' shared part (json_decoder.h): the request's parse
// on the thread's scratch, and the messages every signal has (resource,
// scope, attributes, AnyValue).
#include "otlp/json_decoder.h"

#include <algorithm>
#include <utility>

#include "common/str_cat.h"

namespace otelpack::otlp::json_internal {
namespace {

// A parser that grew beyond this for one huge request gives the memory back
// afterwards instead of holding it for the life of the thread.
constexpr std::size_t kKeepParserCapacity = 16u << 20;

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace

ParsedBody::ParsedBody(std::string_view body, const DecodeLimits& limits)
    : scratch_(ThreadScratch()), body_bytes_(body.size()), parse_bytes_(ParseBytes(body.size())) {
  if (parse_bytes_ > limits.max_decoded_bytes) {
    status_ = Status::TooLarge(StrCat("a JSON body of ", body.size(), " bytes takes ", parse_bytes_,
                                      " bytes to parse, more than max_decoded_size (", limits.max_decoded_bytes,
                                      "): send protobuf, or smaller requests"));
    return;
  }
  scratch_.path.clear();
  scratch_.padded.assign(body);
  scratch_.padded.append(simdjson::SIMDJSON_PADDING, '\0');
  od::document doc;
  if (auto e = scratch_.parser.iterate(scratch_.padded.data(), body.size(), scratch_.padded.size()).get(doc)) {
    status_ = Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
    return;
  }
  doc_.emplace(std::move(doc));
}

ParsedBody::~ParsedBody() {
  doc_.reset();
  scratch_.lists.Trim();
  if (scratch_.parser.capacity() > kKeepParserCapacity) {
    scratch_.parser = od::parser();
    scratch_.padded = std::string();
  }
}

Decoder::Decoder(ParsedBody& body, Arena& arena, const DecodeLimits& limits, std::span<const FieldName> names)
    : ValueReader(body.scratch().padded, arena, body.scratch().path),
      s_(body.scratch()),
      budget_(body.body_bytes(), limits.max_decoded_bytes, body.parse_bytes()),
      arena_(arena),
      limits_(limits),
      max_value_depth_(std::clamp(limits.max_depth, 0, kMaxValueDepthCap)),
      doc_(body.document()),
      names_(names) {}

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

}  // namespace otelpack::otlp::json_internal
