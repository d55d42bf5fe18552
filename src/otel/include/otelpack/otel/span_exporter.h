// OtelpackSpanExporter: otelpack as a span exporter of the OpenTelemetry C++
// SDK — the article's CompressedBatchExporter plugged into the SDK's
// BatchSpanProcessor, for C++ services.
//
//   otelpack::ExporterOptions options = *otelpack::ExporterOptions::FromEnvironment();
//   auto exporter = otelpack::otel::OtelpackSpanExporterFactory::Create(options);
//   if (!exporter.ok()) { ... exporter.status().ToString() names the bad option ... }
//   auto processor = opentelemetry::sdk::trace::BatchSpanProcessorFactory::Create(
//       std::move(*exporter), opentelemetry::sdk::trace::BatchSpanProcessorOptions{});
//   auto provider = opentelemetry::sdk::trace::TracerProviderFactory::Create(
//       std::move(processor), opentelemetry::sdk::resource::Resource::Create({{"service.name", "checkout"}}));
//   ...
//   provider->Shutdown();  // delivers what is pending
//
// The SDK records each span into a recordable made by MakeRecordable. Ours
// writes straight into otelpack's model (model.h): strings and lists are
// copied once, into an Arena the recordable owns, because the SDK's arguments
// do not outlive the call; there is no SpanData in between. Export groups the
// recordables by resource and scope and hands them to otelpack::Exporter::
// Export, which encodes them into the open batch before it returns; the rest
// (batching, compression, queue, retries) is the core's, configured by the
// same ExporterOptions and OTELPACK_* variables. Mapping decisions (uint64,
// byte arrays, limits, timeouts) are in docs/otel-sdk.md.
//
// Thread-safe: MakeRecordable, Export, ForceFlush and Shutdown may be called
// from any thread. Nothing throws.
#ifndef OTELPACK_OTEL_SPAN_EXPORTER_H_
#define OTELPACK_OTEL_SPAN_EXPORTER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "opentelemetry/sdk/trace/exporter.h"
#include "otelpack/arena.h"
#include "otelpack/exporter.h"
#include "otelpack/status.h"

namespace otelpack::otel {

class OtelpackSpanExporter final : public opentelemetry::sdk::trace::SpanExporter {
 public:
  // InvalidArgument naming the option when `options` do not validate.
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

  // The core's ForceFlush: true once every span handed over so far is
  // delivered; false on a timeout or a definitive failure. Timeouts: see
  // "Timeouts" in docs/otel-sdk.md (the SDK's "no timeout" becomes 30 s).
  bool ForceFlush(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;
  // The core's Shutdown: refuses further Exports and delivers what is pending
  // within the timeout; true when nothing was left undelivered. Idempotent.
  bool Shutdown(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;

  // The core's counters (spans received, sent, dropped by reason, ...).
  ExporterStats Stats() const;

 private:
  struct Entry;  // one recordable with its resource and scope
  OtelpackSpanExporter(std::unique_ptr<Exporter> core, const ExtraFields& extra_fields);

  // Constant after construction.
  const std::unique_ptr<Exporter> core_;
  const bool record_links_;
  const bool record_trace_state_;

  std::atomic<bool> shut_down_{false};

  // Export's scratch space, reused from call to call.
  std::mutex export_mu_;
  Arena batch_arena_;                // GUARDED_BY(export_mu_): the batch's views
  std::vector<Entry> entries_;       // GUARDED_BY(export_mu_)
};

// In the style of the SDK's exporter factories (OtlpHttpExporterFactory, ...),
// with a Result: options that do not validate are an error with a message,
// not a null pointer.
class OtelpackSpanExporterFactory {
 public:
  // Options from the OTELPACK_* environment variables (ExporterOptions::FromEnvironment).
  static Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> Create();
  static Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> Create(const ExporterOptions& options);
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_SPAN_EXPORTER_H_
