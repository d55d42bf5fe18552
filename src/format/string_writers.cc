// Values written as strings (string_writers.h).
#include "format/string_writers.h"

#include "format/value_writer.h"

namespace otelpack::format {
namespace {

// Writes the JSON of `v` into `scratch` (cleared first).
void ValueJson(const AnyValue& v, Buffer* scratch) {
  scratch->Clear();
  Cursor s(scratch, 64);
  WriteValue(s, v);
  s.Done();
}

}  // namespace

void WriteJsonAsString(Cursor& c, std::string_view json) {
  c.Ensure(kMaxEscapeGrowth * json.size() + 2);
  char* p = c.p;
  *p++ = '"';
  p = EscapeTo(json.data(), json.size(), p);
  *p++ = '"';
  c.p = p;
}

void WriteValueAsString(Cursor& c, const AnyValue& v, Buffer* scratch) {
  switch (v.type()) {
    case ValueType::kString: {
      const std::string_view s = v.string_value();
      c.Ensure(kMaxEscapeGrowth * s.size() + 2);
      char* p = c.p;
      *p++ = '"';
      p = EscapeString(s, p);
      *p++ = '"';
      c.p = p;
      return;
    }
    case ValueType::kInt:
    case ValueType::kDouble:
    case ValueType::kBool:
    case ValueType::kEmpty: {
      // Their JSON text has nothing to escape.
      c.Ensure(kKeyValueRoom);
      char* p = c.p;
      *p++ = '"';
      p = WriteScalarOrNested(c, p, v, 0);
      *p++ = '"';
      c.p = p;
      return;
    }
    case ValueType::kBytes:
      // Base64 is a string already: its text, not a string of a string.
      WriteNested(c, v, 0);
      return;
    case ValueType::kArray:
    case ValueType::kKvList: break;
  }
  ValueJson(v, scratch);
  WriteJsonAsString(c, scratch->view());
}

void WriteStringsObject(Cursor& c, Attributes attrs, Buffer* scratch) {
  c.Ensure(2);
  if (attrs.empty()) {
    c.p = Lit(c.p, "{}");
    return;
  }
  *c.p++ = '{';
  for (const KeyValue& kv : attrs) {
    c.Ensure(kMaxEscapeGrowth * kv.key.size() + 4);
    char* p = c.p;
    *p++ = '"';
    p = EscapeString(kv.key, p);
    c.p = Lit(p, "\":");
    WriteValueAsString(c, kv.value, scratch);
    c.Ensure(1);
    *c.p++ = ',';
  }
  c.p[-1] = '}';
}

void WriteValueAsJsonString(Cursor& c, const AnyValue& v, Buffer* scratch) {
  ValueJson(v, scratch);
  WriteJsonAsString(c, scratch->view());
}

void WriteObjectAsJsonString(Cursor& c, Attributes attrs, Buffer* scratch) {
  scratch->Clear();
  Cursor s(scratch, 64);
  WriteObject(s, attrs, 0);
  s.Done();
  WriteJsonAsString(c, scratch->view());
}

}  // namespace otelpack::format
