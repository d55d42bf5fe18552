// Test and benchmark helper: a libprotobuf message printed in the OTLP JSON
// mapping, so that the JSON decoder can be checked against (and timed on)
// what an independent implementation writes. libprotobuf prints protobuf's
// JSON mapping, where bytes are base64; OTLP writes trace and span ids in hex
// instead, so those are rewritten here. Header-only; needs libprotobuf.
#ifndef OTELPACK_OTLP_TESTING_OTLP_JSON_H_
#define OTELPACK_OTLP_TESTING_OTLP_JSON_H_

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace otelpack::testing {

struct OtlpJsonOptions {
  bool proto_names = false;    // the .proto field names instead of lowerCamelCase
  bool enums_as_ints = true;   // as OTLP and the SDKs write them; false: names
  bool add_whitespace = false;
};

namespace otlp_json_internal {

inline int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// The hex of what `b64` encodes ("=" padding ignored).
inline std::string Base64ToHex(std::string_view b64) {
  std::string hex;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    const int d = Base64Digit(c);
    if (d < 0) break;
    acc = acc << 6 | static_cast<std::uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const unsigned byte = (acc >> bits) & 0xFF;
      hex += "0123456789abcdef"[byte >> 4];
      hex += "0123456789abcdef"[byte & 15];
    }
  }
  return hex;
}

}  // namespace otlp_json_internal

// `message` in the OTLP JSON mapping. Every id field (traceId, spanId,
// parentSpanId, in either spelling) becomes hex. A key followed directly by
// `":"` cannot occur inside a printed string (its quotes would be escaped),
// so the rewrite touches keys only.
inline std::string OtlpJson(const google::protobuf::Message& message, const OtlpJsonOptions& options = {}) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = options.proto_names;
  print.always_print_enums_as_ints = options.enums_as_ints;
  print.add_whitespace = options.add_whitespace;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, print).ok()) return {};
  std::string out;
  out.reserve(json.size());
  std::size_t at = 0;
  while (at < json.size()) {
    std::size_t best = std::string::npos;
    std::size_t best_len = 0;
    for (std::string_view key : {"\"traceId\"", "\"spanId\"", "\"parentSpanId\"", "\"trace_id\"", "\"span_id\"",
                                 "\"parent_span_id\""}) {
      const std::size_t found = json.find(key, at);
      if (found < best) best = found, best_len = key.size();
    }
    if (best == std::string::npos) break;
    std::size_t value = best + best_len;
    while (value < json.size() && (json[value] == ':' || json[value] == ' ')) ++value;
    if (value >= json.size() || json[value] != '"') {  // not a key: copy it and go on
      out.append(json, at, value - at);
      at = value;
      continue;
    }
    const std::size_t end = json.find('"', value + 1);
    out.append(json, at, value + 1 - at);
    out += otlp_json_internal::Base64ToHex(std::string_view(json).substr(value + 1, end - value - 1));
    at = end;
  }
  out.append(json, at, std::string::npos);
  return out;
}

}  // namespace otelpack::testing

#endif  // OTELPACK_OTLP_TESTING_OTLP_JSON_H_
