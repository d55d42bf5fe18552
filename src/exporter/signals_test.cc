// The three signals through one exporter against the real sink: each into
// batches of its own, each counted on its own, none waiting for another.
#include <gtest/gtest.h>

#include <filesystem>

#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "exporter/new_exporter.h"
#include "exporter/testing/test_sink.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/exporter.h"
#include "sink/sink.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Exporter> Make(const ExporterOptions& o) {
  auto e = Exporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

std::size_t StoredOf(const sink::Sink& sink, sink::EventType type) {
  sink::EventFilter filter;
  filter.type = type;
  filter.limit = sink::kMaxEventsLimit;
  auto events = sink.FindEvents(filter);
  EXPECT_TRUE(events.ok());
  return events.ok() ? events->size() : 0;
}

TEST(ExporterSignalsTest, EachSignalGoesInBatchesOfItsOwn) {
  auto sink = testing::StartTestSink();
  ASSERT_NE(sink, nullptr);
  ExporterOptions o = testing::ExporterOptionsFor(*sink);
  o.max_batch_events = 10;
  o.flush_interval = 10s;  // only the event limit closes batches here
  auto exporter = Make(o);
  loadgen::SpanGenerator spans;
  loadgen::LogGenerator logs;
  loadgen::MetricGenerator metrics;
  // Interleaved: a shared open batch would mix them.
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(exporter->Export(spans.Next(5)).ok());
    ASSERT_TRUE(exporter->Export(logs.Next(5)).ok());
    ASSERT_TRUE(exporter->Export(metrics.Next(5)).ok());
  }
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());
  const ExporterStats st = exporter->Stats();
  for (Signal signal : kAllSignals) {
    EXPECT_EQ(st.of(signal).received, 10u) << SignalName(signal);
    EXPECT_EQ(st.of(signal).sent, 10u) << SignalName(signal);
    EXPECT_EQ(st.of(signal).requests_ok, 1u) << SignalName(signal) << ": one full batch of its own";
  }
  EXPECT_EQ(st.spans_sent, 10u);
  EXPECT_EQ(st.requests_ok, 3u);
  EXPECT_EQ(sink->Stats().batches, 3u);
  EXPECT_EQ(StoredOf(*sink, sink::EventType::kSpan), 10u);
  EXPECT_EQ(StoredOf(*sink, sink::EventType::kLog), 10u);
  EXPECT_EQ(StoredOf(*sink, sink::EventType::kMetric), 10u);
}

// Each lane has its own age: a log batch opened late closes late, whatever
// the traces lane does. (On a clock the test moves.)
TEST(ExporterSignalsTest, EachOpenBatchClosesAtItsOwnAge) {
  auto sink = testing::StartTestSink();
  ASSERT_NE(sink, nullptr);
  ExporterOptions o = testing::ExporterOptionsFor(*sink);
  o.flush_interval = 600ms;
  ManualClock clock;
  auto made = NewExporter(o, &clock);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<Exporter> exporter = std::move(made).value();
  auto eventually = [&](auto done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    return done();
  };
  loadgen::SpanGenerator spans;
  loadgen::LogGenerator logs;
  ASSERT_TRUE(exporter->Export(spans.Next(3)).ok());
  clock.Advance(400ms);
  ASSERT_TRUE(exporter->Export(logs.Next(3)).ok());
  clock.Advance(200ms);  // the span batch is 600 ms old, the log batch 200 ms
  ASSERT_TRUE(eventually([&] { return exporter->Stats().traces.sent == 3; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(exporter->Stats().logs.sent, 0u) << "closed with the traces' batch";
  clock.Advance(400ms);
  ASSERT_TRUE(eventually([&] { return exporter->Stats().logs.sent == 3; }));
}

// Concurrent exporters of different signals, with the disk queue: all
// delivered, each exactly once.
TEST(ExporterSignalsTest, ConcurrentSignalsThroughTheDiskQueueAllArrive) {
  auto sink = testing::StartTestSink();
  ASSERT_NE(sink, nullptr);
  char dir[] = "/tmp/otelpack-signals-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  ExporterOptions o = testing::ExporterOptionsFor(*sink);
  o.queue.kind = QueueKind::kDisk;
  o.queue.directory = dir;
  auto exporter = Make(o);
  std::thread a([&] {
    loadgen::SpanGenerator g;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(exporter->Export(g.Next(50)).ok());
  });
  std::thread b([&] {
    loadgen::LogGenerator g;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(exporter->Export(g.Next(50)).ok());
  });
  std::thread c([&] {
    loadgen::MetricGenerator g;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(exporter->Export(g.Next(50)).ok());
  });
  a.join();
  b.join();
  c.join();
  ASSERT_TRUE(exporter->Shutdown(30s).ok());
  EXPECT_EQ(StoredOf(*sink, sink::EventType::kSpan), 1000u);
  EXPECT_EQ(StoredOf(*sink, sink::EventType::kLog), 1000u);
  EXPECT_EQ(StoredOf(*sink, sink::EventType::kMetric), 1000u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otelpack
