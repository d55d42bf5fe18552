// The Transport against the reference backend (otelpack::sink) on 127.0.0.1:
// a real zstd-compressed ingest request, authenticated, and the sink's
// failures (401, 429 with Retry-After, refused connections, latency) as the
// Transport classifies them.
#include <zstd.h>

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "otelpack/auth.h"
#include "sink/sink.h"
#include "transport/test_http_server.h"  // ClearProxyEnvironment
#include "transport/transport.h"

namespace otelpack {
namespace {

using std::chrono::milliseconds;

constexpr char kProject[] = "demo";
constexpr char kApiKey[] = "sink-SECRET-key-7f3a";

// One span event, written by hand per docs/wire-protocol.md.
std::string IngestJson(int span) {
  char span_id[17];
  std::snprintf(span_id, sizeof(span_id), "%016x", span + 1);
  return std::string("{\"project_id\": \"") + kProject +
         "\", \"events\": [{\"type\": \"span\", "
         "\"trace_id\": \"0af7651916cd43dd8448eb211c80319c\", \"span_id\": \"" + span_id +
         "\", \"parent_span_id\": null, \"service\": \"checkout\", \"operation\": \"GET /cart\", "
         "\"start_time_ms\": 1732480000000, \"duration_ms\": 12.5, \"status\": \"ok\", "
         "\"status_message\": \"\", \"attributes\": {\"http.status_code\": 200}, \"events\": []}], "
         "\"sent_at\": 1732480000123}";
}

std::string Zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

class SinkTransportTest : public ::testing::Test {
 protected:
  void StartSink(const AuthOptions& auth) {
    testing::ClearProxyEnvironment();
    sink::SinkOptions options;
    options.project_id = kProject;
    options.auth = auth;
    auto started = sink::Sink::Start(options);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    sink_ = std::move(started).value();
  }

  // A signed, zstd-compressed ingest request holding one span.
  HttpRequest IngestRequest(const AuthOptions& auth, int span, std::string* body_storage) {
    *body_storage = Zstd(IngestJson(span));
    HttpRequest r;
    r.url = sink_->endpoint() + "/v1/ingest";
    r.headers = {{"Content-Type", "application/json"},
                 {"Content-Encoding", "zstd"},
                 {"X-Project-ID", kProject},
                 {"X-Batch-ID", "batch-" + std::to_string(span)}};
    r.body = *body_storage;
    auto authenticator = NewAuthenticator(auth);
    EXPECT_TRUE(authenticator.ok()) << authenticator.status().ToString();
    if (authenticator.ok()) {
      Status s = (*authenticator)->Sign({"POST", "/v1/ingest", kProject, r.body}, &r.headers);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    return r;
  }

  uint64_t Events() {
    auto n = sink_->CountEvents();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : 0;
  }

  std::unique_ptr<sink::Sink> sink_;
};

AuthOptions ApiKey(std::string key) {
  AuthOptions a;
  a.scheme = AuthScheme::kApiKey;
  a.api_key = std::move(key);
  return a;
}

TEST_F(SinkTransportTest, ApiKeyIngestIsAcceptedAndStored) {
  StartSink(ApiKey(kApiKey));
  auto transport = NewHttpTransport({});
  ASSERT_TRUE(transport.ok());
  std::string body;
  SendResult r = (*transport)->Post(IngestRequest(ApiKey(kApiKey), 1, &body));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find("\"accepted\""), std::string::npos) << r.body;
  EXPECT_EQ(Events(), 1u);
}

TEST_F(SinkTransportTest, WrongApiKeyIs401AndNothingIsStored) {
  StartSink(ApiKey(kApiKey));
  auto transport = NewHttpTransport({});
  ASSERT_TRUE(transport.ok());
  std::string body;
  SendResult r = (*transport)->Post(IngestRequest(ApiKey("wrong-SECRET-key"), 1, &body));
  EXPECT_EQ(r.http_status, 401);
  EXPECT_EQ(r.status.code(), StatusCode::kUnauthenticated) << r.status.ToString();
  EXPECT_FALSE(r.status.retryable());
  EXPECT_EQ(r.status.message().find(kApiKey), std::string_view::npos);
  EXPECT_EQ(r.status.message().find("wrong-SECRET-key"), std::string_view::npos);
  EXPECT_EQ(Events(), 0u);
}

TEST_F(SinkTransportTest, HmacSignedIngestIsAccepted) {
  AuthOptions hmac;
  hmac.scheme = AuthScheme::kHmacSha256;
  hmac.key_id = "key-1";
  hmac.secret = "hmac-SECRET-5c1d";
  StartSink(hmac);
  auto transport = NewHttpTransport({});
  ASSERT_TRUE(transport.ok());
  std::string body;
  SendResult r = (*transport)->Post(IngestRequest(hmac, 1, &body));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(Events(), 1u);
  // The same headers over another body: the sink's digest check refuses it.
  HttpRequest tampered = IngestRequest(hmac, 2, &body);
  std::string other = body;
  other.back() = static_cast<char>(other.back() ^ 1);
  tampered.body = other;
  SendResult t = (*transport)->Post(tampered);
  EXPECT_EQ(t.http_status, 401) << t.status.ToString();
  EXPECT_EQ(Events(), 1u);
}

TEST_F(SinkTransportTest, ThrottledIngestCarriesRetryAfter) {
  StartSink(ApiKey(kApiKey));
  sink::FaultOptions faults;
  faults.throttle_ratio = 1;
  faults.retry_after_seconds = 3;
  sink_->SetFaults(faults);
  auto transport = NewHttpTransport({});
  ASSERT_TRUE(transport.ok());
  std::string body;
  SendResult r = (*transport)->Post(IngestRequest(ApiKey(kApiKey), 1, &body));
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.retry_after, milliseconds(3000));
  EXPECT_EQ(Events(), 0u);
}

TEST_F(SinkTransportTest, RefusedConnectionsAreUnavailableThenTheSameTransportRecovers) {
  StartSink(ApiKey(kApiKey));
  auto transport = NewHttpTransport({});
  ASSERT_TRUE(transport.ok());
  std::string body;
  ASSERT_TRUE((*transport)->Post(IngestRequest(ApiKey(kApiKey), 1, &body)).status.ok());
  sink_->RefuseConnectionsFor(milliseconds(400));
  SendResult refused = (*transport)->Post(IngestRequest(ApiKey(kApiKey), 2, &body));
  EXPECT_EQ(refused.status.code(), StatusCode::kUnavailable) << refused.status.ToString();
  EXPECT_EQ(refused.http_status, 0);
  // After the window the sink listens again; wait up to 5 s for it.
  SendResult again;
  for (int i = 0; i < 50; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    again = (*transport)->Post(IngestRequest(ApiKey(kApiKey), 2, &body));
    if (again.status.ok()) break;
  }
  EXPECT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_EQ(Events(), 2u);
}

TEST_F(SinkTransportTest, SlowSinkTimesOut) {
  StartSink(ApiKey(kApiKey));
  sink::FaultOptions faults;
  faults.latency = milliseconds(1500);
  sink_->SetFaults(faults);
  TransportOptions options;
  options.timeout = milliseconds(300);
  auto transport = NewHttpTransport(options);
  ASSERT_TRUE(transport.ok());
  std::string body;
  auto start = std::chrono::steady_clock::now();
  SendResult r = (*transport)->Post(IngestRequest(ApiKey(kApiKey), 1, &body));
  EXPECT_EQ(r.status.code(), StatusCode::kDeadlineExceeded) << r.status.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
}

}  // namespace
}  // namespace otelpack
