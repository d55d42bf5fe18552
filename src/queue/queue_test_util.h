// Helpers shared by the queue tests: deterministic batches, a temporary
// directory removed at the end of the test, draining a queue, capturing warnings.
#ifndef OTELPACK_QUEUE_QUEUE_TEST_UTIL_H_
#define OTELPACK_QUEUE_QUEUE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/testing/log_capture.h"
#include "otelpack/log.h"
#include "queue/queue.h"

namespace otelpack::queue::testing {

// A directory under the test temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "otelpack_queue_XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Body bytes that depend on (seed, size) only, so a reader can check them.
inline std::string BodyFor(std::uint64_t seed, std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x & 0xff);
  }
  return out;
}

// Batch number `i`: id "batch-<i>", a body of `size` bytes, metadata from i.
inline QueuedBatch MakeBatch(std::uint64_t i, std::size_t size) {
  QueuedBatch b;
  b.batch_id = "batch-" + std::to_string(i);
  b.events = static_cast<std::uint32_t>(i * 3 + 1);
  b.compression = static_cast<std::uint8_t>(i % 4);
  b.uncompressed_bytes = size * 5 + i;
  b.signal = kAllSignals[i % kSignalCount];
  b.body.Append(BodyFor(i, size));
  return b;
}

// A part of the open batch `batch_id`: `events` events joined in `events_json`.
inline QueuedBatch MakePart(const std::string& batch_id, Signal signal, std::string_view events_json,
                            std::uint32_t events) {
  QueuedBatch p;
  p.open_part = true;
  p.batch_id = batch_id;
  p.signal = signal;
  p.events = events;
  p.body.Append(events_json);
  return p;
}

// Checks that `b` is exactly MakeBatch(i, size).
inline void ExpectBatch(const QueuedBatch& b, std::uint64_t i, std::size_t size) {
  EXPECT_EQ(b.batch_id, "batch-" + std::to_string(i));
  EXPECT_EQ(b.events, i * 3 + 1);
  EXPECT_EQ(b.compression, i % 4);
  EXPECT_EQ(b.uncompressed_bytes, size * 5 + i);
  EXPECT_EQ(SignalName(b.signal), SignalName(kAllSignals[i % kSignalCount])) << "batch " << i;
  EXPECT_EQ(b.body.size(), size);
  EXPECT_TRUE(b.body.view() == BodyFor(i, size)) << "body of batch " << i << " differs";
}

// The number in "batch-<n>".
inline std::uint64_t BatchNumber(const std::string& id) {
  return std::stoull(id.substr(id.find('-') + 1));
}

inline std::string ReadFile(const std::string& path) {
  std::string out(static_cast<std::size_t>(std::filesystem::file_size(path)), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// Segment files ("*.seg") in `dir`, sorted.
inline std::vector<std::string> FilesWithSuffix(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Opens a disk queue, failing the test when it cannot.
inline std::unique_ptr<Queue> OpenOrFail(const DiskQueueOptions& o) {
  Result<std::unique_ptr<Queue>> q = OpenDiskQueue(o);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? std::move(q).value() : nullptr;
}

// Pops everything available, acking nothing.
inline std::vector<Queue::Lease> Drain(Queue& q) {
  std::vector<Queue::Lease> out;
  while (auto lease = q.Pop(std::chrono::milliseconds(0))) out.push_back(std::move(*lease));
  return out;
}

// Collects warn log lines while alive.
struct LogCapture : otelpack::testing::LogCapture {
  LogCapture() : otelpack::testing::LogCapture(LogLevel::kWarn) {}
};

}  // namespace otelpack::queue::testing

#endif  // OTELPACK_QUEUE_QUEUE_TEST_UTIL_H_
