// The disk queue's mode (queue_mode.h): the memory queue's batcher, with a
// journal of the open batches, so that a request holds up to max_batch_events
// whatever the size of the Exports, and an acknowledged Export survives SIGKILL.
//
// Design: the writer groups. Each Export encodes into its lane's open batch as
// with the memory queue, and writes a copy of the events it added to each
// batch (a part: the batch id and the events, uncompressed) to the disk queue;
// it returns once the parts are durable. Concurrent Exports share one fsync
// (the queue's group commit). When a batch closes (max_batch_events,
// max_batch_bytes, flush_interval, ForceFlush, Shutdown) the batcher
// compresses it and pushes it under the id it had from its first event; the
// push retires the batch's parts. Parts are never sent: the request is.
//
// Why not let the reader group per-Export records: the grouping (which
// records, under which id) would have to be persisted before the first send
// anyway, the senders would compress on their threads, and a request would
// wait on disk reads of many records. Here the request is built in memory as
// with the memory queue, and the disk only records what recovery needs.
//
// Costs, per event: its uncompressed bytes written once as a part and its
// compressed bytes once in the request (today: the compressed bytes of a
// request per Export, i.e. a worse ratio). Per Export: one record and a share
// of one fdatasync (kAlways), as before; per request: one record and
// fdatasync on the batcher thread, plus one small ack write per part. CPU:
// Export copies its events once more (a memcpy under the lane's lock) but no
// longer compresses; compression is on the batcher thread, as for memory.
//
// A crash, at each point (the batch id is the open batch's, fixed when it
// got its first event, so it is the same before and after a restart):
//   - before an Export's parts are durable: the Export did not return OK;
//     its events may or may not be delivered (at-least-once allows either).
//   - after Export returned OK, the batch still open: its parts are on disk;
//     the next start closes them into one request under the batch's id
//     (TakeOpenBatches) and pushes it, which retires them.
//   - after the batch was pushed, parts not yet retired: recovery sees the
//     request's id and drops the parts; the request is delivered.
//   - while sending, or after delivery but before the ack: the request is
//     sent again with the same id and the backend deduplicates it. If the
//     request was acked and deleted while some of its parts were not
//     retired, those parts come back as a batch with the same id, which the
//     backend, having stored that id, deduplicates too.
// Back-pressure: Admit refuses an Export before it encodes anything while the
// queue is at its max_bytes (after block_timeout with WhenFull::kBlock), so a
// refused Export leaves nothing behind; parts and batches of admitted Exports
// are then written past the limit (queue.h). A part the queue cannot write
// (an I/O error) fails its Export, but its events stay in their batch and are
// delivered with it.
#include <chrono>

#include "exporter/batcher_mode.h"
#include "otelpack/log.h"
#include "common/str_cat.h"

namespace otelpack {
namespace {

std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The request a batch recovered open was going to be: its parts joined in
// the envelope, under its id.
EncodedBatch CloseRecovered(OpenBatch& open, const Envelope& envelope) {
  EncodedBatch batch;
  batch.batch_id = std::move(open.batch_id);
  batch.signal = open.signal;
  batch.parts = static_cast<std::uint32_t>(open.parts.size());
  envelope.AppendPrefix(&batch.body);
  for (std::size_t i = 0; i < open.parts.size(); ++i) {
    if (i > 0) envelope.AppendSeparator(&batch.body);
    batch.body.Append(open.parts[i].body.view());
    batch.events += open.parts[i].events;
  }
  batch.sent_at_ms = NowUnixMs();
  envelope.AppendSuffix(batch.sent_at_ms, &batch.body);
  return batch;
}

class DiskMode final : public BatcherMode {
 public:
  explicit DiskMode(const QueueModeParts& parts) : BatcherMode(parts, BatchOutcome::kLeftOnDisk) {
    std::vector<EncodedBatch> recovered;
    for (OpenBatch& open : p_.queue->TakeOpenBatches()) recovered.push_back(CloseRecovered(open, *p_.envelope));
    if (recovered.empty()) return;
    Log(LogLevel::kInfo, StrCat("disk queue: closed ", recovered.size(), " batch(es) left open at the last stop"));
    HandOff(std::move(recovered));
  }

  bool durable() const override { return true; }

  Status Admit() override {
    Status s = BatcherMode::Admit();
    if (!s.ok()) return s;
    s = p_.queue->AwaitRoom(Wait());
    if (!s.ok()) BatcherMode::HandOffAdmitted({}, {});  // gives the room Admit took back
    return s;
  }

  Status HandOffAdmitted(std::vector<EncodedBatch> closed, std::vector<BatchPart> parts) override {
    Status result = WriteParts(std::move(parts));
    // Handed over whatever the journal said: the events are in these batches.
    Status taken = BatcherMode::HandOffAdmitted(std::move(closed), {});
    return result.ok() ? taken : result;
  }

 private:
  std::chrono::milliseconds Wait() const {
    return p_.options->when_full == WhenFull::kBlock ? p_.options->block_timeout : std::chrono::milliseconds(0);
  }

  Status WriteParts(std::vector<BatchPart> parts) {
    Status result;
    for (BatchPart& part : parts) {
      QueuedBatch q;
      q.open_part = true;
      q.batch_id = std::move(part.batch_id);
      q.signal = part.signal;
      q.events = part.events;
      q.uncompressed_bytes = part.events_bytes.size();
      q.body = std::move(part.events_bytes);
      Status s = p_.queue->Push(std::move(q), Wait());
      if (!s.ok() && result.ok()) result = s;
    }
    return result;
  }
};

}  // namespace

std::unique_ptr<QueueMode> NewDiskMode(const QueueModeParts& parts) { return std::make_unique<DiskMode>(parts); }

}  // namespace otelpack
