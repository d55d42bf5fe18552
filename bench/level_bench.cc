// Which zstd level to ship by default: each level's speed and ratio on each
// signal's realistic request bodies (loadgen's spans, log records and metric
// data points through the real encoders, 500 events a body, as the exporter
// batches them), and optionally on events written elsewhere (the JS SDK's,
// stored by the interop test): OTELPACK_LEVEL_CORPUS=FILE, one JSON event a
// line, is cut into bodies of 500 events the same way.
//
// Counters: MB/s is MB of JSON compressed per CPU second; "ratio" is JSON
// bytes / compressed bytes over the corpus.
// Run in Release: --benchmark_repetitions=5 --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/whole_body.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/compression.h"

namespace otelpack {
namespace {

constexpr int kBodies = 12;
constexpr std::size_t kEventsPerBody = 500;

enum class CorpusKind { kSpans, kLogs, kMetrics, kFile };

std::vector<std::string> MakeCorpus(CorpusKind kind) {
  const Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  std::vector<std::string> bodies;
  Buffer body;
  switch (kind) {
    case CorpusKind::kSpans: {
      SpanEncoder encoder;
      loadgen::SpanGenerator gen;
      for (int i = 0; i < kBodies; ++i) {
        whole.Encode(encoder, gen.Next(kEventsPerBody), &body);
        bodies.emplace_back(body.view());
      }
      break;
    }
    case CorpusKind::kLogs: {
      LogEncoder encoder;
      loadgen::LogGenerator gen;
      for (int i = 0; i < kBodies; ++i) {
        whole.Encode(encoder, gen.Next(kEventsPerBody), &body);
        bodies.emplace_back(body.view());
      }
      break;
    }
    case CorpusKind::kMetrics: {
      MetricEncoder encoder;
      loadgen::MetricGenerator gen;
      for (int i = 0; i < kBodies; ++i) {
        whole.Encode(encoder, gen.Next(kEventsPerBody), &body);
        bodies.emplace_back(body.view());
      }
      break;
    }
    case CorpusKind::kFile: {
      const char* path = std::getenv("OTELPACK_LEVEL_CORPUS");
      if (path == nullptr) break;
      std::ifstream in(path);
      std::string line, current;
      std::size_t n = 0;
      auto flush = [&] {
        if (n == 0) return;
        bodies.push_back(R"({"project_id":"prod-main","events":[)" + current + R"(],"sent_at":1732480000000})");
        current.clear();
        n = 0;
      };
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (n > 0) current += ',';
        current += line;
        if (++n == kEventsPerBody) flush();
      }
      flush();
      break;
    }
  }
  return bodies;
}

const std::vector<std::string>& Corpus(CorpusKind kind) {
  static const std::vector<std::string>* corpora[4] = {};
  auto& c = corpora[static_cast<int>(kind)];
  if (c == nullptr) c = new std::vector<std::string>(MakeCorpus(kind));
  return *c;
}

void BM_Zstd(benchmark::State& state, CorpusKind kind) {
  const int level = static_cast<int>(state.range(0));
  const std::vector<std::string>& bodies = Corpus(kind);
  if (bodies.empty()) {
    state.SkipWithError("no corpus (OTELPACK_LEVEL_CORPUS)");
    return;
  }
  auto compressor = NewCompressor(Compression::kZstd, level);
  if (!compressor.ok()) {
    state.SkipWithError(compressor.status().ToString().c_str());
    return;
  }
  Buffer out;
  std::size_t in_bytes = 0, out_bytes = 0, events = 0;
  for (auto _ : state) {
    for (const std::string& b : bodies) {
      benchmark::DoNotOptimize((*compressor)->Compress(b, &out));
      in_bytes += b.size();
      out_bytes += out.size();
    }
    events += bodies.size() * kEventsPerBody;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(in_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["ratio"] = static_cast<double>(in_bytes) / static_cast<double>(out_bytes);
  state.counters["B/event"] = static_cast<double>(out_bytes) / static_cast<double>(events);
}

void Levels(benchmark::internal::Benchmark* b) {
  for (int level : {-1, 1, 2, 3}) b->Arg(level);
}

BENCHMARK_CAPTURE(BM_Zstd, spans, CorpusKind::kSpans)->Apply(Levels);
BENCHMARK_CAPTURE(BM_Zstd, logs, CorpusKind::kLogs)->Apply(Levels);
BENCHMARK_CAPTURE(BM_Zstd, metrics, CorpusKind::kMetrics)->Apply(Levels);
BENCHMARK_CAPTURE(BM_Zstd, file, CorpusKind::kFile)->Apply(Levels);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
