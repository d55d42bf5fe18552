// How much of an answer the transport waits for, against the scripted real
// server: the status line decides once it has arrived (a body that stalls or
// never ends is cut, not waited for until the timeout), a redirect comes back
// with its Location, and a request in flight is abandoned on demand.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "transport/test_http_server.h"
#include "transport/transport.h"

namespace otelpack {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::TestHttpServer;

std::unique_ptr<Transport> MakeTransport(TransportOptions options) {
  auto t = NewHttpTransport(options);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : nullptr;
}

HttpRequest Request(const std::string& url) {
  HttpRequest r;
  r.url = url;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"events\": []}";
  return r;
}

TransportOptions Options() {
  TransportOptions o;
  o.timeout = milliseconds(20'000);
  o.body_timeout = milliseconds(300);
  return o;
}

TEST(AnswerLimitsTest, AStalledBodyIsJudgedByItsStatusLine) {
  // "200 OK" arrived: the backend has the batch. Waiting the whole timeout
  // for the rest and then sending it again would be wrong twice.
  TestHttpServer server;
  server.Push({.status = 200, .body = R"({"accepted": 1})", .body_delay = milliseconds(15'000)});
  server.Push({.status = 503, .body = "busy", .body_delay = milliseconds(15'000)});
  auto transport = MakeTransport(Options());
  const auto start = steady_clock::now();
  SendResult ok = transport->Post(Request(server.Url()));
  EXPECT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(ok.http_status, 200);
  SendResult busy = transport->Post(Request(server.Url()));
  EXPECT_EQ(busy.http_status, 503);
  EXPECT_EQ(busy.status.code(), StatusCode::kUnavailable) << busy.status.ToString();
  // Both were cut at body_timeout, far from the 20 s timeout or the 15 s stall.
  EXPECT_LT(steady_clock::now() - start, milliseconds(10'000));
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.accepts(), 2) << "a cut answer closes its connection";
}

TEST(AnswerLimitsTest, AnEndlessBodyIsCutAfterMaxResponseRead) {
  TestHttpServer server;
  server.Push({.status = 400, .body = std::string(2 << 20, 'x')});
  server.Push({.status = 200, .body = std::string(100 << 10, 'y')});
  TransportOptions o = Options();
  o.max_response_read = 64 << 10;
  auto transport = MakeTransport(o);
  SendResult bad = transport->Post(Request(server.Url()));
  EXPECT_EQ(bad.http_status, 400);
  EXPECT_EQ(bad.status.code(), StatusCode::kInvalidArgument) << bad.status.ToString();
  EXPECT_EQ(bad.body.size(), o.max_response_body);
  SendResult ok = transport->Post(Request(server.Url()));
  EXPECT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(server.accepts(), 2);
}

TEST(AnswerLimitsTest, ABodyWithinTheLimitsKeepsTheConnection) {
  TestHttpServer server;
  server.Push({.status = 503, .body = std::string(10 << 10, 'z')});
  auto transport = MakeTransport(Options());
  EXPECT_EQ(transport->Post(Request(server.Url())).http_status, 503);
  EXPECT_TRUE(transport->Post(Request(server.Url())).status.ok());
  EXPECT_EQ(server.accepts(), 1) << "read to its end, the answer leaves the connection reusable";
}

TEST(AnswerLimitsTest, ARedirectComesBackWithItsLocationAndIsNotFollowed) {
  TestHttpServer server;
  server.Push({.status = 308, .headers = {{"Location", "/v2/ingest"}}, .body = ""});
  SendResult r = MakeTransport(Options())->Post(Request(server.Url()));
  EXPECT_EQ(r.http_status, 308);
  EXPECT_EQ(r.location, "/v2/ingest");
  EXPECT_TRUE(r.status.retryable()) << r.status.ToString();
  ASSERT_EQ(server.requests().size(), 1u) << "the sender decides whether to follow";
}

TEST(AnswerLimitsTest, ARequestInFlightIsAbandonedOnDemand) {
  TestHttpServer server;
  server.Push({.delay = milliseconds(15'000)});  // never answers in time
  auto transport = MakeTransport(Options());
  std::atomic<bool> abandon{false};
  HttpRequest request = Request(server.Url());
  request.abandon = &abandon;
  std::thread stopper([&] {
    while (server.requests().empty()) std::this_thread::sleep_for(milliseconds(10));
    abandon.store(true);
  });
  const auto start = steady_clock::now();
  SendResult r = transport->Post(request);
  stopper.join();
  EXPECT_EQ(r.status.code(), StatusCode::kDeadlineExceeded) << r.status.ToString();
  EXPECT_NE(r.status.message().find("abandoned"), std::string_view::npos) << r.status.ToString();
  EXPECT_LT(steady_clock::now() - start, milliseconds(5'000));
  abandon.store(false);
  EXPECT_TRUE(transport->Post(request).status.ok()) << "the transport stays usable";
}

}  // namespace
}  // namespace otelpack
