// The out-of-line part of value_writer.h: bytes, arrays and key-value lists.
#include "format/value_writer.h"

#include "common/base64.h"

namespace otelpack::format {

// Bytes, arrays and key-value lists at nesting level `depth`. Leaves room
// for one more byte (the caller's separator).
void WriteNested(Cursor& c, const AnyValue& v, int depth) {
  if (v.type() == ValueType::kBytes) {
    const std::string_view b = v.string_value();
    c.Ensure(Base64EncodedSize(b.size()) + 3);
    *c.p++ = '"';
    c.p = Base64EncodeTo(b, c.p);
    *c.p++ = '"';
    return;
  }
  if (depth > kMaxValueDepth) {
    // Deeper than the cap: null keeps the event valid and bounded in depth.
    c.Ensure(5);
    c.p = Lit(c.p, "null");
    return;
  }
  if (v.type() == ValueType::kKvList) {
    WriteObject(c, v.kvlist_value(), depth);
    c.Ensure(1);
    return;
  }
  const std::span<const AnyValue> items = v.array_value();
  c.Ensure(3);
  if (items.empty()) {
    c.p = Lit(c.p, "[]");
    return;
  }
  *c.p++ = '[';
  for (const AnyValue& item : items) {
    c.Ensure(ValueRoom(item) + kKeyValueRoom);
    char* p = WriteScalarOrNested(c, c.p, item, depth);
    *p++ = ',';
    c.p = p;
  }
  c.p[-1] = ']';
  c.Ensure(1);
}

}  // namespace otelpack::format
