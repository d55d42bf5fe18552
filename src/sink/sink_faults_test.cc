// Fault injection over HTTP: failures, throttling with Retry-After, slow
// answers that do not block other clients, refused connections, and the
// determinism of the seeded fault sequence.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "common/str_cat.h"
#include "sink/sink.h"
#include "http/testing/test_client.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::BodyOf;
using testing::IngestHeaders;
using testing::IngestHeadersWithBatch;
using testing::TestClient;

std::unique_ptr<Sink> StartSink(const FaultOptions& faults, unsigned threads = 2) {
  SinkOptions options = testing::TestSinkOptions();
  options.faults = faults;
  options.threads = threads;
  auto sink = Sink::Start(options);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

long StatusOf(TestClient& client, std::string_view body,
              const std::vector<std::string>& headers = IngestHeaders()) {
  auto r = client.Post("/v1/ingest", body, headers);
  return r.ok() ? r->status : -1;
}

milliseconds Since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

TEST(SinkFaultsTest, FailRatioOneFailsEveryRequestAndStoresNothing) {
  FaultOptions faults;
  faults.fail_ratio = 1.0;
  auto sink = StartSink(faults);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  for (int i = 0; i < 5; ++i) {
    auto r = client.Post("/v1/ingest", BodyOf(2), IngestHeaders());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->body, R"({"error":"fault injection"})");
  }
  faults.fail_status = 500;
  sink->SetFaults(faults);
  EXPECT_EQ(StatusOf(client, BodyOf(2)), 500);
  // Credentials are still checked first.
  testing::IngestHeaderOptions wrong;
  wrong.api_key = "nope";
  EXPECT_EQ(StatusOf(client, BodyOf(2), IngestHeaders(wrong)), 401);
  sink->SetFaults({});
  EXPECT_EQ(StatusOf(client, BodyOf(2)), 200);
  EXPECT_EQ(sink->CountEvents().value(), 2u);
  SinkStats stats = sink->Stats();
  EXPECT_EQ(stats.requests_by_status[503], 5u);
  EXPECT_EQ(stats.requests_by_status[500], 1u);
  EXPECT_EQ(stats.requests_by_status[200], 1u);
}

TEST(SinkFaultsTest, ThrottleAnswers429WithRetryAfter) {
  FaultOptions faults;
  faults.throttle_ratio = 1.0;
  faults.retry_after_seconds = 7;
  auto sink = StartSink(faults);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  auto r = client.Post("/v1/ingest", BodyOf(1), IngestHeaders());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->headers["retry-after"], "7");
  EXPECT_EQ(sink->CountEvents().value(), 0u);
}

TEST(SinkFaultsTest, TheSeedMakesFaultsReproducible) {
  FaultOptions faults;
  faults.fail_ratio = 0.3;
  faults.throttle_ratio = 0.3;
  faults.seed = 99;
  auto sink = StartSink(faults);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  auto run = [&] {
    std::vector<long> statuses;
    for (int i = 0; i < 40; ++i) statuses.push_back(StatusOf(client, BodyOf(1, i)));
    return statuses;
  };
  const std::vector<long> first = run();
  sink->SetFaults(faults);  // restarts the sequence
  EXPECT_EQ(run(), first);
  const auto count = [&](long status) { return std::count(first.begin(), first.end(), status); };
  EXPECT_GT(count(200), 0);
  EXPECT_GT(count(503), 0);
  EXPECT_GT(count(429), 0);
  EXPECT_EQ(count(200) + count(503) + count(429), 40);
}

TEST(SinkFaultsTest, LatencyDelaysAfterStoringWithoutBlockingOthers) {
  FaultOptions faults;
  faults.latency = milliseconds(400);
  auto sink = StartSink(faults, /*threads=*/1);
  ASSERT_NE(sink, nullptr);
  const std::string body = BodyOf(3);
  // A client that gives up before the answer...
  TestClient impatient(sink->endpoint());
  impatient.set_timeout(milliseconds(150));
  auto start = steady_clock::now();
  auto timed_out = impatient.Post("/v1/ingest", body, IngestHeadersWithBatch("slow-1"));
  EXPECT_FALSE(timed_out.ok());
  EXPECT_LT(Since(start), milliseconds(400));
  // ...has had its batch stored anyway: its retry is a duplicate.
  EXPECT_EQ(sink->CountEvents().value(), 3u);
  TestClient patient(sink->endpoint());
  start = steady_clock::now();
  auto retry = patient.Post("/v1/ingest", body, IngestHeadersWithBatch("slow-1"));
  ASSERT_TRUE(retry.ok());
  EXPECT_GE(Since(start), milliseconds(400));
  EXPECT_EQ(retry->body, R"({"accepted":3,"duplicate":true})");

  // While one answer is delayed, the single worker thread serves others.
  auto slow = std::async(std::launch::async, [&] {
    TestClient c(sink->endpoint());
    return StatusOf(c, BodyOf(1, 10));
  });
  std::this_thread::sleep_for(milliseconds(50));
  TestClient other(sink->endpoint());
  start = steady_clock::now();
  auto stats = other.Get("/v1/stats", {StrCat("Authorization: ApiKey ", testing::kApiKey)});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->status, 200);
  EXPECT_LT(Since(start), milliseconds(300));
  EXPECT_EQ(slow.get(), 200);
}

// Stop releases delayed answers at once: each is either sent now or cut.
TEST(SinkFaultsTest, StopDoesNotWaitForDelayedAnswers) {
  FaultOptions faults;
  faults.latency = milliseconds(5000);
  auto sink = StartSink(faults);
  ASSERT_NE(sink, nullptr);
  auto pending = std::async(std::launch::async, [&] {
    TestClient c(sink->endpoint());
    return StatusOf(c, BodyOf(1));
  });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  sink->Stop();
  EXPECT_LT(Since(start), milliseconds(2000));
  const long status = pending.get();
  EXPECT_TRUE(status == 200 || status == -1) << status;
  EXPECT_EQ(sink->CountEvents().value(), 1u);
}

TEST(SinkFaultsTest, RefuseConnectionsForThenServeAgainOnTheSamePort) {
  auto sink = StartSink({});
  ASSERT_NE(sink, nullptr);
  const std::uint16_t port = sink->port();
  TestClient client(sink->endpoint());
  EXPECT_EQ(StatusOf(client, BodyOf(1)), 200);

  sink->RefuseConnectionsFor(milliseconds(400));
  const auto start = steady_clock::now();
  auto refused = client.Post("/v1/ingest", BodyOf(1, 1), IngestHeaders());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("connect"), std::string_view::npos)
      << refused.status().ToString();
  // Poll until it listens again.
  long status = -1;
  while (status != 200 && Since(start) < milliseconds(3000)) {
    std::this_thread::sleep_for(milliseconds(20));
    status = StatusOf(client, BodyOf(1, 2));
  }
  EXPECT_EQ(status, 200);
  EXPECT_GE(Since(start), milliseconds(350));
  EXPECT_EQ(sink->port(), port);
  EXPECT_EQ(sink->CountEvents().value(), 2u);
  // Twice in a row, and Stop while refusing, are fine.
  sink->RefuseConnectionsFor(milliseconds(100));
  sink->RefuseConnectionsFor(milliseconds(5000));
  sink->Stop();
}

TEST(SinkFaultsTest, FaultOptionsAreClampedAtRunTime) {
  auto sink = StartSink({});
  ASSERT_NE(sink, nullptr);
  FaultOptions wild;
  wild.fail_ratio = 7;      // -> 1
  wild.fail_status = 200;   // -> 503
  sink->SetFaults(wild);
  TestClient client(sink->endpoint());
  EXPECT_EQ(StatusOf(client, BodyOf(1)), 503);
}

}  // namespace
}  // namespace otelpack::sink
