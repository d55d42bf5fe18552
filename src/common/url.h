// URLs as they may be shown: in logs, errors and banners.
#ifndef OTELPACK_COMMON_URL_H_
#define OTELPACK_COMMON_URL_H_

#include <string>
#include <string_view>

namespace otelpack {

// "https://user:password@host/x?token=t#f" -> "https://***@host/x?***": a URL
// may carry a credential in its user info or its query, so both are masked
// wherever otelpack prints one. Text that is not a URL comes back masked the
// same way as far as it looks like one.
std::string RedactedUrl(std::string_view url);

}  // namespace otelpack

#endif  // OTELPACK_COMMON_URL_H_
