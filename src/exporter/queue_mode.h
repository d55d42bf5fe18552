// QueueMode: how closed batches reach the queue, the one place where the
// memory queue and the disk queue make the exporter behave differently.
//
//   memory  Export returns as soon as its records are in the open batch. A
//           batcher thread compresses closed batches off the caller's thread,
//           pushes them to the queue (waiting while it is full) and closes
//           each lane's batch flush_interval after its first event. A batch
//           not delivered by the Shutdown deadline is dropped and counted.
//   disk    The same batcher and the same batches, and Export journals what
//           it put into each batch (a part, queue.h) and returns once that is
//           durable (concurrent Exports share one fsync: the queue's group
//           commit). Pushing a batch retires its parts; parts of a batch
//           still open at a crash are closed into it at the next start, under
//           the id it already had. A batch not delivered by the Shutdown
//           deadline stays on disk. Design and costs: disk_mode.cc.
#ifndef OTELPACK_EXPORTER_QUEUE_MODE_H_
#define OTELPACK_EXPORTER_QUEUE_MODE_H_

#include <chrono>
#include <memory>
#include <vector>

#include "batch/batch_builder.h"
#include "common/clock.h"
#include "exporter/compressors.h"
#include "exporter/lanes.h"
#include "exporter/ledger.h"
#include "format/envelope.h"
#include "otelpack/delivery.h"
#include "queue/queue.h"

namespace otelpack {

class QueueMode {
 public:
  virtual ~QueueMode() = default;

  // Disk: what was handed over survives a crash. Export then gives
  // HandOffAdmitted the parts it added to each batch, and Shutdown leaves
  // what it could not deliver in the queue.
  virtual bool durable() const = 0;

  // Export, before it encodes: OK when there is room for the batches it may
  // close, which stays taken until its HandOffAdmitted; ResourceExhausted
  // (naming what is full) when there is none within QueueOptions' policy,
  // or once Stop was called.
  virtual Status Admit() = 0;
  // Export saw its lane's batch open: the batcher starts its age timer.
  virtual void BatchOpened() = 0;
  // Takes batches just closed (registered with the ledger) to the batcher.
  // Disk: first writes `parts` (what this Export added to any batch),
  // returning once durable, or the queue's error (the events stay in their
  // batches and are delivered with them). HandOffAdmitted is Export's, once
  // per OK Admit (it gives the room back); HandOff is ForceFlush's and
  // Shutdown's.
  virtual Status HandOffAdmitted(std::vector<EncodedBatch> closed, std::vector<BatchPart> parts) = 0;
  virtual Status HandOff(std::vector<EncodedBatch> closed) = 0;

  // Shutdown, in order: Stop wakes and refuses Exports waiting for room;
  // Drain pushes what the mode holds into the queue until `deadline`, then
  // gives up (the rest is dropped and counted); true when all made it.
  virtual void Stop() = 0;
  virtual bool Drain(std::chrono::steady_clock::time_point deadline) = 0;
};

// What a mode works with. Every pointer must outlive the mode.
struct QueueModeParts {
  const QueueOptions* options = nullptr;
  std::chrono::milliseconds flush_interval{200};
  Queue* queue = nullptr;
  BatchLanes* lanes = nullptr;
  Ledger* ledger = nullptr;
  Compressors* compressors = nullptr;
  const Clock* clock = nullptr;
  const Envelope* envelope = nullptr;  // disk: to close batches recovered open
};

std::unique_ptr<QueueMode> NewMemoryMode(const QueueModeParts& parts);
std::unique_ptr<QueueMode> NewDiskMode(const QueueModeParts& parts);

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_QUEUE_MODE_H_
