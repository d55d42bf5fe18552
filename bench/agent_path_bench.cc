// The agent's CPU path for one OTLP request, without sockets: protobuf bytes
// -> DecodeTracesProto -> SpanEncoder (the backend's JSON) -> zstd-3, each
// stage added in turn, so the cost of each is the difference between rows.
// `otelpack bench` measures the same path end to end (HTTP, threads, queue,
// sending); the gap between the two is the price of the plumbing.
//
// 16 distinct requests of 512 realistic spans (loadgen defaults), about
// 4.5 MB of protobuf: more than the L2 cache, as in a running agent.
// Run in Release: --benchmark_repetitions=5 --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/encode_body.h"
#include "format/span_encoder.h"
#include "loadgen/loadgen.h"
#include "otelpack/arena.h"
#include "otelpack/compression.h"
#include "otlp/decode.h"

namespace otelpack {
namespace {

constexpr int kRequests = 16;
constexpr std::size_t kSpansPerRequest = 512;

const std::vector<std::string>& Requests() {
  static const auto* requests = [] {
    auto* r = new std::vector<std::string>;
    loadgen::SpanGenerator generator;
    for (int i = 0; i < kRequests; ++i) {
      r->emplace_back();
      otlp::EncodeTracesProto(generator.Next(kSpansPerRequest), &r->back());
    }
    return r;
  }();
  return *requests;
}

enum Stages { kDecode = 1, kDecodeEncode = 2, kDecodeEncodeZstd = 3 };

void BM_AgentPath(benchmark::State& state) {
  const auto stages = static_cast<Stages>(state.range(0));
  const std::vector<std::string>& requests = Requests();
  Arena arena(256 * 1024);
  SpanEncoder enc;
  Buffer body, compressed;
  std::unique_ptr<Compressor> zstd = std::move(NewCompressor(Compression::kZstd, 3)).value();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& request = requests[i++ % requests.size()];
    arena.Reset();
    Result<otlp::DecodedTraces> decoded = otlp::DecodeTracesProto(request, arena);
    if (!decoded.ok()) {
      state.SkipWithError("decode failed");
      return;
    }
    bytes += request.size();
    if (stages >= kDecodeEncode) bench::EncodeBody(enc, decoded->data, &body);
    if (stages >= kDecodeEncodeZstd) {
      (void)zstd->Compress({body.data(), body.size()}, &compressed);
      benchmark::DoNotOptimize(compressed.data());
    }
    benchmark::DoNotOptimize(decoded->data.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpansPerRequest));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_AgentPath)->Arg(kDecode)->Arg(kDecodeEncode)->Arg(kDecodeEncodeZstd)->ArgName("stages");

// zstd-3 alone on the JSON bodies of the same requests.
void BM_Zstd3Only(benchmark::State& state) {
  std::vector<std::string> bodies;
  {
    Arena arena;
    SpanEncoder enc;
    Buffer body;
    for (const std::string& request : Requests()) {
      arena.Reset();
      bench::EncodeBody(enc, otlp::DecodeTracesProto(request, arena)->data, &body);
      bodies.emplace_back(body.data(), body.size());
    }
  }
  std::unique_ptr<Compressor> zstd = std::move(NewCompressor(Compression::kZstd, 3)).value();
  Buffer compressed;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& b = bodies[i++ % bodies.size()];
    (void)zstd->Compress(b, &compressed);
    bytes += b.size();
    benchmark::DoNotOptimize(compressed.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpansPerRequest));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Zstd3Only);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
