// The article's in-process exporter with the OpenTelemetry C++ SDK: a
// TracerProvider with the SDK's BatchSpanProcessor and otelpack's exporter,
// configured by the OTELPACK_* environment variables (README, "Configuration
// by environment").
//
//   export OTELPACK_ENDPOINT=https://analytics.example.com OTELPACK_PROJECT_ID=prod-main
//   export OTELPACK_API_KEY=...
//   otel_sdk_example [REQUESTS]
//
// Against the reference backend, on one machine:
//   OTELPACK_API_KEY=secret otelpack sink --listen 127.0.0.1:8080 --db /tmp/events.db --project demo &
//   OTELPACK_ENDPOINT=http://127.0.0.1:8080 OTELPACK_PROJECT_ID=demo OTELPACK_API_KEY=secret otel_sdk_example
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/sdk/trace/batch_span_processor_factory.h"
#include "opentelemetry/sdk/trace/batch_span_processor_options.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/span_startoptions.h"
#include "otelpack/exporter.h"
#include "otelpack/otel/span_exporter.h"

namespace trace_api = opentelemetry::trace;
namespace trace_sdk = opentelemetry::sdk::trace;

namespace {

// One request: a server span and, inside it, a database call; every tenth fails.
void HandleRequest(trace_api::Tracer& tracer, int i) {
  trace_api::StartSpanOptions server_options;
  server_options.kind = trace_api::SpanKind::kServer;
  auto server = tracer.StartSpan("GET /checkout/{cart}",
                                 {{"http.request.method", "GET"},
                                  {"http.route", "/checkout/{cart}"},
                                  {"cart.id", static_cast<std::int64_t>(i)}},
                                 server_options);

  trace_api::StartSpanOptions db_options;
  db_options.kind = trace_api::SpanKind::kClient;
  db_options.parent = server->GetContext();
  auto db = tracer.StartSpan("SELECT orders", {{"db.system", "postgresql"}, {"db.rows", 3}}, db_options);
  db->End();

  if (i % 10 == 9) {
    server->AddEvent("exception", {{"exception.type", "PaymentDeclined"}, {"exception.message", "card expired"}});
    server->SetAttribute("http.response.status_code", 402);
    server->SetStatus(trace_api::StatusCode::kError, "payment declined");
  } else {
    server->SetAttribute("http.response.status_code", 200);
  }
  server->End();
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
  auto exporter = otelpack::otel::OtelpackSpanExporterFactory::Create(*options);
  if (!exporter.ok()) {
    std::fprintf(stderr, "%s\n", exporter.status().ToString().c_str());
    return 2;
  }

  // The article's set-up: the SDK's batch processor in front of the exporter.
  trace_sdk::BatchSpanProcessorOptions batch;
  batch.max_queue_size = 2048;
  batch.max_export_batch_size = 512;
  batch.schedule_delay_millis = std::chrono::milliseconds(1000);
  auto processor = trace_sdk::BatchSpanProcessorFactory::Create(std::move(*exporter), batch);
  std::shared_ptr<trace_sdk::TracerProvider> provider = trace_sdk::TracerProviderFactory::Create(
      std::move(processor), opentelemetry::sdk::resource::Resource::Create({{"service.name", "checkout"},
                                                                            {"service.version", "1.4.2"}}));

  auto tracer = provider->GetTracer("otelpack-example", "0.1.0");
  for (int i = 0; i < requests; ++i) HandleRequest(*tracer, i);

  // Exports what the processor holds and delivers what is pending (30 s at most).
  const bool delivered = provider->Shutdown(std::chrono::seconds(30));
  std::printf("%d spans: %s\n", 2 * requests, delivered ? "delivered" : "NOT all delivered (see the log above)");
  return delivered ? 0 : 1;
}
