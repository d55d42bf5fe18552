// The exporter's hot path on realistic data: loadgen spans -> JSON body
// (SpanEncoder), alone and followed by each codec, and each codec alone on
// the same pre-encoded bodies, so that (encode + compress) / compress shows
// what encoding adds to the cost of a batch. Log records (LogEncoder) and
// metric data points (MetricEncoder) are encoded the same way, on the
// sample logs and metrics of format/testing/sample_signals.h, so the three
// encoders compare in one run.
//
// Declared formats (docs/formats.md) are timed on the same sets: the
// built-in declarations, compiled, against the hand-written encoders they
// reproduce byte for byte (BM_EncodeDeclared/article_schema vs
// BM_Encode/article_schema, and the logs' and metrics' declared rows), and
// two declarations unlike the article's (format/testing/sample_formats.h).
//
// The set is 12 batches of 500 spans (about 4.2 MB of JSON, more than the
// L2 cache, like the measurements in the project's reference notes), and 12
// batches of 500 log records and of 500 data points.
// Run in Release: --benchmark_repetitions=5 --benchmark_min_time=0.5
// (add --benchmark_enable_random_interleaving=true to compare rows).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bench/encode_body.h"
#include "format/declared/builtin.h"
#include "format/declared/compile.h"
#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/sample_formats.h"
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

// The compiled declaration, or a skipped benchmark saying why not.
std::shared_ptr<const format::declared::CompiledFormat> CompileOrSkip(benchmark::State& state,
                                                                      const format::declared::Declaration& d) {
  format::declared::CompileResult r = format::declared::Compile(d, {.project_id = "prod-main"});
  if (!r.ok()) state.SkipWithError(format::declared::DeclarationErrorsStatus(d.source, r.errors).ToString().c_str());
  return r.format;
}

// (a) Encode only. MB/s here is MB of JSON written per second.
void EncodeSpans(benchmark::State& state, TracesEncoder& enc, const Envelope& envelope) {
  const Corpus& c = GetCorpus();
  testing::WholeBody whole(envelope);
  Buffer body(1 << 20);
  std::size_t bytes = 0;  // per pass; extra fields make more than c.json_bytes
  for (TracesView batch : c.batches) {
    whole.Encode(enc, batch, &body);
    bytes += body.size();
  }
  for (auto _ : state) {
    for (TracesView batch : c.batches) {
      whole.Encode(enc, batch, &body);
      benchmark::DoNotOptimize(body.data());
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.spans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["B/span"] = static_cast<double>(bytes) / static_cast<double>(c.spans);
}

void BM_Encode(benchmark::State& state, ExtraFields extra) {
  static const Envelope envelope = Envelope::ForProject("prod-main");
  SpanEncoder enc(extra);
  EncodeSpans(state, enc, envelope);
}

// The same spans through a compiled declaration.
void BM_EncodeDeclared(benchmark::State& state, format::declared::Declaration (*declaration)()) {
  const auto format = CompileOrSkip(state, declaration());
  if (!format) return;
  std::unique_ptr<TracesEncoder> enc = format->NewTracesEncoder();
  EncodeSpans(state, *enc, format->envelope());
}
format::declared::Declaration Article() { return format::declared::BuiltinDeclaration(); }
format::declared::Declaration AllExtraFields() {
  return format::declared::BuiltinDeclaration(ExtraFields{true, true, true, true, true, true});
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
BENCHMARK_CAPTURE(BM_EncodeDeclared, article_schema, &Article)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeDeclared, all_extra_fields, &AllExtraFields)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeDeclared, flat_ndjson, &testing::FlatNdjsonDeclaration)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeDeclared, heavy, &testing::HeavyDeclaration)->Apply(WithMinMax);

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
template <typename View, typename Sample>
void EncodeSignal(benchmark::State& state, SignalEncoder<View>& enc, const Envelope& envelope, std::size_t batches) {
  const SignalCorpus<View, Sample>& c = GetSignalCorpus<View, Sample>();
  const std::span<const View> set = std::span(c.batches).first(batches);
  testing::WholeBody whole(envelope);
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

const Envelope& ArticleEnvelope() {
  static const Envelope envelope = Envelope::ForProject("prod-main");
  return envelope;
}
void BM_EncodeLogs(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  LogEncoder enc(extra);
  EncodeSignal<LogsView, testing::SampleLogs>(state, enc, ArticleEnvelope(), batches);
}
void BM_EncodeMetrics(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  MetricEncoder enc(extra);
  EncodeSignal<MetricsView, testing::SampleMetrics>(state, enc, ArticleEnvelope(), batches);
}
// The built-in log and metric declarations, compiled.
void BM_EncodeLogsDeclared(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  const auto format = CompileOrSkip(state, format::declared::BuiltinDeclaration(extra));
  if (!format) return;
  std::unique_ptr<LogsEncoder> enc = format->NewLogsEncoder();
  EncodeSignal<LogsView, testing::SampleLogs>(state, *enc, format->envelope(), batches);
}
void BM_EncodeMetricsDeclared(benchmark::State& state, ExtraFields extra, std::size_t batches) {
  const auto format = CompileOrSkip(state, format::declared::BuiltinDeclaration(extra));
  if (!format) return;
  std::unique_ptr<MetricsEncoder> enc = format->NewMetricsEncoder();
  EncodeSignal<MetricsView, testing::SampleMetrics>(state, *enc, format->envelope(), batches);
}
constexpr ExtraFields kResourceAndScope{.resource = true, .scope = true};
BENCHMARK_CAPTURE(BM_EncodeLogs, article_schema, ExtraFields{}, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeLogs, hot_batch, ExtraFields{}, 1)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeLogs, resource_and_scope, kResourceAndScope, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetrics, article_schema, ExtraFields{}, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetrics, hot_batch, ExtraFields{}, 1)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetrics, resource_and_scope, kResourceAndScope, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeLogsDeclared, article_schema, ExtraFields{}, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeLogsDeclared, resource_and_scope, kResourceAndScope, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetricsDeclared, article_schema, ExtraFields{}, kBatches)->Apply(WithMinMax);
BENCHMARK_CAPTURE(BM_EncodeMetricsDeclared, resource_and_scope, kResourceAndScope, kBatches)->Apply(WithMinMax);

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
