// Values written as strings, for declared formats whose backend stores text
// (docs/formats.md, "Conversions"): attribute maps with every value as a
// string (`strings`), any JSON written as a JSON string (`json`), a scalar
// as its text (`string`), and ids in base64.
//
// They reuse value_writer.h for the JSON of a value; what must become a
// string is first written into a scratch Buffer the caller keeps (so nothing
// is allocated once it has grown) and then escaped into the output.
#ifndef OTELPACK_FORMAT_STRING_WRITERS_H_
#define OTELPACK_FORMAT_STRING_WRITERS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/base64.h"
#include "format/json_writer.h"
#include "otelpack/buffer.h"
#include "otelpack/model/common.h"

namespace otelpack::format {

// `bytes[0..n)` in standard base64 with padding, no quotes.
// REQUIRES: Base64EncodedSize(n) bytes of room.
inline char* WriteBase64(const std::uint8_t* bytes, std::size_t n, char* out) {
  return Base64EncodeTo(std::string_view(reinterpret_cast<const char*>(bytes), n), out);
}

// `json` (text our writers made: valid UTF-8) as one JSON string, quoted.
void WriteJsonAsString(Cursor& c, std::string_view json);

// The value as a JSON string: a string as it is (escaped), bytes as their
// base64, a number, boolean or null as its JSON text ("200", "true",
// "null"), an array or key-value list as its JSON text escaped into the
// string. `scratch` is the caller's reused buffer for the nested case.
void WriteValueAsString(Cursor& c, const AnyValue& v, Buffer* scratch);

// {"key":"<value as a string>",...}: every value through WriteValueAsString.
void WriteStringsObject(Cursor& c, Attributes attrs, Buffer* scratch);

// The JSON of `v` (WriteValue) as a JSON string: "{\"a\":1}".
void WriteValueAsJsonString(Cursor& c, const AnyValue& v, Buffer* scratch);

// The JSON object of `attrs` (WriteObject) as a JSON string.
void WriteObjectAsJsonString(Cursor& c, Attributes attrs, Buffer* scratch);

}  // namespace otelpack::format

#endif  // OTELPACK_FORMAT_STRING_WRITERS_H_
