// The disk queue across record format versions: a directory written by the
// release before signals (testdata/v1_queue, see testdata/README.md) is read
// back batch for batch as traces and stays usable next to version 2 records
// of every signal; one written by the release before open-batch parts
// (testdata/v2_queue) is read back and takes parts; a record with an unknown
// signal is skipped as damage; Push refuses a signal it could not read back.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "queue/batch_record.h"
#include "queue/disk_queue_internal.h"
#include "queue/log_format.h"
#include "queue/log_writer.h"
#include "queue/queue.h"
#include "queue/queue_test_util.h"

#ifndef OTELPACK_QUEUE_TESTDATA
#error "CMake passes OTELPACK_QUEUE_TESTDATA, the path of src/queue/testdata"
#endif

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

const std::string kV1Queue = std::string(OTELPACK_QUEUE_TESTDATA) + "/v1_queue";
const std::string kV2Queue = std::string(OTELPACK_QUEUE_TESTDATA) + "/v2_queue";

// What testdata/v1_queue holds, in push order (testdata/README.md).
struct V1Batch {
  std::string id;
  std::uint32_t events;
  std::uint8_t compression;
  std::uint64_t uncompressed_bytes;
  std::size_t body_size;
  bool acked;
};
const std::vector<V1Batch>& V1Batches() {
  static const std::vector<V1Batch> batches = {
      {"v1-0000", 1, 0, 1200, 1200, false},
      {"v1-0001", 17, 1, 48000, 9000, true},
      {"v1-0002-" + std::string(120, 'x'), 250, 2, 70000, 16000, false},
      {"v1-0003", 0x01020304, 3, 5'000'000'000ull, 6270, true},
      {"v1-0004-spans-three-blocks", 4096, 2, 400000, 34000, false},
      {"v1-0005-empty", 0, 0, 0, 0, false},
      {"v1-0006", 9, 1, 30000, 3000, false},
      {"v1-0007", 123, 3, 41000, 8000, false},
      {"v1-0008", 5, 2, 2600, 500, true},
      {"v1-0009", 77, 1, 19000, 6000, false},
  };
  return batches;
}

// Batch i's body as the generator made it.
std::string V1Body(std::uint64_t i, std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t k = 0; k < size; ++k) out[k] = static_cast<char>((k * 131 + i * 29 + (k >> 9)) & 0xff);
  return out;
}

void ExpectV1Batch(const QueuedBatch& got, std::size_t i) {
  SCOPED_TRACE("v1 batch " + std::to_string(i));
  const V1Batch& want = V1Batches().at(i);
  EXPECT_EQ(got.batch_id, want.id);
  EXPECT_EQ(got.events, want.events);
  EXPECT_EQ(got.compression, want.compression);
  EXPECT_EQ(got.uncompressed_bytes, want.uncompressed_bytes);
  EXPECT_EQ(SignalName(got.signal), "traces");
  EXPECT_EQ(got.body.size(), want.body_size);
  EXPECT_TRUE(got.body.view() == V1Body(i, want.body_size)) << "body differs";
}

DiskQueueOptions Options(const std::string& dir) {
  DiskQueueOptions o;
  o.directory = dir;
  o.max_bytes = 16 << 20;
  o.segment_bytes = 72 << 10;
  o.fsync = FsyncPolicy::kNever;
  o.fsync_interval = 20ms;
  return o;
}

std::unique_ptr<Queue> Open(const std::string& dir) {
  Result<std::unique_ptr<Queue>> q = OpenDiskQueue(Options(dir));
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? std::move(q).value() : nullptr;
}

// A fresh copy: the queue deletes and appends files, the checked-in data must stay as released.
std::string CopyOf(const std::string& sample, const TempDir& tmp) {
  const std::string dir = tmp.Sub("q");
  std::filesystem::copy(sample, dir, std::filesystem::copy_options::recursive);
  return dir;
}

// The fragment types of a log file, read straight from its block structure.
std::set<int> FragmentTypes(const std::string& path) {
  const std::string bytes = ReadFile(path);
  std::set<int> types;
  std::size_t at = 0;
  while (at + log::kHeaderSize <= bytes.size()) {
    if (log::kBlockSize - at % log::kBlockSize < log::kHeaderSize) {
      at += log::kBlockSize - at % log::kBlockSize;  // block trailer
      continue;
    }
    const auto* h = reinterpret_cast<const unsigned char*>(bytes.data() + at);
    types.insert(h[6]);
    at += log::kHeaderSize + (h[4] | (h[5] << 8));
  }
  return types;
}

// Guards the sample itself: it must keep covering what the test relies on.
TEST(DiskQueueFormat, V1SampleHasFragmentsAcksAndTwoSegments) {
  ASSERT_TRUE(std::filesystem::is_directory(kV1Queue)) << kV1Queue;
  EXPECT_EQ(FilesWithSuffix(kV1Queue, ".seg").size(), 2u);
  EXPECT_EQ(FilesWithSuffix(kV1Queue, ".ack").size(), 2u);
  EXPECT_EQ(FragmentTypes(kV1Queue + "/00000001.seg"),
            (std::set<int>{log::kFullType, log::kFirstType, log::kMiddleType, log::kLastType}));
}

TEST(DiskQueueFormat, ReadsAV1DirectoryAsTracesAndKeepsWorking) {
  TempDir tmp;
  const std::string dir = CopyOf(kV1Queue, tmp);
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < V1Batches().size(); ++i) {
    if (!V1Batches()[i].acked) pending.push_back(i);
  }
  LogCapture logs;
  constexpr std::uint64_t kV2First = 100;  // MakeBatch(100..102): one batch of each signal
  const std::size_t v2_sizes[] = {2000, 40000, 0};
  {
    auto q = Open(dir);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->Stats().recovered, pending.size());
    EXPECT_EQ(q->Stats().depth, pending.size());
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), pending.size());
    for (std::size_t k = 0; k < pending.size(); ++k) ExpectV1Batch(leases[k].batch, pending[k]);
    // Acks on v1 segments keep working: retire batches 0, 4 and 9.
    for (std::size_t k = 0; k < pending.size(); ++k) {
      if (pending[k] == 0 || pending[k] == 4 || pending[k] == 9) q->Ack(leases[k].id);
    }

    std::set<Signal> signals;
    for (std::uint64_t j = 0; j < 3; ++j) {
      QueuedBatch b = MakeBatch(kV2First + j, v2_sizes[j]);
      signals.insert(b.signal);
      ASSERT_TRUE(q->Push(std::move(b), 1s).ok());
    }
    EXPECT_EQ(signals.size(), kSignalCount);
    std::vector<Queue::Lease> fresh = Drain(*q);
    ASSERT_EQ(fresh.size(), 3u);
    for (std::uint64_t j = 0; j < 3; ++j) ExpectBatch(fresh[j].batch, kV2First + j, v2_sizes[j]);
    EXPECT_EQ(q->Stats().corrupted_bytes, 0u);
  }
  {
    // What is left of v1, then the v2 batches with their signals.
    auto q = Open(dir);
    ASSERT_NE(q, nullptr);
    const std::vector<std::size_t> left_v1 = {2, 5, 6, 7};
    EXPECT_EQ(q->Stats().recovered, left_v1.size() + 3);
    EXPECT_EQ(q->Stats().corrupted_bytes, 0u);
    std::vector<Queue::Lease> leases = Drain(*q);
    ASSERT_EQ(leases.size(), left_v1.size() + 3);
    for (std::size_t k = 0; k < left_v1.size(); ++k) ExpectV1Batch(leases[k].batch, left_v1[k]);
    for (std::uint64_t j = 0; j < 3; ++j) {
      ExpectBatch(leases[left_v1.size() + j].batch, kV2First + j, v2_sizes[j]);
    }
    for (const Queue::Lease& l : leases) q->Ack(l.id);
  }
  auto q = Open(dir);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->Stats().depth, 0u);
  EXPECT_FALSE(q->Pop(0ms).has_value());
  // Fully acked, the segments the old release wrote are deleted like any other.
  EXPECT_FALSE(std::filesystem::exists(SegmentPath(dir, 1)));
  EXPECT_FALSE(std::filesystem::exists(SegmentPath(dir, 2)));
  EXPECT_TRUE(logs.Empty()) << "a warning: something was reported damaged";
}

// What testdata/v2_queue holds, in push order (testdata/README.md); bodies
// follow V1Body's formula.
struct V2Batch {
  std::string id;
  Signal signal;
  std::uint32_t events;
  std::uint8_t compression;
  std::uint64_t uncompressed_bytes;
  std::size_t body_size;
};
const V2Batch kV2Pending[] = {
    {"v2-0000-traces", Signal::kTraces, 200, 2, 90000, 11000},
    {"v2-0002-metrics", Signal::kMetrics, 500, 2, 180000, 21000},
    {"v2-0003-logs-three-blocks", Signal::kLogs, 4096, 3, 400000, 40000},
    {"v2-0005-metrics", Signal::kMetrics, 64, 1, 30000, 5000},
};
const std::size_t kV2PendingIndex[] = {0, 2, 3, 5};  // 1 and 4 were acked

TEST(DiskQueueFormat, ReadsAV2DirectoryOfTheReleaseBeforePartsAndJournalsIntoIt) {
  ASSERT_EQ(FilesWithSuffix(kV2Queue, ".ack").size(), 2u);
  EXPECT_TRUE(FragmentTypes(kV2Queue + "/00000002.seg").count(log::kFirstType) > 0);
  TempDir tmp;
  const std::string dir = CopyOf(kV2Queue, tmp);
  LogCapture logs;
  auto expect_pending = [](const std::vector<Queue::Lease>& leases) {
    ASSERT_EQ(leases.size(), std::size(kV2Pending));
    for (std::size_t k = 0; k < leases.size(); ++k) {
      const QueuedBatch& got = leases[k].batch;
      const V2Batch& want = kV2Pending[k];
      EXPECT_EQ(got.batch_id, want.id);
      EXPECT_EQ(SignalName(got.signal), SignalName(want.signal)) << want.id;
      EXPECT_EQ(got.events, want.events);
      EXPECT_EQ(got.compression, want.compression);
      EXPECT_EQ(got.uncompressed_bytes, want.uncompressed_bytes);
      EXPECT_FALSE(got.open_part);
      EXPECT_TRUE(got.body.view() == V1Body(kV2PendingIndex[k], want.body_size)) << want.id << ": body differs";
    }
  };
  {
    auto q = Open(dir);
    ASSERT_NE(q, nullptr);
    EXPECT_TRUE(q->TakeOpenBatches().empty());
    EXPECT_EQ(q->Stats().recovered, std::size(kV2Pending));
    expect_pending(Drain(*q));
    ASSERT_TRUE(q->Push(testing::MakePart("open-after-upgrade", Signal::kLogs, "{\"body\":\"x\"}", 1), 1s).ok());
  }
  auto q = Open(dir);
  ASSERT_NE(q, nullptr);
  std::vector<OpenBatch> open = q->TakeOpenBatches();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].batch_id, "open-after-upgrade");
  expect_pending(Drain(*q));
  EXPECT_EQ(q->Stats().corrupted_bytes, 0u);
  EXPECT_TRUE(logs.Empty()) << "a warning: something was reported damaged";
}

TEST(DiskQueueFormat, RecordWithAnUnknownSignalIsSkippedAsDamage) {
  TempDir tmp;
  const std::string dir = tmp.Sub("q");
  std::filesystem::create_directories(dir);
  std::vector<QueuedBatch> batches;
  std::vector<std::string> headers;
  for (std::uint64_t i = 0; i < 3; ++i) {
    batches.push_back(MakeBatch(i, 3000));
    headers.push_back(EncodeBatchHeader(batches.back()));
  }
  headers[1][1] = '\x09';  // a signal this build does not know, under a valid checksum
  std::vector<LogWriter::Payload> payloads;
  for (std::size_t i = 0; i < 3; ++i) payloads.push_back({headers[i], batches[i].body.view()});
  {
    const std::string path = SegmentPath(dir, 1);
    File file(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644), path);
    ASSERT_GE(file.fd(), 0);
    LogWriter writer(&file, 0);
    std::vector<LogWriter::Placement> placed;
    ASSERT_TRUE(writer.AddRecords(payloads, &placed).ok());
  }

  LogCapture logs;
  auto q = Open(dir);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->Stats().recovered, 2u);
  EXPECT_EQ(q->Stats().corrupted_bytes, log::kHeaderSize + payloads[1].size());
  EXPECT_TRUE(logs.Contains("00000001.seg", "unknown signal 9"));
  std::vector<Queue::Lease> leases = Drain(*q);
  ASSERT_EQ(leases.size(), 2u);
  ExpectBatch(leases[0].batch, 0, 3000);
  ExpectBatch(leases[1].batch, 2, 3000);
}

TEST(DiskQueueFormat, PushRefusesASignalItCouldNotReadBack) {
  TempDir tmp;
  auto q = Open(tmp.Sub("q"));
  ASSERT_NE(q, nullptr);
  QueuedBatch b = MakeBatch(0, 100);
  b.signal = static_cast<Signal>(kSignalCount);
  Status s = q->Push(std::move(b), 1s);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("signal"), std::string_view::npos) << s.message();
  EXPECT_EQ(q->Stats().pushed, 0u);
  EXPECT_FALSE(q->Pop(0ms).has_value());
}

}  // namespace
}  // namespace otelpack::queue
