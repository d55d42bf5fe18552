// The SDK's LogRecordExporter on an otelpack pipeline (log_record_exporter.h).
#include "otelpack/otel/log_record_exporter.h"

#include <utility>

#include "otel/grouping.h"
#include "otel/log_recordable.h"
#include "otel/pipeline_lease.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
using opentelemetry::sdk::common::ExportResult;

// The batch arena keeps its first block from one Export to the next: room
// for the views of a BatchLogRecordProcessor's 512 records.
constexpr std::size_t kBatchArenaBlockBytes = 128 * 1024;

struct LogGroups {
  using ResourceGroup = ResourceLogs;
  using ScopeGroup = ScopeLogs;
  using Record = LogRecord;
  static std::span<const ScopeLogs>& Scopes(ResourceLogs& r) { return r.scope_logs; }
  static std::span<const LogRecord>& Records(ScopeLogs& s) { return s.log_records; }
  using Recordable = OtelpackLogRecordable;
  static LogRecord RecordOf(const OtelpackLogRecordable& r) { return r.record(); }
  static constexpr std::string_view kWhat = "log record";
};

}  // namespace

std::unique_ptr<OtelpackLogRecordExporter> OtelpackLogRecordExporter::Create(std::shared_ptr<Pipeline> pipeline) {
  return std::unique_ptr<OtelpackLogRecordExporter>(new OtelpackLogRecordExporter(std::move(pipeline)));
}

OtelpackLogRecordExporter::OtelpackLogRecordExporter(std::shared_ptr<Pipeline> pipeline)
    : lease_(std::make_unique<PipelineLease>(std::move(pipeline))), batch_arena_(kBatchArenaBlockBytes) {}

// The lease detaches from the pipeline when Shutdown was not called.
OtelpackLogRecordExporter::~OtelpackLogRecordExporter() = default;

std::unique_ptr<opentelemetry::sdk::logs::Recordable> OtelpackLogRecordExporter::MakeRecordable() noexcept {
  return std::make_unique<OtelpackLogRecordable>();
}

ExportResult OtelpackLogRecordExporter::Export(
    const nostd::span<std::unique_ptr<opentelemetry::sdk::logs::Recordable>>& records) noexcept {
  if (lease_->RefuseAfterShutdown(records.size(), "log record")) return ExportResult::kFailure;
  std::lock_guard<std::mutex> lock(export_mu_);
  return ExportRecordables<LogGroups>(records, entries_, batch_arena_, *lease_);
}

bool OtelpackLogRecordExporter::ForceFlush(std::chrono::microseconds timeout) noexcept {
  return lease_->ForceFlush(timeout);
}

bool OtelpackLogRecordExporter::Shutdown(std::chrono::microseconds timeout) noexcept {
  return lease_->Shutdown(timeout);
}

ExporterStats OtelpackLogRecordExporter::Stats() const { return lease_->pipeline().Stats(); }

std::unique_ptr<opentelemetry::sdk::logs::LogRecordExporter> OtelpackLogRecordExporterFactory::Create(
    std::shared_ptr<Pipeline> pipeline) {
  return OtelpackLogRecordExporter::Create(std::move(pipeline));
}

Result<std::unique_ptr<opentelemetry::sdk::logs::LogRecordExporter>> OtelpackLogRecordExporterFactory::Create() {
  Result<std::shared_ptr<Pipeline>> pipeline = Pipeline::Create();
  if (!pipeline.ok()) return pipeline.status();
  return Create(std::move(*pipeline));
}

Result<std::unique_ptr<opentelemetry::sdk::logs::LogRecordExporter>> OtelpackLogRecordExporterFactory::Create(
    const ExporterOptions& options) {
  Result<std::shared_ptr<Pipeline>> pipeline = Pipeline::Create(options);
  if (!pipeline.ok()) return pipeline.status();
  return Create(std::move(*pipeline));
}

}  // namespace otelpack::otel
