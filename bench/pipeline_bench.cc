// The whole exporter pipeline, memory queue against disk queue, on the same
// load: Export (encode) -> compress -> queue -> POST over loopback to an
// in-process sink with an in-memory store. Spans/s are spans delivered
// (ForceFlush inside the timed region), so the disk queue's fsyncs count.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

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

void BM_Pipeline(benchmark::State& state, QueueKind kind, FsyncPolicy fsync) {
  ExporterOptions o;
  o.endpoint = TheSink().endpoint();
  o.project_id = "bench";
  o.auth.api_key = "bench-key";
  o.queue.kind = kind;
  o.queue.fsync = fsync;
  char dir[] = "/tmp/otelpack-bench-XXXXXX";
  if (kind == QueueKind::kDisk) o.queue.directory = mkdtemp(dir);
  auto exporter = std::move(Exporter::Create(o)).value();
  loadgen::SpanGenerator gen;
  TracesView batch = gen.Next(512);  // what a BatchSpanProcessor hands over
  constexpr int kExportsPerIteration = 40;
  for (auto _ : state) {
    for (int i = 0; i < kExportsPerIteration; ++i) {
      if (!exporter->Export(batch).ok()) state.SkipWithError("Export refused");
    }
    if (!exporter->ForceFlush().ok()) state.SkipWithError("not delivered");
  }
  state.SetItemsProcessed(state.iterations() * kExportsPerIteration * 512);
  ExporterStats st = exporter->Stats();
  state.counters["ratio"] = static_cast<double>(st.bytes_uncompressed) / static_cast<double>(st.bytes_compressed);
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

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
