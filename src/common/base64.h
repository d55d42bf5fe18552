// Base64 (RFC 4648 section 4: standard alphabet, '=' padding), encode only.
//
// Used by basic authentication and by the JSON encoder for OTLP bytes values.
// The raw-pointer form lets an encoder write straight into a reserved Buffer.
#ifndef OTELPACK_COMMON_BASE64_H_
#define OTELPACK_COMMON_BASE64_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace otelpack {

// The exact number of characters Base64Encode writes for `n` input bytes.
constexpr std::size_t Base64EncodedSize(std::size_t n) { return (n + 2) / 3 * 4; }

// Writes the encoding of `data` at `out` and returns the end of what it wrote.
// REQUIRES: `out` has room for Base64EncodedSize(data.size()) characters.
char* Base64EncodeTo(std::string_view data, char* out);

// Appends the encoding of `data` to `*out`.
void Base64Append(std::string_view data, std::string* out);

inline std::string Base64Encode(std::string_view data) {
  std::string out;
  Base64Append(data, &out);
  return out;
}

}  // namespace otelpack

#endif  // OTELPACK_COMMON_BASE64_H_
