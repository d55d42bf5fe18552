// SHA-256, HMAC-SHA256 and constant-time comparison over OpenSSL 3 (see crypto.h).
#include "auth/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace otelpack {
namespace auth {
namespace {

constexpr unsigned kSha256Size = 32;

std::string ToHex(const unsigned char* bytes, unsigned n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(2 * std::size_t{n}, '\0');
  for (unsigned i = 0; i < n; ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return hex;
}

bool Sha256(std::string_view data, unsigned char (&digest)[kSha256Size]) {
  unsigned int size = 0;
  return EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) == 1 &&
         size == kSha256Size;
}

}  // namespace

Status Sha256Hex(std::string_view data, std::string* hex) {
  unsigned char digest[kSha256Size];
  if (!Sha256(data, digest)) return Status::Internal("auth: SHA-256 failed in OpenSSL");
  *hex = ToHex(digest, kSha256Size);
  return Status::Ok();
}

Status HmacSha256Hex(std::string_view key, std::string_view message, std::string* hex) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // The one-shot HMAC() is not deprecated in OpenSSL 3 (only HMAC_CTX is).
  const unsigned char* ok =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  if (ok == nullptr || size != kSha256Size) {
    return Status::Internal("auth: HMAC-SHA256 failed in OpenSSL");
  }
  *hex = ToHex(mac, size);
  return Status::Ok();
}

bool SecretEquals(std::string_view a, std::string_view b) {
  unsigned char da[kSha256Size];
  unsigned char db[kSha256Size];
  if (!Sha256(a, da) || !Sha256(b, db)) return false;
  return CRYPTO_memcmp(da, db, kSha256Size) == 0;
}

}  // namespace auth
}  // namespace otelpack
