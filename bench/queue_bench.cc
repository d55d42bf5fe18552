// Queue throughput: Push + Pop + Ack of 100 KB batches (about a compressed
// 500-span request) through the memory queue and the disk queue under each
// fsync policy, with 1 and 4 producer threads and 2 consumer threads; and the
// raw fdatasync latency of this machine's disk, which bounds kAlways.
//
// Run: build/bench/queue_bench [--benchmark_filter=Disk]. The disk queue lives
// in $QUEUE_BENCH_DIR (default /tmp). Report bytes_per_second (MB/s) and
// items_per_second (batches/s).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "queue/disk_queue_internal.h"
#include "queue/queue.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kBatchBytes = 100 * 1024;
constexpr int kBatchesPerRound = 200;  // 20 MB per benchmark iteration
constexpr int kConsumers = 2;

std::string BenchDir() {
  const char* base = std::getenv("QUEUE_BENCH_DIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/queue_bench_XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

// Incompressible bytes: what a compressed body looks like.
std::string RandomBody(std::size_t n, std::uint64_t seed) {
  std::string s(n, '\0');
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (char& c : s) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  return s;
}

// Pushes kBatchesPerRound batches from `producers` threads while kConsumers
// threads pop and ack them; returns when every batch was acked.
void RunRound(Queue& q, int producers, const std::string& body, std::uint64_t* next_id) {
  std::atomic<int> acked{0};
  std::vector<std::thread> threads;
  const std::uint64_t base = *next_id;
  const std::uint64_t target = q.Stats().acked + kBatchesPerRound;
  *next_id += kBatchesPerRound;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = p; i < kBatchesPerRound; i += producers) {
        QueuedBatch b;
        b.batch_id = std::to_string(base + static_cast<std::uint64_t>(i));
        b.events = 500;
        b.uncompressed_bytes = body.size() * 8;
        b.body.Append(body);
        if (!q.Push(std::move(b), 60s).ok()) std::abort();
      }
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&] {
      while (acked.load() < kBatchesPerRound) {
        if (auto lease = q.Pop(10ms)) {
          benchmark::DoNotOptimize(lease->batch.body.data());
          q.Ack(lease->id);
          ++acked;
        } else if (q.Stats().acked >= target) {
          break;  // the queue dropped an unreadable batch: it logged why
        }
      }
    });
  }
  for (auto& t : threads) t.join();
}

void Report(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kBatchesPerRound);
  state.SetBytesProcessed(state.iterations() * kBatchesPerRound * static_cast<std::int64_t>(kBatchBytes));
}

void BM_MemoryQueue(benchmark::State& state) {
  auto q = NewMemoryQueue({.max_bytes = 64 << 20});
  const std::string body = RandomBody(kBatchBytes, 1);
  std::uint64_t next_id = 0;
  for (auto _ : state) RunRound(*q, static_cast<int>(state.range(0)), body, &next_id);
  Report(state);
}
BENCHMARK(BM_MemoryQueue)->Arg(1)->Arg(4)->ArgName("producers")->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_DiskQueue(benchmark::State& state) {
  const std::string dir = BenchDir();
  DiskQueueOptions o;
  o.directory = dir;
  o.max_bytes = 256 << 20;
  o.fsync = static_cast<FsyncPolicy>(state.range(0));
  {
    Result<std::unique_ptr<Queue>> q = OpenDiskQueue(o);
    if (!q.ok()) {
      state.SkipWithError(q.status().ToString().c_str());
      return;
    }
    const std::string body = RandomBody(kBatchBytes, 2);
    std::uint64_t next_id = 0;
    for (auto _ : state) RunRound(**q, static_cast<int>(state.range(1)), body, &next_id);
    Report(state);
    state.counters["fdatasyncs_per_batch"] =
        static_cast<double>(queue::DiskQueueSyncCount(**q)) /
        static_cast<double>(state.iterations() * kBatchesPerRound);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DiskQueue)
    ->ArgsProduct({{static_cast<int>(FsyncPolicy::kAlways), static_cast<int>(FsyncPolicy::kInterval),
                    static_cast<int>(FsyncPolicy::kNever)},
                   {1, 4}})
    ->ArgNames({"fsync(0=always,1=interval,2=never)", "producers"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// One append of `size` bytes followed by fdatasync: the floor under a kAlways Push.
void BM_FdatasyncAfterAppend(benchmark::State& state) {
  const std::string dir = BenchDir();
  const std::string path = dir + "/f";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const std::string data = RandomBody(static_cast<std::size_t>(state.range(0)), 3);
  for (auto _ : state) {
    if (::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) std::abort();
    if (::fdatasync(fd) != 0) std::abort();
  }
  ::close(fd);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_FdatasyncAfterAppend)->Arg(4096)->Arg(kBatchBytes)->ArgName("bytes")->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
