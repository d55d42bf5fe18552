// OtelpackMetricExporter: otelpack as a push metric exporter of the
// OpenTelemetry C++ SDK, on the same pipeline as the span and log record
// exporters (pipeline.h).
//
//   auto pipeline = otelpack::otel::Pipeline::Create(*otelpack::ExporterOptions::FromEnvironment());
//   std::shared_ptr<opentelemetry::sdk::metrics::MeterProvider> provider =
//       opentelemetry::sdk::metrics::MeterProviderFactory::Create(
//           std::make_unique<opentelemetry::sdk::metrics::ViewRegistry>(),
//           opentelemetry::sdk::resource::Resource::Create({{"service.name", "checkout"}}));
//   opentelemetry::sdk::metrics::PeriodicExportingMetricReaderOptions reader;
//   reader.export_interval_millis = std::chrono::seconds(60);
//   provider->AddMetricReader(opentelemetry::sdk::metrics::PeriodicExportingMetricReaderFactory::Create(
//       otelpack::otel::OtelpackMetricExporterFactory::Create(*pipeline), reader));
//   ...
//   provider->ForceFlush();  // the SDK's Shutdown does not collect a last time
//   provider->Shutdown();    // detaches from the pipeline (pipeline.h)
//
// Each collection's MetricData is converted straight into otelpack's model
// (metric_points.h: views of the SDK's own data, copied only where the SDK's
// layout differs) and every data point becomes a backend metric event
// (docs/wire-protocol.md "Metric event"; the mapping is in docs/otel-sdk.md).
//
// Thread-safe. Nothing throws.
#ifndef OTELPACK_OTEL_METRIC_EXPORTER_H_
#define OTELPACK_OTEL_METRIC_EXPORTER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "opentelemetry/sdk/metrics/instruments.h"
#include "opentelemetry/sdk/metrics/push_metric_exporter.h"
#include "otelpack/arena.h"
#include "otelpack/exporter.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/status.h"

namespace otelpack::otel {

// Which aggregation temporality the exporter asks the SDK for, by instrument.
enum class MetricTemporality : std::uint8_t {
  // Every instrument cumulative: each point covers the time since the
  // instrument's start. The SDK's OTLP exporter's default.
  kCumulative,
  // Counters, histograms and gauges delta (each point covers one collection
  // interval); up-down counters cumulative, as the specification recommends
  // and the OTLP exporter's kDelta does.
  kDelta,
  // Synchronous counters and histograms delta, the rest cumulative: the
  // OTLP exporter's kLowMemory, which keeps the SDK's memory smallest.
  kLowMemory,
};

struct MetricExporterOptions {
  // Default kCumulative, as the SDK's OTLP exporter.
  MetricTemporality temporality = MetricTemporality::kCumulative;
  // When set, chooses per instrument type and `temporality` is ignored (the
  // SDK's own selector type). Default unset.
  opentelemetry::sdk::metrics::AggregationTemporalitySelector temporality_selector;
};

class OtelpackMetricExporter final : public opentelemetry::sdk::metrics::PushMetricExporter {
 public:
  // An exporter on `pipeline` (not null), shared with other exporters.
  static std::unique_ptr<OtelpackMetricExporter> Create(std::shared_ptr<Pipeline> pipeline,
                                                        const MetricExporterOptions& options = {});
  ~OtelpackMetricExporter() override;

  // Hands the collection's data points to the pipeline's Export: kSuccess,
  // kFailureFull, kFailureInvalidArgument or kFailure as for the span exporter.
  opentelemetry::sdk::common::ExportResult Export(
      const opentelemetry::sdk::metrics::ResourceMetrics& data) noexcept override;

  opentelemetry::sdk::metrics::AggregationTemporality GetAggregationTemporality(
      opentelemetry::sdk::metrics::InstrumentType instrument_type) const noexcept override;

  // As OtelpackSpanExporter's: the pipeline's ForceFlush; Shutdown refuses
  // further Exports and detaches from the pipeline (pipeline.h). Idempotent.
  bool ForceFlush(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;
  bool Shutdown(std::chrono::microseconds timeout = (std::chrono::microseconds::max)()) noexcept override;

  // The pipeline's counters (stats.metrics: data points received, sent, ...).
  ExporterStats Stats() const;

 private:
  OtelpackMetricExporter(std::shared_ptr<Pipeline> pipeline, const MetricExporterOptions& options);

  // Constant after construction.
  const std::unique_ptr<PipelineLease> lease_;
  const MetricExporterOptions options_;

  // Export's scratch space, reused from call to call.
  std::mutex export_mu_;
  Arena arena_;  // GUARDED_BY(export_mu_): the model's views of one collection
};

// In the style of the SDK's exporter factories.
class OtelpackMetricExporterFactory {
 public:
  // On a pipeline shared with the span and log record exporters (not null).
  static std::unique_ptr<opentelemetry::sdk::metrics::PushMetricExporter> Create(
      std::shared_ptr<Pipeline> pipeline, const MetricExporterOptions& options = {});
  // With a pipeline of its own. InvalidArgument naming the option when
  // `exporter_options` do not validate.
  static Result<std::unique_ptr<opentelemetry::sdk::metrics::PushMetricExporter>> Create(
      const ExporterOptions& exporter_options, const MetricExporterOptions& options = {});
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_METRIC_EXPORTER_H_
