// OtelpackLogRecordExporter: otelpack as a log record exporter of the
// OpenTelemetry C++ SDK, on the same pipeline as the span and metric
// exporters (pipeline.h).
//
//   auto pipeline = otelpack::otel::Pipeline::Create(*otelpack::ExporterOptions::FromEnvironment());
//   auto provider = opentelemetry::sdk::logs::LoggerProviderFactory::Create(
//       opentelemetry::sdk::logs::SimpleLogRecordProcessorFactory::Create(
//           otelpack::otel::OtelpackLogRecordExporterFactory::Create(*pipeline)),
//       opentelemetry::sdk::resource::Resource::Create({{"service.name", "checkout"}}));
//   provider->GetLogger("checkout")->EmitLogRecord(opentelemetry::logs::Severity::kWarn, "card expired");
//   ...
//   provider->Shutdown();  // detaches from the pipeline (pipeline.h)
//
// Each record is recorded straight into otelpack's model (log_recordable.h:
// no ReadWriteLogRecord in between) and becomes the backend's log event
// (docs/wire-protocol.md "Log event"; the mapping is in docs/otel-sdk.md).
// The core batches on its own, so the SDK's SimpleLogRecordProcessor is the
// one to use (docs/otel-sdk.md, "Which processor").
//
// Thread-safe: MakeRecordable, Export, ForceFlush and Shutdown may be called
// from any thread. Nothing throws.
#ifndef OTELPACK_OTEL_LOG_RECORD_EXPORTER_H_
#define OTELPACK_OTEL_LOG_RECORD_EXPORTER_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "opentelemetry/sdk/logs/exporter.h"
#include "otelpack/arena.h"
#include "otelpack/exporter.h"
#include "otelpack/model/grouping.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/status.h"

namespace otelpack::otel {

class OtelpackLogRecordable;

class OtelpackLogRecordExporter final : public opentelemetry::sdk::logs::LogRecordExporter {
 public:
  // An exporter on `pipeline` (not null), shared with other exporters.
  static std::unique_ptr<OtelpackLogRecordExporter> Create(std::shared_ptr<Pipeline> pipeline);
  ~OtelpackLogRecordExporter() override;

  std::unique_ptr<opentelemetry::sdk::logs::Recordable> MakeRecordable() noexcept override;

  // Hands the records to the pipeline's Export. kSuccess: accepted (delivery
  // goes on in the background); kFailureFull: the queue was full, nothing
  // accepted; kFailureInvalidArgument: some record alone exceeded
  // max_batch_bytes (the others were accepted); kFailure: after Shutdown, or
  // any other error.
  opentelemetry::sdk::common::ExportResult Export(
      const opentelemetry::nostd::span<std::unique_ptr<opentelemetry::sdk::logs::Recordable>>& records) noexcept
      override;

  // As OtelpackSpanExporter's: the pipeline's ForceFlush; Shutdown refuses
  // further Exports and detaches from the pipeline (pipeline.h). Idempotent.
  bool ForceFlush(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;
  bool Shutdown(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;

  // The recordable applies the LoggerProvider's LogRecordLimits.
  bool RecordableEnforcesLogRecordLimits() const noexcept
#if __has_include("opentelemetry/sdk/logs/log_record_limits.h")
      override
#endif
  {
    return true;
  }

  // The pipeline's counters (stats.logs: log records received, sent, ...).
  ExporterStats Stats() const;

 private:
  explicit OtelpackLogRecordExporter(std::shared_ptr<Pipeline> pipeline);

  // Constant after construction.
  const std::unique_ptr<PipelineLease> lease_;

  // Export's scratch space, reused from call to call.
  std::mutex export_mu_;
  Arena batch_arena_;                                       // GUARDED_BY(export_mu_): the batch's views
  std::vector<GroupKey> entries_;  // GUARDED_BY(export_mu_)
};

// In the style of the SDK's exporter factories.
class OtelpackLogRecordExporterFactory {
 public:
  // On a pipeline shared with the span and metric exporters (not null).
  static std::unique_ptr<opentelemetry::sdk::logs::LogRecordExporter> Create(std::shared_ptr<Pipeline> pipeline);
  // With a pipeline of its own, from the options or from the OTELPACK_*
  // environment variables. InvalidArgument naming the option when they do
  // not validate.
  static Result<std::unique_ptr<opentelemetry::sdk::logs::LogRecordExporter>> Create();
  static Result<std::unique_ptr<opentelemetry::sdk::logs::LogRecordExporter>> Create(const ExporterOptions& options);
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_LOG_RECORD_EXPORTER_H_
