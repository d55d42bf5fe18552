// Attribute values as JSON, for every signal's encoder: AnyValue -> a JSON
// value, attributes -> a JSON object (docs/wire-protocol.md, "Values").
//
// Hot: a span's attributes go through WriteObject. Scalars and strings are
// written inline through the caller's Cursor; bytes (base64), arrays and
// key-value lists take the out-of-line WriteNested.
#ifndef OTELPACK_FORMAT_VALUE_WRITER_H_
#define OTELPACK_FORMAT_VALUE_WRITER_H_

#include <cstddef>

#include "format/json_writer.h"
#include "otelpack/model/common.h"

namespace otelpack::format {

// Values nested deeper than this many arrays / key-value lists are written
// as null, which keeps every event well under the sink's nesting limit of 64.
constexpr int kMaxValueDepth = 32;

// Room for a key's quotes and colon, a scalar value (or a string's quotes)
// and a comma.
constexpr std::size_t kKeyValueRoom = 4 + kMaxNumberChars + 2 + 1;

// Bytes, arrays and key-value lists at nesting level `depth`. Leaves room
// for one more byte (the caller's separator). Out of line: the rare case.
[[gnu::noinline]] void WriteNested(Cursor& c, const AnyValue& v, int depth);

inline char* EscapeString(std::string_view s, char* out) { return EscapeTo(s.data(), s.size(), out); }


// A scalar value (or a nested one, out of line). REQUIRES: room for
// kKeyValueRoom + 6 * string size at c.p.
inline char* WriteScalarOrNested(Cursor& c, char* p, const AnyValue& v, int depth) {
  switch (v.type()) {
    case ValueType::kString: {
      *p++ = '"';
      p = EscapeString(v.string_value(), p);
      *p++ = '"';
      return p;
    }
    case ValueType::kInt: return format::WriteInt(v.int_value(), p);
    case ValueType::kDouble: return format::WriteDouble(v.double_value(), p);
    case ValueType::kBool: return v.bool_value() ? Lit(p, "true") : Lit(p, "false");
    case ValueType::kEmpty: return Lit(p, "null");
    case ValueType::kBytes:
    case ValueType::kArray:
    case ValueType::kKvList: break;
  }
  c.p = p;
  WriteNested(c, v, depth + 1);
  return c.p;
}

inline std::size_t ValueRoom(const AnyValue& v) {
  return v.type() == ValueType::kString ? kMaxEscapeGrowth * v.string_value().size() : 0;
}

// {"key":value,...}; depth is the nesting level of this object (0 for a
// span's attributes).
inline void WriteObject(Cursor& c, Attributes attrs, int depth) {
  c.Ensure(2);
  if (attrs.empty()) {
    c.p = Lit(c.p, "{}");
    return;
  }
  *c.p++ = '{';
  for (const KeyValue& kv : attrs) {
    c.Ensure(kMaxEscapeGrowth * kv.key.size() + ValueRoom(kv.value) + kKeyValueRoom);
    char* p = c.p;
    *p++ = '"';
    p = EscapeString(kv.key, p);
    p = Lit(p, "\":");
    p = WriteScalarOrNested(c, p, kv.value, depth);
    *p++ = ',';
    c.p = p;
  }
  c.p[-1] = '}';
}

// Any value at the top level (a log record's body): a string stays a JSON
// string, a map becomes an object and an array an array, nested as deep as
// an attribute's value may be.
inline void WriteValue(Cursor& c, const AnyValue& v) {
  c.Ensure(ValueRoom(v) + kKeyValueRoom);
  c.p = WriteScalarOrNested(c, c.p, v, 0);
}

}  // namespace otelpack::format

#endif  // OTELPACK_FORMAT_VALUE_WRITER_H_
