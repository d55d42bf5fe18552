// The article's in-process exporter with the OpenTelemetry C++ SDK: one
// otelpack pipeline carries the program's spans, log records and metrics, the
// three providers each with otelpack's exporter, configured by the
// OTELPACK_* environment variables (README, "Configuration by environment").
//
//   export OTELPACK_ENDPOINT=https://analytics.example.com OTELPACK_PROJECT_ID=prod-main
//   export OTELPACK_API_KEY=...
//   otel_sdk_example [REQUESTS]
//
// Against the reference backend, on one machine:
//   OTELPACK_API_KEY=secret otelpack sink --listen 127.0.0.1:8080 --db /tmp/events.db --project demo &
//   OTELPACK_ENDPOINT=http://127.0.0.1:8080 OTELPACK_PROJECT_ID=demo OTELPACK_API_KEY=secret otel_sdk_example
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "opentelemetry/common/key_value_iterable_view.h"
#include "opentelemetry/context/context.h"
#include "opentelemetry/logs/logger.h"
#include "opentelemetry/metrics/meter.h"
#include "opentelemetry/sdk/logs/logger_provider.h"
#include "opentelemetry/sdk/logs/logger_provider_factory.h"
#include "opentelemetry/sdk/logs/simple_log_record_processor_factory.h"
#include "opentelemetry/sdk/metrics/export/periodic_exporting_metric_reader_factory.h"
#include "opentelemetry/sdk/metrics/export/periodic_exporting_metric_reader_options.h"
#include "opentelemetry/sdk/metrics/meter_provider.h"
#include "opentelemetry/sdk/metrics/meter_provider_factory.h"
#include "opentelemetry/sdk/metrics/view/view_registry.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/sdk/trace/simple_processor_factory.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/span_startoptions.h"
#include "otelpack/otel/log_record_exporter.h"
#include "otelpack/otel/metric_exporter.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/otel/span_exporter.h"

namespace logs_api = opentelemetry::logs;
namespace logs_sdk = opentelemetry::sdk::logs;
namespace metrics_api = opentelemetry::metrics;
namespace metrics_sdk = opentelemetry::sdk::metrics;
namespace trace_api = opentelemetry::trace;
namespace trace_sdk = opentelemetry::sdk::trace;

namespace {

// What the service instruments, made once.
struct Telemetry {
  opentelemetry::nostd::shared_ptr<trace_api::Tracer> tracer;
  opentelemetry::nostd::shared_ptr<logs_api::Logger> logger;
  opentelemetry::nostd::unique_ptr<metrics_api::Counter<std::uint64_t>> requests;
  opentelemetry::nostd::unique_ptr<metrics_api::Histogram<double>> duration;
};

// One request: a server span and, inside it, a database call; every tenth
// fails, with an error log record in the span's trace.
void HandleRequest(Telemetry& t, int i) {
  const auto start = std::chrono::steady_clock::now();
  trace_api::StartSpanOptions server_options;
  server_options.kind = trace_api::SpanKind::kServer;
  auto server = t.tracer->StartSpan("GET /checkout/{cart}",
                                    {{"http.request.method", "GET"},
                                     {"http.route", "/checkout/{cart}"},
                                     {"cart.id", static_cast<std::int64_t>(i)}},
                                    server_options);

  trace_api::StartSpanOptions db_options;
  db_options.kind = trace_api::SpanKind::kClient;
  db_options.parent = server->GetContext();
  auto db = t.tracer->StartSpan("SELECT orders", {{"db.system", "postgresql"}, {"db.rows", 3}}, db_options);
  db->End();

  const bool failed = i % 10 == 9;
  if (failed) {
    server->AddEvent("exception", {{"exception.type", "PaymentDeclined"}, {"exception.message", "card expired"}});
    server->SetAttribute("http.response.status_code", 402);
    server->SetStatus(trace_api::StatusCode::kError, "payment declined");
    // The span's ids go with the record, so the backend joins the two.
    t.logger->EmitLogRecord(logs_api::Severity::kError, "payment declined: card expired",
                            opentelemetry::common::MakeAttributes({{"cart.id", static_cast<std::int64_t>(i)}}),
                            server->GetContext());
  } else {
    server->SetAttribute("http.response.status_code", 200);
  }
  server->End();

  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  const int status = failed ? 402 : 200;
  t.requests->Add(1, {{"http.route", "/checkout/{cart}"}, {"http.response.status_code", status}});
  t.duration->Record(seconds.count(), {{"http.route", "/checkout/{cart}"}}, opentelemetry::context::Context{});
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 100;

  // The same options and variables as the core library; code may override them.
  otelpack::Result<otelpack::ExporterOptions> options = otelpack::ExporterOptions::FromEnvironment();
  if (!options.ok()) {
    std::fprintf(stderr, "%s\n", options.status().ToString().c_str());
    return 2;
  }
  if (options->endpoint.empty()) {
    std::fprintf(stderr, "set OTELPACK_ENDPOINT (and OTELPACK_PROJECT_ID, OTELPACK_API_KEY) to the backend\n");
    return 2;
  }
  // One pipeline (batches, queue, senders, connections) for the three signals.
  otelpack::Result<std::shared_ptr<otelpack::otel::Pipeline>> pipeline = otelpack::otel::Pipeline::Create(*options);
  if (!pipeline.ok()) {
    std::fprintf(stderr, "%s\n", pipeline.status().ToString().c_str());
    return 2;
  }
  const auto resource = opentelemetry::sdk::resource::Resource::Create(
      {{"service.name", "checkout"}, {"service.version", "1.4.2"}});

  // otelpack batches, compresses and queues on its own: the SDK's simple
  // processors hand it each span and record as it ends (docs/otel-sdk.md,
  // "Which processor").
  std::shared_ptr<trace_sdk::TracerProvider> tracer_provider = trace_sdk::TracerProviderFactory::Create(
      trace_sdk::SimpleSpanProcessorFactory::Create(otelpack::otel::OtelpackSpanExporterFactory::Create(*pipeline)),
      resource);
  std::shared_ptr<logs_sdk::LoggerProvider> logger_provider = logs_sdk::LoggerProviderFactory::Create(
      logs_sdk::SimpleLogRecordProcessorFactory::Create(
          otelpack::otel::OtelpackLogRecordExporterFactory::Create(*pipeline)),
      resource);
  std::shared_ptr<metrics_sdk::MeterProvider> meter_provider =
      metrics_sdk::MeterProviderFactory::Create(std::make_unique<metrics_sdk::ViewRegistry>(), resource);
  metrics_sdk::PeriodicExportingMetricReaderOptions reader_options;
  reader_options.export_interval_millis = std::chrono::milliseconds(10'000);
  reader_options.export_timeout_millis = std::chrono::milliseconds(5'000);
  meter_provider->AddMetricReader(metrics_sdk::PeriodicExportingMetricReaderFactory::Create(
      otelpack::otel::OtelpackMetricExporterFactory::Create(*pipeline), reader_options));

  auto meter = meter_provider->GetMeter("otelpack-example", "0.1.0");
  Telemetry t{tracer_provider->GetTracer("otelpack-example", "0.1.0"),
              logger_provider->GetLogger("otelpack-example", "otelpack-example", "0.1.0"),
              meter->CreateUInt64Counter("http.server.requests", "requests served", "{request}"),
              meter->CreateDoubleHistogram("http.server.request.duration", "time to serve a request", "s")};
  for (int i = 0; i < requests; ++i) HandleRequest(t, i);

  // The MeterProvider's Shutdown does not collect a last time: flush first.
  meter_provider->ForceFlush();
  // Each Shutdown detaches its exporter; the last one shuts the pipeline
  // down, delivering what is pending (30 s at most).
  bool delivered = tracer_provider->Shutdown(std::chrono::seconds(30));
  delivered = logger_provider->Shutdown(std::chrono::seconds(30)) && delivered;
  delivered = meter_provider->Shutdown(std::chrono::seconds(30)) && delivered;

  const otelpack::ExporterStats stats = (*pipeline)->Stats();
  std::printf("%llu spans, %llu log records, %llu metric data points sent: %s\n",
              static_cast<unsigned long long>(stats.traces.sent), static_cast<unsigned long long>(stats.logs.sent),
              static_cast<unsigned long long>(stats.metrics.sent),
              delivered ? "all delivered" : "NOT all delivered (see the log above)");
  return delivered ? 0 : 1;
}
