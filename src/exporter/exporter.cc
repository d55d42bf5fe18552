// The exporter as the article has it: Export converts, batches, compresses and
// sends before it returns. One mutex serialises Exports, so batches leave in
// the order spans came in and one connection is reused.
#include "otelpack/exporter.h"

#include <chrono>
#include <mutex>

#include "batch/batch_builder.h"
#include "common/str_cat.h"
#include "exporter/sender.h"
#include "otelpack/log.h"

namespace otelpack {
namespace {

class SyncExporter final : public Exporter {
 public:
  SyncExporter(const ExporterOptions& options, std::unique_ptr<Sender> sender)
      : builder_({.max_events = options.max_batch_events, .max_bytes = options.max_batch_bytes},
                 options.project_id, options.extra_fields),
        sender_(std::move(sender)) {}

  Status Export(TracesView traces) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return Status::FailedPrecondition("Export after Shutdown");
    const std::size_t spans = CountSpans(traces);
    stats_.spans_received += spans;

    closed_.clear();
    AddStats added = builder_.Add(traces, &closed_);
    builder_.Flush(&closed_);
    stats_.spans_dropped_oversized += added.dropped_oversized;

    Status result;
    for (const EncodedBatch& batch : closed_) {
      Status s = SendOne(batch);
      // A permanent failure outranks a retryable one: retrying would not help.
      if (!s.ok() && (result.ok() || (result.retryable() && !s.retryable()))) result = s;
    }
    if (result.ok() && added.dropped_oversized > 0) {
      result = Status::TooLarge(StrCat(added.dropped_oversized, " span(s) larger than max_batch_bytes dropped"));
    }
    return result;
  }

  Status ForceFlush(std::chrono::milliseconds) override {
    // Export sends everything before it returns: nothing is ever pending.
    return Status::Ok();
  }

  Status Shutdown(std::chrono::milliseconds) override {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    return Status::Ok();
  }

  ExporterStats Stats() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

 private:
  // REQUIRES: mu_ held.
  Status SendOne(const EncodedBatch& batch) {
    auto started = std::chrono::steady_clock::now();
    Status prepared = sender_->Prepare(batch, &request_);
    if (!prepared.ok()) return Fail(batch.events, prepared);
    auto compressed = std::chrono::steady_clock::now();
    if (LogEnabled(LogLevel::kDebug)) {
      double ratio = static_cast<double>(request_.uncompressed_bytes) /
                     static_cast<double>(request_.body.size() > 0 ? request_.body.size() : 1);
      double ms = std::chrono::duration<double, std::milli>(compressed - started).count();
      Log(LogLevel::kDebug, StrCat("sending batch ", request_.batch_id, ": ", request_.events, " events, ",
                                   request_.uncompressed_bytes, " bytes -> ", request_.body.size(), " bytes (",
                                   CompressionName(sender_->compression()), ", ratio ", ratio, ", ", ms, " ms)"));
    }
    SendResult sent = sender_->Post(request_);
    stats_.bytes_uncompressed += request_.uncompressed_bytes;
    stats_.bytes_compressed += request_.body.size();
    if (!sent.status.ok()) return Fail(batch.events, sent.status);
    ++stats_.requests_ok;
    stats_.spans_sent += batch.events;
    return Status::Ok();
  }

  Status Fail(std::uint32_t events, const Status& status) {
    if (status.retryable()) {
      ++stats_.requests_failed_retryable;
    } else {
      ++stats_.requests_failed_permanent;
    }
    stats_.spans_failed += events;
    stats_.last_error = status.ToString();
    Log(LogLevel::kWarn, StrCat("export of ", events, " spans failed (",
                                status.retryable() ? "retryable" : "permanent", "): ", status.ToString()));
    return status;
  }

  mutable std::mutex mu_;
  BatchBuilder builder_;                // guarded by mu_
  std::unique_ptr<Sender> sender_;      // guarded by mu_
  std::vector<EncodedBatch> closed_;    // guarded by mu_; reused
  PreparedRequest request_;             // guarded by mu_; reused
  ExporterStats stats_;                 // guarded by mu_
  bool shut_down_ = false;              // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<Exporter>> Exporter::Create(const ExporterOptions& options) {
  Status valid = options.Validate();
  if (!valid.ok()) return valid;
  Result<std::unique_ptr<Sender>> sender = Sender::Create(options);
  if (!sender.ok()) return sender.status();
  return std::unique_ptr<Exporter>(new SyncExporter(options, std::move(sender).value()));
}

}  // namespace otelpack
