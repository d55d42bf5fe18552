// Authentication: the headers that prove who sends a request.
//
// "Non-standard" is the point of a custom backend, so the scheme is a small
// interface. otelpack ships the article's `Authorization: ApiKey <key>` (the
// default), bearer, basic, and an HMAC-SHA256 request signature as an example
// of a scheme of one's own (docs/wire-protocol.md defines each). Write your own
// by implementing Authenticator and passing it in ExporterOptions.
//
// No credential ever appears in a Status message, a log line or a metric.
#ifndef OTELPACK_AUTH_H_
#define OTELPACK_AUTH_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/status.h"

namespace otelpack {

enum class AuthScheme : unsigned char { kNone, kApiKey, kBearer, kBasic, kHmacSha256 };

// "none", "apikey", "bearer", "basic", "hmac".
std::string_view AuthSchemeName(AuthScheme scheme);
Result<AuthScheme> ParseAuthScheme(std::string_view name);

struct AuthOptions {
  AuthScheme scheme = AuthScheme::kApiKey;
  // kApiKey: the API key. kBearer: the token.
  std::string api_key;
  // kBasic.
  std::string username;
  std::string password;
  // kHmacSha256: the key id sent in clear and the shared secret that never is.
  std::string key_id;
  std::string secret;
};

struct HttpHeader {
  std::string name;
  std::string value;
};

// What a signature may cover. `body` is the body exactly as sent (compressed).
struct RequestContext {
  std::string_view method;      // "POST"
  std::string_view path;        // "/v1/ingest"
  std::string_view project_id;
  std::string_view body;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthScheme scheme() const = 0;
  // Appends the authentication headers for `request`. Thread-safe.
  virtual Status Sign(const RequestContext& request, std::vector<HttpHeader>* headers) const = 0;
};

// InvalidArgument (naming the missing field, never its value) when the scheme
// needs a credential that `options` lacks.
Result<std::unique_ptr<Authenticator>> NewAuthenticator(const AuthOptions& options);

}  // namespace otelpack

#endif  // OTELPACK_AUTH_H_
