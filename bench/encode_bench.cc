// The exporter's hot path on realistic data: loadgen spans -> JSON body
// (SpanEncoder), alone and followed by each codec, and each codec alone on
// the same pre-encoded bodies, so that (encode + compress) / compress shows
// what encoding adds to the cost of a batch. Log records (LogEncoder) and
// metric data points (MetricEncoder) are encoded the same way, on the
// sample logs and metrics of format/testing/sample_signals.h, so the three
// encoders compare in one run.
//
// The set is 12 batches of 500 spans (about 4.2 MB of JSON, more than the
// L2 cache, like the measurements in the project's reference notes), and 12
// batches of 500 log records and of 500 data points.
// Run in Release: --benchmark_repetitions=5 --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/encode_body.h"
#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/sample_signals.h"
#include "format/testing/whole_body.h"
#include "loadgen/loadgen.h"
#include "otelpack/compression.h"

namespace otelpack {
namespace {

constexpr int kBatches = 12;
constexpr std::size_t kSpansPerBatch = 500;

struct Corpus {
  std::vector<std::unique_ptr<loadgen::SpanGenerator>> generators;  // own the spans
  std::vector<TracesView> batches;
  std::vector<std::string> bodies;  // the same batches, encoded
  std::size_t spans = 0;
  std::size_t json_bytes = 0;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    SpanEncoder enc;
    Buffer body;
    for (int i = 0; i < kBatches; ++i) {
      loadgen::GeneratorOptions o;
      o.seed = 42 + static_cast<std::uint64_t>(i);
      c->generators.push_back(std::make_unique<loadgen::SpanGenerator>(o));
      c->batches.push_back(c->generators.back()->Next(kSpansPerBatch));
      bench::EncodeBody(enc, c->batches.back(), &body);
      c->bodies.emplace_back(body.view());
      c->spans += kSpansPerBatch;
      c->json_bytes += body.size();
    }
    return c;
  }();
  return *corpus;
}

void SetCounters(benchmark::State& state, const Corpus& c) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.spans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.json_bytes));
  state.counters["B/span"] = static_cast<double>(c.json_bytes) / static_cast<double>(c.spans);
}

std::unique_ptr<Compressor> MakeCompressor(benchmark::State& state, Compression codec, int level) {
  Result<std::unique_ptr<Compressor>> r = NewCompressor(codec, level);
  if (!r.ok()) {
    state.SkipWithError(r.status().ToString().c_str());
    return nullptr;
  }
  return std::move(r).value();
}

// With --benchmark_repetitions, also report the best and worst repetition:
// this machine is shared, and the best run is the least disturbed one.
// ("min" of a time is the best run; "max" of a rate is the best run.)
void WithMinMax(benchmark::internal::Benchmark* b) {
  b->ComputeStatistics("min", [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); })
      ->ComputeStatistics("max", [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });
}

// (a) Encode only. MB/s here is MB of JSON written per second.
void BM_Encode(benchmark::State& state, ExtraFields extra) {
  const Corpus& c = GetCorpus();
  SpanEncoder enc(extra);
  Buffer body(1 << 20);
  std::size_t bytes = 0;  // per pass; extra fields make more than c.json_bytes
  for (TracesView batch : c.batches) {
    bench::EncodeBody(enc, batch, &body);
    bytes += body.size();
  }
  for (auto _ : state) {
    for (TracesView batch : c.batches) {
      bench::EncodeBody(enc, batch, &body);
      benchmark::DoNotOptimize(body.data());
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.spans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["B/span"] = static_cast<double>(bytes) / static_cast<double>(c.spans);
}
BENCHMARK_CAPTURE(BM_Encode, article_schema, ExtraFields{})->Apply(WithMinMax);

// (a') One batch over and over: its spans and JSON stay in the L2 cache, so
// this is the encoder's compute cost without memory stalls.
void BM_EncodeHotBatch(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  SpanEncoder enc;
  Buffer body(1 << 20);
  for (auto _ : state) {
    bench::EncodeBody(enc, c.batches[0], &body);
    benchmark::DoNotOptimize(body.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpansPerBatch));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bodies[0].size()));
}
BENCHMARK(BM_EncodeHotBatch)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_Encode, all_extra_fields, ExtraFields{true, true, true, true, true, true})->Apply(WithMinMax);

// (a'') Log records and metric data points, 12 batches of 500 as for spans.
// MB/s is MB of JSON written per second; items are records (data points).
template <typename View, typename Sample>
struct SignalCorpus {
  std::vector<std::unique_ptr<Sample>> samples;  // own the records
  std::vector<View> batches;
};

template <typename View, typename Sample>
const SignalCorpus<View, Sample>& GetSignalCorpus() {
  static const auto* corpus = [] {
    auto* c = new SignalCorpus<View, Sample>;
    for (int i = 0; i < kBatches; ++i) {
      c->samples.push_back(std::make_unique<Sample>(42 + static_cast<std::uint64_t>(i)));
      c->batches.push_back(c->samples.back()->Next(kSpansPerBatch));
    }
    return c;
  }();
  return *corpus;
}

// Encodes the first `batches` batches of the corpus; 1 keeps the batch and
// its JSON in the L2 cache, as BM_EncodeHotBatch does for spans.
template <typename Encoder, typename View, typename Sample>
void EncodeSignal(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  const SignalCorpus<View, Sample>& c = GetSignalCorpus<View, Sample>();
  const std::span<const View> set = std::span(c.batches).first(batches);
  static const Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  Encoder enc(extra);
  Buffer body(1 << 20);
  std::size_t bytes = 0;
  for (View batch : set) {
    whole.Encode(enc, batch, &body);
    bytes += body.size();
  }
  for (auto _ : state) {
    for (View batch : set) {
      whole.Encode(enc, batch, &body);
      benchmark::DoNotOptimize(body.data());
      benchmark::ClobberMemory();
    }
  }
  const std::size_t records = batches * kSpansPerBatch;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["B/record"] = static_cast<double>(bytes) / static_cast<double>(records);
}

void BM_EncodeLogs(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  EncodeSignal<LogEncoder, LogsView, testing::SampleLogs>(state, extra, batches);
}
void BM_EncodeMetrics(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  EncodeSignal<MetricEncoder, MetricsView, testing::SampleMetrics>(state, extra, batches);
}
constexpr ExtraFields kResourceAndScope{.resource = true, .scope = true};
BENCHMARK_CAPTURE(BM_EncodeLogs, article_schema, ExtraFields{}, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeLogs, hot_batch, ExtraFields{}, 1)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeLogs, resource_and_scope, kResourceAndScope, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetrics, article_schema, ExtraFields{}, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetrics, hot_batch, ExtraFields{}, 1)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetrics, resource_and_scope, kResourceAndScope, kBatches)->Apply(WithMinMax);

// (b) Encode + compress, the full per-batch path. MB/s is MB of JSON.
void BM_EncodeCompress(benchmark::State& state, Compression codec, int level) {
  const Corpus& c = GetCorpus();
  std::unique_ptr<Compressor> compressor = MakeCompressor(state, codec, level);
  if (!compressor) return;
  SpanEncoder enc;
  Buffer body(1 << 20), out(1 << 20);
  std::size_t compressed = 0;
  for (auto _ : state) {
    compressed = 0;
    for (TracesView batch : c.batches) {
      bench::EncodeBody(enc, batch, &body);
      Status st = compressor->Compress(body.view(), &out);
      if (!st.ok()) {
        state.SkipWithError(st.ToString().c_str());
        return;
      }
      compressed += out.size();
      benchmark::DoNotOptimize(out.data());
    }
  }
  SetCounters(state, c);
  state.counters["ratio"] = static_cast<double>(c.json_bytes) / static_cast<double>(compressed);
}

// (c) Compress only, the same bodies pre-encoded.
void BM_CompressOnly(benchmark::State& state, Compression codec, int level) {
  const Corpus& c = GetCorpus();
  std::unique_ptr<Compressor> compressor = MakeCompressor(state, codec, level);
  if (!compressor) return;
  Buffer out(1 << 20);
  std::size_t compressed = 0;
  for (auto _ : state) {
    compressed = 0;
    for (const std::string& body : c.bodies) {
      Status st = compressor->Compress(body, &out);
      if (!st.ok()) {
        state.SkipWithError(st.ToString().c_str());
        return;
      }
      compressed += out.size();
      benchmark::DoNotOptimize(out.data());
    }
  }
  SetCounters(state, c);
  state.counters["ratio"] = static_cast<double>(c.json_bytes) / static_cast<double>(compressed);
}

BENCHMARK_CAPTURE(BM_EncodeCompress, zstd_1, Compression::kZstd, 1)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeCompress, zstd_3, Compression::kZstd, 3)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeCompress, lz4, Compression::kLz4, 0)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeCompress, gzip_6, Compression::kGzip, 6)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_CompressOnly, zstd_1, Compression::kZstd, 1)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_CompressOnly, zstd_3, Compression::kZstd, 3)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_CompressOnly, lz4, Compression::kLz4, 0)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_CompressOnly, gzip_6, Compression::kGzip, 6)->Apply(WithMinMax);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
