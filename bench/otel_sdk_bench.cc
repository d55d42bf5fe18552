// The OpenTelemetry C++ SDK with otelpack's exporters, from span->End() or
// logger->EmitLogRecord() to the sink, behind each of the SDK's processors,
// beside a floor in the same run: the SDK with an exporter that takes the
// SDK's own recordables (SpanData, ReadWriteLogRecord) and only counts them.
//
// One iteration: 10,000 spans (a server span's worth of attributes; every
// tenth with an exception event and an error status) or 10,000 log records
// (six attributes; every tenth an error in a trace) made in a tight loop on
// one thread, then provider->ForceFlush(), which for otelpack returns once
// the batches are delivered to an in-process count-only sink over loopback
// (zstd, the defaults). items_per_second is what the program made per
// second, "delivered" what of it reached the exporter (and for otelpack the
// sink) per second; "lost" is the share that never reached the exporter: the
// SDK's batch processor drops what does not fit its queue, silently (only
// the SDK's internal log says so) and where otelpack's counters cannot see.
// otelpack's own queue refuses with a count instead, and every record it
// received is checked delivered.
//
// The processors: the SDK's simple one (each End()/Emit hands one record to
// the exporter, on the caller's thread); its batch one as documented
// (BatchSpanProcessorOptions{} / BatchLogRecordProcessorOptions{}: a queue
// of 2,048, exports of 512); and the batch one with a queue that holds a
// whole iteration (20,000), which loses nothing here but only because the
// test knows its burst.
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "opentelemetry/logs/severity.h"
#include "opentelemetry/sdk/common/global_log_handler.h"
#include "opentelemetry/sdk/logs/batch_log_record_processor_factory.h"
#include "opentelemetry/sdk/logs/batch_log_record_processor_options.h"
#include "opentelemetry/sdk/logs/exporter.h"
#include "opentelemetry/sdk/logs/logger_provider.h"
#include "opentelemetry/sdk/logs/logger_provider_factory.h"
#include "opentelemetry/sdk/logs/read_write_log_record.h"
#include "opentelemetry/sdk/logs/simple_log_record_processor_factory.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/sdk/trace/batch_span_processor_factory.h"
#include "opentelemetry/sdk/trace/batch_span_processor_options.h"
#include "opentelemetry/sdk/trace/exporter.h"
#include "opentelemetry/sdk/trace/simple_processor_factory.h"
#include "opentelemetry/sdk/trace/span_data.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/span_id.h"
#include "opentelemetry/trace/span_startoptions.h"
#include "opentelemetry/trace/trace_id.h"
#include "otelpack/otel/log_record_exporter.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/otel/span_exporter.h"
#include "sink/sink.h"

namespace otelpack::otel {
namespace {

namespace logs_api = opentelemetry::logs;
namespace logs_sdk = opentelemetry::sdk::logs;
namespace trace_api = opentelemetry::trace;
namespace trace_sdk = opentelemetry::sdk::trace;

constexpr int kRecordsPerIteration = 10'000;

// The SDK's batch processors warn once per record they drop: thousands of
// lines. The rows count the drops instead ("lost_%").
void QuietSdkLog() {
  opentelemetry::sdk::common::internal_log::GlobalLogHandler::SetLogLevel(
      opentelemetry::sdk::common::internal_log::LogLevel::Error);
}

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

// A pipeline of otelpack's defaults to TheSink, or null after SkipWithError.
std::shared_ptr<Pipeline> BenchPipeline(benchmark::State& state) {
  ExporterOptions o;  // the defaults: zstd, 500 events a request, a 64 MiB memory queue
  o.endpoint = TheSink().endpoint();
  o.project_id = "bench";
  o.auth.api_key = "bench-key";
  auto created = Pipeline::Create(o);
  if (!created.ok()) {
    state.SkipWithError(created.status().ToString().c_str());
    return nullptr;
  }
  return *created;
}

enum class Processor { kSimple, kBatchDefault, kBatchWholeIteration };
enum class Destination { kFloor, kOtelpack };

// The counters every row reports: records lost before the exporter, and for
// otelpack that all it received was delivered.
void Report(benchmark::State& state, std::uint64_t made, std::uint64_t reached_exporter, const Pipeline* pipeline,
            Signal signal) {
  state.SetItemsProcessed(static_cast<std::int64_t>(made));
  state.counters["delivered"] =
      benchmark::Counter(static_cast<double>(reached_exporter), benchmark::Counter::kIsRate);
  state.counters["lost_%"] = 100.0 * static_cast<double>(made - reached_exporter) / static_cast<double>(made);
  if (pipeline == nullptr) return;
  const ExporterStats st = pipeline->Stats();
  if (st.of(signal).sent != st.of(signal).received) state.SkipWithError("otelpack did not deliver all it received");
  state.counters["ratio"] = static_cast<double>(st.bytes_uncompressed) / static_cast<double>(st.bytes_compressed);
}

// The floor: the SDK's own recordables, counted and dropped.
template <typename Base, typename SdkRecordable>
class CountingExporter final : public Base {
 public:
  using Recordable = typename std::remove_reference_t<decltype(*std::declval<Base&>().MakeRecordable())>;
  explicit CountingExporter(std::atomic<std::uint64_t>* count) : count_(count) {}
  std::unique_ptr<Recordable> MakeRecordable() noexcept override { return std::make_unique<SdkRecordable>(); }
  opentelemetry::sdk::common::ExportResult Export(
      const opentelemetry::nostd::span<std::unique_ptr<Recordable>>& records) noexcept override {
    count_->fetch_add(records.size());
    return opentelemetry::sdk::common::ExportResult::kSuccess;
  }
  bool ForceFlush(std::chrono::microseconds) noexcept override { return true; }
  bool Shutdown(std::chrono::microseconds) noexcept override { return true; }

 private:
  std::atomic<std::uint64_t>* const count_;
};
using CountingSpanExporter = CountingExporter<trace_sdk::SpanExporter, trace_sdk::SpanData>;
using CountingLogExporter = CountingExporter<logs_sdk::LogRecordExporter, logs_sdk::ReadWriteLogRecord>;

// ---- spans ----

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

void BM_Spans(benchmark::State& state, Processor kind, Destination destination) {
  QuietSdkLog();
  std::unique_ptr<trace_sdk::SpanExporter> exporter;
  std::shared_ptr<Pipeline> pipeline;
  std::atomic<std::uint64_t> counted{0};
  if (destination == Destination::kFloor) {
    exporter = std::make_unique<CountingSpanExporter>(&counted);
  } else {
    if ((pipeline = BenchPipeline(state)) == nullptr) return;
    exporter = OtelpackSpanExporterFactory::Create(pipeline);
  }
  std::unique_ptr<trace_sdk::SpanProcessor> processor;
  if (kind == Processor::kSimple) {
    processor = trace_sdk::SimpleSpanProcessorFactory::Create(std::move(exporter));
  } else {
    trace_sdk::BatchSpanProcessorOptions batch;
    if (kind == Processor::kBatchWholeIteration) batch.max_queue_size = 2 * kRecordsPerIteration;
    processor = trace_sdk::BatchSpanProcessorFactory::Create(std::move(exporter), batch);
  }
  auto provider = trace_sdk::TracerProviderFactory::Create(
      std::move(processor), opentelemetry::sdk::resource::Resource::Create({{"service.name", "shop"}}));
  auto tracer = provider->GetTracer("bench", "1.0");

  for (auto _ : state) {
    for (int i = 0; i < kRecordsPerIteration; ++i) MakeSpan(*tracer, i);
    if (!provider->ForceFlush()) state.SkipWithError("ForceFlush failed");
  }
  const auto made = static_cast<std::uint64_t>(state.iterations()) * kRecordsPerIteration;
  const std::uint64_t reached = pipeline != nullptr ? pipeline->Stats().traces.received : counted.load();
  Report(state, made, reached, pipeline.get(), Signal::kTraces);
  provider->Shutdown();
}

// ---- logs ----

void EmitLog(logs_api::Logger& logger, int i) {
  auto record = logger.CreateLogRecord();
  record->SetSeverity(i % 10 == 9 ? logs_api::Severity::kError : logs_api::Severity::kInfo);
  record->SetBody(i % 10 == 9 ? "payment declined: upstream timed out after 30 s"
                              : "order shipped to the warehouse for packing");
  record->SetAttribute("http.route", "/api/v1/orders/{id}");
  record->SetAttribute("order.id", static_cast<std::int64_t>(12345 + i));
  record->SetAttribute("order.items", static_cast<std::int64_t>(i % 17));
  record->SetAttribute("customer.tier", "gold");
  record->SetAttribute("warehouse", "eu-west-7");
  record->SetAttribute("retry", i % 10 == 9);
  if (i % 10 == 9) {
    static const std::uint8_t kTrace[16] = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
                                            0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
    static const std::uint8_t kSpan[8] = {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7};
    record->SetTraceId(trace_api::TraceId(kTrace));
    record->SetSpanId(trace_api::SpanId(kSpan));
  }
  logger.EmitLogRecord(std::move(record));
}

void BM_Logs(benchmark::State& state, Processor kind, Destination destination) {
  QuietSdkLog();
  std::unique_ptr<logs_sdk::LogRecordExporter> exporter;
  std::shared_ptr<Pipeline> pipeline;
  std::atomic<std::uint64_t> counted{0};
  if (destination == Destination::kFloor) {
    exporter = std::make_unique<CountingLogExporter>(&counted);
  } else {
    if ((pipeline = BenchPipeline(state)) == nullptr) return;
    exporter = OtelpackLogRecordExporterFactory::Create(pipeline);
  }
  std::unique_ptr<logs_sdk::LogRecordProcessor> processor;
  if (kind == Processor::kSimple) {
    processor = logs_sdk::SimpleLogRecordProcessorFactory::Create(std::move(exporter));
  } else {
    logs_sdk::BatchLogRecordProcessorOptions batch;
    if (kind == Processor::kBatchWholeIteration) batch.max_queue_size = 2 * kRecordsPerIteration;
    processor = logs_sdk::BatchLogRecordProcessorFactory::Create(std::move(exporter), batch);
  }
  auto provider = logs_sdk::LoggerProviderFactory::Create(
      std::move(processor), opentelemetry::sdk::resource::Resource::Create({{"service.name", "shop"}}));
  auto logger = provider->GetLogger("bench", "bench", "1.0");

  for (auto _ : state) {
    for (int i = 0; i < kRecordsPerIteration; ++i) EmitLog(*logger, i);
    if (!provider->ForceFlush()) state.SkipWithError("ForceFlush failed");
  }
  const auto made = static_cast<std::uint64_t>(state.iterations()) * kRecordsPerIteration;
  const std::uint64_t reached = pipeline != nullptr ? pipeline->Stats().logs.received : counted.load();
  Report(state, made, reached, pipeline.get(), Signal::kLogs);
  provider->Shutdown();
}

#define OTELPACK_SDK_BENCH(fn, name, processor, destination) \
  BENCHMARK_CAPTURE(fn, name, processor, destination)->Unit(benchmark::kMillisecond)->UseRealTime()

OTELPACK_SDK_BENCH(BM_Spans, simple_floor, Processor::kSimple, Destination::kFloor);
OTELPACK_SDK_BENCH(BM_Spans, simple_otelpack, Processor::kSimple, Destination::kOtelpack);
OTELPACK_SDK_BENCH(BM_Spans, batch_default_floor, Processor::kBatchDefault, Destination::kFloor);
OTELPACK_SDK_BENCH(BM_Spans, batch_default_otelpack, Processor::kBatchDefault, Destination::kOtelpack);
OTELPACK_SDK_BENCH(BM_Spans, batch_20k_queue_floor, Processor::kBatchWholeIteration, Destination::kFloor);
OTELPACK_SDK_BENCH(BM_Spans, batch_20k_queue_otelpack, Processor::kBatchWholeIteration, Destination::kOtelpack);
OTELPACK_SDK_BENCH(BM_Logs, simple_floor, Processor::kSimple, Destination::kFloor);
OTELPACK_SDK_BENCH(BM_Logs, simple_otelpack, Processor::kSimple, Destination::kOtelpack);
OTELPACK_SDK_BENCH(BM_Logs, batch_default_floor, Processor::kBatchDefault, Destination::kFloor);
OTELPACK_SDK_BENCH(BM_Logs, batch_default_otelpack, Processor::kBatchDefault, Destination::kOtelpack);
OTELPACK_SDK_BENCH(BM_Logs, batch_20k_queue_floor, Processor::kBatchWholeIteration, Destination::kFloor);
OTELPACK_SDK_BENCH(BM_Logs, batch_20k_queue_otelpack, Processor::kBatchWholeIteration, Destination::kOtelpack);

}  // namespace
}  // namespace otelpack::otel

BENCHMARK_MAIN();
