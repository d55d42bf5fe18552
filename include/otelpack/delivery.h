// Delivery options: what happens to data between Export and the backend.
//
// Export hands data over and returns; batches close by event count, body
// bytes or age; a queue holds them (in memory, bounded by bytes, or on disk,
// durable); `concurrency` senders deliver them with retries. Nothing is
// dropped silently: every drop is counted by reason in ExporterStats.
#ifndef OTELPACK_DELIVERY_H_
#define OTELPACK_DELIVERY_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace otelpack {

struct RetryOptions {
  // false: one attempt only (the article's behaviour).
  bool enabled = true;
  // First wait. Default 5 s (the Collector's).
  std::chrono::milliseconds initial_interval{5'000};
  // Each wait is multiplied by this. Default 1.5.
  double multiplier = 1.5;
  // Each wait is spread uniformly over ±this fraction. Default 0.5.
  double randomization_factor = 0.5;
  // Cap on one computed wait (a Retry-After from the backend may be longer).
  // Default 30 s.
  std::chrono::milliseconds max_interval{30'000};
  // Give up on a batch this long after its first attempt; 0 = retry forever.
  // Default 5 min.
  std::chrono::milliseconds max_elapsed_time{300'000};
  // HTTP statuses worth retrying. Empty (the default) means 408, 429, every
  // 5xx but 501, and every 3xx that is not followed (docs/wire-protocol.md,
  // "Redirects"); when non-empty, exactly these statuses are retried.
  // Failures without a response (timeouts, refused connections) are always
  // retried.
  std::vector<int> retryable_statuses;
};

enum class QueueKind : unsigned char {
  kMemory,  // bounded by bytes; lost if the process dies
  kDisk,    // a write-ahead log in `directory`; survives crashes and restarts
};

// What Export does when the queue is full.
enum class WhenFull : unsigned char {
  kBlock,       // wait up to block_timeout for room, then refuse (ResourceExhausted)
  kDropNewest,  // refuse at once (ResourceExhausted)
};

enum class FsyncPolicy : unsigned char {
  // fdatasync before a push is acknowledged; concurrent pushes share one
  // (group commit). Survives power loss.
  kAlways,
  // fdatasync at most every fsync_interval; a push is acknowledged after
  // write(): survives a crash of the process, not power loss in the last interval.
  kInterval,
  // Never: survives a crash of the process only.
  kNever,
};

struct QueueOptions {
  QueueKind kind = QueueKind::kMemory;
  // Memory: bound on the compressed bodies held. Default 64 MiB.
  std::size_t memory_max_bytes = 64u << 20;
  // Disk: where the queue lives (created if missing; one exporter per directory).
  std::string directory;
  // Disk: bound on the bytes on disk. Once reached, Export waits up to
  // block_timeout (kBlock) and is refused; the Exports already in progress
  // may still write past it. Default 1 GiB.
  std::size_t disk_max_bytes = 1u << 30;
  // Disk: durability of an acknowledged Export. Default kAlways (group commit).
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  std::chrono::milliseconds fsync_interval{100};
  // Full queue: block (default) or refuse at once.
  WhenFull when_full = WhenFull::kBlock;
  // kBlock: how long Export waits for room. Default 5 s.
  std::chrono::milliseconds block_timeout{5'000};
};

}  // namespace otelpack

#endif  // OTELPACK_DELIVERY_H_
