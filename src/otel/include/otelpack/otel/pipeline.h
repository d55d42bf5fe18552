// Pipeline: one otelpack pipeline (one otelpack::Exporter: its batches, queue,
// senders and connections) shared by the OpenTelemetry C++ SDK exporters of
// a program, so that spans, log records and metrics reach the backend through
// the same queue and the same connections, each signal in its own batches.
//
//   auto pipeline = otelpack::otel::Pipeline::Create(*otelpack::ExporterOptions::FromEnvironment());
//   if (!pipeline.ok()) { ... pipeline.status().ToString() names the bad option ... }
//   // One exporter per provider, all made from the one pipeline:
//   auto spans = otelpack::otel::OtelpackSpanExporterFactory::Create(*pipeline);          // span_exporter.h
//   auto logs = otelpack::otel::OtelpackLogRecordExporterFactory::Create(*pipeline);      // log_record_exporter.h
//   auto metrics = otelpack::otel::OtelpackMetricExporterFactory::Create(*pipeline, {});  // metric_exporter.h
//   ... hand each to its processor / reader and provider ...
//   tracer_provider->Shutdown(); logger_provider->Shutdown();
//   meter_provider->ForceFlush(); meter_provider->Shutdown();  // the last one shuts the pipeline down
//
// Who shuts the pipeline down: the exporters made from it, together. Each
// exporter attaches to the pipeline when it is made; its Shutdown (which its
// provider calls from its own Shutdown or destructor) detaches it. While
// other exporters are still attached, Shutdown flushes the pipeline (returns
// once what was handed over is delivered, or at the timeout) and leaves it
// running for them; the exporter that detaches last shuts the pipeline down:
// it delivers what is pending within the timeout and drops (memory queue) or
// keeps (disk queue) the rest, as Exporter::Shutdown does. So make every
// exporter before shutting any provider down. Pipeline::Shutdown shuts it
// down at once for all of them; the Pipeline's destructor does it (with the
// core's 1 s) when nobody did.
//
// Thread-safe.
#ifndef OTELPACK_OTEL_PIPELINE_H_
#define OTELPACK_OTEL_PIPELINE_H_

#include <chrono>
#include <memory>
#include <mutex>

#include "otelpack/exporter.h"
#include "otelpack/extra_fields.h"
#include "otelpack/status.h"

namespace otelpack::otel {

class PipelineLease;

class Pipeline {
 public:
  // InvalidArgument naming the option when `options` do not validate.
  static Result<std::shared_ptr<Pipeline>> Create(const ExporterOptions& options);
  // Options from the OTELPACK_* environment variables (ExporterOptions::FromEnvironment).
  static Result<std::shared_ptr<Pipeline>> Create();

  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline();

  // The core's counters, per signal (traces, logs, metrics) and in all.
  ExporterStats Stats() const;
  // The core's ForceFlush and Shutdown (exporter.h). After Shutdown every
  // exporter made from the pipeline fails its Exports.
  Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  Status Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // The core, for records of the program's own (Export of a TracesView,
  // LogsView or MetricsView goes into the same batches as the SDK's).
  Exporter& exporter() { return *core_; }
  // What the span exporter records beyond the article's event (links, trace state).
  const ExtraFields& extra_fields() const { return extra_fields_; }
  // Exporters attached and not yet shut down.
  int attached() const;

 private:
  friend class PipelineLease;
  Pipeline(std::unique_ptr<Exporter> core, const ExtraFields& extra_fields);

  void Attach();
  // Flushes while others remain attached; the last one shuts the core down.
  Status Detach(std::chrono::milliseconds timeout);

  // Constant after construction.
  const std::unique_ptr<Exporter> core_;
  const ExtraFields extra_fields_;

  mutable std::mutex mu_;
  int attached_ = 0;  // GUARDED_BY(mu_)
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_PIPELINE_H_
