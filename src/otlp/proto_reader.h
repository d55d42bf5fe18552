// What the hand-written protobuf decoders of every signal share (one file
// per signal: proto_traces.cc, proto_logs.cc, proto_metrics.cc): the field
// reader, the error path ("resource_spans[0].scope_spans[2].spans[7]: field 8:
// truncated fixed64"), budget-aware pushes onto the scratch stacks
// (list_stack.h), the common messages (AnyValue, KeyValue, Resource,
// InstrumentationScope) and the request's levels above the records
// (proto_schema.h).
//
// Decoding is one pass over the body: strings and bytes stay views into it,
// and each list is gathered on a scratch stack and copied to the arena once.
// Unknown fields are skipped, as protobuf requires; a known field with the
// wrong wire type is an error.
//
// ProtoDecoder is a template over the signal's own decoder (which derives
// from it), so each signal's file gets its own copy of the shared code,
// inlined as if it were written there: the trace decoder's speed depends on
// it. Internal to src/otlp.
#ifndef OTELPACK_OTLP_PROTO_READER_H_
#define OTELPACK_OTLP_PROTO_READER_H_

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/str_cat.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"
#include "otelpack/status.h"
#include "otlp/decode.h"
#include "otlp/list_stack.h"
#include "otlp/wire.h"

namespace otelpack::otlp::proto_internal {

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

// Walks the fields of one message (or the varints of a packed field).
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

  // The next varint, as protobuf reads one: at most 10 bytes, the bits past
  // 64 ignored. False when the bytes end first.
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

 private:
  [[gnu::noinline, gnu::cold]] static std::string FieldError(std::uint32_t number, std::string_view what) {
    return StrCat("field ", number, ": ", what);
  }
  [[gnu::noinline, gnu::cold]] static bool Fail(std::string* error, std::string message) {
    *error = std::move(message);
    return false;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

// `s` cut to at most `max` bytes, not inside a UTF-8 sequence.
inline std::string_view TruncateUtf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// A dropped count, which the model keeps in 32 bits.
inline std::uint32_t Saturate(std::uint64_t v) {
  return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
}

// An id of exactly N bytes; false (and *id untouched) for any other length.
template <std::size_t N>
bool CopyId(std::string_view bytes, std::array<std::uint8_t, N>* id) {
  if (bytes.size() != N) return false;
  std::memcpy(id->data(), bytes.data(), N);
  return true;
}

// An id that may also be empty (absent): then all zero.
template <std::size_t N>
bool CopyIdOrEmpty(std::string_view bytes, std::array<std::uint8_t, N>* id) {
  if (bytes.empty()) {
    *id = {};
    return true;
  }
  return CopyId(bytes, id);
}

// The state of one request's decoding and the messages every signal shares.
// `Signal` derives from it and provides
//   bool DecodeRecord(std::string_view message, std::size_t index,
//                     StackList<Schema::Record>& records);
// which decodes one record of a scope (the index-th, counting those left
// out) and pushes it, or leaves it out and counts it in result_.
template <typename Signal, typename Schema>
class ProtoDecoder {
 public:
  using Decoded = typename Schema::Decoded;
  using ResourceGroup = typename Schema::ResourceGroup;
  using ScopeGroup = typename Schema::ScopeGroup;
  using Record = typename Schema::Record;

  ProtoDecoder(std::string_view body, Arena& arena, const DecodeLimits& limits, ListStacks& stacks)
      : arena_(arena), limits_(limits), stacks_(stacks), budget_(body.size(), limits.max_decoded_bytes) {}

  Result<Decoded> Decode(std::string_view body) {
    StackList<ResourceGroup> resources(stacks_, budget_);
    FieldReader reader(body);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return Error();
      if (f.number != 1) continue;
      ResourceGroup group;
      if (!Expect(f, kLen, Schema::kResourceGroups) ||
          !In(Schema::kResourceGroups, resources.size(), DecodeResourceGroup(f.bytes, &group)) ||
          !Push(resources, group)) {
        return Error();
      }
    }
    result_.data = resources.CopyTo(arena_);
    return std::move(result_);
  }

 protected:
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
  // Calls on_field(f) for every field of `message`; false at the first
  // malformed field, or the first on_field refuses.
  template <typename OnField>
  bool ForEachField(std::string_view message, OnField on_field) {
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_) || !on_field(f)) return false;
    }
    return true;
  }

  // A field of the wire type its model field needs, read into it: string
  // or bytes (a view), fixed64, double, proto3 `optional double` (present
  // even when zero).
  bool ReadBytes(const Field& f, std::string_view name, std::string_view* out) {
    if (!Expect(f, kLen, name)) return false;
    *out = f.bytes;
    return true;
  }
  bool ReadFixed64(const Field& f, std::string_view name, std::uint64_t* out) {
    if (!Expect(f, kFixed64, name)) return false;
    *out = f.value;
    return true;
  }
  bool ReadDouble(const Field& f, std::string_view name, double* out) {
    if (!Expect(f, kFixed64, name)) return false;
    *out = std::bit_cast<double>(f.value);
    return true;
  }
  bool ReadDouble(const Field& f, std::string_view name, std::optional<double>* out) {
    if (!Expect(f, kFixed64, name)) return false;
    *out = std::bit_cast<double>(f.value);
    return true;
  }

  // An id that may be empty (none: all zero); *bad when it has another
  // length than N bytes.
  template <std::size_t N>
  bool ReadIdOrEmpty(const Field& f, std::string_view name, std::array<std::uint8_t, N>* id, bool* bad) {
    if (!Expect(f, kLen, name)) return false;
    *bad = !CopyIdOrEmpty(f.bytes, id);
    return true;
  }

  // A malformed value (not its wire framing): "name (field N): what".
  [[gnu::noinline, gnu::cold]] bool Malformed(const Field& f, std::string_view name, std::string_view what) {
    error_ = StrCat(name, " (field ", f.number, "): ", what);
    return false;
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

  // One attribute into `kvs`, or into *dropped past max_attributes. `name`
  // is the list's field name, for the error path.
  template <typename Count>
  bool DecodeAttribute(std::string_view message, StackList<KeyValue>& kvs, Count* dropped,
                       std::string_view name = "attributes") {
    if (kvs.size() == limits_.max_attributes) {
      ++*dropped;
      return true;
    }
    KeyValue kv;
    return In(name, kvs.size(), DecodeKeyValue(message, 1, &kv)) && Push(kvs, kv);
  }

  // AnyValue's oneof; the last member present wins, as in protobuf. `depth`
  // is 1 for an attribute's value (or a log record's body).
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

  Signal& signal() { return static_cast<Signal&>(*this); }

  Arena& arena_;
  const DecodeLimits& limits_;
  ListStacks& stacks_;
  DecodeBudget budget_;
  bool too_large_ = false;
  bool error_has_path_ = false;  // error_ already starts with a field path
  std::string error_;
  Decoded result_;

 private:
  bool DecodeResourceGroup(std::string_view message, ResourceGroup* out) {
    StackList<ScopeGroup> scopes(stacks_, budget_);
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      switch (f.number) {
        case 1:
          if (!Expect(f, kLen, "resource") || !In("resource", DecodeResource(f.bytes, &out->resource))) return false;
          break;
        case 2: {
          ScopeGroup group;
          if (!Expect(f, kLen, Schema::kScopeGroups) ||
              !In(Schema::kScopeGroups, scopes.size(), DecodeScopeGroup(f.bytes, &group)) || !Push(scopes, group)) {
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
    out->*Schema::kScopeGroupsOf = scopes.CopyTo(arena_);
    return true;
  }

  bool DecodeScopeGroup(std::string_view message, ScopeGroup* out) {
    StackList<Record> records(stacks_, budget_);
    std::size_t index = 0;
    FieldReader reader(message);
    Field f;
    while (!reader.done()) {
      if (!reader.Next(&f, &error_)) return false;
      switch (f.number) {
        case 1:
          if (!Expect(f, kLen, "scope") || !In("scope", DecodeScope(f.bytes, &out->scope))) return false;
          break;
        case 2:
          if (!Expect(f, kLen, Schema::kRecords) ||
              !In(Schema::kRecords, index, signal().DecodeRecord(f.bytes, index, records))) {
            return false;
          }
          ++index;
          break;
        case 3:
          if (!Expect(f, kLen, "schema_url")) return false;
          out->schema_url = f.bytes;
          break;
        default:
          break;
      }
    }
    out->*Schema::kRecordsOf = records.CopyTo(arena_);
    return true;
  }

  bool DecodeResource(std::string_view message, Resource* out) {
    return DecodeAttributeOwner(message, /*attributes=*/1, /*dropped=*/2, &out->attributes,
                                &out->dropped_attributes_count, nullptr);
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
};

// This thread's scratch stacks, one set for every signal, and after a
// request of unusual size, giving back what they took (ListStacks::Trim).
// Out of line (proto_reader.cc): inlined, Trim's code for every list type
// took the inliner's room the hot decoding functions need.
ListStacks& ThreadStacks();
void TrimThreadStacks();

// Runs one signal's decoder on this thread's scratch stacks.
template <typename Decoder>
Result<typename Decoder::Decoded> DecodeWith(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  Result<typename Decoder::Decoded> result = Decoder(body, arena, limits, ThreadStacks()).Decode(body);
  TrimThreadStacks();
  return result;
}

}  // namespace otelpack::otlp::proto_internal

#endif  // OTELPACK_OTLP_PROTO_READER_H_
