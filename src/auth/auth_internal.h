// What the authenticators and the verifiers share: header names, the HMAC
// string to sign, credential checks, and a factory with an injectable clock.
#ifndef OTELPACK_AUTH_AUTH_INTERNAL_H_
#define OTELPACK_AUTH_AUTH_INTERNAL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "otelpack/auth.h"
#include "otelpack/status.h"

namespace otelpack {
namespace auth {

inline constexpr std::string_view kAuthorization = "Authorization";
inline constexpr std::string_view kTimestampHeader = "X-Otelpack-Timestamp";
inline constexpr std::string_view kContentSha256Header = "X-Otelpack-Content-SHA256";

// The Authorization scheme tokens (compared case-insensitively on receipt).
inline constexpr std::string_view kApiKeyToken = "ApiKey";
inline constexpr std::string_view kBearerToken = "Bearer";
inline constexpr std::string_view kBasicToken = "Basic";
inline constexpr std::string_view kHmacToken = "OTELPACK-HMAC-SHA256";

using Clock = std::function<std::chrono::system_clock::time_point()>;

// method \n path \n timestamp \n body_sha256 \n project_id
std::string HmacStringToSign(const RequestContext& request, std::string_view timestamp,
                             std::string_view body_sha256);

// OK when `options` holds every credential `options.scheme` needs, each
// usable in a header; otherwise InvalidArgument naming the field (never its value).
Status ValidateCredentials(const AuthOptions& options);

// NewAuthenticator with the HMAC timestamp taken from `clock` (nullptr: the
// system clock). Tests use it to sign "in the past" or "in the future".
Result<std::unique_ptr<Authenticator>> NewAuthenticator(const AuthOptions& options, Clock clock);

}  // namespace auth
}  // namespace otelpack

#endif  // OTELPACK_AUTH_AUTH_INTERNAL_H_
