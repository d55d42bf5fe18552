// Verifier: the receiving side of authentication, used by the reference
// backend (the sink) to check the headers an Authenticator wrote.
//
// One Verifier per configured scheme (docs/wire-protocol.md, "Authentication").
// Secrets are compared in constant time, and no failure message ever contains
// a credential: a reason says what was wrong ("wrong API key"), never what was
// sent or expected.
#ifndef OTELPACK_AUTH_VERIFIER_H_
#define OTELPACK_AUTH_VERIFIER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "common/header_lookup.h"
#include "otelpack/auth.h"
#include "otelpack/status.h"

namespace otelpack {


// How far an HMAC timestamp may be from the verifier's clock, either way.
inline constexpr std::chrono::seconds kHmacMaxClockSkew{300};

class Verifier {
 public:
  virtual ~Verifier() = default;

  // OK when the request carries the configured scheme's valid credentials.
  // Unauthenticated (a reason without secrets) when they are missing, wrong,
  // or (hmac) the timestamp is more than 300 s from `now`, or the body does not
  // match X-Otelpack-Content-SHA256. `request.body` is the body as received
  // (still compressed). Thread-safe.
  virtual Status Verify(const RequestContext& request, const HeaderLookup& headers,
                        std::chrono::system_clock::time_point now) const = 0;
};

// InvalidArgument (naming the missing field, never its value) when the scheme
// needs a credential that `options` lacks. Scheme kNone accepts every request.
Result<std::unique_ptr<Verifier>> NewVerifier(const AuthOptions& options);

}  // namespace otelpack

#endif  // OTELPACK_AUTH_VERIFIER_H_
