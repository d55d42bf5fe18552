// Number formatting for what the CLI prints to people.
#ifndef OTELPACK_CLI_FORMAT_H_
#define OTELPACK_CLI_FORMAT_H_

#include <cstdint>
#include <string>

namespace otelpack::cli {

// 1234567 -> "1,234,567".
inline std::string Thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_FORMAT_H_
