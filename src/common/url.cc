// URL redaction for what otelpack prints.
#include "common/url.h"

namespace otelpack {

std::string RedactedUrl(std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const std::size_t query = url.find_first_of("?#", start);
  std::string out(url.substr(0, query));
  if (query != std::string_view::npos) out += url[query] + std::string("***");
  // User info ends at the last '@' before the path.
  const std::size_t at = out.rfind('@', out.find('/', start));
  if (at != std::string::npos && at >= start) out = out.substr(0, start) + "***" + out.substr(at);
  return out;
}

}  // namespace otelpack
