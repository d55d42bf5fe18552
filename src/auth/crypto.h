// The few OpenSSL primitives authentication needs, behind plain functions:
// SHA-256, HMAC-SHA256 (both as lowercase hex) and a constant-time comparison.
#ifndef OTELPACK_AUTH_CRYPTO_H_
#define OTELPACK_AUTH_CRYPTO_H_

#include <string>
#include <string_view>

#include "otelpack/status.h"

namespace otelpack {
namespace auth {

// Sets `*hex` to the 64 lowercase hex digits of SHA-256(data).
// Internal only if OpenSSL itself fails.
Status Sha256Hex(std::string_view data, std::string* hex);

// Sets `*hex` to the 64 lowercase hex digits of HMAC-SHA256(key, message).
Status HmacSha256Hex(std::string_view key, std::string_view message, std::string* hex);

// True when a == b, in time that depends on neither content nor length of the
// secret: both sides are hashed first, so an attacker timing the answer learns
// nothing, not even where the first difference is or how long the secret is.
bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace auth
}  // namespace otelpack

#endif  // OTELPACK_AUTH_CRYPTO_H_
