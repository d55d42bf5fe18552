// How a QueuedBatch is laid out inside one log record of a segment file.
//
//   version 3 (a part of an open batch, QueuedBatch::open_part; written since
//   the disk queue batches across Exports; requests are still version 2):
//     version (1, = 3) | signal (1) | varint32 batch_id length | batch_id |
//     fixed32 events | events (the rest, uncompressed)
//   version 2 (written since the pipeline carries more than traces):
//     version (1, = 2) | signal (1) | varint32 batch_id length | batch_id |
//     fixed32 events | compression (1) | fixed64 uncompressed_bytes | body (the rest)
//   version 1 (read only: queues written before; their batches are traces):
//     version (1, = 1) | varint32 batch_id length | batch_id | fixed32 events |
//     compression (1) | fixed64 uncompressed_bytes | body (the rest)
//
// Integers are little-endian; signal is otelpack::Signal's stable value. The
// signal sits right behind the version, where a reader finds it without
// parsing the rest. The body is last and unframed so it can be written
// straight from the caller's buffer behind the encoded header.
//
// Any other version is DataLoss: recovery skips the record and reports it as
// damaged rather than guessing its layout.
#ifndef OTELPACK_QUEUE_BATCH_RECORD_H_
#define OTELPACK_QUEUE_BATCH_RECORD_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "otelpack/status.h"
#include "queue/queue.h"

namespace otelpack::queue {

// The version of a request record.
constexpr std::uint8_t kBatchRecordVersion = 2;
// The version of an open batch's part. A release before it reads one as
// damage and skips it (it would lose the open batches on a downgrade).
constexpr std::uint8_t kBatchRecordVersionOpenPart = 3;
// The version without a signal byte, still read (as traces).
constexpr std::uint8_t kBatchRecordVersionTracesOnly = 1;
// batch ids are at most 128 characters on the wire; this only guards the format.
constexpr std::size_t kMaxBatchIdBytes = 64 << 10;

// Everything but the body. REQUIRES: batch.batch_id.size() <= kMaxBatchIdBytes
// and batch.signal is one of kAllSignals (a reader would drop anything else).
std::string EncodeBatchHeader(const QueuedBatch& batch);

// Parses a record given as the data of its fragments, in order. Fills every
// field of *batch but the body and sets *body_size. DataLoss when malformed.
Status DecodeBatchHeader(std::span<const std::string_view> fragments, QueuedBatch* batch,
                         std::uint64_t* body_size);

// The same, and copies the body into batch->body.
Status DecodeBatch(std::span<const std::string_view> fragments, QueuedBatch* batch);

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_BATCH_RECORD_H_
