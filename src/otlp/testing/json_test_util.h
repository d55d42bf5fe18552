// Test helpers for the OTLP/JSON decoders' tests: ids as hex, and a request's
// keys respelled (lowerCamelCase to the .proto names). Header-only, for tests.
#ifndef OTELPACK_OTLP_TESTING_JSON_TEST_UTIL_H_
#define OTELPACK_OTLP_TESTING_JSON_TEST_UTIL_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace otelpack::testing {

inline std::string Hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (std::uint8_t b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

// `json` with every quoted occurrence of each pair's first name replaced by
// its second ("timeUnixNano" -> "time_unix_nano").
inline std::string RenameKeys(std::string_view json,
                              std::initializer_list<std::pair<std::string_view, std::string_view>> names) {
  std::string out(json);
  for (auto [from_name, to_name] : names) {
    const std::string from = "\"" + std::string(from_name) + "\"";
    const std::string to = "\"" + std::string(to_name) + "\"";
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  }
  return out;
}

}  // namespace otelpack::testing

#endif  // OTELPACK_OTLP_TESTING_JSON_TEST_UTIL_H_
