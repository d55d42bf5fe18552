// The disk queue batches across Exports (disk_mode.cc): requests as large as
// the memory queue's, flush_interval, and what a SIGKILL at each stage
// leaves: the real sink, real files and a real child process.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "exporter/testing/crash_harness.h"
#include "exporter/testing/test_sink.h"
#include "loadgen/loadgen.h"
#include "otelpack/exporter.h"
#include "sink/sink.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;

std::string TempDir() {
  char dir[] = "/tmp/otelpack-disk-batching-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

ExporterOptions DiskOptions(const sink::Sink& sink, const std::string& dir) {
  ExporterOptions o = testing::ExporterOptionsFor(sink);
  o.queue.kind = QueueKind::kDisk;
  o.queue.directory = dir;
  o.retry.initial_interval = 20ms;
  o.retry.max_interval = 200ms;
  return o;
}

std::uint64_t Requests(const sink::Sink& sink, int status) {
  const sink::SinkStats s = sink.Stats();
  auto it = s.requests_by_status.find(status);
  return it == s.requests_by_status.end() ? 0 : it->second;
}

template <typename Done>
bool WaitFor(Done done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(DiskBatchingTest, TwoHundredSpanExportsBecomeRequestsOfFiveHundredEvents) {
  auto sink = testing::StartTestSink();
  const std::string dir = TempDir();
  ExporterOptions o = DiskOptions(*sink, dir);
  o.flush_interval = 60s;  // only the event limit closes batches here
  {
    auto exporter = std::move(Exporter::Create(o)).value();
    loadgen::SpanGenerator gen({.seed = 14});
    for (int i = 0; i < 25; ++i) ASSERT_TRUE(exporter->Export(gen.Next(200)).ok());
    ASSERT_TRUE(exporter->ForceFlush(30s).ok());
    EXPECT_EQ(exporter->Stats().spans_sent, 5000u);
  }
  const sink::SinkStats s = sink->Stats();
  EXPECT_EQ(s.events, 5000u);
  EXPECT_EQ(s.batches, 10u) << "5,000 spans in requests of max_batch_events (500)";
  EXPECT_EQ(Requests(*sink, 200), 10u);
  std::filesystem::remove_all(dir);
}

TEST(DiskBatchingTest, FlushIntervalClosesAPartialBatch) {
  auto sink = testing::StartTestSink();
  const std::string dir = TempDir();
  ExporterOptions o = DiskOptions(*sink, dir);
  o.flush_interval = 100ms;
  auto exporter = std::move(Exporter::Create(o)).value();
  loadgen::SpanGenerator gen({.seed = 15});
  ASSERT_TRUE(exporter->Export(gen.Next(200)).ok());
  ASSERT_TRUE(exporter->Export(gen.Next(100)).ok());
  // No ForceFlush: only the batch's age can send it.
  EXPECT_TRUE(WaitFor([&] { return sink->Stats().events == 300; }, 10s)) << sink->Stats().events;
  EXPECT_EQ(sink->Stats().batches, 1u);
  ASSERT_TRUE(exporter->Shutdown(5s).ok());
  std::filesystem::remove_all(dir);
}

// crash_child exporting `exports` Exports of `spans` spans with a batch that
// only the event limit closes; returns once it printed "done".
pid_t StartChild(const sink::Sink& sink, const std::string& dir, int spans, int exports, int* out,
                 std::string* text) {
  pid_t child = testing::SpawnChild({CRASH_CHILD_PATH, "export", sink.endpoint(), dir, std::to_string(spans),
                                     std::to_string(exports), "3600000"},
                                    out);
  EXPECT_TRUE(testing::ReadUntil(*out, "done\n", 30s, text)) << *text;
  return child;
}

TEST(DiskBatchingTest, SigkillWhileABatchIsOpenLosesNoAcknowledgedSpan) {
  auto sink = testing::StartTestSink();
  const std::string dir = TempDir();
  int out;
  std::string text;
  pid_t child = StartChild(*sink, dir, 20, 10, &out, &text);  // 200 of 500: the batch stays open
  testing::KillChild(child, out, &text);
  const std::set<std::uint64_t> acked = testing::AckedSpans(text);
  ASSERT_EQ(acked.size(), 200u);
  EXPECT_EQ(sink->Stats().events, 0u) << "an open batch is not sent";

  ASSERT_TRUE(testing::DrainInChild(CRASH_CHILD_PATH, *sink, dir));
  testing::ExpectAckedStoredOnce(*sink, acked);
  EXPECT_EQ(sink->Stats().events, 200u);
  EXPECT_EQ(sink->Stats().batches, 1u) << "the ten parts went out as the one batch they were in";
  std::filesystem::remove_all(dir);
}

TEST(DiskBatchingTest, SigkillAfterABatchClosedWhileItsSendsFailLosesNothing) {
  auto sink = testing::StartTestSink();
  sink->SetFaults({.fail_ratio = 1.0, .fail_status = 503});
  const std::string dir = TempDir();
  int out;
  std::string text;
  pid_t child = StartChild(*sink, dir, 200, 4, &out, &text);  // one closed batch of 500, 300 open
  EXPECT_TRUE(WaitFor([&] { return Requests(*sink, 503) >= 1; }, 10s)) << "the closed batch was never sent";
  testing::KillChild(child, out, &text);
  const std::set<std::uint64_t> acked = testing::AckedSpans(text);
  ASSERT_EQ(acked.size(), 800u);

  sink->SetFaults({});
  ASSERT_TRUE(testing::DrainInChild(CRASH_CHILD_PATH, *sink, dir));
  testing::ExpectAckedStoredOnce(*sink, acked);
  EXPECT_EQ(sink->Stats().events, 800u);
  EXPECT_EQ(sink->Stats().batches, 2u);
  std::filesystem::remove_all(dir);
}

TEST(DiskBatchingTest, SigkillWhileSendingReplaysTheBatchUnderItsIdAndTheSinkDeduplicatesIt) {
  auto sink = testing::StartTestSink();
  sink->SetFaults({.latency = 3s});  // stores, then answers late: killed meanwhile
  const std::string dir = TempDir();
  int out;
  std::string text;
  pid_t child = StartChild(*sink, dir, 100, 5, &out, &text);  // exactly one batch of 500
  ASSERT_TRUE(WaitFor([&] { return sink->Stats().batches == 1; }, 10s));
  testing::KillChild(child, out, &text);
  const std::set<std::uint64_t> acked = testing::AckedSpans(text);
  ASSERT_EQ(acked.size(), 500u);

  sink->SetFaults({});
  ASSERT_TRUE(testing::DrainInChild(CRASH_CHILD_PATH, *sink, dir));
  testing::ExpectAckedStoredOnce(*sink, acked);
  const sink::SinkStats s = sink->Stats();
  EXPECT_EQ(s.events, 500u);
  EXPECT_EQ(s.batches, 1u);
  EXPECT_GE(s.duplicates, 1u) << "the restart sent the batch again under the same id";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otelpack
