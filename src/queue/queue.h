// The delivery queue: closed batches wait here between the exporter, which
// pushes them, and the sender threads, which pop, POST and acknowledge them.
//
// Two implementations share one small interface. The memory queue bounds the
// body bytes it holds; the disk queue writes every batch to append-only
// segment files (leveldb log format, CRC32C per fragment) so that a pushed
// batch survives SIGKILL (and, with FsyncPolicy::kAlways, power loss) and is
// delivered at least once after a restart with the same batch id, which the
// backend deduplicates.
//
// The disk queue also journals the batches the exporter still holds open
// (QueuedBatch::open_part): each Export's share of an open batch is written
// as a part, never handed to Pop, and retired when the batch itself is
// pushed under the same id. Parts whose batch was never pushed come back
// after a restart (TakeOpenBatches), so the exporter can close them into the
// request they were going to be, under the id they already had.
//
// Delivery is lease-based: Pop hands out the oldest batch nobody holds, Ack
// retires it. A leased batch is never handed out again in the same process;
// after a restart every batch whose ack was not persisted comes back.
//
// Thread safety: every method of Queue may be called from any thread.
#ifndef OTELPACK_QUEUE_QUEUE_H_
#define OTELPACK_QUEUE_QUEUE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "otelpack/buffer.h"
#include "otelpack/delivery.h"
#include "otelpack/signal.h"
#include "otelpack/status.h"

namespace otelpack {

// What the queue holds: one request, ready to send.
struct QueuedBatch {
  std::string batch_id;          // X-Batch-ID: kept with the data so a replay is deduplicated
  std::uint32_t events = 0;
  std::uint8_t compression = 0;  // otelpack::Compression as a byte (the queue does not interpret it)
  // Which signal the body holds, so a batch recovered after a restart is sent
  // to its endpoint and counted as what it is. Default kTraces: the only
  // signal before the disk queue stored it (record version 1). Beside
  // compression, it fits in padding: the struct does not grow.
  Signal signal = Signal::kTraces;
  // Disk only. True: a part of the open batch `batch_id` (body: its events
  // joined by the envelope's separator, uncompressed), journalled until the
  // batch is pushed. False: a request.
  bool open_part = false;
  // Disk only, for a request: how many parts carry its id, written or still
  // on their way; the queue retires them as they are published. Not stored.
  // A part, and a request with parts, hold data an Export already admitted
  // (AwaitRoom): Push does not refuse them for room (see DiskQueueOptions).
  std::uint32_t parts = 0;
  std::uint64_t uncompressed_bytes = 0;
  Buffer body;                   // the request body, already compressed
};

// Parts of a batch that was still open when the process stopped, in the
// order they were written.
struct OpenBatch {
  std::string batch_id;
  Signal signal = Signal::kTraces;
  std::vector<QueuedBatch> parts;
};

struct QueueStats {
  std::uint64_t depth = 0;          // batches pushed and not yet acknowledged (leased ones included)
  std::uint64_t bytes = 0;          // bytes counted against max_bytes: memory: bodies held;
                                    // disk: segment file bytes on disk
  std::uint64_t pushed = 0;         // successful Push calls since open
  std::uint64_t acked = 0;          // Ack calls that retired a batch since open
  std::uint64_t rejected_full = 0;  // Push calls that gave up with ResourceExhausted
  std::uint64_t recovered = 0;      // disk: batches found pending at open
  std::uint64_t corrupted_bytes = 0;  // disk: bytes skipped as torn or corrupted (at open or Pop)
};

class Queue {
 public:
  virtual ~Queue() = default;

  // Adds a batch. Blocks up to `timeout` while the queue is full; then
  // ResourceExhausted naming the limit ("queue full: 268435456 bytes"). With
  // the disk queue, OK means durable per the fsync policy. After Close:
  // FailedPrecondition. A batch larger than the whole capacity: TooLarge.
  // Disk: a signal outside kAllSignals is InvalidArgument (it could not be
  // read back).
  virtual Status Push(QueuedBatch batch, std::chrono::milliseconds timeout) = 0;

  // Blocks up to `timeout` until the queue holds less than its limit; then
  // ResourceExhausted naming the limit, as Push. After Close:
  // FailedPrecondition. For a producer that must refuse data before it
  // writes anything (the exporter's disk mode, before Export encodes).
  virtual Status AwaitRoom(std::chrono::milliseconds timeout) = 0;

  // Takes the oldest batch that is neither acknowledged nor currently leased.
  // Blocks up to `timeout`; nullopt on timeout or once closed and nothing is
  // left to lease.
  struct Lease {
    std::uint64_t id;
    QueuedBatch batch;
  };
  virtual std::optional<Lease> Pop(std::chrono::milliseconds timeout) = 0;

  // The leased batch is done (delivered or permanently dropped): it will never
  // be returned again. Disk: not after a restart either — the ack is written
  // to the segment's ack file before Ack returns (it survives SIGKILL) and
  // fdatasync'ed lazily, within DiskQueueOptions::fsync_interval; an ack lost
  // to power loss means a redelivery with the same batch id, which
  // at-least-once allows. Unknown or repeated ids are ignored. A leased batch
  // keeps counting against max_bytes until it is acked.
  virtual void Ack(std::uint64_t id) = 0;

  // Wakes every blocked Push/Pop; further Push fails. Pop keeps returning
  // what is left.
  virtual void Close() = 0;

  // Returns once the background work pending at the call is done. Disk:
  // segments whose batches are all acked are deleted, written data and acks
  // fdatasync'ed (per the fsync policy), so that when the exporter's
  // Shutdown returns the directory is as the next start will find it and
  // nothing touches it any more. The memory queue has nothing to do.
  virtual void Settle() {}

  // The batches found open at open (disk), to be closed into requests by
  // pushing each under its id with `parts` = its parts' count. Each batch is
  // returned once; the memory queue has none.
  virtual std::vector<OpenBatch> TakeOpenBatches() { return {}; }

  virtual QueueStats Stats() const = 0;
};

struct MemoryQueueOptions {
  // Bound on the body bytes held (queued plus leased and not yet acked).
  // Default 64 MiB.
  std::size_t max_bytes = 64 << 20;
};
std::unique_ptr<Queue> NewMemoryQueue(const MemoryQueueOptions& options);

// FsyncPolicy (kAlways, kInterval, kNever) is in otelpack/delivery.h.


struct DiskQueueOptions {
  // Created if missing. One queue per directory: it is locked (flock on
  // <directory>/LOCK) and a second opener gets FailedPrecondition.
  std::string directory;
  // Bound on segment bytes on disk (record framing included); when reached,
  // Push blocks (back-pressure). A segment is deleted only when every batch in
  // it is acked, so one slow lease can pin a whole segment. Parts and the
  // requests that retire them are written past it: they hold what was
  // admitted before the limit was reached (AwaitRoom), so the directory can
  // exceed it by what the Exports in progress then write. Default 1 GiB.
  std::size_t max_bytes = 1ull << 30;
  // Roll to a new segment file at this size. Capped at max_bytes / 4 so that
  // deleting acked segments can always make room. Default 64 MiB.
  std::size_t segment_bytes = 64 << 20;
  // Default kAlways, after measuring (bench/queue_bench.cc, ext4 on the 2-core
  // development VM): an fdatasync after a 100 KB append costs ~0.5 ms (2-4 ms
  // while other jobs load the disk); kAlways still moves ~1.2k batches/s of
  // 100 KB with one producer and ~2k/s with four (group commit: ~0.43
  // fdatasync per batch), i.e. 120-210 MB/s of compressed bodies, far above
  // what one exporter produces. So the policy that also survives power loss
  // is affordable; kInterval (~4k/s) and kNever (~7k/s) are for hosts whose
  // disk sync is slow.
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  // kInterval: how often segment data is synced. kAlways and kInterval also
  // fdatasync ack files on this period. Default 100 ms.
  std::chrono::milliseconds fsync_interval{100};
};

// Opens (recovering what is there) or creates. Recovery keeps every intact
// record, skips a torn or corrupted tail or corrupted blocks and reports them
// (Stats().corrupted_bytes, a warn log via otelpack::Log), and never refuses to
// start because of corruption. Errors: InvalidArgument (options),
// FailedPrecondition (directory locked), Unavailable (I/O).
Result<std::unique_ptr<Queue>> OpenDiskQueue(const DiskQueueOptions& options);

}  // namespace otelpack

#endif  // OTELPACK_QUEUE_QUEUE_H_
