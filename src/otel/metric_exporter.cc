// The SDK's PushMetricExporter on an otelpack pipeline (metric_exporter.h).
#include "otelpack/otel/metric_exporter.h"

#include <utility>

#include "otel/metric_points.h"
#include "otel/pipeline_lease.h"

namespace otelpack::otel {
namespace {

namespace sdk = opentelemetry::sdk::metrics;
using opentelemetry::sdk::common::ExportResult;

// The arena keeps its first block from one collection to the next: room for
// the views of a few hundred data points.
constexpr std::size_t kArenaBlockBytes = 64 * 1024;

// The SDK's OTLP exporter's choices, by name (otlp_metric_utils.cc).
sdk::AggregationTemporality Choose(MetricTemporality preference, sdk::InstrumentType type) {
  using T = sdk::AggregationTemporality;
  switch (preference) {
    case MetricTemporality::kCumulative:
      return T::kCumulative;
    case MetricTemporality::kDelta:
      return type == sdk::InstrumentType::kUpDownCounter || type == sdk::InstrumentType::kObservableUpDownCounter
                 ? T::kCumulative
                 : T::kDelta;
    case MetricTemporality::kLowMemory:
      return type == sdk::InstrumentType::kCounter || type == sdk::InstrumentType::kHistogram ? T::kDelta
                                                                                               : T::kCumulative;
  }
  return T::kCumulative;
}

std::size_t SdkPoints(const sdk::ResourceMetrics& data) {
  std::size_t n = 0;
  for (const sdk::ScopeMetrics& scope : data.scope_metric_data_) {
    for (const sdk::MetricData& metric : scope.metric_data_) n += metric.point_data_attr_.size();
  }
  return n;
}

}  // namespace

std::unique_ptr<OtelpackMetricExporter> OtelpackMetricExporter::Create(std::shared_ptr<Pipeline> pipeline,
                                                                       const MetricExporterOptions& options) {
  return std::unique_ptr<OtelpackMetricExporter>(new OtelpackMetricExporter(std::move(pipeline), options));
}

OtelpackMetricExporter::OtelpackMetricExporter(std::shared_ptr<Pipeline> pipeline,
                                               const MetricExporterOptions& options)
    : lease_(std::make_unique<PipelineLease>(std::move(pipeline))), options_(options), arena_(kArenaBlockBytes) {}

// The lease detaches from the pipeline when Shutdown was not called.
OtelpackMetricExporter::~OtelpackMetricExporter() = default;

ExportResult OtelpackMetricExporter::Export(const sdk::ResourceMetrics& data) noexcept {
  if (lease_->RefuseAfterShutdown(SdkPoints(data), "data point")) return ExportResult::kFailure;
  std::lock_guard<std::mutex> lock(export_mu_);
  arena_.Reset();
  const MetricsView metrics = ConvertMetrics(data, arena_);
  const std::size_t points = CountDataPoints(metrics);
  if (points == 0) return ExportResult::kSuccess;
  return lease_->ToExportResult(lease_->core().Export(metrics), points, "data point");
}

sdk::AggregationTemporality OtelpackMetricExporter::GetAggregationTemporality(
    sdk::InstrumentType instrument_type) const noexcept {
  if (options_.temporality_selector) return options_.temporality_selector(instrument_type);
  return Choose(options_.temporality, instrument_type);
}

bool OtelpackMetricExporter::ForceFlush(std::chrono::microseconds timeout) noexcept {
  return lease_->ForceFlush(timeout);
}

bool OtelpackMetricExporter::Shutdown(std::chrono::microseconds timeout) noexcept { return lease_->Shutdown(timeout); }

ExporterStats OtelpackMetricExporter::Stats() const { return lease_->pipeline().Stats(); }

std::unique_ptr<sdk::PushMetricExporter> OtelpackMetricExporterFactory::Create(std::shared_ptr<Pipeline> pipeline,
                                                                             const MetricExporterOptions& options) {
  return OtelpackMetricExporter::Create(std::move(pipeline), options);
}

Result<std::unique_ptr<sdk::PushMetricExporter>> OtelpackMetricExporterFactory::Create(
    const ExporterOptions& exporter_options, const MetricExporterOptions& options) {
  Result<std::shared_ptr<Pipeline>> pipeline = Pipeline::Create(exporter_options);
  if (!pipeline.ok()) return pipeline.status();
  return Create(std::move(*pipeline), options);
}

}  // namespace otelpack::otel
