// The credentials this process was configured with, so that no text otelpack
// prints or reports carries one, whatever its source: a backend that echoes
// the request's Authorization header in its error body, a URL in a message,
// a user's own log handler.
//
//   RegisterSecret(options.api_key);          // where a credential is taken in
//   Log(kWarn, RedactSecrets(backend_body));  // Log() already does this
//
// Secrets are registered for the life of the process (an exporter destroyed
// may have logged through another one). Thread-safe.
#ifndef OTELPACK_COMMON_SECRETS_H_
#define OTELPACK_COMMON_SECRETS_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace otelpack {

// Shorter than this, a secret cannot be told from ordinary text and masking
// it would garble every message: it is not registered (and a credential that
// short is refused nowhere, but protects nothing either).
inline constexpr std::size_t kMinSecretBytes = 4;

void RegisterSecret(std::string_view secret);

// `text` with each registered secret replaced by "***" (the longest first,
// so that a secret containing another is masked whole).
std::string RedactSecrets(std::string_view text);

}  // namespace otelpack

#endif  // OTELPACK_COMMON_SECRETS_H_
