// The exporter's pipeline, wired in one place:
//
//   Export (caller's thread)  encode spans into the open batch (BatchBuilder)
//     -> handoff_             closed batches waiting for compression
//     -> batcher thread       compress; close the open batch at flush_interval
//     -> Queue                memory (bounded by bytes) or disk (durable)
//     -> sender threads       POST with retries (Backoff), then Ack
//
// With the disk queue, Export closes its batch, compresses and pushes it on
// the caller's thread and returns once the queue says it is durable: the
// caller has to wait for that anyway, and concurrent Exports then share one
// fsync (the queue's group commit) instead of queueing behind one pusher.
#include "otelpack/exporter.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "batch/batch_builder.h"
#include "format/envelope.h"
#include "format/span_encoder.h"
#include "common/clock.h"
#include "common/str_cat.h"
#include "common/thread_name.h"
#include "exporter/sender.h"
#include "otelpack/log.h"
#include "queue/queue.h"
#include "retry/retry_policy.h"

namespace otelpack {
namespace {

using Ms = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

// Closed batches allowed to wait for compression before Export pushes back.
constexpr std::size_t kMaxHandoffBatches = 4;

struct ClosedBatch {
  std::uint64_t seq;
  EncodedBatch batch;
};

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

class PipelineExporter final : public Exporter {
 public:
  PipelineExporter(const ExporterOptions& options, std::unique_ptr<Queue> queue,
                   std::vector<std::unique_ptr<Sender>> senders)
      : options_(options),
        durable_(options.queue.kind == QueueKind::kDisk),
        queue_(std::move(queue)),
        envelope_(Envelope::ForProject(options.project_id)),
        encoder_(options.extra_fields),
        builder_({.max_events = options.max_batch_events, .max_bytes = options.max_batch_bytes}, envelope_,
                 Signal::kTraces) {
    if (!durable_) {
      batcher_ = std::thread([this] { BatcherLoop(); });
      NameThread(batcher_, "otelpack-batch");
    }
    for (std::size_t i = 0; i < senders.size(); ++i) {
      senders_.emplace_back([this, s = std::move(senders[i]), i]() mutable { SenderLoop(*s, i); });
      NameThread(senders_.back(), StrCat("otelpack-send", i));
    }
  }

  ~PipelineExporter() override { Shutdown(Ms(1000)); }

  Status Export(TracesView traces) override {
    const std::size_t spans = CountSpans(traces);
    std::vector<ClosedBatch> to_push;  // durable mode only
    AddStats added;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return Status::FailedPrecondition("Export after Shutdown");
      stats_.spans_received += spans;
      if (!durable_ && !WaitForRoomLocked(lock)) {
        stats_.spans_refused += spans;
        return Status::ResourceExhausted(StrCat("queue full: ", queue_->Stats().bytes, " bytes queued, ",
                                                handoff_.size(), " batches waiting for compression"));
      }
      std::vector<EncodedBatch> closed;
      const bool was_empty = builder_.open_events() == 0;
      added = builder_.Add(encoder_, traces, &closed);
      if (durable_) builder_.Flush(&closed);
      stats_.spans_dropped_oversized += added.dropped_oversized;
      for (EncodedBatch& b : closed) {
        ClosedBatch cb{NewSeqLocked(b), std::move(b)};
        if (durable_) {
          to_push.push_back(std::move(cb));
        } else {
          handoff_.push_back(std::move(cb));
        }
      }
      // Wake the batcher for a batch to compress, or to start the age timer
      // of a batch that just opened.
      if (!durable_ && (!handoff_.empty() || (was_empty && builder_.open_events() > 0))) work_cv_.notify_one();
    }
    Status result = durable_ ? PushDurably(std::move(to_push)) : Status::Ok();
    if (result.ok() && added.dropped_oversized > 0) {
      result = Status::TooLarge(StrCat(added.dropped_oversized, " span(s) larger than max_batch_bytes (",
                                       options_.max_batch_bytes, ") dropped; the others were accepted"));
    }
    return result;
  }

  Status ForceFlush(Ms timeout) override {
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock<std::mutex> lock(mu_);
    CloseOpenBatchLocked();
    const std::uint64_t target = last_seq_;
    const std::uint64_t failures_before = failures_;
    auto flushed = [&] { return pending_.empty() || *pending_.begin() > target; };
    if (!done_cv_.wait_until(lock, deadline, flushed)) {
      std::size_t left = std::distance(pending_.begin(), pending_.upper_bound(target));
      return Status::DeadlineExceeded(StrCat("ForceFlush: ", left, " batch(es) not delivered within ",
                                             timeout.count(), " ms"));
    }
    if (failures_ > failures_before) return last_failure_;
    return Status::Ok();
  }

  Status Shutdown(Ms timeout) override {
    const SteadyTime deadline = std::chrono::steady_clock::now() + timeout;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return Status::Ok();
      stopping_ = true;
      CloseOpenBatchLocked();
      batcher_exit_ = true;
      work_cv_.notify_all();
      room_cv_.notify_all();
    }
    // The batcher drains the handoff into the queue, then exits.
    if (!WaitUntil(deadline, [&] { return batcher_done_ || durable_; })) Abort();
    if (batcher_.joinable()) batcher_.join();
    // Senders deliver what the queue holds until the deadline.
    queue_closed_.store(true);
    queue_->Close();
    if (!WaitUntil(deadline, [&] { return senders_done_ == senders_.size(); })) Abort();
    for (std::thread& t : senders_) t.join();

    // What is left was not delivered in time.
    while (std::optional<Queue::Lease> lease = queue_->Pop(Ms(0))) {
      CountUndelivered(lease->batch.events);
      if (!durable_) queue_->Ack(lease->id);
    }
    std::lock_guard<std::mutex> lock(mu_);
    const std::uint64_t left = stats_.spans_dropped_shutdown + stats_.spans_left_on_disk;
    if (left == 0) return Status::Ok();
    return Status::DeadlineExceeded(StrCat(left, " span(s) not delivered by the Shutdown deadline: ",
                                           durable_ ? "kept in the disk queue for the next start" : "dropped"));
  }

  ExporterStats Stats() const override {
    QueueStats q = queue_->Stats();
    std::lock_guard<std::mutex> lock(mu_);
    ExporterStats s = stats_;
    s.batches_pending = pending_.size();
    s.queue_depth = q.depth;
    s.queue_bytes = q.bytes;
    return s;
  }

 private:
  // --- Export side -------------------------------------------------------

  // REQUIRES: mu_ held. False when there is no room within the policy's wait.
  //
  // A full handoff has two causes. The queue is full (the backend is slow or
  // down): kDropNewest refuses at once, kBlock waits up to block_timeout.
  // Or the batcher is only behind on compression while the queue has room:
  // that clears in milliseconds, so both policies wait for it (up to
  // block_timeout) rather than refuse data the queue could take.
  bool WaitForRoomLocked(std::unique_lock<std::mutex>& lock) {
    auto room = [&] { return handoff_.size() < kMaxHandoffBatches || stopping_; };
    if (room()) return true;
    const bool drop = options_.queue.when_full == WhenFull::kDropNewest;
    if (drop && queue_full_) return false;
    room_cv_.wait_for(lock, options_.queue.block_timeout, [&] { return room() || (drop && queue_full_); });
    return room() && !stopping_;
  }

  // REQUIRES: mu_ held.
  std::uint64_t NewSeqLocked(const EncodedBatch& batch) {
    const std::uint64_t seq = ++last_seq_;
    pending_.insert(seq);
    seq_by_id_.emplace(batch.batch_id, seq);
    return seq;
  }

  // REQUIRES: mu_ held.
  void CloseOpenBatchLocked() {
    if (builder_.open_events() == 0) return;
    std::vector<EncodedBatch> closed;
    builder_.Flush(&closed);
    for (EncodedBatch& b : closed) handoff_.push_back({NewSeqLocked(b), std::move(b)});
    work_cv_.notify_one();
  }

  // Durable mode: compress and push on the caller's thread.
  Status PushDurably(std::vector<ClosedBatch> batches) {
    Status result;
    std::unique_ptr<Compressor> compressor = TakeCompressor();
    for (ClosedBatch& cb : batches) {
      QueuedBatch q;
      Status s = Compress(*compressor, cb.batch, &q);
      if (s.ok()) {
        const Ms wait = options_.queue.when_full == WhenFull::kBlock ? options_.queue.block_timeout : Ms(0);
        s = queue_->Push(std::move(q), wait);
      }
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        stats_.spans_refused += cb.batch.events;
        CompleteLocked(cb.batch.batch_id, Status::Ok());  // refused, not failed: the caller knows
        if (result.ok()) result = s;
      }
    }
    ReturnCompressor(std::move(compressor));
    return result;
  }

  // --- Batcher thread (memory mode) --------------------------------------

  void BatcherLoop() {
    std::unique_ptr<Compressor> compressor = TakeCompressor();
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (builder_.open_events() > 0 &&
          std::chrono::steady_clock::now() >= builder_.open_since() + options_.flush_interval) {
        CloseOpenBatchLocked();
      }
      if (!handoff_.empty()) {
        ClosedBatch cb = std::move(handoff_.front());
        handoff_.pop_front();
        room_cv_.notify_all();
        lock.unlock();
        QueuedBatch q;
        Status s = Compress(*compressor, cb.batch, &q);
        const std::uint32_t events = cb.batch.events;
        const std::string id = cb.batch.batch_id;
        if (s.ok()) s = PushUntilAborted(std::move(q));
        lock.lock();
        if (!s.ok()) {
          // Only a Shutdown deadline (or a codec failure) gets here.
          stats_.spans_dropped_shutdown += events;
          CompleteLocked(id, s);
        }
        continue;
      }
      if (batcher_exit_) break;
      if (builder_.open_events() > 0) {
        work_cv_.wait_until(lock, builder_.open_since() + options_.flush_interval);
      } else {
        work_cv_.wait(lock);
      }
    }
    batcher_done_ = true;
    abort_cv_.notify_all();
  }

  // Memory mode: a full queue blocks the batcher (and so, through the
  // handoff, Export) until the senders make room or Shutdown gives up.
  Status PushUntilAborted(QueuedBatch q) {
    while (true) {
      // Push consumes its argument only on success or a permanent error: keep
      // a copy of the body for the retry after a timeout.
      QueuedBatch attempt = q;
      Status s = queue_->Push(std::move(attempt), Ms(100));
      SetQueueFull(s.code() == StatusCode::kResourceExhausted);
      if (s.ok() || s.code() != StatusCode::kResourceExhausted) return s;
      if (aborted_.load()) return Status::DeadlineExceeded("Shutdown deadline while the queue was full");
    }
  }

  // The batcher found the queue full (or no longer full); Export's
  // kDropNewest refusal depends on it (WaitForRoomLocked).
  void SetQueueFull(bool full) {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_full_ == full) return;
    queue_full_ = full;
    if (full) room_cv_.notify_all();
  }

  Status Compress(Compressor& compressor, const EncodedBatch& batch, QueuedBatch* out) {
    out->batch_id = batch.batch_id;
    out->events = batch.events;
    out->compression = static_cast<std::uint8_t>(compressor.algorithm());
    out->uncompressed_bytes = batch.body.size();
    const SteadyTime started = std::chrono::steady_clock::now();
    Status s = compressor.Compress(batch.body.view(), &out->body);
    if (s.ok() && LogEnabled(LogLevel::kDebug)) {  // the article's per-batch ratio line
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      const double ratio = static_cast<double>(batch.body.size()) / static_cast<double>(std::max<std::size_t>(out->body.size(), 1));
      Log(LogLevel::kDebug, StrCat("batch ", batch.batch_id, ": ", batch.events, " events, ", batch.body.size(),
                                   " bytes -> ", out->body.size(), " bytes (", CompressionName(compressor.algorithm()),
                                   ", ratio ", ratio, "x, ", ms, " ms)"));
    }
    return s;
  }

  std::unique_ptr<Compressor> TakeCompressor() {
    {
      std::lock_guard<std::mutex> lock(compressors_mu_);
      if (!compressors_.empty()) {
        std::unique_ptr<Compressor> c = std::move(compressors_.back());
        compressors_.pop_back();
        return c;
      }
    }
    // Validated at Create: cannot fail.
    return std::move(NewCompressor(options_.compression, options_.compression_level)).value();
  }

  void ReturnCompressor(std::unique_ptr<Compressor> c) {
    std::lock_guard<std::mutex> lock(compressors_mu_);
    compressors_.push_back(std::move(c));
  }

  // --- Sender threads ----------------------------------------------------

  void SenderLoop(Sender& sender, std::size_t index) {
    std::mt19937_64 seeds(std::random_device{}() + index);
    while (!aborted_.load()) {
      const bool closed_before = queue_closed_.load();
      std::optional<Queue::Lease> lease = queue_->Pop(Ms(100));
      if (!lease) {
        if (closed_before) break;
        continue;
      }
      Deliver(sender, *lease, seeds());
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++senders_done_;
    abort_cv_.notify_all();
  }

  void Deliver(Sender& sender, Queue::Lease& lease, std::uint64_t seed) {
    const QueuedBatch& b = lease.batch;
    Backoff backoff(options_.retry, Clock::Real(), seed);
    while (true) {
      SendResult r = sender.Post(b.batch_id, static_cast<Compression>(b.compression), b.body.view());
      if (r.status.ok()) {
        queue_->Ack(lease.id);
        std::lock_guard<std::mutex> lock(mu_);
        ++stats_.requests_ok;
        stats_.spans_sent += b.events;
        stats_.bytes_uncompressed += b.uncompressed_bytes;
        stats_.bytes_compressed += b.body.size();
        CompleteLocked(b.batch_id, Status::Ok());
        return;
      }
      std::optional<Ms> delay = backoff.NextDelay(r);
      // Retryable by nature (the transport's classification), whether or not
      // the policy retries it.
      const bool retryable = r.http_status != 0 ? IsRetryableHttpStatus(options_.retry, r.http_status)
                                                : r.status.retryable();
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++(retryable ? stats_.requests_failed_retryable : stats_.requests_failed_permanent);
        stats_.last_error = r.status.ToString();
      }
      if (!delay) {
        queue_->Ack(lease.id);
        std::lock_guard<std::mutex> lock(mu_);
        (retryable ? stats_.spans_dropped_retries_exhausted : stats_.spans_dropped_permanent) += b.events;
        Log(LogLevel::kWarn, StrCat("dropped batch ", b.batch_id, " (", b.events, " spans) after ",
                                    backoff.attempts(), " attempt(s), ",
                                    !retryable                ? "permanent failure"
                                    : options_.retry.enabled ? "retry time exhausted"
                                                             : "retries disabled",
                                    ": ",
                                    r.status.ToString()));
        CompleteLocked(b.batch_id, r.status);
        return;
      }
      Log(LogLevel::kInfo, StrCat("batch ", b.batch_id, " failed (", r.status.ToString(), "); retry ",
                                  backoff.attempts(), " in ", delay->count(), " ms",
                                  r.retry_after ? " (Retry-After)" : ""));
      std::unique_lock<std::mutex> lock(mu_);
      ++stats_.retries;
      if (abort_cv_.wait_for(lock, *delay, [&] { return aborted_.load(); })) {
        // Shutdown deadline: keep it on disk, or count it as dropped.
        if (durable_) {
          stats_.spans_left_on_disk += b.events;
        } else {
          stats_.spans_dropped_shutdown += b.events;
        }
        CompleteLocked(b.batch_id, Status::DeadlineExceeded("Shutdown deadline"));
        lock.unlock();
        if (!durable_) queue_->Ack(lease.id);
        return;
      }
    }
  }

  // --- Shared ------------------------------------------------------------

  // REQUIRES: mu_ held. The batch is done: delivered, dropped or refused.
  void CompleteLocked(const std::string& batch_id, const Status& outcome) {
    auto it = seq_by_id_.find(batch_id);
    if (it != seq_by_id_.end()) {  // batches recovered from disk have no seq
      pending_.erase(it->second);
      seq_by_id_.erase(it);
    }
    if (!outcome.ok()) {
      ++failures_;
      last_failure_ = outcome;
    }
    done_cv_.notify_all();
  }

  void CountUndelivered(std::uint32_t events) {
    std::lock_guard<std::mutex> lock(mu_);
    (durable_ ? stats_.spans_left_on_disk : stats_.spans_dropped_shutdown) += events;
  }

  template <typename Pred>
  bool WaitUntil(SteadyTime deadline, Pred done) {
    std::unique_lock<std::mutex> lock(mu_);
    return abort_cv_.wait_until(lock, deadline, done);
  }

  void Abort() {
    aborted_.store(true);
    std::lock_guard<std::mutex> lock(mu_);
    abort_cv_.notify_all();
    work_cv_.notify_all();
  }

  // Constant after construction.
  const ExporterOptions options_;
  const bool durable_;
  const std::unique_ptr<Queue> queue_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // batcher: a batch to compress, or time to close one
  std::condition_variable room_cv_;   // Export: room in the handoff
  std::condition_variable done_cv_;   // ForceFlush: a batch completed
  std::condition_variable abort_cv_;  // Shutdown progress and its deadline
  const Envelope envelope_;
  SpanEncoder encoder_;               // guarded by mu_
  BatchBuilder builder_;              // guarded by mu_
  std::deque<ClosedBatch> handoff_;   // guarded by mu_
  std::uint64_t last_seq_ = 0;        // guarded by mu_
  std::set<std::uint64_t> pending_;   // guarded by mu_: closed, not yet done
  std::unordered_map<std::string, std::uint64_t> seq_by_id_;  // guarded by mu_
  ExporterStats stats_;               // guarded by mu_
  std::uint64_t failures_ = 0;        // guarded by mu_
  Status last_failure_;               // guarded by mu_
  bool stopping_ = false;             // guarded by mu_: Export refused
  bool queue_full_ = false;           // guarded by mu_: the batcher's last Push found the queue full
  bool batcher_exit_ = false;         // guarded by mu_
  bool batcher_done_ = false;         // guarded by mu_
  std::size_t senders_done_ = 0;      // guarded by mu_
  std::atomic<bool> aborted_{false};  // the Shutdown deadline passed: stop retrying
  std::atomic<bool> queue_closed_{false};

  std::mutex compressors_mu_;
  std::vector<std::unique_ptr<Compressor>> compressors_;  // guarded by compressors_mu_

  std::thread batcher_;
  std::vector<std::thread> senders_;
};

}  // namespace

Result<std::unique_ptr<Exporter>> Exporter::Create(const ExporterOptions& options) {
  Status valid = options.Validate();
  if (!valid.ok()) return valid;
  Result<std::shared_ptr<const Authenticator>> auth = AuthenticatorFor(options);
  if (!auth.ok()) return auth.status();
  std::vector<std::unique_ptr<Sender>> senders;
  for (int i = 0; i < options.concurrency; ++i) {
    Result<std::unique_ptr<Sender>> sender = Sender::Create(options, *auth);
    if (!sender.ok()) return sender.status();
    senders.push_back(std::move(sender).value());
  }
  Result<std::unique_ptr<Queue>> queue = OpenQueue(options.queue);
  if (!queue.ok()) return queue.status();
  return std::unique_ptr<Exporter>(new PipelineExporter(options, std::move(queue).value(), std::move(senders)));
}

}  // namespace otelpack
