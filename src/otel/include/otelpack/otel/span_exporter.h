// OtelpackSpanExporter: otelpack as a span exporter of the OpenTelemetry C++
// SDK — the article's CompressedBatchExporter plugged into the SDK, for C++
// services.
//
//   auto pipeline = otelpack::otel::Pipeline::Create(*otelpack::ExporterOptions::FromEnvironment());
//   if (!pipeline.ok()) { ... pipeline.status().ToString() names the bad option ... }
//   auto provider = opentelemetry::sdk::trace::TracerProviderFactory::Create(
//       opentelemetry::sdk::trace::SimpleSpanProcessorFactory::Create(
//           otelpack::otel::OtelpackSpanExporterFactory::Create(*pipeline)),
//       opentelemetry::sdk::resource::Resource::Create({{"service.name", "checkout"}}));
//   ...
//   provider->Shutdown();  // delivers what is pending
//
// The same pipeline serves the log record and the metric exporters
// (pipeline.h says who shuts it down); a program that exports spans only may
// skip it: Create(options) makes a pipeline of the exporter's own.
//
// The SDK records each span into a recordable made by MakeRecordable. Ours
// writes straight into otelpack's model (model.h): strings and lists are
// copied once, into an Arena the recordable owns, because the SDK's arguments
// do not outlive the call; there is no SpanData in between. Export groups the
// recordables by resource and scope and hands them to the pipeline's
// Exporter::Export, which encodes them into the open batch before it returns;
// the rest (batching, compression, queue, retries) is the core's, configured
// by the same ExporterOptions and OTELPACK_* variables. The core batches on
// its own, so the SDK's SimpleSpanProcessor is the one to use (docs/otel-sdk.md,
// "Which processor"). Mapping decisions (uint64, byte arrays, limits,
// timeouts) are in docs/otel-sdk.md.
//
// Thread-safe: MakeRecordable, Export, ForceFlush and Shutdown may be called
// from any thread. Nothing throws.
#ifndef OTELPACK_OTEL_SPAN_EXPORTER_H_
#define OTELPACK_OTEL_SPAN_EXPORTER_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "opentelemetry/sdk/trace/exporter.h"
#include "otelpack/arena.h"
#include "otelpack/exporter.h"
#include "otelpack/model/grouping.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/status.h"

namespace otelpack::otel {

class OtelpackRecordable;

class OtelpackSpanExporter final : public opentelemetry::sdk::trace::SpanExporter {
 public:
  // An exporter on `pipeline` (not null), shared with other exporters.
  static std::unique_ptr<OtelpackSpanExporter> Create(std::shared_ptr<Pipeline> pipeline);
  // An exporter with a pipeline of its own. InvalidArgument naming the option
  // when `options` do not validate.
  static Result<std::unique_ptr<OtelpackSpanExporter>> Create(const ExporterOptions& options);
  ~OtelpackSpanExporter() override;

  // A recordable that writes into otelpack's model. It records links and the
  // trace state only when options.extra_fields asks for them: the article's
  // event carries neither.
  std::unique_ptr<opentelemetry::sdk::trace::Recordable> MakeRecordable() noexcept override;

  // Hands the spans to the core's Export. kSuccess: accepted (delivery goes on
  // in the background); kFailureFull: the queue was full, nothing accepted;
  // kFailureInvalidArgument: some span alone exceeded max_batch_bytes (the
  // others were accepted); kFailure: after Shutdown, or any other error.
  opentelemetry::sdk::common::ExportResult Export(
      const opentelemetry::nostd::span<std::unique_ptr<opentelemetry::sdk::trace::Recordable>>& spans) noexcept
      override;

  // The pipeline's ForceFlush: true once every record handed over so far
  // (by any exporter of the pipeline) is delivered; false on a timeout or a
  // definitive failure. Timeouts: see "Timeouts" in docs/otel-sdk.md (the
  // SDK's "no timeout" becomes 30 s).
  bool ForceFlush(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;
  // Refuses further Exports and detaches from the pipeline: flushes it, or
  // shuts it down when this is its last exporter (pipeline.h). True when
  // nothing was left undelivered within the timeout. Idempotent.
  bool Shutdown(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;

  // The pipeline's counters (stats.traces: spans received, sent, dropped by
  // reason, ...; the other signals beside them).
  ExporterStats Stats() const;

 private:
  explicit OtelpackSpanExporter(std::shared_ptr<Pipeline> pipeline);

  // Constant after construction.
  const std::unique_ptr<PipelineLease> lease_;
  const bool record_links_;
  const bool record_trace_state_;

  // Export's scratch space, reused from call to call.
  std::mutex export_mu_;
  Arena batch_arena_;                                    // GUARDED_BY(export_mu_): the batch's views
  std::vector<GroupKey> entries_;  // GUARDED_BY(export_mu_)
};

// In the style of the SDK's exporter factories (OtlpHttpExporterFactory, ...),
// with a Result: options that do not validate are an error with a message,
// not a null pointer.
class OtelpackSpanExporterFactory {
 public:
  // On a pipeline shared with the log record and metric exporters (not null).
  static std::unique_ptr<opentelemetry::sdk::trace::SpanExporter> Create(std::shared_ptr<Pipeline> pipeline);
  // With a pipeline of its own, from the options or from the OTELPACK_*
  // environment variables (ExporterOptions::FromEnvironment).
  static Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> Create();
  static Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> Create(const ExporterOptions& options);
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_SPAN_EXPORTER_H_
