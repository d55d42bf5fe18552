// BatcherMode: the QueueMode that keeps open batches in memory and moves
// closed ones to the queue on a batcher thread (batcher_mode.cc). The memory
// queue's mode is this; the disk queue's (disk_mode.cc) is this plus a
// journal of what each Export put into the open batches.
#ifndef OTELPACK_EXPORTER_BATCHER_MODE_H_
#define OTELPACK_EXPORTER_BATCHER_MODE_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/queue_mode.h"

namespace otelpack {

// Export hands closed batches to a short handoff (kMaxHandoffBatches); the
// batcher compresses each with a reused codec context and pushes it to the
// queue, blocking while the queue is full, which in turn fills the handoff and
// makes Export wait or refuse (back-pressure). Between batches it closes
// every lane whose open batch is flush_interval old.
class BatcherMode : public QueueMode {
 public:
  // `unpushed`: how a batch the batcher could not push by the Shutdown
  // deadline is counted (the memory queue's is dropped).
  explicit BatcherMode(const QueueModeParts& parts, BatchOutcome unpushed = BatchOutcome::kDroppedShutdown);
  ~BatcherMode() override;

  bool durable() const override { return false; }
  Status Admit() override;
  void BatchOpened() override;
  Status HandOffAdmitted(std::vector<EncodedBatch> closed, std::vector<BatchPart> parts) override;
  Status HandOff(std::vector<EncodedBatch> closed) override { return Take(std::move(closed), false); }
  void Stop() override;
  bool Drain(std::chrono::steady_clock::time_point deadline) override;

 protected:
  // Queues closed batches for the batcher; `admitted`: gives back the room
  // Admit took.
  Status Take(std::vector<EncodedBatch> closed, bool admitted);

  const QueueModeParts p_;

 private:
  const BatchOutcome unpushed_;

  void BatcherLoop();
  void CompressAndPush(const EncodedBatch& batch);
  Status PushUntilAborted(QueuedBatch q);
  void SetQueueFull(bool full);

  std::mutex mu_;
  std::condition_variable work_cv_;  // the batcher: a batch to compress, one opened, or exit
  std::condition_variable room_cv_;  // Admit: room in the handoff
  std::condition_variable done_cv_;  // Drain: the batcher is done
  std::deque<EncodedBatch> handoff_;  // guarded by mu_
  std::size_t admitted_ = 0;          // guarded by mu_: Exports between Admit and HandOffAdmitted
  bool queue_full_ = false;           // guarded by mu_: the batcher's last Push found the queue full
  bool opened_ = false;               // guarded by mu_: a lane's batch opened since the batcher looked
  bool stopping_ = false;             // guarded by mu_
  bool exit_ = false;                 // guarded by mu_: finish the handoff, then exit
  bool batcher_done_ = false;         // guarded by mu_
  std::atomic<bool> aborted_{false};  // the Shutdown deadline passed: stop waiting for room in the queue
  std::thread batcher_;               // last: started once the members above exist
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_BATCHER_MODE_H_
