// Number and URL formatting for what the CLI prints to people.
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

// "https://user:password@host/x?token=t" -> "https://***@host/x?***": a URL
// may carry a credential in its user info or its query.
inline std::string RedactedUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t query = url.find_first_of("?#", start);
  std::string out = url.substr(0, query);
  if (query != std::string::npos) out += url[query] + std::string("***");
  const std::size_t at = out.rfind('@', out.find('/', start));
  if (at != std::string::npos && at >= start) out = out.substr(0, start) + "***" + out.substr(at);
  return out;
}

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_FORMAT_H_
