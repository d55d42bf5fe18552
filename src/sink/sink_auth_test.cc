// The sink's authentication and project checks over HTTP: 401 for missing,
// wrong or stale credentials of every scheme, 403 for another project, and
// no secret in any answer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/str_cat.h"
#include "otelpack/auth.h"
#include "sink/sink.h"
#include "http/testing/test_client.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using testing::BodyJson;
using testing::BodyOf;
using testing::IngestHeaderOptions;
using testing::IngestHeaders;
using testing::TestClient;
using testing::TestResponse;

std::unique_ptr<Sink> StartWith(const AuthOptions& auth) {
  SinkOptions options = testing::TestSinkOptions();
  options.auth = auth;
  auto sink = Sink::Start(options);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

// Content-Type and project headers plus `auth` headers.
std::vector<std::string> With(std::vector<std::string> auth, std::string project = "demo") {
  auth.push_back("Content-Type: application/json");
  auth.push_back(StrCat("X-Project-ID: ", project));
  return auth;
}

TestResponse Post(TestClient& client, std::string_view body,
                  const std::vector<std::string>& headers, std::string_view path = "/v1/ingest") {
  auto r = client.Post(path, body, headers);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : TestResponse{};
}

void ExpectNoSecret(const TestResponse& r, std::string_view secret) {
  EXPECT_EQ(r.body.find(secret), std::string::npos) << r.body;
}

TEST(SinkAuthTest, ApiKey) {
  auto sink = StartWith(testing::TestSinkOptions().auth);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  EXPECT_EQ(Post(client, BodyOf(1), IngestHeaders()).status, 200);

  IngestHeaderOptions o;
  o.api_key.clear();
  TestResponse missing = Post(client, BodyOf(1), IngestHeaders(o));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body.rfind(R"({"error":")", 0), 0u) << missing.body;
  o.api_key = "wrong-key";
  TestResponse wrong = Post(client, BodyOf(1), IngestHeaders(o));
  EXPECT_EQ(wrong.status, 401);
  ExpectNoSecret(wrong, testing::kApiKey);
  ExpectNoSecret(wrong, "wrong-key");
  // The right key under another scheme.
  TestResponse scheme = Post(
      client, BodyOf(1), With({StrCat("Authorization: Bearer ", testing::kApiKey)}));
  EXPECT_EQ(scheme.status, 401);
  ExpectNoSecret(scheme, testing::kApiKey);
  EXPECT_EQ(sink->CountEvents().value(), 1u);
  EXPECT_EQ(sink->Stats().requests_by_status[401], 3u);
}

TEST(SinkAuthTest, ProjectMismatchIs403) {
  auto sink = StartWith(testing::TestSinkOptions().auth);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  IngestHeaderOptions o;
  o.project = "other";
  TestResponse header = Post(client, BodyJson({testing::SpanJson(0)}, "other"), IngestHeaders(o));
  EXPECT_EQ(header.status, 403);
  EXPECT_EQ(header.body, R"({"error":"X-Project-ID: project 'other' is not served here"})");
  TestResponse body = Post(client, BodyJson({testing::SpanJson(0)}, "other"), IngestHeaders());
  EXPECT_EQ(body.status, 403);
  EXPECT_EQ(body.body, R"({"error":"project_id: differs from the X-Project-ID header"})");
  o.project = "";
  std::vector<std::string> no_project = {"Content-Type: application/json",
                                         StrCat("Authorization: ApiKey ", testing::kApiKey)};
  EXPECT_EQ(Post(client, BodyOf(1), no_project).status, 400);
  // Credentials are checked before the project: a stranger learns nothing.
  o.project = "other";
  o.api_key = "wrong";
  EXPECT_EQ(Post(client, BodyOf(1), IngestHeaders(o)).status, 401);
  EXPECT_EQ(sink->CountEvents().value(), 0u);
}

TEST(SinkAuthTest, BearerAndBasic) {
  AuthOptions bearer;
  bearer.scheme = AuthScheme::kBearer;
  bearer.api_key = "tok-SECRET";
  auto sink = StartWith(bearer);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  EXPECT_EQ(Post(client, BodyOf(1), With({"Authorization: Bearer tok-SECRET"})).status, 200);
  EXPECT_EQ(Post(client, BodyOf(1), With({"Authorization: ApiKey tok-SECRET"})).status, 401);
  EXPECT_EQ(Post(client, BodyOf(1), With({"Authorization: Bearer tok-SECRE"})).status, 401);

  AuthOptions basic;
  basic.scheme = AuthScheme::kBasic;
  basic.username = "ingest";
  basic.password = "pw-SECRET";
  sink = StartWith(basic);
  ASSERT_NE(sink, nullptr);
  TestClient basic_client(sink->endpoint());
  // base64("ingest:pw-SECRET") and base64("ingest:wrong")
  EXPECT_EQ(Post(basic_client, BodyOf(1),
                 With({"Authorization: Basic aW5nZXN0OnB3LVNFQ1JFVA=="})).status, 200);
  TestResponse wrong = Post(basic_client, BodyOf(1), With({"Authorization: Basic aW5nZXN0Ondyb25n"}));
  EXPECT_EQ(wrong.status, 401);
  ExpectNoSecret(wrong, "pw-SECRET");
  // The exporter's own authenticator is understood.
  auto authenticator = NewAuthenticator(basic);
  ASSERT_TRUE(authenticator.ok());
  std::vector<HttpHeader> signed_headers;
  const std::string body = BodyOf(2, 10);
  ASSERT_TRUE((*authenticator)->Sign({"POST", "/v1/ingest", "demo", body}, &signed_headers).ok());
  std::vector<std::string> lines;
  for (const HttpHeader& h : signed_headers) lines.push_back(StrCat(h.name, ": ", h.value));
  EXPECT_EQ(Post(basic_client, body, With(lines)).status, 200);
}

TEST(SinkAuthTest, HmacSignature) {
  AuthOptions hmac;
  hmac.scheme = AuthScheme::kHmacSha256;
  hmac.key_id = "key-1";
  hmac.secret = "hmac-SECRET";
  auto sink = StartWith(hmac);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  const std::string body = testing::Compress(Compression::kGzip, BodyOf(3));
  auto headers = [&](std::string_view secret, std::int64_t ts, std::string_view signed_body,
                     std::string_view key_id = "key-1") {
    std::vector<std::string> h = testing::HmacHeaders(key_id, secret, "POST", "/v1/ingest", "demo",
                                                      signed_body, ts);
    h.push_back("Content-Encoding: gzip");
    return With(h);
  };
  const std::int64_t now = testing::NowSeconds();
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now, body)).status, 200);
  // Within the allowed skew either way.
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now - 250, body)).status, 200);
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now + 250, body)).status, 200);

  TestResponse wrong_secret = Post(client, body, headers("other-secret", now, body));
  EXPECT_EQ(wrong_secret.status, 401);
  ExpectNoSecret(wrong_secret, "hmac-SECRET");
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now - 301, body)).status, 401);
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now + 400, body)).status, 401);
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now, body, "key-2")).status, 401);
  // Signed for another body (a replay with a swapped payload).
  EXPECT_EQ(Post(client, body, headers("hmac-SECRET", now, "other body")).status, 401);
  // Signed for another project.
  std::vector<std::string> other_project =
      testing::HmacHeaders("key-1", "hmac-SECRET", "POST", "/v1/ingest", "other", body, now);
  other_project.push_back("Content-Encoding: gzip");
  EXPECT_EQ(Post(client, body, With(other_project)).status, 401);
  EXPECT_EQ(Post(client, body, With({})).status, 401);
  EXPECT_EQ(sink->CountEvents().value(), 9u);

  // The read endpoints: the same signature over an empty body and GET.
  auto stats = client.Get("/v1/stats", testing::HmacHeaders("key-1", "hmac-SECRET", "GET",
                                                            "/v1/stats", "demo", "", now));
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->status, 200);
  auto forged = client.Get("/v1/stats", testing::HmacHeaders("key-1", "hmac-SECRET", "GET",
                                                             "/v1/traces", "demo", "", now));
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(forged->status, 401);
}

TEST(SinkAuthTest, NoneAcceptsAnonymousRequests) {
  AuthOptions none;
  none.scheme = AuthScheme::kNone;
  auto sink = StartWith(none);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  EXPECT_EQ(Post(client, BodyOf(1), With({})).status, 200);
  auto stats = client.Get("/v1/stats", {});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->status, 200);
}

}  // namespace
}  // namespace otelpack::sink
