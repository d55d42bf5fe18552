// The shared pipeline and the leases the SDK exporters hold on it.
#include "otelpack/otel/pipeline.h"

#include <algorithm>
#include <utility>

#include "common/str_cat.h"
#include "otel/pipeline_lease.h"
#include "otelpack/log.h"

namespace otelpack::otel {
namespace {

using opentelemetry::sdk::common::ExportResult;

// The core's own default for ForceFlush and Shutdown.
constexpr std::chrono::milliseconds kDefaultTimeout{30'000};
// Beyond this a deadline is as good as none (and now() + it cannot overflow).
constexpr std::chrono::milliseconds kLongestTimeout{24 * 3600 * 1000};

}  // namespace

std::chrono::milliseconds CoreTimeout(std::chrono::microseconds timeout) {
  if (timeout == (std::chrono::microseconds::max)() || timeout <= std::chrono::microseconds(1)) {
    return kDefaultTimeout;
  }
  return std::min(std::chrono::ceil<std::chrono::milliseconds>(timeout), kLongestTimeout);
}

// ---- Pipeline ----

Result<std::shared_ptr<Pipeline>> Pipeline::Create(const ExporterOptions& options) {
  Result<std::unique_ptr<Exporter>> core = Exporter::Create(options);
  if (!core.ok()) return core.status();
  return std::shared_ptr<Pipeline>(new Pipeline(std::move(*core), options.extra_fields));
}

Result<std::shared_ptr<Pipeline>> Pipeline::Create() {
  Result<ExporterOptions> options = ExporterOptions::FromEnvironment();
  if (!options.ok()) return options.status();
  return Create(*options);
}

Pipeline::Pipeline(std::unique_ptr<Exporter> core, const ExtraFields& extra_fields)
    : core_(std::move(core)), extra_fields_(extra_fields) {}

// The core's destructor shuts it down when nobody did.
Pipeline::~Pipeline() = default;

ExporterStats Pipeline::Stats() const { return core_->Stats(); }

Status Pipeline::ForceFlush(std::chrono::milliseconds timeout) { return core_->ForceFlush(timeout); }

Status Pipeline::Shutdown(std::chrono::milliseconds timeout) { return core_->Shutdown(timeout); }

int Pipeline::attached() const {
  std::lock_guard<std::mutex> lock(mu_);
  return attached_;
}

void Pipeline::Attach() {
  std::lock_guard<std::mutex> lock(mu_);
  ++attached_;
}

Status Pipeline::Detach(std::chrono::milliseconds timeout) {
  bool last = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last = --attached_ == 0;
  }
  // Outside the lock: both wait for deliveries, and other exporters may
  // attach, detach or export meanwhile.
  return last ? core_->Shutdown(timeout) : core_->ForceFlush(timeout);
}

// ---- PipelineLease ----

PipelineLease::PipelineLease(std::shared_ptr<Pipeline> pipeline) : pipeline_(std::move(pipeline)) {
  pipeline_->Attach();
}

// As the core's own destructor: 1 s. The SDK's processors call Shutdown
// first, so only an exporter never handed to one gets here undetached.
PipelineLease::~PipelineLease() {
  if (!shut_down_.load()) Shutdown(std::chrono::seconds(1));
}

bool PipelineLease::RefuseAfterShutdown(std::size_t records, std::string_view what) const {
  if (!shut_down_.load()) return false;
  Log(LogLevel::kWarn, StrCat("otel: ", records, " ", what, "(s) not exported: the exporter is shut down"));
  return true;
}

ExportResult PipelineLease::ToExportResult(const Status& status, std::size_t records, std::string_view what) const {
  if (status.ok()) return ExportResult::kSuccess;
  Log(LogLevel::kWarn, StrCat("otel: export of ", records, " ", what, "(s): ", status.ToString()));
  switch (status.code()) {
    case StatusCode::kResourceExhausted:
      return ExportResult::kFailureFull;  // the queue is full: nothing was accepted
    case StatusCode::kTooLarge:
      return ExportResult::kFailureInvalidArgument;  // some too big; the others were accepted
    default:
      return ExportResult::kFailure;
  }
}

bool PipelineLease::ForceFlush(std::chrono::microseconds timeout) const {
  const Status status = pipeline_->ForceFlush(CoreTimeout(timeout));
  if (!status.ok()) Log(LogLevel::kWarn, StrCat("otel: ForceFlush: ", status.ToString()));
  return status.ok();
}

bool PipelineLease::Shutdown(std::chrono::microseconds timeout) {
  if (shut_down_.exchange(true)) return true;  // detached once only
  const Status status = pipeline_->Detach(CoreTimeout(timeout));
  if (!status.ok()) Log(LogLevel::kWarn, StrCat("otel: Shutdown: ", status.ToString()));
  return status.ok();
}

}  // namespace otelpack::otel
