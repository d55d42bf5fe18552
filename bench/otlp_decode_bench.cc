// OTLP protobuf decoding, the receivers' hot path: one ExportTraceServiceRequest
// of 512 realistic spans (loadgen defaults, about 700 bytes of backend JSON
// each) decoded by
//   - otlp::DecodeTracesProto, our hand-written decoder, into a reused Arena
//     (strings stay views into the request: no copies);
//   - libprotobuf's generated ExportTraceServiceRequest::ParseFromString, on a
//     google::protobuf::Arena, on the heap, and into a reused message;
//   - otlp::DecodeTracesJson, the same request in the OTLP JSON mapping as
//     libprotobuf prints it (hex ids, enums as numbers, as the SDKs send).
// Items are spans, bytes are request bytes (of that benchmark's encoding).
// Run in Release: --benchmark_repetitions=5 --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <google/protobuf/arena.h>

#include <string>

#include "loadgen/loadgen.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/testing/otlp_json.h"

namespace otelpack {
namespace {

using ExportRequest = ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

constexpr std::size_t kSpans = 512;

const std::string& Request() {
  static const std::string* request = [] {
    loadgen::SpanGenerator gen;
    auto* bytes = new std::string;
    otlp::EncodeTracesProto(gen.Next(kSpans), bytes);
    return bytes;
  }();
  return *request;
}

void Count(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Request().size()));
  state.counters["request_bytes"] = static_cast<double>(Request().size());
}

void BM_HandWritten(benchmark::State& state) {
  const std::string& request = Request();
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Result<otlp::DecodedTraces> decoded = otlp::DecodeTracesProto(request, arena);
    if (!decoded.ok() || decoded->records != kSpans) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  Count(state);
}
BENCHMARK(BM_HandWritten);

void BM_LibprotobufArena(benchmark::State& state) {
  const std::string& request = Request();
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* message = google::protobuf::Arena::CreateMessage<ExportRequest>(&arena);
    if (!message->ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  Count(state);
}
BENCHMARK(BM_LibprotobufArena);

void BM_LibprotobufHeap(benchmark::State& state) {
  const std::string& request = Request();
  for (auto _ : state) {
    ExportRequest message;
    if (!message.ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  Count(state);
}
BENCHMARK(BM_LibprotobufHeap);

// The message kept across requests: its repeated fields' storage is reused.
void BM_LibprotobufReusedMessage(benchmark::State& state) {
  const std::string& request = Request();
  ExportRequest message;
  for (auto _ : state) {
    if (!message.ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  Count(state);
}
BENCHMARK(BM_LibprotobufReusedMessage);

const std::string& JsonRequest() {
  static const std::string* request = [] {
    ExportRequest message;
    if (!message.ParseFromString(Request())) return new std::string;
    return new std::string(testing::OtlpJson(message));
  }();
  return *request;
}

void BM_JsonHandWritten(benchmark::State& state) {
  const std::string& request = JsonRequest();
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Result<otlp::DecodedTraces> decoded = otlp::DecodeTracesJson(request, arena);
    if (!decoded.ok() || decoded->records != kSpans) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request.size()));
  state.counters["request_bytes"] = static_cast<double>(request.size());
}
BENCHMARK(BM_JsonHandWritten);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
