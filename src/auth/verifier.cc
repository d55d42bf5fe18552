// The verifiers of the reference backend: one per scheme, each the mirror of
// its authenticator in auth.cc (docs/wire-protocol.md, "Authentication").
#include "auth/verifier.h"

#include <charconv>
#include <string>
#include <utility>

#include "auth/auth_internal.h"
#include "auth/crypto.h"
#include "common/ascii.h"
#include "common/base64.h"
#include "common/str_cat.h"

namespace otelpack {
namespace auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "Token credentials" and checks the token (case-insensitive, RFC 9110
// section 11.1). On success `*credentials` is the rest, trimmed.
Status ParseAuthorization(const HeaderLookup& headers, std::string_view want_token,
                          std::string_view* credentials) {
  std::optional<std::string_view> value = headers(kAuthorization);
  if (!value.has_value() || Trim(*value).empty()) {
    return Status::Unauthenticated("missing Authorization header");
  }
  std::string_view v = Trim(*value);
  std::size_t space = v.find(' ');
  std::string_view token = v.substr(0, space);
  if (!EqualsIgnoreCase(token, want_token)) {
    return Status::Unauthenticated(StrCat("Authorization scheme is not ", want_token));
  }
  *credentials = space == std::string_view::npos ? std::string_view() : Trim(v.substr(space));
  return Status::Ok();
}

class AcceptAllVerifier final : public Verifier {
 public:
  Status Verify(const RequestContext&, const HeaderLookup&,
                std::chrono::system_clock::time_point) const override {
    return Status::Ok();
  }
};

// ApiKey, Bearer, Basic: the credential after the token must equal a fixed string.
class StaticVerifier final : public Verifier {
 public:
  StaticVerifier(std::string_view token, std::string expected, std::string_view what)
      : token_(token), expected_(std::move(expected)), what_(what) {}

  Status Verify(const RequestContext&, const HeaderLookup& headers,
                std::chrono::system_clock::time_point) const override {
    std::string_view credentials;
    if (Status s = ParseAuthorization(headers, token_, &credentials); !s.ok()) return s;
    if (!SecretEquals(credentials, expected_)) {
      return Status::Unauthenticated(StrCat("wrong ", what_));
    }
    return Status::Ok();
  }

 private:
  const std::string_view token_;
  const std::string expected_;  // the secret as it appears in the header
  const std::string_view what_;  // what a failure calls it, e.g. "API key"
};

// Reads "KeyId=<id>, Signature=<hex>" in any order, names case-insensitive.
bool ParseHmacParams(std::string_view s, std::string_view* key_id, std::string_view* signature) {
  bool have_key_id = false;
  bool have_signature = false;
  while (!s.empty()) {
    std::size_t comma = s.find(',');
    std::string_view param = Trim(s.substr(0, comma));
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    std::string_view name = Trim(param.substr(0, eq));
    std::string_view value = Trim(param.substr(eq + 1));
    if (EqualsIgnoreCase(name, "KeyId")) {
      *key_id = value;
      have_key_id = true;
    } else if (EqualsIgnoreCase(name, "Signature")) {
      *signature = value;
      have_signature = true;
    }
  }
  return have_key_id && have_signature;
}

bool ParseUnixSeconds(std::string_view s, long long* out) {
  if (s.empty() || s.size() > 18) return false;  // 18 digits cannot overflow
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

class HmacVerifier final : public Verifier {
 public:
  HmacVerifier(std::string key_id, std::string secret)
      : key_id_(std::move(key_id)), secret_(std::move(secret)) {}

  Status Verify(const RequestContext& request, const HeaderLookup& headers,
                std::chrono::system_clock::time_point now) const override {
    std::string_view params;
    if (Status s = ParseAuthorization(headers, kHmacToken, &params); !s.ok()) return s;
    std::string_view key_id;
    std::string_view signature;
    if (!ParseHmacParams(params, &key_id, &signature)) {
      return Status::Unauthenticated("Authorization: expected KeyId=<id>, Signature=<hex>");
    }
    // The key id is public; comparing it plainly leaks nothing.
    if (key_id != key_id_) return Status::Unauthenticated("unknown HMAC key id");

    std::optional<std::string_view> timestamp = headers(kTimestampHeader);
    if (!timestamp.has_value()) return Status::Unauthenticated("missing X-Otelpack-Timestamp");
    long long seconds = 0;
    if (!ParseUnixSeconds(Trim(*timestamp), &seconds)) {
      return Status::Unauthenticated("X-Otelpack-Timestamp is not Unix seconds");
    }
    long long now_seconds =
        std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
    long long skew = now_seconds > seconds ? now_seconds - seconds : seconds - now_seconds;
    if (skew > kHmacMaxClockSkew.count()) {
      return Status::Unauthenticated(StrCat("X-Otelpack-Timestamp is ", skew,
                                            " s from the server clock (limit ",
                                            kHmacMaxClockSkew.count(), " s)"));
    }

    std::optional<std::string_view> claimed = headers(kContentSha256Header);
    if (!claimed.has_value()) return Status::Unauthenticated("missing X-Otelpack-Content-SHA256");
    std::string body_sha256;
    if (Status s = Sha256Hex(request.body, &body_sha256); !s.ok()) return s;
    if (AsciiLowercase(Trim(*claimed)) != body_sha256) {
      return Status::Unauthenticated("X-Otelpack-Content-SHA256 does not match the body");
    }

    std::string expected;
    if (Status s = HmacSha256Hex(
            secret_, HmacStringToSign(request, Trim(*timestamp), body_sha256), &expected);
        !s.ok()) {
      return s;
    }
    if (!SecretEquals(AsciiLowercase(signature), expected)) {
      return Status::Unauthenticated("wrong HMAC signature");
    }
    return Status::Ok();
  }

 private:
  const std::string key_id_;
  const std::string secret_;
};

}  // namespace
}  // namespace auth

Result<std::unique_ptr<Verifier>> NewVerifier(const AuthOptions& options) {
  if (Status s = auth::ValidateCredentials(options); !s.ok()) return s;
  std::unique_ptr<Verifier> result;
  switch (options.scheme) {
    case AuthScheme::kNone:
      result = std::make_unique<auth::AcceptAllVerifier>();
      break;
    case AuthScheme::kApiKey:
      result =
          std::make_unique<auth::StaticVerifier>(auth::kApiKeyToken, options.api_key, "API key");
      break;
    case AuthScheme::kBearer:
      result = std::make_unique<auth::StaticVerifier>(auth::kBearerToken, options.api_key,
                                                      "bearer token");
      break;
    case AuthScheme::kBasic:
      result = std::make_unique<auth::StaticVerifier>(
          auth::kBasicToken, Base64Encode(StrCat(options.username, ":", options.password)),
          "username or password");
      break;
    case AuthScheme::kHmacSha256:
      result = std::make_unique<auth::HmacVerifier>(options.key_id, options.secret);
      break;
  }
  return result;
}

}  // namespace otelpack
