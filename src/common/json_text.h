// Small JSON writing helpers for answers and messages: escaped strings and the
// {"error": "..."} body. The sink never echoes a caller's bytes unescaped.
#ifndef OTELPACK_COMMON_JSON_TEXT_H_
#define OTELPACK_COMMON_JSON_TEXT_H_

#include <string>
#include <string_view>

namespace otelpack {

// Appends `s` as a JSON string literal (with quotes). Bytes >= 0x80 are copied
// as they are: callers pass valid UTF-8 (the sink's own text, or strings
// simdjson has already validated).
void AppendJsonString(std::string* out, std::string_view s);

// {"error": "<message>"}
std::string ErrorJson(std::string_view message);

// A caller-supplied name (a JSON key, a header value) made safe and short for a
// message: at most `max` bytes, control characters and non-ASCII bytes as '?'
// so a truncation cannot split a UTF-8 sequence.
std::string PrintableExcerpt(std::string_view s, std::size_t max = 64);

// `json` indented for people: two spaces a level, one member or element a
// line, ": " after keys, empty objects and arrays as {} and []. Whitespace
// outside strings is replaced; nothing else changes (strings, numbers and
// literals are copied as they are). For valid JSON; other text comes out
// reindented as far as its brackets go, never longer than 2 bytes plus the
// indentation per input byte.
std::string PrettyJson(std::string_view json);

}  // namespace otelpack

#endif  // OTELPACK_COMMON_JSON_TEXT_H_
