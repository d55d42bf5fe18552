// HeaderLookup: how HTTP request headers are read without copying them.
#ifndef OTELPACK_COMMON_HEADER_LOOKUP_H_
#define OTELPACK_COMMON_HEADER_LOOKUP_H_

#include <functional>
#include <optional>
#include <string_view>

namespace otelpack {

// Returns the value of the request header `name` (matched case-insensitively
// by the caller's implementation), or nullopt when the request has none.
using HeaderLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

}  // namespace otelpack

#endif  // OTELPACK_COMMON_HEADER_LOOKUP_H_
