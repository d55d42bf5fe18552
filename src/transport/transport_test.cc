// Tests of the libcurl Transport against real HTTP servers on 127.0.0.1: the
// scripted TestHttpServer (exact headers, keep-alive, Retry-After, timeouts).
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>
#include <string>

#include <gtest/gtest.h>

#include "otelpack/auth.h"
#include "transport/test_http_server.h"
#include "transport/transport.h"

namespace otelpack {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::TestHttpServer;

std::unique_ptr<Transport> MakeTransport(TransportOptions options = {}) {
  auto t = NewHttpTransport(options);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : nullptr;
}

HttpRequest JsonRequest(const std::string& url, std::string_view body = "{\"events\": []}") {
  HttpRequest r;
  r.url = url;
  r.headers = {{"Content-Type", "application/json"}, {"X-Project-ID", "prod-main"}};
  r.body = body;
  return r;
}

// A port on 127.0.0.1 that nothing listens on (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

// A scripted answer (designated initializers would trip
// -Wmissing-field-initializers on GCC 12).
ScriptedResponse Answer(int status, std::string body = "{}",
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(HttpTransportTest, Ok200ReturnsTheBody) {
  TestHttpServer server;
  server.Push(Answer(200, "{\"accepted\": 0, \"duplicate\": false}"));
  auto transport = MakeTransport();
  SendResult r = transport->Post(JsonRequest(server.Url()));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "{\"accepted\": 0, \"duplicate\": false}");
  EXPECT_FALSE(r.retry_after.has_value());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].target, "/v1/ingest");
}

TEST(HttpTransportTest, ServerErrorsAreRetryable) {
  TestHttpServer server;
  auto transport = MakeTransport();
  struct Case {
    int http;
    StatusCode code;
  };
  for (Case c : {Case{500, StatusCode::kUnavailable}, Case{502, StatusCode::kUnavailable},
                 Case{503, StatusCode::kUnavailable}, Case{504, StatusCode::kDeadlineExceeded},
                 Case{408, StatusCode::kDeadlineExceeded}}) {
    server.Push(Answer(c.http, "{\"error\": \"try later\"}"));
    SendResult r = transport->Post(JsonRequest(server.Url()));
    EXPECT_EQ(r.http_status, c.http);
    EXPECT_EQ(r.status.code(), c.code) << c.http << ": " << r.status.ToString();
    EXPECT_TRUE(r.status.retryable()) << c.http;
    EXPECT_EQ(r.status.message(),
              "HTTP " + std::to_string(c.http) + ": {\"error\": \"try later\"}");
  }
}

TEST(HttpTransportTest, ClientErrorsAnd501ArePermanent) {
  TestHttpServer server;
  auto transport = MakeTransport();
  struct Case {
    int http;
    StatusCode code;
  };
  for (Case c : {Case{400, StatusCode::kInvalidArgument}, Case{401, StatusCode::kUnauthenticated},
                 Case{403, StatusCode::kPermissionDenied}, Case{404, StatusCode::kNotFound},
                 Case{413, StatusCode::kTooLarge}, Case{415, StatusCode::kInvalidArgument},
                 Case{501, StatusCode::kInvalidArgument}}) {
    server.Push(Answer(c.http, "{\"error\": \"no\"}"));
    SendResult r = transport->Post(JsonRequest(server.Url()));
    EXPECT_EQ(r.http_status, c.http);
    EXPECT_EQ(r.status.code(), c.code) << c.http << ": " << r.status.ToString();
    EXPECT_FALSE(r.status.retryable()) << c.http;
  }
}

TEST(HttpTransportTest, TooManyRequestsCarriesRetryAfterSeconds) {
  TestHttpServer server;
  server.Push(Answer(429, "", {{"Retry-After", "2"}}));
  SendResult r = MakeTransport()->Post(JsonRequest(server.Url()));
  EXPECT_EQ(r.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.retry_after, milliseconds(2000));
}

TEST(HttpTransportTest, RetryAfterAsHttpDate) {
  // Ten seconds ahead, in IMF-fixdate, as a server would write it.
  std::time_t at = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + 10;
  std::tm tm{};
  gmtime_r(&at, &tm);
  char date[64];
  std::strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  TestHttpServer server;
  server.Push(Answer(503, "", {{"retry-after", date}}));
  SendResult r = MakeTransport()->Post(JsonRequest(server.Url()));
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
  ASSERT_TRUE(r.retry_after.has_value()) << date;
  EXPECT_GT(*r.retry_after, milliseconds(8000));
  EXPECT_LE(*r.retry_after, milliseconds(10'000));
}

TEST(HttpTransportTest, UnparsableRetryAfterIsIgnored) {
  TestHttpServer server;
  server.Push(Answer(503, "", {{"Retry-After", "soon"}}));
  SendResult r = MakeTransport()->Post(JsonRequest(server.Url()));
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
  EXPECT_FALSE(r.retry_after.has_value());
}

TEST(HttpTransportTest, SlowServerTimesOut) {
  TestHttpServer server;
  ScriptedResponse slow = Answer(200);
  slow.delay = milliseconds(5000);
  server.Push(slow);
  TransportOptions options;
  options.timeout = milliseconds(300);
  auto transport = MakeTransport(options);
  auto start = steady_clock::now();
  SendResult r = transport->Post(JsonRequest(server.Url()));
  auto elapsed = steady_clock::now() - start;
  EXPECT_EQ(r.status.code(), StatusCode::kDeadlineExceeded) << r.status.ToString();
  EXPECT_EQ(r.http_status, 0);
  EXPECT_GE(elapsed, milliseconds(250));
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST(HttpTransportTest, ConnectionRefusedIsUnavailable) {
  int port = ClosedPort();
  SendResult r =
      MakeTransport()->Post(JsonRequest("http://127.0.0.1:" + std::to_string(port) + "/v1/ingest"));
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable) << r.status.ToString();
  EXPECT_EQ(r.http_status, 0);
}

TEST(HttpTransportTest, ConnectionClosedWithoutAnswerIsUnavailable) {
  TestHttpServer server;
  ScriptedResponse drop = Answer(200);
  drop.drop = true;
  server.Push(drop);
  SendResult r = MakeTransport()->Post(JsonRequest(server.Url()));
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable) << r.status.ToString();
  EXPECT_EQ(r.http_status, 0);
}

TEST(HttpTransportTest, PeerClosingDuringUploadIsUnavailableAndRaisesNoSigpipe) {
  // A server that reads a little of the request and closes: the client's
  // next sends fail with EPIPE or ECONNRESET. A SIGPIPE would kill the test.
  int listen_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listen_fd, 1), 0);
  ASSERT_EQ(getsockname(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::thread closer([listen_fd] {
    int fd = accept(listen_fd, nullptr, nullptr);
    char buf[1024];
    (void)!recv(fd, buf, sizeof(buf), 0);
    close(fd);
  });
  testing::ClearProxyEnvironment();
  std::string body(32 << 20, 'b');
  SendResult r = MakeTransport()->Post(
      JsonRequest("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1/ingest", body));
  closer.join();
  close(listen_fd);
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable) << r.status.ToString();
  EXPECT_EQ(r.http_status, 0);
}

TEST(HttpTransportTest, ErrorBodyIsCappedInMessageAndInResult) {
  TestHttpServer server;
  const std::string body(10'000, 'e');
  server.Push(Answer(500, body));
  TransportOptions options;
  options.max_response_body = 1000;
  auto transport = MakeTransport(options);
  SendResult r = transport->Post(JsonRequest(server.Url()));
  EXPECT_EQ(r.status.message(), "HTTP 500: " + std::string(200, 'e'));
  EXPECT_EQ(r.body, std::string(1000, 'e'));
  // The rest was read and dropped: the same connection serves the next request.
  SendResult next = transport->Post(JsonRequest(server.Url()));
  EXPECT_TRUE(next.status.ok()) << next.status.ToString();
  EXPECT_EQ(server.accepts(), 1);
}

TEST(HttpTransportTest, ServerReceivesGivenHeadersAndUserAgent) {
  TestHttpServer server;
  AuthOptions auth;
  auth.api_key = "key-SECRET-abc";
  auto authenticator = NewAuthenticator(auth);
  ASSERT_TRUE(authenticator.ok());
  HttpRequest request = JsonRequest(server.Url());
  request.headers.push_back({"Content-Encoding", "zstd"});
  request.headers.push_back({"X-Batch-ID", "0123456789abcdef0123456789abcdef"});
  request.headers.push_back({"X-Empty", ""});
  ASSERT_TRUE((*authenticator)->Sign({"POST", "/v1/ingest", "prod-main", request.body},
                                     &request.headers).ok());
  SendResult r = MakeTransport()->Post(request);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(server.requests().size(), 1u);
  const ReceivedRequest got = server.requests()[0];
  EXPECT_EQ(got.Header("Content-Type"), "application/json");
  EXPECT_EQ(got.Header("Content-Encoding"), "zstd");
  EXPECT_EQ(got.Header("X-Project-ID"), "prod-main");
  EXPECT_EQ(got.Header("X-Batch-ID"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(got.Header("X-Empty"), "");
  EXPECT_EQ(got.Header("Authorization"), "ApiKey key-SECRET-abc");
  EXPECT_EQ(got.Header("User-Agent"), "otelpack/0.1.0");
  EXPECT_EQ(got.Header("Content-Length"), std::to_string(request.body.size()));
  // No 100-continue round trip, no offer to decompress, no transfer coding.
  EXPECT_EQ(got.Header("Expect"), std::nullopt);
  EXPECT_EQ(got.Header("Accept-Encoding"), std::nullopt);
  EXPECT_EQ(got.Header("Transfer-Encoding"), std::nullopt);
}

TEST(HttpTransportTest, CustomUserAgentAndNoDefaultContentType) {
  TestHttpServer server;
  TransportOptions options;
  options.user_agent = "my-agent/2";
  HttpRequest request;
  request.url = server.Url();
  request.body = "raw";
  ASSERT_TRUE(MakeTransport(options)->Post(request).status.ok());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("User-Agent"), "my-agent/2");
  // curl would otherwise claim application/x-www-form-urlencoded.
  EXPECT_EQ(server.requests()[0].Header("Content-Type"), std::nullopt);
}

TEST(HttpTransportTest, OneMebibyteBinaryBodyArrivesByteExact) {
  std::string body(1 << 20, '\0');
  std::mt19937_64 rng(42);
  for (char& c : body) c = static_cast<char>(rng() & 0xff);
  TestHttpServer server;
  SendResult r = MakeTransport()->Post(JsonRequest(server.Url(), body));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].body.size(), body.size());
  EXPECT_TRUE(server.requests()[0].body == body);
}

TEST(HttpTransportTest, EmptyBodyIsSentWithContentLengthZero) {
  TestHttpServer server;
  SendResult r = MakeTransport()->Post(JsonRequest(server.Url(), ""));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("Content-Length"), "0");
  EXPECT_EQ(server.requests()[0].body, "");
}

TEST(HttpTransportTest, ConnectionIsKeptAliveAndReopenedWhenClosed) {
  TestHttpServer server;
  auto transport = MakeTransport();
  EXPECT_TRUE(transport->Post(JsonRequest(server.Url())).status.ok());
  EXPECT_TRUE(transport->Post(JsonRequest(server.Url())).status.ok());
  EXPECT_EQ(server.accepts(), 1);
  // The server closes after this answer: the next Post opens a new connection.
  ScriptedResponse last = Answer(200);
  last.close = true;
  server.Push(last);
  EXPECT_TRUE(transport->Post(JsonRequest(server.Url())).status.ok());
  EXPECT_TRUE(transport->Post(JsonRequest(server.Url())).status.ok());
  EXPECT_EQ(server.accepts(), 2);
  std::vector<ReceivedRequest> got = server.requests();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[1].connection, 0);
  EXPECT_EQ(got[2].connection, 0);
  EXPECT_EQ(got[3].connection, 1);
}

TEST(HttpTransportTest, HeaderInjectionIsRefusedWithoutSendingOrEchoing) {
  TestHttpServer server;
  HttpRequest request = JsonRequest(server.Url());
  request.headers.push_back({"Authorization", "ApiKey SECRET\r\nX-Evil: 1"});
  SendResult r = MakeTransport()->Post(request);
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status.message().find("SECRET"), std::string_view::npos) << r.status.ToString();
  EXPECT_EQ(server.requests().size(), 0u);
}

TEST(HttpTransportTest, BadUrlsAreInvalidArgument) {
  auto transport = MakeTransport();
  for (const char* url : {"ftp://127.0.0.1/v1/ingest", "file:///etc/passwd", "http://[::1/x",
                          "not a url at all"}) {
    SendResult r = transport->Post(JsonRequest(url));
    EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument) << url << ": " << r.status.ToString();
  }
}

TEST(HttpTransportTest, BrokenTlsConfigurationIsPermanent) {
  // TLS towards a plain-HTTP server, with a CA file that does not exist: curl
  // fails on loading the CA bundle before any handshake.
  TestHttpServer server;
  TransportOptions options;
  options.ca_file = "/nonexistent/otelpack-ca.pem";
  SendResult r = MakeTransport(options)->Post(
      JsonRequest("https://127.0.0.1:" + std::to_string(server.port()) + "/v1/ingest"));
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument) << r.status.ToString();
  EXPECT_FALSE(r.status.retryable());
}

TEST(HttpTransportTest, InvalidOptionsAreRefused) {
  TransportOptions options;
  options.timeout = milliseconds(0);
  EXPECT_EQ(NewHttpTransport(options).status().code(), StatusCode::kInvalidArgument);
  TransportOptions agent;
  agent.user_agent = "a\r\nb";
  EXPECT_EQ(NewHttpTransport(agent).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace otelpack
