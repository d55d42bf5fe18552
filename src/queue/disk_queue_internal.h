// Internals of the disk queue shared by its open/recovery code and the queue
// itself (and a hook for tests).
//
// Directory layout:
//   LOCK             flock'ed while a queue has the directory open
//   NNNNNNNN.seg     segment: one log record (log_format.h) per batch or open
//                    batch's part (batch_record.h)
//   NNNNNNNN.ack     acks of that segment: log records of varint64 record offsets
// A record is named by (segment number, offset of its first fragment). A
// segment and its ack file are deleted (.seg first) once every record in the
// segment is acked; an .ack without its .seg is a leftover of that deletion.
#ifndef OTELPACK_QUEUE_DISK_QUEUE_INTERNAL_H_
#define OTELPACK_QUEUE_DISK_QUEUE_INTERNAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "otelpack/status.h"
#include "queue/file_util.h"
#include "queue/log_writer.h"
#include "queue/queue.h"

namespace otelpack::queue {

// One segment file. Fields other than number and file are guarded by the
// queue's mutex once the queue exists.
struct Segment {
  std::uint64_t number = 0;
  std::shared_ptr<File> file;
  std::uint64_t size = 0;   // bytes in the file
  std::uint64_t live = 0;   // records in it not yet acked
  bool sealed = false;      // no more appends: may be deleted when live == 0

  // Guarded by the queue's ack mutex (acks are written by the acking thread):
  std::shared_ptr<File> ack_file;  // opened at the first ack
  std::unique_ptr<LogWriter> ack_writer;
  bool ack_unsynced = false;       // written since the janitor last synced it
  bool deleted = false;            // being deleted: write no more acks (nor recreate the file)
};

// A record recovered at open that still has to be delivered.
struct RecoveredRecord {
  std::shared_ptr<Segment> segment;
  std::uint64_t offset = 0;  // of its first fragment
  std::uint64_t length = 0;  // bytes from its first fragment's header to its last byte
  bool open_part = false;    // a part of a batch never pushed (batch_record.h, version 3)
  std::string batch_id;      // for a part: the batch it belongs to
};

struct RecoveredState {
  std::vector<std::shared_ptr<Segment>> segments;  // sealed, live > 0, oldest first
  // Oldest first: requests not acked, and parts of batches that were never
  // pushed (a part whose request is in the directory, acked or not, is done).
  std::vector<RecoveredRecord> records;
  std::uint64_t next_segment_number = 1;
  std::uint64_t corrupted_bytes = 0;
};

std::string SegmentPath(const std::string& dir, std::uint64_t number);
std::string AckPath(const std::string& dir, std::uint64_t number);

// Reads every segment of `dir`: keeps intact records not acked, deletes fully
// acked segments and orphaned ack files, logs what it skipped. Fails only on
// I/O errors that prevent reading the directory.
Result<RecoveredState> RecoverDirectory(const std::string& dir, FsyncPolicy fsync);

// Test hook: how many data fdatasync calls the queue made (group commit).
// REQUIRES: `queue` came from OpenDiskQueue.
std::uint64_t DiskQueueSyncCount(const Queue& queue);

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_DISK_QUEUE_INTERNAL_H_
