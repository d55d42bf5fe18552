// Tests of the authenticators and their verifiers: every scheme round-trips,
// every wrong credential is refused, and no secret reaches a Status message.
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "auth/auth_internal.h"
#include "auth/crypto.h"
#include "auth/verifier.h"
#include "otelpack/auth.h"

namespace otelpack {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr char kApiKey[] = "key-SECRET-4f1c2a";
constexpr char kPassword[] = "pw-SECRET-77aa";
constexpr char kSecret[] = "hmac-SECRET-9d3e";
constexpr char kBody[] = "\x28\xb5\x2f\xfd compressed bytes \x00\x01";

// Every secret any test uses; none may ever appear in a Status message.
const std::vector<std::string>& AllSecrets() {
  static const std::vector<std::string> secrets = {kApiKey, kPassword, kSecret, "wrong-SECRET-1",
                                                   "test-secret-0123"};
  return secrets;
}

void ExpectNoSecret(const Status& s) {
  for (const std::string& secret : AllSecrets()) {
    EXPECT_EQ(s.message().find(secret), std::string_view::npos)
        << "secret leaked into: " << s.ToString();
  }
}

HeaderLookup Lookup(const std::vector<HttpHeader>& headers) {
  return [&headers](std::string_view name) -> std::optional<std::string_view> {
    auto lower = [](std::string_view s) {
      std::string out(s);
      for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    for (const HttpHeader& h : headers) {
      if (lower(h.name) == lower(name)) return std::string_view(h.value);
    }
    return std::nullopt;
  };
}

RequestContext Request(std::string_view body = std::string_view(kBody, sizeof(kBody) - 1)) {
  return RequestContext{"POST", "/v1/ingest", "prod-main", body};
}

AuthOptions Options(AuthScheme scheme) {
  AuthOptions o;
  o.scheme = scheme;
  switch (scheme) {
    case AuthScheme::kApiKey:
    case AuthScheme::kBearer: o.api_key = kApiKey; break;
    case AuthScheme::kBasic: o.username = "alice"; o.password = kPassword; break;
    case AuthScheme::kHmacSha256: o.key_id = "key-1"; o.secret = kSecret; break;
    case AuthScheme::kNone: break;
  }
  return o;
}

std::vector<HttpHeader> Sign(const AuthOptions& options, const RequestContext& request,
                             auth::Clock clock = nullptr) {
  auto authenticator = auth::NewAuthenticator(options, std::move(clock));
  EXPECT_TRUE(authenticator.ok()) << authenticator.status().ToString();
  std::vector<HttpHeader> headers;
  if (!authenticator.ok()) return headers;
  Status s = (*authenticator)->Sign(request, &headers);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return headers;
}

Status Verify(const AuthOptions& options, const RequestContext& request,
              const std::vector<HttpHeader>& headers, system_clock::time_point now) {
  auto verifier = NewVerifier(options);
  EXPECT_TRUE(verifier.ok()) << verifier.status().ToString();
  if (!verifier.ok()) return verifier.status();
  Status s = (*verifier)->Verify(request, Lookup(headers), now);
  ExpectNoSecret(s);
  return s;
}

std::string HeaderValue(const std::vector<HttpHeader>& headers, std::string_view name) {
  std::optional<std::string_view> v = Lookup(headers)(name);
  return v ? std::string(*v) : std::string();
}

TEST(AuthSchemeTest, NamesRoundTrip) {
  for (AuthScheme s : {AuthScheme::kNone, AuthScheme::kApiKey, AuthScheme::kBearer,
                       AuthScheme::kBasic, AuthScheme::kHmacSha256}) {
    Result<AuthScheme> parsed = ParseAuthScheme(AuthSchemeName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(AuthSchemeName(AuthScheme::kHmacSha256), "hmac");
  Result<AuthScheme> bad = ParseAuthScheme("kerberos");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("kerberos"), std::string_view::npos);
}

TEST(AuthenticatorTest, MissingCredentialNamesTheField) {
  struct Case {
    AuthOptions options;
    std::string field;
  };
  AuthOptions basic_no_password = Options(AuthScheme::kBasic);
  basic_no_password.password.clear();
  AuthOptions basic_no_user = Options(AuthScheme::kBasic);
  basic_no_user.username.clear();
  AuthOptions hmac_no_secret = Options(AuthScheme::kHmacSha256);
  hmac_no_secret.secret.clear();
  AuthOptions hmac_no_key_id = Options(AuthScheme::kHmacSha256);
  hmac_no_key_id.key_id.clear();
  const Case cases[] = {
      {AuthOptions{AuthScheme::kApiKey, "", "", "", "", ""}, "api_key"},
      {AuthOptions{AuthScheme::kBearer, "", "", "", "", ""}, "api_key"},
      {basic_no_password, "password"},
      {basic_no_user, "username"},
      {hmac_no_secret, "secret"},
      {hmac_no_key_id, "key_id"},
  };
  for (const Case& c : cases) {
    auto a = NewAuthenticator(c.options);
    ASSERT_FALSE(a.ok()) << c.field;
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(a.status().message().find(c.field), std::string_view::npos) << a.status().ToString();
    ExpectNoSecret(a.status());
    auto v = NewVerifier(c.options);
    ASSERT_FALSE(v.ok()) << c.field;
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
    ExpectNoSecret(v.status());
  }
}

TEST(AuthenticatorTest, RefusesCredentialsThatWouldBreakTheHeader) {
  AuthOptions o = Options(AuthScheme::kApiKey);
  o.api_key = std::string(kApiKey) + "\r\nX-Injected: 1";
  auto a = NewAuthenticator(o);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  ExpectNoSecret(a.status());

  AuthOptions basic = Options(AuthScheme::kBasic);
  basic.username = "al:ice";
  EXPECT_EQ(NewAuthenticator(basic).status().code(), StatusCode::kInvalidArgument);

  AuthOptions hmac = Options(AuthScheme::kHmacSha256);
  hmac.key_id = "a, Signature=00";
  EXPECT_EQ(NewAuthenticator(hmac).status().code(), StatusCode::kInvalidArgument);
}

TEST(AuthenticatorTest, HeadersAreTheDocumentedOnes) {
  EXPECT_EQ(HeaderValue(Sign(Options(AuthScheme::kApiKey), Request()), "Authorization"),
            std::string("ApiKey ") + kApiKey);
  EXPECT_EQ(HeaderValue(Sign(Options(AuthScheme::kBearer), Request()), "Authorization"),
            std::string("Bearer ") + kApiKey);
  AuthOptions aladdin;
  aladdin.scheme = AuthScheme::kBasic;
  aladdin.username = "Aladdin";
  aladdin.password = "open sesame";
  EXPECT_EQ(HeaderValue(Sign(aladdin, Request()), "Authorization"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617's example
  EXPECT_TRUE(Sign(Options(AuthScheme::kNone), Request()).empty());
}

TEST(AuthenticatorTest, EverySchemeIsAcceptedByItsVerifier) {
  for (AuthScheme scheme : {AuthScheme::kNone, AuthScheme::kApiKey, AuthScheme::kBearer,
                            AuthScheme::kBasic, AuthScheme::kHmacSha256}) {
    AuthOptions o = Options(scheme);
    auto a = NewAuthenticator(o);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ((*a)->scheme(), scheme);
    std::vector<HttpHeader> headers;
    ASSERT_TRUE((*a)->Sign(Request(), &headers).ok());
    Status s = Verify(o, Request(), headers, system_clock::now());
    EXPECT_TRUE(s.ok()) << AuthSchemeName(scheme) << ": " << s.ToString();
  }
}

TEST(VerifierTest, SchemeTokenIsCaseInsensitive) {
  std::vector<HttpHeader> headers = {{"authorization", std::string("apikey  ") + kApiKey}};
  EXPECT_TRUE(Verify(Options(AuthScheme::kApiKey), Request(), headers, system_clock::now()).ok());
}

TEST(VerifierTest, WrongCredentialsAreRefused) {
  for (AuthScheme scheme : {AuthScheme::kApiKey, AuthScheme::kBearer, AuthScheme::kBasic,
                            AuthScheme::kHmacSha256}) {
    AuthOptions sender = Options(scheme);
    sender.api_key = sender.api_key.empty() ? "" : "wrong-SECRET-1";
    if (scheme == AuthScheme::kBasic) sender.password = "wrong-SECRET-1";
    if (scheme == AuthScheme::kHmacSha256) sender.secret = "wrong-SECRET-1";
    std::vector<HttpHeader> headers = Sign(sender, Request());
    Status s = Verify(Options(scheme), Request(), headers, system_clock::now());
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << AuthSchemeName(scheme);
  }
  // A wrong user with the right password, a longer key that starts with the right one.
  AuthOptions bob = Options(AuthScheme::kBasic);
  bob.username = "bob";
  EXPECT_EQ(Verify(Options(AuthScheme::kBasic), Request(), Sign(bob, Request()),
                   system_clock::now()).code(),
            StatusCode::kUnauthenticated);
  std::vector<HttpHeader> prefix = {{"Authorization", std::string("ApiKey ") + kApiKey + "x"}};
  EXPECT_EQ(Verify(Options(AuthScheme::kApiKey), Request(), prefix, system_clock::now()).code(),
            StatusCode::kUnauthenticated);
}

TEST(VerifierTest, MissingOrForeignAuthorizationIsRefused) {
  const auto now = system_clock::now();
  for (AuthScheme scheme : {AuthScheme::kApiKey, AuthScheme::kBearer, AuthScheme::kBasic,
                            AuthScheme::kHmacSha256}) {
    EXPECT_EQ(Verify(Options(scheme), Request(), {}, now).code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(Verify(Options(scheme), Request(), {{"Authorization", ""}}, now).code(),
              StatusCode::kUnauthenticated);
  }
  // A bearer token presented to an ApiKey verifier, even with the right secret.
  std::vector<HttpHeader> bearer = Sign(Options(AuthScheme::kBearer), Request());
  Status s = Verify(Options(AuthScheme::kApiKey), Request(), bearer, now);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("ApiKey"), std::string_view::npos) << s.ToString();
}

TEST(HmacTest, KnownAnswer) {
  // Expected values computed independently with OpenSSL's command line:
  //   printf 'hello body' | openssl dgst -sha256
  //   printf 'POST\n/v1/ingest\n1732480000\n<digest>\nprod-main' |
  //     openssl dgst -sha256 -hmac 'test-secret-0123'
  AuthOptions o = Options(AuthScheme::kHmacSha256);
  o.secret = "test-secret-0123";
  const auto at = system_clock::time_point(seconds(1732480000));
  std::vector<HttpHeader> headers =
      Sign(o, Request("hello body"), [at] { return at + std::chrono::milliseconds(999); });
  EXPECT_EQ(HeaderValue(headers, "X-Otelpack-Timestamp"), "1732480000");
  EXPECT_EQ(HeaderValue(headers, "X-Otelpack-Content-SHA256"),
            "6d9876f6d571676eb86f735ba9476da91ec5d0c52a69f6434c93f5c9e680210e");
  EXPECT_EQ(HeaderValue(headers, "Authorization"),
            "OTELPACK-HMAC-SHA256 KeyId=key-1, "
            "Signature=ed18a883822b044cab50250d2bebeb96b9dc59eb57ac66310705dbf6dd6e4481");
  EXPECT_TRUE(Verify(o, Request("hello body"), headers, at).ok());
}

TEST(HmacTest, TamperedRequestIsRefused) {
  const AuthOptions o = Options(AuthScheme::kHmacSha256);
  const auto now = system_clock::now();
  std::vector<HttpHeader> headers = Sign(o, Request());

  // The body changed in transit: the digest header no longer matches.
  std::string tampered(kBody, sizeof(kBody) - 1);
  tampered[5] ^= 1;
  Status s = Verify(o, Request(tampered), headers, now);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("Content-SHA256"), std::string_view::npos) << s.ToString();

  // Body and digest both replaced: the signature no longer matches.
  std::vector<HttpHeader> forged = headers;
  std::string forged_digest;
  ASSERT_TRUE(auth::Sha256Hex(tampered, &forged_digest).ok());
  for (HttpHeader& h : forged) {
    if (h.name == "X-Otelpack-Content-SHA256") h.value = forged_digest;
  }
  EXPECT_EQ(Verify(o, Request(tampered), forged, now).code(), StatusCode::kUnauthenticated);

  // Same body, another path or project: the signature covers both.
  RequestContext other_path = Request();
  other_path.path = "/v1/other";
  EXPECT_EQ(Verify(o, other_path, headers, now).code(), StatusCode::kUnauthenticated);
  RequestContext other_project = Request();
  other_project.project_id = "prod-other";
  EXPECT_EQ(Verify(o, other_project, headers, now).code(), StatusCode::kUnauthenticated);
  RequestContext get = Request();
  get.method = "GET";
  EXPECT_EQ(Verify(o, get, headers, now).code(), StatusCode::kUnauthenticated);

  // The timestamp moved (e.g. to replay an old request): the signature covers it.
  std::vector<HttpHeader> moved = headers;
  for (HttpHeader& h : moved) {
    if (h.name == "X-Otelpack-Timestamp") h.value = std::to_string(std::stoll(h.value) + 1);
  }
  EXPECT_EQ(Verify(o, Request(), moved, now).code(), StatusCode::kUnauthenticated);
}

TEST(HmacTest, TimestampWindowIsThreeHundredSecondsEitherWay) {
  const AuthOptions o = Options(AuthScheme::kHmacSha256);
  const auto now = system_clock::time_point(seconds(1'800'000'000));
  struct Case {
    int offset_seconds;
    bool accepted;
  };
  for (Case c : {Case{-301, false}, Case{301, false}, Case{-299, true}, Case{299, true},
                 Case{-300, true}, Case{300, true}, Case{0, true}, Case{-86400, false}}) {
    auto signed_at = now + seconds(c.offset_seconds);
    std::vector<HttpHeader> headers = Sign(o, Request(), [signed_at] { return signed_at; });
    Status s = Verify(o, Request(), headers, now);
    EXPECT_EQ(s.ok(), c.accepted) << c.offset_seconds << ": " << s.ToString();
    if (!c.accepted) {
      EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
    }
  }
}

TEST(HmacTest, MalformedHeadersAreRefused) {
  const AuthOptions o = Options(AuthScheme::kHmacSha256);
  const auto now = system_clock::now();
  const std::vector<HttpHeader> good = Sign(o, Request());
  auto without = [&good](std::string_view name) {
    std::vector<HttpHeader> out;
    for (const HttpHeader& h : good) {
      if (h.name != name) out.push_back(h);
    }
    return out;
  };
  auto replaced = [&good](std::string_view name, std::string value) {
    std::vector<HttpHeader> out = good;
    for (HttpHeader& h : out) {
      if (h.name == name) h.value = value;
    }
    return out;
  };
  const std::string auth_value = HeaderValue(good, "Authorization");
  const std::vector<std::vector<HttpHeader>> bad = {
      without("X-Otelpack-Timestamp"),
      without("X-Otelpack-Content-SHA256"),
      replaced("X-Otelpack-Timestamp", "yesterday"),
      replaced("X-Otelpack-Timestamp", "-5"),
      replaced("X-Otelpack-Timestamp", "99999999999999999999999"),
      replaced("Authorization", "OTELPACK-HMAC-SHA256 KeyId=key-1"),
      replaced("Authorization", "OTELPACK-HMAC-SHA256 garbage"),
      replaced("Authorization", auth_value.substr(0, auth_value.size() - 1)),
      replaced("Authorization",
               "OTELPACK-HMAC-SHA256 KeyId=key-2, Signature=" +
                   auth_value.substr(auth_value.find("Signature=") + 10)),
  };
  for (const auto& headers : bad) {
    Status s = Verify(o, Request(), headers, now);
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << s.ToString();
  }
  // Parameters in another order, uppercase hex: still the same signature.
  std::string signature = auth_value.substr(auth_value.find("Signature=") + 10);
  for (char& c : signature) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(Verify(o, Request(),
                     replaced("Authorization",
                              "otelpack-hmac-sha256 Signature=" + signature + ",KeyId=key-1"),
                     now)
                  .ok());
}

TEST(HmacTest, SignAndVerifyFromManyThreads) {
  const AuthOptions o = Options(AuthScheme::kHmacSha256);
  auto a = NewAuthenticator(o);
  auto v = NewVerifier(o);
  ASSERT_TRUE(a.ok() && v.ok());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string body = "body-" + std::to_string(t) + "-" + std::to_string(i);
        RequestContext r = Request(body);
        std::vector<HttpHeader> headers;
        if (!(*a)->Sign(r, &headers).ok() ||
            !(*v)->Verify(r, Lookup(headers), system_clock::now()).ok()) {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(CryptoTest, SecretEquals) {
  EXPECT_TRUE(auth::SecretEquals("abc", "abc"));
  EXPECT_TRUE(auth::SecretEquals("", ""));
  EXPECT_FALSE(auth::SecretEquals("abc", "abd"));
  EXPECT_FALSE(auth::SecretEquals("abc", "abcd"));
  EXPECT_FALSE(auth::SecretEquals("", "a"));
}

TEST(CryptoTest, Sha256OfEmptyInput) {
  std::string hex;
  ASSERT_TRUE(auth::Sha256Hex("", &hex).ok());
  EXPECT_EQ(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace otelpack
