// The built-in authenticators: none, ApiKey, Bearer, Basic and HMAC-SHA256
// (docs/wire-protocol.md, "Authentication").
#include <string>
#include <utility>

#include "auth/auth_internal.h"
#include "auth/crypto.h"
#include "common/base64.h"
#include "common/secrets.h"
#include "common/str_cat.h"
#include "otelpack/auth.h"

namespace otelpack {

std::string_view AuthSchemeName(AuthScheme scheme) {
  switch (scheme) {
    case AuthScheme::kNone: return "none";
    case AuthScheme::kApiKey: return "apikey";
    case AuthScheme::kBearer: return "bearer";
    case AuthScheme::kBasic: return "basic";
    case AuthScheme::kHmacSha256: return "hmac";
  }
  return "unknown";
}

Result<AuthScheme> ParseAuthScheme(std::string_view name) {
  for (AuthScheme s : {AuthScheme::kNone, AuthScheme::kApiKey, AuthScheme::kBearer,
                       AuthScheme::kBasic, AuthScheme::kHmacSha256}) {
    if (name == AuthSchemeName(s)) return s;
  }
  return Status::InvalidArgument(
      StrCat("unknown auth scheme \"", name, "\" (expected none, apikey, bearer, basic or hmac)"));
}

namespace auth {
namespace {

// A credential must fit in a header value: no control characters (a CR or LF
// would end the header and inject others) and no leading or trailing space
// (receivers strip it, so the credential would no longer match).
Status CheckField(std::string_view field, std::string_view value, AuthScheme scheme) {
  if (value.empty()) {
    return Status::InvalidArgument(
        StrCat("auth: ", field, " is required for scheme ", AuthSchemeName(scheme)));
  }
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return Status::InvalidArgument(StrCat("auth: ", field, " contains a control character"));
    }
  }
  if (value.front() == ' ' || value.back() == ' ') {
    return Status::InvalidArgument(StrCat("auth: ", field, " has leading or trailing spaces"));
  }
  return Status::Ok();
}

class NoAuthenticator final : public Authenticator {
 public:
  AuthScheme scheme() const override { return AuthScheme::kNone; }
  Status Sign(const RequestContext&, std::vector<HttpHeader>*) const override {
    return Status::Ok();
  }
};

// ApiKey, Bearer and Basic: one Authorization header whose value never changes.
class StaticAuthenticator final : public Authenticator {
 public:
  StaticAuthenticator(AuthScheme scheme, std::string value)
      : scheme_(scheme), value_(std::move(value)) {}

  AuthScheme scheme() const override { return scheme_; }
  Status Sign(const RequestContext&, std::vector<HttpHeader>* headers) const override {
    headers->push_back({std::string(kAuthorization), value_});
    return Status::Ok();
  }

 private:
  const AuthScheme scheme_;
  const std::string value_;  // "<token> <credential>"
};

class HmacAuthenticator final : public Authenticator {
 public:
  HmacAuthenticator(std::string key_id, std::string secret, Clock clock)
      : key_id_(std::move(key_id)), secret_(std::move(secret)), clock_(std::move(clock)) {}

  AuthScheme scheme() const override { return AuthScheme::kHmacSha256; }

  Status Sign(const RequestContext& request, std::vector<HttpHeader>* headers) const override {
    auto now = clock_ ? clock_() : std::chrono::system_clock::now();
    std::string timestamp = StrCat(static_cast<long long>(
        std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count()));
    std::string body_sha256;
    if (Status s = Sha256Hex(request.body, &body_sha256); !s.ok()) return s;
    std::string signature;
    if (Status s = HmacSha256Hex(secret_, HmacStringToSign(request, timestamp, body_sha256),
                                 &signature);
        !s.ok()) {
      return s;
    }
    headers->push_back({std::string(kTimestampHeader), std::move(timestamp)});
    headers->push_back({std::string(kContentSha256Header), std::move(body_sha256)});
    headers->push_back({std::string(kAuthorization),
                        StrCat(kHmacToken, " KeyId=", key_id_, ", Signature=", signature)});
    return Status::Ok();
  }

 private:
  const std::string key_id_;
  const std::string secret_;
  const Clock clock_;  // null: the system clock
};

}  // namespace

std::string HmacStringToSign(const RequestContext& request, std::string_view timestamp,
                             std::string_view body_sha256) {
  return StrCat(request.method, "\n", request.path, "\n", timestamp, "\n", body_sha256, "\n",
                request.project_id);
}

Status ValidateCredentials(const AuthOptions& options) {
  const AuthScheme scheme = options.scheme;
  switch (scheme) {
    case AuthScheme::kNone:
      return Status::Ok();
    case AuthScheme::kApiKey:
    case AuthScheme::kBearer:
      return CheckField("api_key", options.api_key, scheme);
    case AuthScheme::kBasic:
      if (Status s = CheckField("username", options.username, scheme); !s.ok()) return s;
      if (options.username.find(':') != std::string::npos) {
        // RFC 7617: the first colon separates user from password.
        return Status::InvalidArgument("auth: username must not contain ':'");
      }
      return CheckField("password", options.password, scheme);
    case AuthScheme::kHmacSha256:
      if (Status s = CheckField("key_id", options.key_id, scheme); !s.ok()) return s;
      if (options.key_id.find_first_of(", =") != std::string::npos) {
        // The verifier splits "KeyId=<id>, Signature=<hex>" on these.
        return Status::InvalidArgument("auth: key_id must not contain ',', ' ' or '='");
      }
      // The secret never goes into a header, so only its presence matters.
      if (options.secret.empty()) {
        return Status::InvalidArgument("auth: secret is required for scheme hmac");
      }
      return Status::Ok();
  }
  return Status::InvalidArgument("auth: unknown scheme");
}

Result<std::unique_ptr<Authenticator>> NewAuthenticator(const AuthOptions& options,
                                                        Clock clock) {
  if (Status s = ValidateCredentials(options); !s.ok()) return s;
  // What goes on the wire, and the credentials it is made of: a backend may
  // echo either back in an error body that gets logged.
  RegisterSecret(options.api_key);
  RegisterSecret(options.password);
  RegisterSecret(options.secret);
  if (options.scheme == AuthScheme::kBasic) {
    RegisterSecret(Base64Encode(StrCat(options.username, ":", options.password)));
  }
  std::unique_ptr<Authenticator> result;
  switch (options.scheme) {
    case AuthScheme::kNone:
      result = std::make_unique<NoAuthenticator>();
      break;
    case AuthScheme::kApiKey:
      result = std::make_unique<StaticAuthenticator>(AuthScheme::kApiKey,
                                                     StrCat(kApiKeyToken, " ", options.api_key));
      break;
    case AuthScheme::kBearer:
      result = std::make_unique<StaticAuthenticator>(AuthScheme::kBearer,
                                                     StrCat(kBearerToken, " ", options.api_key));
      break;
    case AuthScheme::kBasic:
      result = std::make_unique<StaticAuthenticator>(
          AuthScheme::kBasic,
          StrCat(kBasicToken, " ", Base64Encode(StrCat(options.username, ":", options.password))));
      break;
    case AuthScheme::kHmacSha256:
      result = std::make_unique<HmacAuthenticator>(options.key_id, options.secret,
                                                   std::move(clock));
      break;
  }
  return result;
}

}  // namespace auth

Result<std::unique_ptr<Authenticator>> NewAuthenticator(const AuthOptions& options) {
  return auth::NewAuthenticator(options, nullptr);
}

}  // namespace otelpack
