// SIGKILL: a child process pushes (and acks some) batches and reports each
// one on a pipe once Push (or Ack) returned (and an ack also before it is
// made); the parent kills it at a random
// moment, reopens the queue and checks that every batch the child reported
// as pushed and did not ack is there, intact, once, in order, and that no
// batch reported as acked comes back.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <set>
#include <thread>

#include "queue/queue.h"
#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using namespace std::chrono_literals;
using testing::ExpectBatch;
using testing::MakeBatch;
using testing::TempDir;

std::size_t CrashBodySize(std::uint64_t i) { return 1 + (i * 7919) % 60000; }

void Report(int fd, char what, std::uint64_t i) {
  char line[32];
  int n = std::snprintf(line, sizeof(line), "%c %llu\n", what, static_cast<unsigned long long>(i));
  // One write of a few bytes to a pipe is atomic: lines never interleave.
  if (::write(fd, line, static_cast<std::size_t>(n)) != n) ::_exit(3);
}

[[noreturn]] void RunChild(const DiskQueueOptions& options, int fd) {
  Result<std::unique_ptr<Queue>> opened = OpenDiskQueue(options);
  if (!opened.ok()) ::_exit(2);
  std::unique_ptr<Queue> q = std::move(opened).value();
  std::thread consumer([&] {
    // Acks every third batch, like a sender finishing deliveries.
    while (true) {
      auto lease = q->Pop(100ms);
      if (!lease) continue;
      const std::uint64_t n = testing::BatchNumber(lease->batch.batch_id);
      if (n % 3 == 0) {
        // 'a' before the Ack and 'A' after it: a kill in between leaves a
        // batch that may or may not be acked on disk, and both are right.
        Report(fd, 'a', n);
        q->Ack(lease->id);
        Report(fd, 'A', n);
      }
    }
  });
  for (std::uint64_t i = 0;; ++i) {
    if (q->Push(MakeBatch(i, CrashBodySize(i)), 10s).ok()) Report(fd, 'P', i);
  }
}

std::string PolicyName(const ::testing::TestParamInfo<FsyncPolicy>& p) {
  switch (p.param) {
    case FsyncPolicy::kAlways: return "Always";
    case FsyncPolicy::kInterval: return "Interval";
    case FsyncPolicy::kNever: return "Never";
  }
  return "Unknown";
}

class DiskQueueCrash : public ::testing::TestWithParam<FsyncPolicy> {};

TEST_P(DiskQueueCrash, SigkillLosesNoPushedBatch) {
  TempDir dir;
  DiskQueueOptions options;
  options.directory = dir.Sub("q");
  options.segment_bytes = 1 << 20;  // several segments, some deleted while running
  options.max_bytes = 256 << 20;
  options.fsync = GetParam();
  options.fsync_interval = 20ms;

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  const auto kill_after = std::chrono::milliseconds(250 + rng() % 500);
  SCOPED_TRACE(::testing::Message() << "seed " << seed << ", kill after " << kill_after.count() << " ms");

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    RunChild(options, fds[1]);
  }
  ::close(fds[1]);
  std::string output;
  std::atomic<bool> killed{false};
  std::thread killer([&] {
    std::this_thread::sleep_for(kill_after);
    ::kill(pid, SIGKILL);
    killed = true;
  });
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) output.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  killer.join();
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
      << "child ended on its own: status " << wstatus;

  std::set<std::uint64_t> pushed, acking, acked;
  std::size_t pos = 0;
  while (true) {
    const std::size_t eol = output.find('\n', pos);
    if (eol == std::string::npos) break;  // a torn last line, if any, is ignored
    const std::string line = output.substr(pos, eol - pos);
    pos = eol + 1;
    (line[0] == 'P' ? pushed : line[0] == 'a' ? acking : acked).insert(std::stoull(line.substr(2)));
  }
  ASSERT_GT(pushed.size(), 10u) << "the child pushed too little to test anything";

  Result<std::unique_ptr<Queue>> reopened = OpenDiskQueue(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  std::unique_ptr<Queue> q = std::move(reopened).value();
  std::set<std::uint64_t> present;
  std::uint64_t previous = 0;
  bool first = true;
  while (auto lease = q->Pop(0ms)) {
    const std::uint64_t i = testing::BatchNumber(lease->batch.batch_id);
    ExpectBatch(lease->batch, i, CrashBodySize(i));
    EXPECT_TRUE(present.insert(i).second) << "batch " << i << " recovered twice";
    EXPECT_TRUE(first || i > previous) << "batch " << i << " after " << previous;
    previous = i;
    first = false;
  }
  std::size_t missing = 0;
  for (std::uint64_t i : pushed) {
    if (acking.count(i) == 0 && present.count(i) == 0) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << pushed.size() << " pushed";
  // An ack is written to its ack file before Ack returns (only its fdatasync
  // is lazy), so after SIGKILL no batch reported as acked comes back.
  std::size_t redelivered = 0;
  for (std::uint64_t i : acked) redelivered += present.count(i);
  EXPECT_EQ(redelivered, 0u) << "of " << acked.size() << " acked";
  std::printf("pushed %zu, acked %zu, recovered %zu, acked but redelivered %zu, corrupted %llu bytes\n",
              pushed.size(), acked.size(), present.size(), redelivered,
              static_cast<unsigned long long>(q->Stats().corrupted_bytes));
}

INSTANTIATE_TEST_SUITE_P(Policies, DiskQueueCrash,
                         ::testing::Values(FsyncPolicy::kAlways, FsyncPolicy::kInterval,
                                           FsyncPolicy::kNever),
                         PolicyName);

}  // namespace
}  // namespace otelpack::queue
