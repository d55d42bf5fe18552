// Delivery that loses nothing: the exporter against the real sink with fault
// injection, real files and a real process killed with SIGKILL.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "common/clock.h"
#include "exporter/new_exporter.h"
#include "exporter/testing/crash_harness.h"
#include "exporter/testing/test_sink.h"
#include "loadgen/loadgen.h"
#include "otelpack/exporter.h"
#include "sink/sink.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using otelpack::ManualClock;

using testing::kTestApiKey;

std::unique_ptr<sink::Sink> StartSink(std::string listen = "127.0.0.1:0") {
  sink::SinkOptions so;
  so.listen = std::move(listen);
  return testing::StartTestSink(so);
}

// Fast retries so a test takes seconds, not minutes.
ExporterOptions OptionsFor(const sink::Sink& sink) {
  ExporterOptions o = testing::ExporterOptionsFor(sink);
  o.flush_interval = 20ms;
  o.retry.initial_interval = 20ms;
  o.retry.max_interval = 200ms;
  o.retry.max_elapsed_time = 0ms;  // forever
  return o;
}

std::unique_ptr<Exporter> Make(const ExporterOptions& o) {
  auto e = Exporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return std::move(e).value();
}

std::string TempDir() {
  char dir[] = "/tmp/otelpack-delivery-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(DeliveryTest, HalfTheRequestsFailingStillDeliversEverySpanExactlyOnce) {
  auto sink = StartSink();
  sink->SetFaults({.fail_ratio = 0.5, .fail_status = 503, .seed = 7});
  auto exporter = Make(OptionsFor(*sink));
  loadgen::SpanGenerator gen({.seed = 3});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(exporter->Export(gen.Next(500)).ok());
  ASSERT_TRUE(exporter->ForceFlush(60s).ok());
  ExporterStats st = exporter->Stats();
  EXPECT_EQ(st.spans_sent, 5000u);
  EXPECT_GT(st.retries, 0u);
  auto ids = testing::StoredSpanIds(*sink);
  EXPECT_EQ(ids.size(), 5000u);
  for (const auto& [id, n] : ids) ASSERT_EQ(n, 1) << id;
}

TEST(DeliveryTest, ABackendDownForTwentySecondsGetsEverythingWhenItReturns) {
  auto sink = StartSink();
  sink->RefuseConnectionsFor(20s);
  ExporterOptions o = OptionsFor(*sink);
  o.retry.initial_interval = 500ms;
  o.retry.max_interval = 2s;
  auto exporter = Make(o);
  loadgen::SpanGenerator gen;
  auto t0 = Clock::now();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(exporter->Export(gen.Next(250)).ok());
  Status s = exporter->ForceFlush(60s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GE(Clock::now() - t0, 19s);
  EXPECT_EQ(*sink->CountEvents(), 1000u);
  EXPECT_GT(exporter->Stats().requests_failed_retryable, 0u);
}

// The exporter on a clock the test moves: retries and batch ages with the
// real defaults (seconds, minutes) take milliseconds.
struct OnManualClock {
  explicit OnManualClock(const ExporterOptions& o) {
    auto e = NewExporter(o, &clock);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    exporter = std::move(e).value();
  }
  ManualClock clock;
  std::unique_ptr<Exporter> exporter;
};

// Polls `done` for up to `limit` of real time (the pipeline's threads run
// in real time even when their waits follow the manual clock).
template <typename Pred>
bool Eventually(Pred done, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(DeliveryTest, RetryAfterIsRespected) {
  auto sink = StartSink();
  sink->SetFaults({.throttle_ratio = 1.0, .retry_after_seconds = 2});
  OnManualClock m(OptionsFor(*sink));  // backoff alone would retry after ~20 ms
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(m.exporter->Export(gen.Next(10)).ok());
  m.clock.Advance(20ms);  // flush_interval: the batch closes
  ASSERT_TRUE(Eventually([&] { return m.exporter->Stats().retries == 1; }));
  sink->SetFaults({});
  m.clock.Advance(1900ms);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sink->Stats().requests_by_status[200], 0u) << "the retry came before Retry-After";
  m.clock.Advance(200ms);
  ASSERT_TRUE(m.exporter->ForceFlush(10s).ok());
  EXPECT_EQ(sink->Stats().requests_by_status[429], 1u);
  EXPECT_EQ(*sink->CountEvents(), 10u);
}

TEST(DeliveryTest, RetriesFollowTheCollectorsBackoffOnTheClock) {
  auto sink = StartSink();
  sink->SetFaults({.fail_ratio = 1.0, .fail_status = 503});
  ExporterOptions o = testing::ExporterOptionsFor(*sink);  // 5 s, x1.5, 30 s cap, 5 min budget
  o.retry.randomization_factor = 0;                       // waits of exactly 5 s, 7.5 s, ...
  o.flush_interval = 200ms;
  OnManualClock m(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(m.exporter->Export(gen.Next(20)).ok());
  m.clock.Advance(200ms);  // the batch's age closes it
  ASSERT_TRUE(Eventually([&] { return m.exporter->Stats().retries == 1; }));
  m.clock.Advance(4900ms);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sink->Stats().requests_by_status[503], 1u) << "retried before 5 s";
  m.clock.Advance(100ms);
  ASSERT_TRUE(Eventually([&] { return m.exporter->Stats().retries == 2; }));
  EXPECT_EQ(sink->Stats().requests_by_status[503], 2u);
  sink->SetFaults({});
  m.clock.Advance(7400ms);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(*sink->CountEvents(), 0u) << "retried before 7.5 s";
  m.clock.Advance(100ms);
  ASSERT_TRUE(m.exporter->ForceFlush(10s).ok());
  EXPECT_EQ(*sink->CountEvents(), 20u);
  EXPECT_EQ(m.exporter->Stats().retries, 2u);
}

TEST(DeliveryTest, RetriesGiveUpWhenTheFiveMinuteBudgetIsSpent) {
  auto sink = StartSink();
  sink->SetFaults({.fail_ratio = 1.0, .fail_status = 502});
  ExporterOptions o = testing::ExporterOptionsFor(*sink);  // 5 s, x1.5, 30 s cap, 5 min budget
  o.retry.randomization_factor = 0;
  o.flush_interval = 1ms;
  OnManualClock m(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(m.exporter->Export(gen.Next(10)).ok());
  m.clock.Advance(1ms);
  // Each wait, moved past exactly once the attempt before it has failed:
  // 5, 7.5, 11.25, 16.875, 25.312 s, then the 30 s cap. At 275.9 s another
  // 30 s wait would end past the 5 minutes: the batch is given up.
  double wait_ms = 5000;
  std::uint64_t attempts = 0;
  while (attempts < 100) {
    ++attempts;
    // The retry is counted once its time is set: then the clock may move.
    ASSERT_TRUE(Eventually([&] {
      ExporterStats st = m.exporter->Stats();
      return st.retries == attempts || st.spans_dropped_retries_exhausted > 0;
    }));
    if (m.exporter->Stats().spans_dropped_retries_exhausted > 0) break;
    m.clock.Advance(std::chrono::milliseconds(static_cast<std::int64_t>(wait_ms)));
    wait_ms = std::min(wait_ms * 1.5, 30000.0);
  }
  ExporterStats st = m.exporter->Stats();
  EXPECT_EQ(st.spans_dropped_retries_exhausted, 10u);
  EXPECT_EQ(st.batches_pending, 0u);
  EXPECT_EQ(sink->Stats().requests_by_status[502], 13u);
  EXPECT_EQ(st.retries, 12u);
}

TEST(DeliveryTest, ABatchClosesAtFlushIntervalOnTheClock) {
  auto sink = StartSink();
  ExporterOptions o = testing::ExporterOptionsFor(*sink);
  o.flush_interval = 10s;
  OnManualClock m(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(m.exporter->Export(gen.Next(7)).ok());
  m.clock.Advance(9s);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(m.exporter->Stats().requests_ok, 0u) << "closed before flush_interval";
  m.clock.Advance(1s);
  ASSERT_TRUE(Eventually([&] { return m.exporter->Stats().spans_sent == 7; }));
  EXPECT_EQ(*sink->CountEvents(), 7u);
}

TEST(DeliveryTest, ABackendSlowerThanTheTimeoutGetsEachBatchOnce) {
  auto sink = StartSink();
  sink->SetFaults({.latency = 800ms});  // stores, then answers too late
  ExporterOptions o = OptionsFor(*sink);
  o.timeout = 300ms;
  auto exporter = Make(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(300)).ok());
  while (exporter->Stats().requests_failed_retryable == 0) std::this_thread::sleep_for(5ms);
  sink->SetFaults({});
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());
  EXPECT_EQ(*sink->CountEvents(), 300u) << "the retry carried the same X-Batch-ID";
  EXPECT_GE(sink->Stats().duplicates, 1u);
}

TEST(DeliveryTest, PermanentFailuresAreDroppedCountedAndNotRetried) {
  auto sink = StartSink();
  ExporterOptions o = OptionsFor(*sink);
  o.auth.api_key = "not-the-key";
  auto exporter = Make(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(30)).ok());
  EXPECT_EQ(exporter->ForceFlush(5s).code(), StatusCode::kUnauthenticated);
  ExporterStats st = exporter->Stats();
  EXPECT_EQ(st.spans_dropped_permanent, 30u);
  EXPECT_EQ(st.retries, 0u);
  EXPECT_EQ(st.requests_failed_permanent, 1u);
}

TEST(DeliveryTest, RetriesStopAtMaxElapsedTime) {
  auto sink = StartSink();
  sink->SetFaults({.fail_ratio = 1.0, .fail_status = 502});
  ExporterOptions o = OptionsFor(*sink);
  o.retry.max_elapsed_time = 300ms;
  auto exporter = Make(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(10)).ok());
  EXPECT_EQ(exporter->ForceFlush(5s).code(), StatusCode::kUnavailable);
  ExporterStats st = exporter->Stats();
  EXPECT_EQ(st.spans_dropped_retries_exhausted, 10u);
  EXPECT_GE(st.retries, 2u);
}

TEST(DeliveryTest, ExportReturnsQuicklyWhileTheBackendIsSlow) {
  auto sink = StartSink();
  sink->SetFaults({.latency = 2s});
  auto exporter = Make(OptionsFor(*sink));
  loadgen::SpanGenerator gen;
  auto t0 = Clock::now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(exporter->Export(gen.Next(100)).ok());
    std::this_thread::sleep_for(30ms);  // past flush_interval: each call's batch is on the wire
  }
  EXPECT_LT(Clock::now() - t0, 1s) << "Export must not wait for the network";
  sink->SetFaults({});
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());
  EXPECT_EQ(*sink->CountEvents(), 500u);
}

// kDropNewest refuses when the queue is full, not when the batcher is only
// behind on compression: the agent answers 429 for a full queue, and must
// not for a burst its queue can take.
TEST(DeliveryTest, RefusingAtOnceIsForAFullQueueNotForSlowCompression) {
  auto sink = StartSink();
  ExporterOptions o = OptionsFor(*sink);
  o.compression_level = 19;  // ~0.1 s a batch: the handoff fills at once
  o.queue.when_full = WhenFull::kDropNewest;
  o.queue.memory_max_bytes = 256u << 20;
  // Waiting for compression is bounded by block_timeout; on a loaded machine
  // 16 batches at level 19 take longer than the default 5 s. What this test
  // is about is that the queue's room, not the wait, decides.
  o.queue.block_timeout = 120s;
  auto exporter = Make(o);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      loadgen::GeneratorOptions g;
      g.seed = static_cast<std::uint64_t>(t + 1);
      loadgen::SpanGenerator gen(g);
      for (int i = 0; i < 4; ++i) {
        if (exporter->Export(gen.Next(500)).code() == StatusCode::kResourceExhausted) ++refused;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(refused.load(), 0);
  ASSERT_TRUE(exporter->ForceFlush(60s).ok());
  EXPECT_EQ(*sink->CountEvents(), 8000u);
}

TEST(DeliveryTest, TheMemoryQueueStaysWithinItsBoundDuringAnOutage) {
  auto sink = StartSink();
  sink->RefuseConnectionsFor(60s);
  ExporterOptions o = OptionsFor(*sink);
  o.queue.memory_max_bytes = 8u << 20;
  o.queue.when_full = WhenFull::kDropNewest;
  auto exporter = Make(o);
  loadgen::SpanGenerator gen;
  gen.Next(500);  // the generator's own arena, before the baseline
  const long rss_before = RssKiB();
  std::uint64_t refused_calls = 0, max_queue_bytes = 0;
  for (int i = 0; i < 600; ++i) {  // 300,000 spans, ~210 MB of JSON, ~26 MB compressed
    Status s = exporter->Export(gen.Next(500));
    if (s.code() == StatusCode::kResourceExhausted) ++refused_calls;
    max_queue_bytes = std::max(max_queue_bytes, exporter->Stats().queue_bytes);
  }
  const long rss_growth_kib = RssKiB() - rss_before;
  ExporterStats st = exporter->Stats();
  EXPECT_GT(refused_calls, 0u);
  EXPECT_GT(st.spans_refused, 0u);
  EXPECT_LE(max_queue_bytes, o.queue.memory_max_bytes);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // The queue's 8 MiB, a few open and waiting 5 MiB batch buffers, codec state.
  EXPECT_LT(rss_growth_kib, 64 * 1024) << "RSS grew by " << rss_growth_kib << " KiB";
#endif
  std::printf("RSS growth during the outage: %ld KiB (queue bound %zu KiB)\n", rss_growth_kib,
              o.queue.memory_max_bytes / 1024);
  Status s = exporter->Shutdown(200ms);
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  st = exporter->Stats();
  EXPECT_GT(st.spans_dropped_shutdown, 0u);
  EXPECT_EQ(st.spans_received, st.spans_sent + st.spans_refused + st.spans_dropped()) << "every span accounted for";
}

TEST(DeliveryTest, ADiskQueueAtItsLimitPushesBackWithAClearError) {
  auto sink = StartSink();
  sink->RefuseConnectionsFor(60s);
  const std::string dir = TempDir();
  ExporterOptions o = OptionsFor(*sink);
  o.queue.kind = QueueKind::kDisk;
  o.queue.directory = dir;
  o.queue.disk_max_bytes = 1u << 20;
  o.queue.block_timeout = 100ms;
  auto exporter = Make(o);
  loadgen::SpanGenerator gen;
  Status refused;
  std::uint64_t accepted = 0;
  for (int i = 0; i < 200 && refused.ok(); ++i) {
    Status s = exporter->Export(gen.Next(200));
    if (s.ok()) accepted += 200; else refused = s;
  }
  ASSERT_EQ(refused.code(), StatusCode::kResourceExhausted) << refused.ToString();
  EXPECT_NE(refused.message().find("full"), std::string_view::npos) << refused.ToString();
  EXPECT_GT(accepted, 0u);
  // The backend returns: everything acknowledged arrives, once.
  sink->RefuseConnectionsFor(0ms);
  sink.reset();
  auto back = StartSink("127.0.0.1:" + std::to_string(std::stoi(o.endpoint.substr(o.endpoint.rfind(':') + 1))));
  ASSERT_TRUE(exporter->ForceFlush(30s).ok());
  EXPECT_EQ(*back->CountEvents(), accepted);
  std::filesystem::remove_all(dir);
}

TEST(DeliveryTest, ShutdownLeavesUndeliveredBatchesOnDiskForTheNextStart) {
  const std::string dir = TempDir();
  auto sink = StartSink();
  const std::string endpoint = sink->endpoint();
  sink->RefuseConnectionsFor(60s);
  ExporterOptions o = OptionsFor(*sink);
  o.queue.kind = QueueKind::kDisk;
  o.queue.directory = dir;
  {
    auto exporter = Make(o);
    loadgen::SpanGenerator gen;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(exporter->Export(gen.Next(100)).ok());
    Status s = exporter->Shutdown(300ms);
    EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
    EXPECT_NE(s.message().find("disk queue"), std::string_view::npos);
    EXPECT_EQ(exporter->Stats().spans_left_on_disk, 500u);
  }
  sink.reset();
  auto back = StartSink(endpoint.substr(std::string("http://").size()));
  auto next = Make(o);  // the next start of the process
  ASSERT_TRUE(next->Shutdown(30s).ok());
  EXPECT_EQ(*back->CountEvents(), 500u);
  std::filesystem::remove_all(dir);
}

TEST(DeliveryTest, SigkillMidStreamLosesNoAcknowledgedSpanAndDuplicatesNone) {
  auto sink = StartSink();
  sink->SetFaults({.fail_ratio = 0.3, .fail_status = 503});  // keep batches in the queue
  const std::string dir = TempDir();
  int out;
  pid_t child = testing::SpawnChild({CRASH_CHILD_PATH, "export", sink->endpoint(), dir}, &out);
  std::mt19937 rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(400 + rng() % 800));
  std::string text;
  testing::KillChild(child, out, &text);
  // Every line the child printed before it died is an acknowledged Export.
  const std::set<std::uint64_t> acked = testing::AckedSpans(text);
  ASSERT_GT(acked.size(), 0u) << "the child acknowledged nothing before the kill";

  sink->SetFaults({});
  ASSERT_TRUE(testing::DrainInChild(CRASH_CHILD_PATH, *sink, dir));
  testing::ExpectAckedStoredOnce(*sink, acked);
  std::printf("acknowledged before SIGKILL: %zu spans; stored after restart: %zu\n", acked.size(),
              testing::StoredSpanIds(*sink).size());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otelpack
