// The memory queue's bound: exact byte accounting, leases that keep their
// bytes until acked, and a blocked Push woken by an Ack.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "queue/queue.h"
#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using namespace std::chrono_literals;
using testing::MakeBatch;

TEST(MemoryQueue, BoundIsExactAndLeasesKeepTheirBytesUntilAcked) {
  auto q = NewMemoryQueue({.max_bytes = 1000});
  ASSERT_TRUE(q->Push(MakeBatch(0, 400), 0ms).ok());
  ASSERT_TRUE(q->Push(MakeBatch(1, 600), 0ms).ok());  // exactly at the bound
  EXPECT_EQ(q->Stats().bytes, 1000u);
  EXPECT_EQ(q->Stats().depth, 2u);

  auto start = std::chrono::steady_clock::now();
  Status s = q->Push(MakeBatch(2, 1), 50ms);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "queue full: 1000 bytes");

  auto lease = q->Pop(0ms);
  ASSERT_TRUE(lease.has_value());
  EXPECT_EQ(q->Stats().bytes, 1000u);  // leased, not acked: still held
  EXPECT_EQ(q->Push(MakeBatch(2, 1), 0ms).code(), StatusCode::kResourceExhausted);

  q->Ack(lease->id);
  EXPECT_EQ(q->Stats().bytes, 600u);
  EXPECT_TRUE(q->Push(MakeBatch(2, 400), 0ms).ok());
  EXPECT_EQ(q->Push(MakeBatch(3, 1), 0ms).code(), StatusCode::kResourceExhausted);
  QueueStats stats = q->Stats();
  EXPECT_EQ(stats.bytes, 1000u);
  EXPECT_EQ(stats.rejected_full, 3u);
  EXPECT_EQ(stats.pushed, 3u);
  EXPECT_EQ(stats.acked, 1u);
}

TEST(MemoryQueue, AckWakesABlockedPush) {
  auto q = NewMemoryQueue({.max_bytes = 1000});
  ASSERT_TRUE(q->Push(MakeBatch(0, 1000), 0ms).ok());
  std::atomic<bool> done{false};
  Status pushed;
  std::thread producer([&] {
    pushed = q->Push(MakeBatch(1, 500), 20s);
    done = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(done.load());  // blocked on the bound
  auto lease = q->Pop(0ms);
  ASSERT_TRUE(lease.has_value());
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(done.load());  // Pop alone frees nothing
  auto start = std::chrono::steady_clock::now();
  q->Ack(lease->id);
  producer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(pushed.ok()) << pushed.ToString();
  EXPECT_EQ(q->Stats().bytes, 500u);
}

TEST(MemoryQueue, CloseWakesABlockedPush) {
  auto q = NewMemoryQueue({.max_bytes = 10});
  ASSERT_TRUE(q->Push(MakeBatch(0, 10), 0ms).ok());
  Status pushed;
  std::thread producer([&] { pushed = q->Push(MakeBatch(1, 5), 20s); });
  std::this_thread::sleep_for(30ms);
  q->Close();
  producer.join();
  EXPECT_EQ(pushed.code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace otelpack::queue
