// Ledger: where every record handed to the exporter stands.
//
// A record handed to Export is received or refused at once. A received one
// then sits in a batch until the batch is done: sent, or dropped (by
// reason), or left on disk at Shutdown. The ledger counts records per
// signal and requests, and knows which closed batches are not done yet, so
// that ForceFlush can wait for every batch closed before it was called.
//
// Thread-safe: one mutex, held for a few counter updates at a time.
#ifndef OTELPACK_EXPORTER_LEDGER_H_
#define OTELPACK_EXPORTER_LEDGER_H_

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "batch/batch_builder.h"
#include "otelpack/exporter.h"
#include "otelpack/signal.h"
#include "otelpack/status.h"
#include "queue/queue.h"

namespace otelpack {

// How a batch ended.
enum class BatchOutcome {
  kSent,
  kDroppedPermanent,         // the backend refused it
  kDroppedRetriesExhausted,  // retryable, out of time
  kDroppedShutdown,          // memory queue: not delivered by the Shutdown deadline
  kLeftOnDisk,               // disk queue: kept for the next start
  kRefused,                  // the queue would not take it: Export said so to its caller
};

class Ledger {
 public:
  // --- Records, as Export takes them.
  void Received(Signal signal, std::size_t records);
  void Refused(Signal signal, std::size_t records);
  void DroppedOversized(Signal signal, std::size_t records);

  // --- Batches.
  // Registers batches just closed: each is pending until Completed.
  void AddPending(std::span<const EncodedBatch> batches);
  // The batch is done: counts its records by outcome. A failed
  // `outcome_status` is what ForceFlush reports for it.
  void Completed(const QueuedBatch& batch, BatchOutcome outcome, const Status& outcome_status) {
    Completed(batch.batch_id, batch.signal, batch.events, outcome, outcome_status);
  }
  // A batch that never reached the queue.
  void Completed(const EncodedBatch& batch, BatchOutcome outcome, const Status& outcome_status) {
    Completed(batch.batch_id, batch.signal, batch.events, outcome, outcome_status);
  }
  // A batch not delivered by the Shutdown deadline, found in the queue after
  // the senders stopped: counted, no longer tracked.
  void Undelivered(Signal signal, std::uint32_t records, bool on_disk);

  // --- Requests to the backend.
  void RequestOk(const QueuedBatch& batch);
  void RequestFailed(Signal signal, bool retryable, const Status& status);
  void Retried(Signal signal);
  // A failed request the backend answered with a redirect not followed.
  void Redirected(Signal signal);

  // ForceFlush: the failures so far, taken before it closes the open
  // batches; then it waits until every batch closed so far is done, or
  // `deadline`. OK when all were delivered; DeadlineExceeded naming how many
  // are left; else the last failure since `failures_before`.
  std::uint64_t failures() const;
  Status WaitForClosedBatches(std::uint64_t failures_before, std::chrono::steady_clock::time_point deadline,
                              std::chrono::milliseconds timeout);

  ExporterStats Snapshot() const;

 private:
  void Completed(const std::string& batch_id, Signal signal, std::uint32_t records, BatchOutcome outcome,
                 const Status& outcome_status);
  SignalStats& For(Signal s) { return by_signal_[SignalIndex(s)]; }

  mutable std::mutex mu_;
  std::condition_variable done_cv_;  // a batch completed
  std::array<SignalStats, kSignalCount> by_signal_;  // guarded by mu_
  std::uint64_t last_seq_ = 0;                       // guarded by mu_
  std::set<std::uint64_t> pending_;                  // guarded by mu_: closed, not yet done
  std::unordered_map<std::string, std::uint64_t> seq_by_id_;  // guarded by mu_
  std::uint64_t failures_ = 0;                       // guarded by mu_
  Status last_failure_;                              // guarded by mu_
  std::string last_error_;                           // guarded by mu_
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_LEDGER_H_
