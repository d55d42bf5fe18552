// The disk queue on real files: reopen, acks across restarts, segment
// deletion, recovery from truncation, flipped bytes and zero-filled tails,
// back-pressure at max_bytes, the directory lock and group commit.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "queue/disk_queue.h"
#include "queue/disk_queue_internal.h"
#include "queue/log_format.h"
#include "queue/log_reader.h"
#include "queue/queue.h"
#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using namespace std::chrono_literals;
using testing::Drain;
using testing::ExpectBatch;
using testing::FilesWithSuffix;
using testing::LogCapture;
using testing::MakeBatch;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

DiskQueueOptions Options(const std::string& dir) {
  DiskQueueOptions o;
  o.directory = dir;
  o.max_bytes = 64 << 20;
  o.fsync = FsyncPolicy::kNever;  // most tests are about format, not power loss
  o.fsync_interval = 20ms;
  return o;
}

std::unique_ptr<Queue> Open(const DiskQueueOptions& o) {
  Result<std::unique_ptr<Queue>> q = OpenDiskQueue(o);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? std::move(q).value() : nullptr;
}

// Start offsets of the records in a segment file, as recovery sees them.
std::vector<std::uint64_t> RecordOffsets(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0);
  File file(fd, path);
  LogReader reader(&file, nullptr);
  std::vector<std::uint64_t> offsets;
  std::string record;
  std::uint64_t offset = 0, end = 0;
  while (reader.ReadRecord(&record, &offset, &end)) offsets.push_back(offset);
  return offsets;
}

std::size_t SizeOf(int i) { return static_cast<std::size_t>((i * 7919) % 90000); }

TEST(DiskQueue, ReopenReturnsEveryBatchInOrderWithItsId) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.segment_bytes = 256 << 10;  // several segments
  constexpr int kN = 60;
  {
    auto q = Open(o);
    for (int i = 0; i < kN; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, SizeOf(i)), 1s).ok());
    EXPECT_EQ(q->Stats().depth, static_cast<std::uint64_t>(kN));
  }
  EXPECT_GT(FilesWithSuffix(dir.path(), ".seg").size(), 3u);
  auto q = Open(o);
  QueueStats s = q->Stats();
  EXPECT_EQ(s.recovered, static_cast<std::uint64_t>(kN));
  EXPECT_EQ(s.depth, static_cast<std::uint64_t>(kN));
  EXPECT_EQ(s.corrupted_bytes, 0u);
  std::vector<Queue::Lease> leases = Drain(*q);
  ASSERT_EQ(leases.size(), static_cast<std::size_t>(kN));
  for (int i = 0; i < kN; ++i) ExpectBatch(leases[static_cast<std::size_t>(i)].batch, i, SizeOf(i));
}

TEST(DiskQueue, AckedBatchesDoNotComeBackAfterReopen) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  {
    auto q = Open(o);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 1000 + i), 1s).ok());
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), 20u);
    for (const auto& l : leases) {
      if (testing::BatchNumber(l.batch.batch_id) % 2 == 0) q->Ack(l.id);
    }
  }
  {
    auto q = Open(o);
    EXPECT_EQ(q->Stats().recovered, 10u);
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), 10u);
    for (int k = 0; k < 10; ++k) ExpectBatch(leases[static_cast<std::size_t>(k)].batch, 2 * k + 1, 1000 + 2 * k + 1);
    // Leased but not acked when the queue closes: delivered again next time.
    for (int k = 0; k < 5; ++k) q->Ack(leases[static_cast<std::size_t>(k)].id);
  }
  auto q = Open(o);
  std::vector<Queue::Lease> leases = Drain(*q);
  ASSERT_EQ(leases.size(), 5u);
  EXPECT_EQ(leases[0].batch.batch_id, "batch-11");
}

TEST(DiskQueue, SegmentFilesAreDeletedOnceEveryBatchIsAcked) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.segment_bytes = 64 << 10;
  auto q = Open(o);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 10000), 1s).ok());
  ASSERT_GE(FilesWithSuffix(dir.path(), ".seg").size(), 4u);
  const std::uint64_t full = q->Stats().bytes;
  // Ack the first half: the segments holding only those go away.
  std::vector<Queue::Lease> leases = Drain(*q);
  for (int i = 0; i < 15; ++i) q->Ack(leases[static_cast<std::size_t>(i)].id);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (q->Stats().bytes == full && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LT(q->Stats().bytes, full);
  const std::size_t remaining = FilesWithSuffix(dir.path(), ".seg").size();
  for (int i = 15; i < 30; ++i) q->Ack(leases[static_cast<std::size_t>(i)].id);
  while (FilesWithSuffix(dir.path(), ".seg").size() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LT(FilesWithSuffix(dir.path(), ".seg").size(), remaining);
  EXPECT_LE(FilesWithSuffix(dir.path(), ".seg").size(), 1u);  // only the active one may stay
  q.reset();
  // At open a fully acked segment (the old active one) is deleted too.
  q = Open(o);
  EXPECT_EQ(q->Stats().recovered, 0u);
  EXPECT_EQ(FilesWithSuffix(dir.path(), ".seg").size(), 0u);
  EXPECT_EQ(FilesWithSuffix(dir.path(), ".ack").size(), 0u);
}

// Writes batches 0..sizes.size()-1 into a fresh queue in `dir` and returns the
// bytes of its only segment file and the record offsets in it.
std::string WriteOneSegment(const std::string& dir, const std::vector<std::size_t>& sizes,
                            std::vector<std::uint64_t>* offsets) {
  {
    auto q = Open(Options(dir));
    for (std::size_t i = 0; i < sizes.size(); ++i) EXPECT_TRUE(q->Push(MakeBatch(i, sizes[i]), 1s).ok());
  }
  std::vector<std::string> segments = FilesWithSuffix(dir, ".seg");
  EXPECT_EQ(segments.size(), 1u);
  *offsets = RecordOffsets(segments.at(0));
  return ReadFile(segments.at(0));
}

void CheckTruncations(const std::vector<std::size_t>& sizes, bool every_offset) {
  TempDir original, scratch;
  std::vector<std::uint64_t> offsets;
  const std::string bytes = WriteOneSegment(original.path(), sizes, &offsets);
  ASSERT_EQ(offsets.size(), sizes.size());
  const std::uint64_t last = offsets.back();
  std::vector<std::uint64_t> cuts;
  for (std::uint64_t at = last; at < bytes.size(); ++at) {
    const std::uint64_t in_block = at % log::kBlockSize;
    if (every_offset || at - last < 64 || in_block < 16 || in_block > log::kBlockSize - 16 ||
        (at - last) % 1009 == 0) {
      cuts.push_back(at);
    }
  }
  const std::size_t intact = sizes.size() - 1;
  for (std::uint64_t at : cuts) {
    std::filesystem::remove_all(scratch.Sub("q"));
    std::filesystem::create_directories(scratch.Sub("q"));
    WriteFile(scratch.Sub("q/00000001.seg"), bytes.substr(0, at));
    auto q = Open(Options(scratch.Sub("q")));
    ASSERT_NE(q, nullptr);
    QueueStats s = q->Stats();
    ASSERT_EQ(s.recovered, intact) << "cut at " << at;
    EXPECT_EQ(s.corrupted_bytes > 0, at > last) << "cut at " << at;
    EXPECT_LE(s.corrupted_bytes, at - last) << "cut at " << at;
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), intact);
    for (std::size_t i = 0; i < intact; ++i) ExpectBatch(leases[i].batch, i, sizes[i]);
  }
}

TEST(DiskQueue, SettleReturnsOnceFinishedSegmentsAreGoneAndAcksSynced) {
  // The exporter's Shutdown settles the queue: once it returns nothing may
  // touch the directory (a caller removing it used to race the janitor).
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.segment_bytes = 64 << 10;
  o.fsync = FsyncPolicy::kInterval;
  o.fsync_interval = 1h;  // no round of the janitor's own before Settle's
  auto q = Open(o);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 10000), 1s).ok());
  ASSERT_GE(FilesWithSuffix(dir.path(), ".seg").size(), 4u);
  for (const Queue::Lease& lease : Drain(*q)) q->Ack(lease.id);
  q->Settle();
  EXPECT_EQ(FilesWithSuffix(dir.path(), ".seg").size(), 1u) << "only the active segment stays";
  EXPECT_EQ(FilesWithSuffix(dir.path(), ".ack").size(), 1u);
  EXPECT_GE(dynamic_cast<DiskQueue&>(*q).sync_count(), 1u) << "the written data was synced";
  q->Settle();  // nothing pending: returns at once
}

TEST(DiskQueueRecovery, TruncatedSmallLastRecordAtEveryOffset) {
  CheckTruncations({3000, 45000, 10, 200}, /*every_offset=*/true);
}

TEST(DiskQueueRecovery, TruncatedMultiBlockLastRecordAtSampledOffsets) {
  CheckTruncations({3000, 500, 100000}, /*every_offset=*/false);
}

TEST(DiskQueueRecovery, FlippedByteSkipsThatRecordAndKeepsRecordsInOtherBlocks) {
  TempDir dir;
  std::vector<std::size_t> sizes(10, 20000);
  std::vector<std::uint64_t> offsets;
  std::string bytes = WriteOneSegment(dir.path(), sizes, &offsets);
  // A record past the first few that starts in one block and ends in another,
  // with room for the damage in its first fragment: its damaged block then
  // holds no other record's start.
  std::size_t victim = 3;
  auto room = [&](std::size_t i) { return log::kBlockSize - offsets[i] % log::kBlockSize; };
  while (victim + 1 < sizes.size() && (room(victim) < 64 || room(victim) > 19000)) ++victim;
  ASSERT_LT(victim + 1, sizes.size());
  bytes[offsets[victim] + log::kHeaderSize + 20] ^= 0x20;
  const std::string path = FilesWithSuffix(dir.path(), ".seg").at(0);
  WriteFile(path, bytes);

  LogCapture logs;
  auto q = Open(Options(dir.path()));
  QueueStats s = q->Stats();
  EXPECT_EQ(s.recovered, sizes.size() - 1);
  EXPECT_GT(s.corrupted_bytes, 20000u);  // the victim's fragments, at least
  EXPECT_TRUE(logs.Contains("00000001.seg", "checksum mismatch"));
  std::vector<Queue::Lease> leases = Drain(*q);
  ASSERT_EQ(leases.size(), sizes.size() - 1);
  std::size_t k = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i == victim) continue;
    ExpectBatch(leases[k++].batch, i, sizes[i]);
  }
}

TEST(DiskQueueRecovery, ZeroFilledTailAsAfterPowerLoss) {
  TempDir dir;
  std::vector<std::size_t> sizes = {1000, 30000, 5000};
  std::vector<std::uint64_t> offsets;
  std::string bytes = WriteOneSegment(dir.path(), sizes, &offsets);
  const std::string path = FilesWithSuffix(dir.path(), ".seg").at(0);
  {
    // The size grew but the last pages never reached the disk.
    WriteFile(path, bytes + std::string(65536, '\0'));
    auto q = Open(Options(dir.path()));
    EXPECT_EQ(q->Stats().recovered, 3u);
    EXPECT_EQ(q->Stats().corrupted_bytes, 65536u);
    EXPECT_EQ(Drain(*q).size(), 3u);
  }
  {
    // The last record itself was zeroed.
    std::string zeroed = bytes;
    std::fill(zeroed.begin() + static_cast<std::ptrdiff_t>(offsets[2]), zeroed.end(), '\0');
    WriteFile(path, zeroed);
    auto q = Open(Options(dir.path()));
    EXPECT_EQ(q->Stats().recovered, 2u);
    EXPECT_EQ(q->Stats().corrupted_bytes, bytes.size() - offsets[2]);
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), 2u);
    ExpectBatch(leases[1].batch, 1, sizes[1]);
  }
}

TEST(DiskQueueRecovery, DamagedAckFileMeansRedeliveryNotLoss) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  {
    auto q = Open(o);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 3000), 1s).ok());
    std::vector<Queue::Lease> leases = Drain(*q);
    for (int i = 0; i < 5; ++i) q->Ack(leases[static_cast<std::size_t>(i)].id);
  }
  const std::string ack_path = FilesWithSuffix(dir.path(), ".ack").at(0);
  const std::string acks = ReadFile(ack_path);
  WriteFile(ack_path, acks.substr(0, acks.size() - 1));  // tear its last record
  {
    LogCapture logs;
    auto q = Open(o);
    EXPECT_GT(q->Stats().recovered, 5u);  // some acked batches come back: allowed
    EXPECT_TRUE(logs.Contains("delivered again"));
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), q->Stats().recovered);
    EXPECT_EQ(leases.back().batch.batch_id, "batch-9");  // nothing unacked lost
    // The rewritten ack file takes new acks: ack all but the last two.
    for (std::size_t i = 0; i + 2 < leases.size(); ++i) q->Ack(leases[i].id);
  }
  auto q = Open(o);
  std::vector<Queue::Lease> leases = Drain(*q);
  ASSERT_EQ(leases.size(), 2u);
  EXPECT_EQ(leases[0].batch.batch_id, "batch-8");
  EXPECT_EQ(leases[1].batch.batch_id, "batch-9");
}

TEST(DiskQueue, CorruptionFoundAtPopSkipsThatBatch) {
  TempDir dir;
  auto q = Open(Options(dir.path()));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 20000), 1s).ok());
  const std::string path = FilesWithSuffix(dir.path(), ".seg").at(0);
  std::vector<std::uint64_t> offsets = RecordOffsets(path);
  ASSERT_EQ(offsets.size(), 3u);
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const char junk = 'X';
  ASSERT_EQ(::pwrite(fd, &junk, 1, static_cast<off_t>(offsets[1] + 5000)), 1);
  ::close(fd);
  LogCapture logs;
  auto a = q->Pop(0ms);
  auto b = q->Pop(0ms);
  ASSERT_TRUE(a && b);
  ExpectBatch(a->batch, 0, 20000);
  ExpectBatch(b->batch, 2, 20000);
  EXPECT_FALSE(q->Pop(0ms).has_value());
  EXPECT_GT(q->Stats().corrupted_bytes, 20000u);
  EXPECT_EQ(q->Stats().depth, 2u);  // the damaged one is retired
  EXPECT_TRUE(logs.Contains("unreadable batch"));
}

TEST(DiskQueue, FullQueueTimesOutAndReopensWithEverythingIntact) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.max_bytes = 256 << 10;
  o.fsync = FsyncPolicy::kAlways;
  int pushed = 0;
  {
    auto q = Open(o);
    Status s;
    while ((s = q->Push(MakeBatch(pushed, 10000), 0ms)).ok()) ++pushed;
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
    EXPECT_NE(s.message().find("queue full: 262144 bytes"), std::string_view::npos);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(q->Push(MakeBatch(pushed, 10000), 100ms).code(), StatusCode::kResourceExhausted);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 95ms);
    EXPECT_LE(q->Stats().bytes, o.max_bytes);
    EXPECT_EQ(q->Stats().rejected_full, 2u);
  }
  EXPECT_GT(pushed, 15);
  auto q = Open(o);
  EXPECT_EQ(q->Stats().corrupted_bytes, 0u);
  std::vector<Queue::Lease> leases = Drain(*q);
  ASSERT_EQ(leases.size(), static_cast<std::size_t>(pushed));
  for (int i = 0; i < pushed; ++i) ExpectBatch(leases[static_cast<std::size_t>(i)].batch, i, 10000);
}

TEST(DiskQueue, AFullyAckedActiveSegmentIsReclaimedWhenSpaceIsNeeded) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.max_bytes = 256 << 10;
  auto q = Open(o);
  // One batch bigger than a segment: it alone fills the active segment.
  ASSERT_TRUE(q->Push(MakeBatch(0, 200 << 10), 0ms).ok());
  auto lease = q->Pop(0ms);
  ASSERT_TRUE(lease.has_value());
  EXPECT_EQ(q->Push(MakeBatch(1, 200 << 10), 0ms).code(), StatusCode::kResourceExhausted);
  q->Ack(lease->id);
  Status s = q->Push(MakeBatch(1, 200 << 10), 5s);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_LE(q->Stats().bytes, o.max_bytes);
  auto next = q->Pop(0ms);
  ASSERT_TRUE(next.has_value());
  ExpectBatch(next->batch, 1, 200 << 10);
}

TEST(DiskQueue, SecondOpenerOfADirectoryIsRefused) {
  TempDir dir;
  auto first = Open(Options(dir.path()));
  Result<std::unique_ptr<Queue>> second = OpenDiskQueue(Options(dir.path()));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("already in use"), std::string_view::npos)
      << second.status().ToString();
  EXPECT_NE(second.status().message().find(dir.path()), std::string_view::npos);
  first.reset();
  EXPECT_TRUE(OpenDiskQueue(Options(dir.path())).ok());
}

TEST(DiskQueue, OpenCreatesTheDirectoryAndValidatesOptions) {
  TempDir dir;
  auto q = Open(Options(dir.Sub("a/b/c")));
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(std::filesystem::is_directory(dir.Sub("a/b/c")));
  EXPECT_EQ(FilesWithSuffix(dir.Sub("a/b/c"), ".seg").size(), 0u);  // created at first Push
  DiskQueueOptions bad = Options("");
  EXPECT_EQ(OpenDiskQueue(bad).status().code(), StatusCode::kInvalidArgument);
  bad = Options(dir.Sub("x"));
  bad.fsync_interval = 0ms;
  EXPECT_EQ(OpenDiskQueue(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(DiskQueue, ConcurrentPushesShareFsyncs) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.fsync = FsyncPolicy::kAlways;
  auto q = Open(o);
  constexpr int kThreads = 8, kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!q->Push(MakeBatch(t * kPerThread + i, 1000), 10s).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const std::uint64_t syncs = DiskQueueSyncCount(*q);
  EXPECT_GT(syncs, 0u);
  EXPECT_LT(syncs, static_cast<std::uint64_t>(kThreads * kPerThread));
  std::printf("group commit: %d pushes, %llu fdatasync calls\n", kThreads * kPerThread,
              static_cast<unsigned long long>(syncs));
  EXPECT_EQ(Drain(*q).size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace otelpack::queue
