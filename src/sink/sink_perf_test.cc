// A throwaway throughput measurement (disabled: timings are not assertions).
// Run: sink_test --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/str_cat.h"
#include "sink/sink.h"
#include "http/testing/test_client.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

void Measure(const std::string& db_path, const char* label) {
  SinkOptions options = testing::TestSinkOptions();
  options.db_path = db_path;
  auto sink = Sink::Start(options);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  testing::TestClient client((*sink)->endpoint());
  constexpr int kEventsPerBatch = 500;
  constexpr int kBatches = 200;
  std::vector<std::string> bodies;
  for (int b = 0; b < kBatches; ++b) {
    bodies.push_back(
        testing::Compress(Compression::kZstd, testing::BodyOf(kEventsPerBatch, b * kEventsPerBatch)));
  }
  testing::IngestHeaderOptions o;
  o.encoding = "zstd";
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < kBatches; ++b) {
    o.batch_id = StrCat("perf-", b);
    auto r = client.Post("/v1/ingest", bodies[static_cast<std::size_t>(b)], testing::IngestHeaders(o));
    ASSERT_TRUE(r.ok() && r->status == 200);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %d batches of %d events (zstd, %zu bytes compressed each): %.0f requests/s, "
              "%.0f events/s\n",
              label, kBatches, kEventsPerBatch, bodies[0].size(), kBatches / seconds,
              kBatches * kEventsPerBatch / seconds);
  EXPECT_EQ((*sink)->CountEvents().value(), static_cast<std::uint64_t>(kBatches * kEventsPerBatch));
}

TEST(SinkPerfTest, DISABLED_IngestThroughput) {
  Measure("", "in-memory store");
  testing::TempDir dir;
  Measure(dir.File("perf.db"), "file store (WAL)");
}

}  // namespace
}  // namespace otelpack::sink
