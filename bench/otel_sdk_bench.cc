// The OpenTelemetry C++ SDK with otelpack's exporter, from span->End() to the
// sink, beside the SDK's own InMemorySpanExporter in the same run: the floor,
// what the SDK costs with an exporter that only keeps its SpanData.
//
// One iteration: 10,000 spans (a server span's worth of attributes; every
// tenth with an exception event and an error status) made and ended through
// the SDK's tracer, then provider->ForceFlush(), which for otelpack returns
// once the batches are delivered to an in-process count-only sink over
// loopback (zstd, the defaults). spans/s is items_per_second. The processor's
// queue holds a whole iteration, so no span is dropped (checked for otelpack).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "opentelemetry/exporters/memory/in_memory_span_data.h"
#include "opentelemetry/exporters/memory/in_memory_span_exporter_factory.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/sdk/trace/batch_span_processor_factory.h"
#include "opentelemetry/sdk/trace/batch_span_processor_options.h"
#include "opentelemetry/sdk/trace/simple_processor_factory.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/span_startoptions.h"
#include "otelpack/otel/span_exporter.h"
#include "sink/sink.h"

namespace otelpack::otel {
namespace {

namespace trace_api = opentelemetry::trace;
namespace trace_sdk = opentelemetry::sdk::trace;

constexpr int kSpansPerIteration = 10'000;

sink::Sink& TheSink() {
  static std::unique_ptr<sink::Sink> sink = [] {
    sink::SinkOptions so;
    so.project_id = "bench";
    so.auth.api_key = "bench-key";
    so.keep_events = false;  // validate and count: the store would be the bottleneck
    return std::move(sink::Sink::Start(so)).value();
  }();
  return *sink;
}

enum class Processor { kBatch, kSimple };
enum class Destination { kInMemory, kOtelpack };

void MakeSpan(trace_api::Tracer& tracer, int i) {
  trace_api::StartSpanOptions options;
  options.kind = trace_api::SpanKind::kServer;
  auto span = tracer.StartSpan("GET /api/v1/orders/{id}",
                               {{"http.request.method", "GET"},
                                {"http.route", "/api/v1/orders/{id}"},
                                {"url.full", "https://shop.example.com/api/v1/orders/12345?expand=items"},
                                {"server.address", "shop.example.com"},
                                {"server.port", 443},
                                {"client.address", "203.0.113.42"},
                                {"user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
                                {"order.items", static_cast<std::int64_t>(i % 17)}},
                               options);
  if (i % 10 == 9) {
    span->AddEvent("exception", {{"exception.type", "TimeoutError"}, {"exception.message", "upstream timed out"}});
    span->SetAttribute("http.response.status_code", 504);
    span->SetStatus(trace_api::StatusCode::kError, "upstream timed out");
  } else {
    span->SetAttribute("http.response.status_code", 200);
  }
  span->End();
}

void BM_SdkToSink(benchmark::State& state, Processor kind, Destination destination) {
  std::unique_ptr<trace_sdk::SpanExporter> exporter;
  OtelpackSpanExporter* otelpack = nullptr;
  std::shared_ptr<opentelemetry::exporter::memory::InMemorySpanData> data;
  if (destination == Destination::kInMemory) {
    exporter = opentelemetry::exporter::memory::InMemorySpanExporterFactory::Create(data);
  } else {
    ExporterOptions o;
    o.endpoint = TheSink().endpoint();
    o.project_id = "bench";
    o.auth.api_key = "bench-key";
    auto created = OtelpackSpanExporter::Create(o);
    if (!created.ok()) {
      state.SkipWithError(created.status().ToString().c_str());
      return;
    }
    otelpack = created->get();
    exporter = std::move(*created);
  }
  std::unique_ptr<trace_sdk::SpanProcessor> processor;
  if (kind == Processor::kBatch) {
    trace_sdk::BatchSpanProcessorOptions batch;
    batch.max_queue_size = 2 * kSpansPerIteration;
    batch.max_export_batch_size = 512;
    processor = trace_sdk::BatchSpanProcessorFactory::Create(std::move(exporter), batch);
  } else {
    processor = trace_sdk::SimpleSpanProcessorFactory::Create(std::move(exporter));
  }
  auto provider = trace_sdk::TracerProviderFactory::Create(
      std::move(processor), opentelemetry::sdk::resource::Resource::Create({{"service.name", "shop"}}));
  auto tracer = provider->GetTracer("bench", "1.0");

  for (auto _ : state) {
    for (int i = 0; i < kSpansPerIteration; ++i) MakeSpan(*tracer, i);
    if (!provider->ForceFlush()) state.SkipWithError("ForceFlush failed");
  }
  const auto spans = static_cast<std::uint64_t>(state.iterations()) * kSpansPerIteration;
  state.SetItemsProcessed(static_cast<std::int64_t>(spans));
  if (otelpack != nullptr) {
    const ExporterStats st = otelpack->Stats();
    if (st.spans_sent != spans) state.SkipWithError("not every span was delivered");
    state.counters["ratio"] = static_cast<double>(st.bytes_uncompressed) / static_cast<double>(st.bytes_compressed);
  }
  provider->Shutdown();
}

BENCHMARK_CAPTURE(BM_SdkToSink, batch_in_memory_floor, Processor::kBatch, Destination::kInMemory)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_SdkToSink, batch_otelpack_to_sink, Processor::kBatch, Destination::kOtelpack)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_SdkToSink, simple_in_memory_floor, Processor::kSimple, Destination::kInMemory)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_SdkToSink, simple_otelpack_to_sink, Processor::kSimple, Destination::kOtelpack)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace otelpack::otel

BENCHMARK_MAIN();
