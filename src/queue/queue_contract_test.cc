// The Queue contract, run against every implementation: FIFO order, leases,
// Close, timeouts, and many producers and consumers at once.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "queue/queue.h"
#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using namespace std::chrono_literals;
using testing::ExpectBatch;
using testing::MakeBatch;
using testing::TempDir;

struct Flavor {
  std::string name;
  // Opens a queue of `max_bytes` capacity (in `dir` for the disk queue).
  std::function<std::unique_ptr<Queue>(const std::string& dir, std::size_t max_bytes)> open;
  int concurrent_batches;
};

std::unique_ptr<Queue> OpenDisk(const std::string& dir, std::size_t max_bytes, FsyncPolicy fsync) {
  DiskQueueOptions o;
  o.directory = dir;
  o.max_bytes = max_bytes;
  o.fsync = fsync;
  o.fsync_interval = 20ms;
  Result<std::unique_ptr<Queue>> q = OpenDiskQueue(o);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? std::move(q).value() : nullptr;
}

const Flavor kFlavors[] = {
    {"Memory",
     [](const std::string&, std::size_t max) { return NewMemoryQueue({.max_bytes = max}); },
     10000},
    {"DiskNever", [](const std::string& d, std::size_t max) { return OpenDisk(d, max, FsyncPolicy::kNever); },
     10000},
    {"DiskInterval",
     [](const std::string& d, std::size_t max) { return OpenDisk(d, max, FsyncPolicy::kInterval); },
     3000},
    {"DiskAlways", [](const std::string& d, std::size_t max) { return OpenDisk(d, max, FsyncPolicy::kAlways); },
     2000},
};

class QueueContract : public ::testing::TestWithParam<Flavor> {
 protected:
  std::unique_ptr<Queue> Open(std::size_t max_bytes = 16 << 20) {
    auto q = GetParam().open(dir_.Sub("q"), max_bytes);
    EXPECT_NE(q, nullptr);
    return q;
  }
  TempDir dir_;
};

TEST_P(QueueContract, PopReturnsBatchesInPushOrder) {
  auto q = Open();
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 100 + i * 1500), 1s).ok());
  for (int i = 0; i < 30; ++i) {
    auto lease = q->Pop(1s);
    ASSERT_TRUE(lease.has_value()) << i;
    ExpectBatch(lease->batch, i, 100 + i * 1500);
    q->Ack(lease->id);
  }
  EXPECT_FALSE(q->Pop(0ms).has_value());
  QueueStats s = q->Stats();
  EXPECT_EQ(s.pushed, 30u);
  EXPECT_EQ(s.acked, 30u);
  EXPECT_EQ(s.depth, 0u);
}

TEST_P(QueueContract, LeasedBatchesAreNotReturnedTwice) {
  auto q = Open();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(q->Push(MakeBatch(i, 10), 1s).ok());
  auto a = q->Pop(1s), b = q->Pop(1s), c = q->Pop(1s);
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(a->id, b->id);
  EXPECT_NE(b->id, c->id);
  EXPECT_EQ(a->batch.batch_id, "batch-0");
  EXPECT_EQ(c->batch.batch_id, "batch-2");
  EXPECT_FALSE(q->Pop(20ms).has_value());  // all leased, none acked
  EXPECT_EQ(q->Stats().depth, 3u);         // leased batches still count
  q->Ack(b->id);
  q->Ack(b->id);          // repeated: ignored
  q->Ack(c->id + 1000);   // unknown: ignored
  EXPECT_EQ(q->Stats().acked, 1u);
  EXPECT_EQ(q->Stats().depth, 2u);
  EXPECT_FALSE(q->Pop(0ms).has_value());  // an ack does not bring anything back
}

TEST_P(QueueContract, PopTimesOutWhenEmptyAndWakesOnPush) {
  auto q = Open();
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(q->Pop(30ms).has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 25ms);

  std::optional<Queue::Lease> got;
  std::thread popper([&] { got = q->Pop(10s); });
  std::this_thread::sleep_for(30ms);
  ASSERT_TRUE(q->Push(MakeBatch(7, 50), 1s).ok());
  popper.join();
  ASSERT_TRUE(got.has_value());
  ExpectBatch(got->batch, 7, 50);
}

TEST_P(QueueContract, CloseFailsPushWakesPopAndKeepsWhatIsLeft) {
  auto q = Open();
  ASSERT_TRUE(q->Push(MakeBatch(1, 10), 1s).ok());
  ASSERT_TRUE(q->Push(MakeBatch(2, 10), 1s).ok());
  q->Close();
  Status s = q->Push(MakeBatch(3, 10), 1s);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  auto first = q->Pop(1s);
  auto second = q->Pop(1s);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->batch.batch_id, "batch-1");
  EXPECT_EQ(second->batch.batch_id, "batch-2");
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(q->Pop(10s).has_value());  // closed and empty: no wait
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_P(QueueContract, CloseWakesABlockedPop) {
  auto q = Open();
  std::atomic<bool> returned{false};
  std::thread popper([&] {
    EXPECT_FALSE(q->Pop(20s).has_value());
    returned = true;
  });
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(returned.load());
  auto start = std::chrono::steady_clock::now();
  q->Close();
  popper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_P(QueueContract, BatchLargerThanCapacityIsTooLarge) {
  auto q = Open(64 << 10);
  Status s = q->Push(MakeBatch(1, 100 << 10), 1s);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
  EXPECT_EQ(q->Stats().pushed, 0u);
}

TEST_P(QueueContract, FullQueueTimesOutWithResourceExhausted) {
  auto q = Open(256 << 10);
  Status s;
  int pushed = 0;
  while ((s = q->Push(MakeBatch(pushed, 10000), 0ms)).ok()) ++pushed;
  EXPECT_GT(pushed, 10);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find("queue full: 262144 bytes"), std::string_view::npos) << s.ToString();
  EXPECT_LE(q->Stats().bytes, 256u << 10);
  auto start = std::chrono::steady_clock::now();
  s = q->Push(MakeBatch(pushed, 10000), 50ms);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
  EXPECT_EQ(q->Stats().rejected_full, 2u);
  // Draining makes room again and wakes a blocked producer.
  std::thread producer([&] { EXPECT_TRUE(q->Push(MakeBatch(pushed, 10000), 10s).ok()); });
  for (int i = 0; i < pushed; ++i) {
    auto lease = q->Pop(1s);
    ASSERT_TRUE(lease.has_value());
    ExpectBatch(lease->batch, i, 10000);
    q->Ack(lease->id);
  }
  producer.join();
  auto last = q->Pop(1s);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->batch.batch_id, "batch-" + std::to_string(pushed));
}

TEST_P(QueueContract, ManyProducersAndConsumersDeliverEachBatchOnce) {
  constexpr int kProducers = 4, kConsumers = 4;
  const int total = GetParam().concurrent_batches;
  auto q = Open(256 << 10);  // small: producers hit back-pressure
  std::vector<std::atomic<int>> seen(static_cast<std::size_t>(total));
  std::atomic<int> delivered{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = p; i < total; i += kProducers) {
        if (!q->Push(MakeBatch(i, 50 + (i % 17) * 200), 30s).ok()) ++failures;
      }
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&] {
      while (delivered.load() < total) {
        auto lease = q->Pop(20ms);
        if (!lease) {
          // A batch the queue dropped (e.g. unreadable) is acked without
          // being delivered: stop rather than wait for it forever.
          if (q->Stats().acked >= static_cast<std::uint64_t>(total)) break;
          continue;
        }
        const std::uint64_t n = testing::BatchNumber(lease->batch.batch_id);
        if (n >= static_cast<std::uint64_t>(total) ||
            lease->batch.body.size() != 50 + (n % 17) * 200) {
          ++failures;
        } else {
          seen[n].fetch_add(1);
        }
        q->Ack(lease->id);
        ++delivered;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  for (int i = 0; i < total; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)].load(), 1) << i;
  QueueStats s = q->Stats();
  EXPECT_EQ(s.pushed, static_cast<std::uint64_t>(total));
  EXPECT_EQ(s.acked, static_cast<std::uint64_t>(total));
  EXPECT_EQ(s.depth, 0u);
}

std::string FlavorName(const ::testing::TestParamInfo<Flavor>& p) { return p.param.name; }

INSTANTIATE_TEST_SUITE_P(AllQueues, QueueContract, ::testing::ValuesIn(kFlavors), FlavorName);

}  // namespace
}  // namespace otelpack::queue
