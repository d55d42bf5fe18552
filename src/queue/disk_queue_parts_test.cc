// Parts of open batches in the disk queue (queue.h): never popped, retired
// by the push of their batch (also when they arrive after it), and returned
// by TakeOpenBatches after a restart when their batch was never pushed.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "queue/queue.h"
#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using namespace std::chrono_literals;
using testing::Drain;
using testing::FilesWithSuffix;
using testing::MakePart;
using testing::TempDir;

DiskQueueOptions Options(const std::string& dir) {
  return {.directory = dir, .max_bytes = 4 << 20, .segment_bytes = 64 << 10, .fsync = FsyncPolicy::kNever,
          .fsync_interval = 10ms};
}

QueuedBatch Request(const std::string& batch_id, std::uint32_t parts, std::size_t size = 100) {
  QueuedBatch b;
  b.batch_id = batch_id;
  b.events = 3;
  b.parts = parts;
  b.body.Append(std::string(size, 'r'));
  return b;
}

TEST(DiskQueuePartsTest, PartsAreNeverPoppedAndTheirBatchIs) {
  TempDir dir;
  auto q = testing::OpenOrFail(Options(dir.path()));
  ASSERT_TRUE(q->Push(MakePart("b1", Signal::kTraces, "{\"a\":1}", 1), 0ms).ok());
  ASSERT_TRUE(q->Push(Request("b0", 0), 0ms).ok());
  ASSERT_TRUE(q->Push(MakePart("b1", Signal::kTraces, "{\"a\":2}", 1), 0ms).ok());
  std::vector<Queue::Lease> popped = Drain(*q);
  ASSERT_EQ(popped.size(), 1u);
  EXPECT_EQ(popped[0].batch.batch_id, "b0");
  EXPECT_EQ(q->Stats().depth, 1u) << "parts are not batches";
  ASSERT_TRUE(q->Push(Request("b1", 2), 0ms).ok());
  popped = Drain(*q);
  ASSERT_EQ(popped.size(), 1u);
  EXPECT_EQ(popped[0].batch.batch_id, "b1");
  EXPECT_FALSE(popped[0].batch.open_part);
}

TEST(DiskQueuePartsTest, PartsOfABatchNeverPushedComeBackInOrderAfterARestart) {
  TempDir dir;
  {
    auto q = testing::OpenOrFail(Options(dir.path()));
    ASSERT_TRUE(q->Push(MakePart("open-1", Signal::kTraces, "{\"s\":1}", 1), 0ms).ok());
    ASSERT_TRUE(q->Push(MakePart("open-2", Signal::kLogs, "{\"l\":1},{\"l\":2}", 2), 0ms).ok());
    ASSERT_TRUE(q->Push(Request("sent", 0), 0ms).ok());
    ASSERT_TRUE(q->Push(MakePart("open-1", Signal::kTraces, "{\"s\":2},{\"s\":3}", 2), 0ms).ok());
    ASSERT_TRUE(q->Push(MakePart("closed", Signal::kTraces, "{\"c\":1}", 1), 0ms).ok());
    ASSERT_TRUE(q->Push(Request("closed", 1), 0ms).ok());
  }  // a stop without pushing open-1 and open-2, as a SIGKILL would leave them
  auto q = testing::OpenOrFail(Options(dir.path()));
  std::vector<OpenBatch> open = q->TakeOpenBatches();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].batch_id, "open-1");
  EXPECT_EQ(SignalName(open[0].signal), "traces");
  ASSERT_EQ(open[0].parts.size(), 2u);
  EXPECT_EQ(open[0].parts[0].body.view(), "{\"s\":1}");
  EXPECT_EQ(open[0].parts[1].body.view(), "{\"s\":2},{\"s\":3}");
  EXPECT_EQ(open[0].parts[1].events, 2u);
  EXPECT_EQ(open[1].batch_id, "open-2");
  EXPECT_EQ(SignalName(open[1].signal), "logs");
  EXPECT_TRUE(q->TakeOpenBatches().empty()) << "each open batch is returned once";
  std::vector<Queue::Lease> popped = Drain(*q);
  ASSERT_EQ(popped.size(), 2u) << "the requests only";
  EXPECT_EQ(popped[0].batch.batch_id, "sent");
  EXPECT_EQ(popped[1].batch.batch_id, "closed");
  EXPECT_EQ(q->Stats().recovered, 2u);

  // Closing them retires their parts: the next start finds requests only.
  ASSERT_TRUE(q->Push(Request("open-1", 2), 0ms).ok());
  ASSERT_TRUE(q->Push(Request("open-2", 1), 0ms).ok());
  q.reset();
  q = testing::OpenOrFail(Options(dir.path()));
  EXPECT_TRUE(q->TakeOpenBatches().empty());
  EXPECT_EQ(Drain(*q).size(), 4u);
}

TEST(DiskQueuePartsTest, APartArrivingAfterItsBatchIsRetiredAndItsSegmentFreed) {
  TempDir dir;
  DiskQueueOptions o = Options(dir.path());
  o.segment_bytes = 4 << 10;  // about one record per segment
  auto q = testing::OpenOrFail(o);
  ASSERT_TRUE(q->Push(MakePart("b", Signal::kTraces, std::string(3000, 'x'), 1), 0ms).ok());
  ASSERT_TRUE(q->Push(Request("b", 2, 3000), 0ms).ok());
  ASSERT_TRUE(q->Push(MakePart("b", Signal::kTraces, std::string(3000, 'y'), 1), 0ms).ok());  // late
  ASSERT_TRUE(q->Push(Request("filler", 0, 3000), 0ms).ok());  // seals the late part's segment
  std::vector<Queue::Lease> popped = Drain(*q);
  ASSERT_EQ(popped.size(), 2u);
  q->Ack(popped[0].id);
  // Everything but the segment of "filler" (still leased) is finished.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (FilesWithSuffix(dir.path(), ".seg").size() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(FilesWithSuffix(dir.path(), ".seg").size(), 1u) << "a part kept its segment alive";
  q.reset();
  q = testing::OpenOrFail(o);
  EXPECT_TRUE(q->TakeOpenBatches().empty());
  popped = Drain(*q);
  ASSERT_EQ(popped.size(), 1u);
  EXPECT_EQ(popped[0].batch.batch_id, "filler");
}

TEST(DiskQueuePartsTest, TheMemoryQueueRefusesParts) {
  auto q = NewMemoryQueue({});
  Status s = q->Push(MakePart("b", Signal::kTraces, "{}", 1), 0ms);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("open_part"), std::string_view::npos) << s.message();
}

}  // namespace
}  // namespace otelpack::queue
