// PipelineLease: what the SDK exporters (spans, log records, metrics) share
// about their use of a Pipeline: attaching and detaching, the SDK's timeouts
// in the core's terms, and the core's Status as the SDK's ExportResult. Each
// exporter holds one lease.
#ifndef OTELPACK_OTEL_PIPELINE_LEASE_H_
#define OTELPACK_OTEL_PIPELINE_LEASE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include "opentelemetry/sdk/common/exporter_utils.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/status.h"

namespace otelpack::otel {

// The SDK's timeouts in the core's terms. The SDK says "no timeout" three
// ways: microseconds::max() (the API default, passed on by the simple
// processors and the MeterProvider), 0 (what the batch processors'
// AdjustWaitForTimeout makes of it for ForceFlush) and 1 µs (what their
// Shutdown arithmetic makes of it). All three get the core's default, 30 s;
// anything else is rounded up to whole milliseconds, at most a day.
std::chrono::milliseconds CoreTimeout(std::chrono::microseconds timeout);

class PipelineLease {
 public:
  // Attaches to `pipeline` (not null).
  explicit PipelineLease(std::shared_ptr<Pipeline> pipeline);
  // Detaches (1 s, as the core's destructor) if Shutdown was not called.
  ~PipelineLease();
  PipelineLease(const PipelineLease&) = delete;
  PipelineLease& operator=(const PipelineLease&) = delete;

  Pipeline& pipeline() const { return *pipeline_; }
  Exporter& core() const { return pipeline_->exporter(); }

  // True after Shutdown: the exporter's Exports fail at once, with a warning
  // that counts `records` of `what` ("span", "log record", "data point").
  bool RefuseAfterShutdown(std::size_t records, std::string_view what) const;
  // The core's Export Status as the SDK's ExportResult, with a warning for a
  // failure. kSuccess: accepted; kFailureFull: the queue was full, nothing
  // accepted; kFailureInvalidArgument: some record alone exceeded
  // max_batch_bytes (the others were accepted); kFailure: anything else.
  opentelemetry::sdk::common::ExportResult ToExportResult(const Status& status, std::size_t records,
                                                          std::string_view what) const;

  // The pipeline's ForceFlush: true once everything handed over is delivered.
  bool ForceFlush(std::chrono::microseconds timeout) const;
  // Refuses further Exports of this exporter and detaches it (pipeline.h says
  // what that does); true when nothing was left undelivered. Idempotent.
  bool Shutdown(std::chrono::microseconds timeout);

 private:
  const std::shared_ptr<Pipeline> pipeline_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_PIPELINE_LEASE_H_
