// The SDK's SpanExporter on an otelpack pipeline (span_exporter.h).
#include "otelpack/otel/span_exporter.h"

#include <utility>

#include "otel/grouping.h"
#include "otel/pipeline_lease.h"
#include "otel/recordable.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
using opentelemetry::sdk::common::ExportResult;

// The batch arena keeps its first block from one Export to the next: room
// for the views of a BatchSpanProcessor's 512 spans (about 200 bytes each).
constexpr std::size_t kBatchArenaBlockBytes = 256 * 1024;

struct SpanGroups {
  using ResourceGroup = ResourceSpans;
  using ScopeGroup = ScopeSpans;
  using Record = Span;
  static std::span<const ScopeSpans>& Scopes(ResourceSpans& r) { return r.scope_spans; }
  static std::span<const Span>& Records(ScopeSpans& s) { return s.spans; }
  using Recordable = OtelpackRecordable;
  static Span RecordOf(const OtelpackRecordable& r) { return r.span(); }
  static constexpr std::string_view kWhat = "span";
};

}  // namespace

std::unique_ptr<OtelpackSpanExporter> OtelpackSpanExporter::Create(std::shared_ptr<Pipeline> pipeline) {
  return std::unique_ptr<OtelpackSpanExporter>(new OtelpackSpanExporter(std::move(pipeline)));
}

Result<std::unique_ptr<OtelpackSpanExporter>> OtelpackSpanExporter::Create(const ExporterOptions& options) {
  Result<std::shared_ptr<Pipeline>> pipeline = Pipeline::Create(options);
  if (!pipeline.ok()) return pipeline.status();
  return Create(std::move(*pipeline));
}

OtelpackSpanExporter::OtelpackSpanExporter(std::shared_ptr<Pipeline> pipeline)
    : lease_(std::make_unique<PipelineLease>(std::move(pipeline))),
      record_links_(lease_->pipeline().extra_fields().links),
      record_trace_state_(lease_->pipeline().extra_fields().trace_state),
      batch_arena_(kBatchArenaBlockBytes) {}

// The lease detaches from the pipeline when Shutdown was not called.
OtelpackSpanExporter::~OtelpackSpanExporter() = default;

std::unique_ptr<opentelemetry::sdk::trace::Recordable> OtelpackSpanExporter::MakeRecordable() noexcept {
  return std::make_unique<OtelpackRecordable>(RecordOptions{.links = record_links_, .trace_state = record_trace_state_});
}

ExportResult OtelpackSpanExporter::Export(
    const nostd::span<std::unique_ptr<opentelemetry::sdk::trace::Recordable>>& spans) noexcept {
  if (lease_->RefuseAfterShutdown(spans.size(), "span")) return ExportResult::kFailure;
  std::lock_guard<std::mutex> lock(export_mu_);
  return ExportRecordables<SpanGroups>(spans, entries_, batch_arena_, *lease_);
}

bool OtelpackSpanExporter::ForceFlush(std::chrono::microseconds timeout) noexcept {
  return lease_->ForceFlush(timeout);
}

bool OtelpackSpanExporter::Shutdown(std::chrono::microseconds timeout) noexcept { return lease_->Shutdown(timeout); }

ExporterStats OtelpackSpanExporter::Stats() const { return lease_->pipeline().Stats(); }

std::unique_ptr<opentelemetry::sdk::trace::SpanExporter> OtelpackSpanExporterFactory::Create(
    std::shared_ptr<Pipeline> pipeline) {
  return OtelpackSpanExporter::Create(std::move(pipeline));
}

Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> OtelpackSpanExporterFactory::Create() {
  Result<std::shared_ptr<Pipeline>> pipeline = Pipeline::Create();
  if (!pipeline.ok()) return pipeline.status();
  return Create(std::move(*pipeline));
}

Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> OtelpackSpanExporterFactory::Create(
    const ExporterOptions& options) {
  Result<std::shared_ptr<Pipeline>> pipeline = Pipeline::Create(options);
  if (!pipeline.ok()) return pipeline.status();
  return Create(std::move(*pipeline));
}

}  // namespace otelpack::otel
