// The exporter's pipeline, wired in one place:
//
//   Export (caller's thread)  encode into the signal's open batch      lanes.h
//     -> QueueMode            a batcher thread compresses and closes    queue_mode.h
//                             batches at flush_interval; disk: Export
//                             journals its part of each batch, durable
//                             before it returns
//     -> Queue                memory (bounded by bytes) or disk         queue/
//     -> Delivery             sender threads POST with retries, ack    delivery.h
//
// The Ledger (ledger.h) counts where every record stands, for Stats(),
// ForceFlush and Shutdown.
#include "otelpack/exporter.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "batch/batch_builder.h"
#include "common/clock.h"
#include "common/str_cat.h"
#include "exporter/compressors.h"
#include "exporter/delivery.h"
#include "exporter/format_parts.h"
#include "exporter/lanes.h"
#include "exporter/ledger.h"
#include "exporter/new_exporter.h"
#include "exporter/queue_mode.h"
#include "exporter/sender.h"
#include "format/envelope.h"
#include "queue/queue.h"

namespace otelpack {
namespace {

using Ms = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

Result<std::unique_ptr<Queue>> OpenQueue(const QueueOptions& q) {
  if (q.kind == QueueKind::kMemory) return NewMemoryQueue({.max_bytes = q.memory_max_bytes});
  DiskQueueOptions d;
  d.directory = q.directory;
  d.max_bytes = q.disk_max_bytes;
  d.segment_bytes = std::min<std::size_t>(d.segment_bytes, q.disk_max_bytes / 4);
  d.fsync = q.fsync;
  d.fsync_interval = q.fsync_interval;
  return OpenDiskQueue(d);
}

// "12 span(s), 3 log record(s)": the records a signal-by-signal count holds.
template <typename Count>
std::string CountByRecord(const ExporterStats& s, Count count) {
  std::string out;
  for (Signal signal : kAllSignals) {
    const std::uint64_t n = count(s.of(signal));
    if (n > 0) out += StrCat(out.empty() ? "" : ", ", n, " ", RecordName(signal), "(s)");
  }
  return out;
}

class PipelineExporter final : public Exporter {
 public:
  PipelineExporter(const ExporterOptions& options, const Clock* clock, std::unique_ptr<Queue> queue,
                   std::vector<std::unique_ptr<Sender>> senders, Encoders encoders, Envelope envelope)
      : options_(options),
        queue_(std::move(queue)),
        envelope_(std::move(envelope)),
        lanes_({.max_events = options.max_batch_events, .max_bytes = options.max_batch_bytes}, envelope_,
               std::move(encoders), clock, &ledger_),
        compressors_(options.compression, options.compression_level),
        mode_(MakeMode(clock)),
        delivery_(options.retry, queue_.get(), &ledger_, clock, mode_->durable(), std::move(senders)) {}

  ~PipelineExporter() override { Shutdown(Ms(1000)); }

  Status Export(TracesView traces) override { return ExportData(traces); }
  Status Export(LogsView logs) override { return ExportData(logs); }
  Status Export(MetricsView metrics) override { return ExportData(metrics); }

  Status ForceFlush(Ms timeout) override {
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
    const std::uint64_t failures_before = ledger_.failures();
    std::vector<EncodedBatch> closed;
    lanes_.Close(std::nullopt, &closed);
    mode_->HandOff(std::move(closed));
    return ledger_.WaitForClosedBatches(failures_before, deadline, timeout);
  }

  Status Shutdown(Ms timeout) override {
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
    if (!StopExports(deadline)) return Status::Ok();  // a second call
    // What the lanes hold goes the way of every batch...
    std::vector<EncodedBatch> closed;
    lanes_.Close(std::nullopt, &closed);
    mode_->HandOff(std::move(closed));
    // ...into the queue, then to the backend, until the deadline.
    const bool drained = mode_->Drain(deadline);
    delivery_.Finish(drained ? deadline : std::chrono::steady_clock::now());
    // What is left was not delivered in time.
    while (std::optional<Queue::Lease> lease = queue_->Pop(Ms(0))) {
      ledger_.Undelivered(lease->batch.signal, lease->batch.events, mode_->durable());
      if (!mode_->durable()) queue_->Ack(lease->id);
    }
    queue_->Settle();  // the queue's files are final: nothing touches them after we return
    const std::string left =
        CountByRecord(ledger_.Snapshot(), [](const SignalStats& s) { return s.dropped_shutdown + s.left_on_disk; });
    if (left.empty()) return Status::Ok();
    return Status::DeadlineExceeded(StrCat(left, " not delivered by the Shutdown deadline: ",
                                           mode_->durable() ? "kept in the disk queue for the next start"
                                                            : "dropped"));
  }

  ExporterStats Stats() const override {
    const QueueStats q = queue_->Stats();
    ExporterStats s = ledger_.Snapshot();
    s.queue_depth = q.depth;
    s.queue_bytes = q.bytes;
    return s;
  }

 private:
  std::unique_ptr<QueueMode> MakeMode(const Clock* clock) {
    QueueModeParts parts;
    parts.options = &options_.queue;
    parts.flush_interval = options_.flush_interval;
    parts.queue = queue_.get();
    parts.lanes = &lanes_;
    parts.ledger = &ledger_;
    parts.compressors = &compressors_;
    parts.clock = clock;
    parts.envelope = &envelope_;
    return options_.queue.kind == QueueKind::kDisk ? NewDiskMode(parts) : NewMemoryMode(parts);
  }

  Status ExportData(const TelemetryView& data) {
    const Signal signal = SignalOf(data);
    Lane* lane = lanes_.For(signal);
    if (lane == nullptr) return Status::FailedPrecondition(StrCat("this exporter has no encoder for ", SignalName(signal)));
    ExportScope scope(this);
    if (!scope.admitted()) return Status::FailedPrecondition("Export after Shutdown");
    const std::size_t records = CountRecords(data);
    ledger_.Received(signal, records);
    if (Status room = mode_->Admit(); !room.ok()) {
      ledger_.Refused(signal, records);
      return room;
    }
    const bool was_empty = !lane->opened_at().has_value();
    std::vector<EncodedBatch> closed;
    std::vector<BatchPart> parts;
    const AddStats added = lane->Add(data, &closed, mode_->durable() ? &parts : nullptr);
    if (added.dropped_oversized > 0) ledger_.DroppedOversized(signal, added.dropped_oversized);
    if (was_empty && lane->opened_at().has_value()) mode_->BatchOpened();
    Status result = mode_->HandOffAdmitted(std::move(closed), std::move(parts));
    if (result.ok() && added.dropped_oversized > 0) {
      result = Status::TooLarge(StrCat(added.dropped_oversized, " ", RecordName(signal),
                                       "(s) larger than max_batch_bytes (", options_.max_batch_bytes,
                                       ") dropped; the others were accepted"));
    }
    return result;
  }

  // An Export in progress: Shutdown refuses new ones and waits for these,
  // so that nothing an Export was taking in is left behind in a lane.
  class ExportScope {
   public:
    explicit ExportScope(PipelineExporter* e) : e_(e) {
      std::lock_guard<std::mutex> lock(e_->exports_mu_);
      admitted_ = !e_->stopping_;
      if (admitted_) ++e_->exports_in_progress_;
    }
    ~ExportScope() {
      if (!admitted_) return;
      std::lock_guard<std::mutex> lock(e_->exports_mu_);
      if (--e_->exports_in_progress_ == 0) e_->exports_cv_.notify_all();
    }
    bool admitted() const { return admitted_; }

   private:
    PipelineExporter* const e_;
    bool admitted_;
  };

  // Refuses further Exports and waits (until `deadline`) for those in
  // progress. False when Shutdown already ran.
  bool StopExports(SteadyTime deadline) {
    {
      std::lock_guard<std::mutex> lock(exports_mu_);
      if (stopping_) return false;
      stopping_ = true;
    }
    mode_->Stop();
    std::unique_lock<std::mutex> lock(exports_mu_);
    exports_cv_.wait_until(lock, deadline, [&] { return exports_in_progress_ == 0; });
    return true;
  }

  // Constant after construction; declared in the order the stages are built
  // (and destroyed in reverse: senders first, the queue last).
  const ExporterOptions options_;
  Ledger ledger_;
  const std::unique_ptr<Queue> queue_;
  const Envelope envelope_;
  BatchLanes lanes_;
  Compressors compressors_;
  const std::unique_ptr<QueueMode> mode_;
  Delivery delivery_;

  std::mutex exports_mu_;
  std::condition_variable exports_cv_;     // the last Export in progress returned
  bool stopping_ = false;                  // guarded by exports_mu_: Export refused
  int exports_in_progress_ = 0;            // guarded by exports_mu_
};

}  // namespace

Result<std::unique_ptr<Exporter>> NewExporter(const ExporterOptions& options, const Clock* clock) {
  Status valid = options.Validate();
  if (!valid.ok()) return valid;
  Result<std::shared_ptr<const Authenticator>> auth = AuthenticatorFor(options);
  if (!auth.ok()) return auth.status();
  Result<FormatParts> parts = FormatPartsFor(options);
  if (!parts.ok()) return parts.status();
  std::vector<std::unique_ptr<Sender>> senders;
  for (int i = 0; i < options.concurrency; ++i) {
    Result<std::unique_ptr<Sender>> sender = Sender::Create(options, parts->targets, *auth);
    if (!sender.ok()) return sender.status();
    senders.push_back(std::move(sender).value());
  }
  Result<std::unique_ptr<Queue>> queue = OpenQueue(options.queue);
  if (!queue.ok()) return queue.status();
  return std::unique_ptr<Exporter>(new PipelineExporter(options, clock, std::move(queue).value(),
                                                        std::move(senders), std::move(parts->encoders),
                                                        std::move(parts->envelope)));
}

Result<std::unique_ptr<Exporter>> Exporter::Create(const ExporterOptions& options) {
  return NewExporter(options, Clock::Real());
}

}  // namespace otelpack
