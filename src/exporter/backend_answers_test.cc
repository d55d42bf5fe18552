// What the backend answers must not lose acknowledged data, nor hold the
// exporter past its deadlines (issue: hostile clients and backends). Against
// real servers on loopback: the scripted TestHttpServer for answers a real
// backend gives only when misconfigured or broken, the reference sink for
// what arrives in the end.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "common/testing/log_capture.h"
#include "exporter/testing/test_sink.h"
#include "loadgen/loadgen.h"
#include "otelpack/exporter.h"
#include "sink/sink.h"
#include "transport/test_http_server.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;
using testing::LogCapture;
using testing::ScriptedResponse;
using testing::TestHttpServer;

std::unique_ptr<Exporter> Make(const ExporterOptions& o) {
  auto e = Exporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

ExporterOptions Against(const TestHttpServer& server) {
  ExporterOptions o;
  o.endpoint = server.Url("");
  o.project_id = "p";
  o.auth.api_key = "backend-key";
  o.compression = Compression::kNone;
  o.concurrency = 1;  // the scripted server serves one connection at a time
  o.retry.initial_interval = 1ms;
  o.retry.max_interval = 5ms;
  return o;
}

TEST(BackendAnswersTest, ARedirectNotFollowedKeepsTheDataAndSaysSoLoudly) {
  // A 301 used to drop the batch as a permanent failure: 1,000 acknowledged
  // spans lost in the reproduction.
  LogCapture log;
  TestHttpServer server;
  for (int i = 0; i < 2; ++i) {
    server.Push({.status = 301, .headers = {{"Location", "https://elsewhere.example/v1/ingest"}}, .body = ""});
  }
  auto exporter = Make(Against(server));
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  ASSERT_TRUE(exporter->Export(spans.Next(50)).ok());
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());  // the third attempt is answered 200

  const ExporterStats st = exporter->Stats();
  EXPECT_EQ(st.traces.sent, 50u);
  EXPECT_EQ(st.traces.dropped(), 0u);
  EXPECT_EQ(st.requests_redirected, 2u);
  EXPECT_EQ(st.traces.requests_redirected, 2u);
  EXPECT_EQ(st.requests_failed_retryable, 2u);
  ASSERT_EQ(server.requests().size(), 3u);
  for (const auto& r : server.requests()) EXPECT_EQ(r.target, "/v1/ingest") << "not followed elsewhere";
  EXPECT_TRUE(log.Contains("HTTP 301: the backend redirects to https://elsewhere.example/v1/ingest",
                           "set the endpoint"))
      << log.text();
}

TEST(BackendAnswersTest, ASameOrigin308IsFollowedAndSignedForItsNewPath) {
  LogCapture log;
  TestHttpServer server;
  server.Push({.status = 308, .headers = {{"Location", "/v2/ingest?tenant=a"}}, .body = ""});
  server.Push({.status = 307, .headers = {{"Location", server.Url("/v3/ingest")}}, .body = ""});
  ExporterOptions o = Against(server);
  o.auth.scheme = AuthScheme::kHmacSha256;
  o.auth.key_id = "key-1";
  o.auth.secret = "hmac-secret-value";
  auto exporter = Make(o);
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  ASSERT_TRUE(exporter->Export(spans.Next(20)).ok());
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/v1/ingest");
  EXPECT_EQ(requests[1].target, "/v2/ingest?tenant=a");
  EXPECT_EQ(requests[2].target, "/v3/ingest");
  for (const auto& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.body, requests[0].body) << "the method and body are kept";
    EXPECT_EQ(r.Header("X-Batch-ID"), requests[0].Header("X-Batch-ID"));
  }
  EXPECT_NE(requests[0].Header("Authorization"), requests[1].Header("Authorization"))
      << "the signature covers the path, so each hop is signed anew";
  const ExporterStats st = exporter->Stats();
  EXPECT_EQ(st.traces.sent, 20u);
  EXPECT_EQ(st.requests_ok, 1u) << "one attempt, three hops";
  EXPECT_EQ(st.requests_redirected, 0u);
  EXPECT_TRUE(log.Contains("redirects POST /v1/ingest to /v2/ingest?***", "following it")) << log.text();
}

TEST(BackendAnswersTest, A307ToAnotherOriginIsNotFollowed) {
  // The credentials would go to another host.
  TestHttpServer server, other;
  server.Push({.status = 307, .headers = {{"Location", other.Url("/v1/ingest")}}, .body = ""});
  auto exporter = Make(Against(server));
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  ASSERT_TRUE(exporter->Export(spans.Next(5)).ok());
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());
  EXPECT_TRUE(other.requests().empty());
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(exporter->Stats().requests_redirected, 1u);
  EXPECT_EQ(exporter->Stats().traces.sent, 5u);
}

// A backend that accepts the connection and never answers: Shutdown must
// keep its own deadline, not wait for the request's 30 s timeout.
struct SilentBackend : ::testing::Test {
  void SetUp() override {
    for (int i = 0; i < 4; ++i) server.Push({.delay = 60s});
  }
  ExporterOptions Options() {
    ExporterOptions o = Against(server);
    o.timeout = 30s;
    return o;
  }
  void WaitForTheRequest() {
    while (server.requests().empty()) std::this_thread::sleep_for(10ms);
  }
  TestHttpServer server;
};

TEST_F(SilentBackend, ShutdownAbandonsTheRequestInFlightAndCountsItsRecordsAsDropped) {
  auto exporter = Make(Options());
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  ASSERT_TRUE(exporter->Export(spans.Next(40)).ok());
  (void)exporter->ForceFlush(0ms);  // close the batch: it goes out and hangs
  WaitForTheRequest();
  const auto start = std::chrono::steady_clock::now();
  const Status s = exporter->Shutdown(1s);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_LT(took, 5s) << "the 30 s request timeout held Shutdown";
  const ExporterStats st = exporter->Stats();
  EXPECT_EQ(st.traces.dropped_shutdown, 40u);
  EXPECT_EQ(st.traces.sent, 0u);
}

TEST_F(SilentBackend, WithTheDiskQueueTheAbandonedBatchIsDeliveredAtTheNextStart) {
  char dir_template[] = "/tmp/otelpack-answers-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  ExporterOptions o = Options();
  o.project_id = testing::kTestProject;  // the bodies on disk name it; the sink below checks it
  o.queue.kind = QueueKind::kDisk;
  o.queue.directory = dir;
  {
    auto exporter = Make(o);
    ASSERT_NE(exporter, nullptr);
    loadgen::SpanGenerator spans;
    ASSERT_TRUE(exporter->Export(spans.Next(40)).ok());  // durable once accepted
    WaitForTheRequest();
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(exporter->Shutdown(1s).code(), StatusCode::kDeadlineExceeded);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_EQ(exporter->Stats().traces.left_on_disk, 40u);
  }
  auto sink = testing::StartTestSink();
  ASSERT_NE(sink, nullptr);
  ExporterOptions again = testing::ExporterOptionsFor(*sink);
  again.queue.kind = QueueKind::kDisk;
  again.queue.directory = dir;
  auto exporter = Make(again);  // the next start of the process
  ASSERT_NE(exporter, nullptr);
  ASSERT_TRUE(exporter->Shutdown(30s).ok());  // delivers what it recovered
  EXPECT_EQ(*sink->CountEvents(), 40u);
  std::filesystem::remove_all(dir);
}

TEST_F(SilentBackend, ForceFlushDoesNotWaitForABacklogAPreviousRunLeftOnDisk) {
  // What ForceFlush waits for is what this process closed (exporter.h): a
  // flush at start must not hang on a backlog that predates it.
  char dir_template[] = "/tmp/otelpack-answers-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  ExporterOptions o = Options();
  o.queue.kind = QueueKind::kDisk;
  o.queue.directory = dir;
  {
    auto exporter = Make(o);
    ASSERT_NE(exporter, nullptr);
    loadgen::SpanGenerator spans;
    ASSERT_TRUE(exporter->Export(spans.Next(40)).ok());
    WaitForTheRequest();
    EXPECT_EQ(exporter->Shutdown(500ms).code(), StatusCode::kDeadlineExceeded);
  }
  auto exporter = Make(o);  // the next start, against the same silent backend
  ASSERT_NE(exporter, nullptr);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(exporter->ForceFlush(5s).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(exporter->Shutdown(500ms).code(), StatusCode::kDeadlineExceeded) << "the backlog is still in flight";
  EXPECT_EQ(exporter->Stats().traces.left_on_disk, 40u);
  exporter.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otelpack
