// The record log format of queue segment and ack files (leveldb's log format).
//
// A file is a sequence of 32 KiB blocks; the last one may be partial. Each
// block holds physical records:
//
//   masked crc32c (4, little-endian) | length (2, little-endian) | type (1) | data[length]
//
// The checksum covers type and data. A logical record that does not fit in
// the rest of a block is split into FIRST, MIDDLE..., LAST fragments; one that
// fits is a single FULL fragment. Fewer than 7 bytes left at the end of a
// block are a zero trailer. Why blocks: after a damaged header a reader cannot
// trust the length, so it drops the rest of the block and resynchronises at
// the next boundary — corruption costs at most the records it touches.
#ifndef OTELPACK_QUEUE_LOG_FORMAT_H_
#define OTELPACK_QUEUE_LOG_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace otelpack::queue::log {

enum RecordType : std::uint8_t {
  // Never written; a zeroed header (e.g. a tail lost to power loss) reads as it.
  kZeroType = 0,
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};
constexpr std::uint8_t kMaxRecordType = kLastType;

constexpr std::size_t kBlockSize = 32768;
constexpr std::size_t kHeaderSize = 4 + 2 + 1;

}  // namespace otelpack::queue::log

#endif  // OTELPACK_QUEUE_LOG_FORMAT_H_
