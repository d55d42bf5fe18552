// The whole exporter pipeline, memory queue against disk queue, on the same
// load: Export (encode) -> compress -> queue -> POST over loopback to an
// in-process sink with an in-memory store. Spans/s are spans delivered
// (ForceFlush inside the timed region), so the disk queue's fsyncs count.
//
// Exports of 512 spans (what a BatchSpanProcessor hands over) or of 200 (an
// agent fed by SDKs sending small OTLP requests): the second shows how many
// requests reach the backend per 100k spans ("requests_per_100k") and the
// compression ratio they get, whatever the size of the Exports.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "loadgen/loadgen.h"
#include "otelpack/exporter.h"
#include "sink/sink.h"

namespace otelpack {
namespace {

sink::Sink& TheSink() {
  static std::unique_ptr<sink::Sink> sink = [] {
    sink::SinkOptions so;
    so.project_id = "bench";
    so.auth.api_key = "bench-key";
    so.max_events_per_request = 100000;
    return std::move(sink::Sink::Start(so)).value();
  }();
  return *sink;
}

void BM_Pipeline(benchmark::State& state, QueueKind kind, FsyncPolicy fsync, int spans_per_export = 512) {
  ExporterOptions o;
  o.endpoint = TheSink().endpoint();
  o.project_id = "bench";
  o.auth.api_key = "bench-key";
  o.queue.kind = kind;
  o.queue.fsync = fsync;
  char dir[] = "/tmp/otelpack-bench-XXXXXX";
  if (kind == QueueKind::kDisk) o.queue.directory = mkdtemp(dir);
  auto exporter = std::move(Exporter::Create(o)).value();
  // Distinct spans in every request: one Export's spans repeated in a batch
  // would flatter the compression ratio of larger batches.
  constexpr int kDistinctExports = 5;
  std::vector<std::unique_ptr<loadgen::SpanGenerator>> gens;
  std::vector<TracesView> batches;
  for (int i = 0; i < kDistinctExports; ++i) {
    gens.push_back(std::make_unique<loadgen::SpanGenerator>(loadgen::GeneratorOptions{.seed = 100u + i}));
    batches.push_back(gens.back()->Next(static_cast<std::size_t>(spans_per_export)));
  }
  const int kExportsPerIteration = 40 * 512 / spans_per_export;  // about 20k spans
  for (auto _ : state) {
    for (int i = 0; i < kExportsPerIteration; ++i) {
      if (!exporter->Export(batches[i % kDistinctExports]).ok()) state.SkipWithError("Export refused");
    }
    if (!exporter->ForceFlush().ok()) state.SkipWithError("not delivered");
  }
  state.SetItemsProcessed(state.iterations() * kExportsPerIteration * spans_per_export);
  ExporterStats st = exporter->Stats();
  state.counters["ratio"] = static_cast<double>(st.bytes_uncompressed) / static_cast<double>(st.bytes_compressed);
  state.counters["requests_per_100k"] =
      static_cast<double>(st.requests_ok) * 100000.0 / static_cast<double>(st.spans_sent);
  exporter->Shutdown();
  exporter.reset();
  if (kind == QueueKind::kDisk) std::filesystem::remove_all(dir);
}

BENCHMARK_CAPTURE(BM_Pipeline, memory_queue, QueueKind::kMemory, FsyncPolicy::kAlways)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline, disk_queue_fsync_always, QueueKind::kDisk, FsyncPolicy::kAlways)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline, disk_queue_fsync_interval, QueueKind::kDisk, FsyncPolicy::kInterval)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline, memory_queue_200_span_exports, QueueKind::kMemory, FsyncPolicy::kAlways, 200)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Pipeline, disk_queue_200_span_exports, QueueKind::kDisk, FsyncPolicy::kAlways, 200)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
