// The batcher (batcher_mode.h): the memory queue's mode, and the disk
// queue's under its journal.
#include "exporter/batcher_mode.h"

#include "common/str_cat.h"
#include "common/thread_name.h"

namespace otelpack {
namespace {

using Ms = std::chrono::milliseconds;

// Closed batches allowed to wait for compression before Export pushes back.
constexpr std::size_t kMaxHandoffBatches = 4;

}  // namespace

BatcherMode::BatcherMode(const QueueModeParts& parts, BatchOutcome unpushed) : p_(parts), unpushed_(unpushed) {
  batcher_ = std::thread([this] { BatcherLoop(); });
  NameThread(batcher_, "otelpack-batch");
}

BatcherMode::~BatcherMode() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    exit_ = true;
  }
  aborted_.store(true);
  work_cv_.notify_all();
  if (batcher_.joinable()) batcher_.join();
}

// A full handoff has two causes. The queue is full (the backend is slow or
// down): kDropNewest refuses at once, kBlock waits up to block_timeout. Or
// the batcher is only behind on compression while the queue has room: that
// clears in milliseconds, so both policies wait for it (up to
// block_timeout) rather than refuse data the queue could take.
Status BatcherMode::Admit() {
  std::unique_lock<std::mutex> lock(mu_);
  auto room = [&] { return handoff_.size() + admitted_ < kMaxHandoffBatches || stopping_; };
  if (!room()) {
    const bool drop = p_.options->when_full == WhenFull::kDropNewest;
    if (!(drop && queue_full_)) {
      room_cv_.wait_for(lock, p_.options->block_timeout, [&] { return room() || (drop && queue_full_); });
    }
  }
  if (room() && !stopping_) {
    ++admitted_;
    return Status::Ok();
  }
  return Status::ResourceExhausted(StrCat("queue full: ", p_.queue->Stats().bytes, " bytes queued, ",
                                          handoff_.size(), " batches waiting for compression"));
}

void BatcherMode::BatchOpened() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    opened_ = true;
  }
  work_cv_.notify_one();
}

Status BatcherMode::HandOffAdmitted(std::vector<EncodedBatch> closed, std::vector<BatchPart>) {
  return Take(std::move(closed), true);
}

void BatcherMode::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  room_cv_.notify_all();
}

bool BatcherMode::Drain(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  exit_ = true;
  work_cv_.notify_all();
  const bool drained = done_cv_.wait_until(lock, deadline, [&] { return batcher_done_; });
  lock.unlock();
  if (!drained) {
    aborted_.store(true);
    work_cv_.notify_all();
  }
  batcher_.join();
  return drained;
}

Status BatcherMode::Take(std::vector<EncodedBatch> closed, bool admitted) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (admitted) --admitted_;
    for (EncodedBatch& b : closed) handoff_.push_back(std::move(b));
  }
  if (!closed.empty()) work_cv_.notify_one();
  if (admitted && closed.empty()) room_cv_.notify_one();  // the room it held is free again
  return Status::Ok();
}

void BatcherMode::BatcherLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // Lanes are locked before mu_, never inside it.
    std::optional<Clock::TimePoint> oldest = p_.lanes->oldest_opened_at();
    const Clock::TimePoint now = p_.clock->Now();
    if (oldest.has_value() && now >= *oldest + p_.flush_interval) {
      lock.unlock();
      std::vector<EncodedBatch> aged;
      p_.lanes->Close(now - p_.flush_interval, &aged);
      lock.lock();
      for (EncodedBatch& b : aged) handoff_.push_back(std::move(b));
      continue;
    }
    if (!handoff_.empty()) {
      EncodedBatch batch = std::move(handoff_.front());
      handoff_.pop_front();
      room_cv_.notify_all();
      lock.unlock();
      CompressAndPush(batch);
      lock.lock();
      continue;
    }
    if (exit_) break;
    opened_ = false;
    // With no batch open, sleep at most one interval anyway: a lane that
    // opened without a BatchOpened reaching us is then closed one interval late.
    const Clock::TimePoint wake = (oldest.has_value() ? *oldest : now) + p_.flush_interval;
    p_.clock->WaitUntil(work_cv_, lock, wake, [&] { return !handoff_.empty() || exit_ || opened_; });
  }
  batcher_done_ = true;
  done_cv_.notify_all();
}

void BatcherMode::CompressAndPush(const EncodedBatch& batch) {
  QueuedBatch q;
  Status s = p_.compressors->Compress(batch, &q);
  if (s.ok()) s = PushUntilAborted(std::move(q));
  if (!s.ok()) {
    // Only a Shutdown deadline (or a codec failure) gets here.
    p_.ledger->Completed(batch, unpushed_, s);
  }
}

// A full queue blocks the batcher (and so, through the handoff, Export)
// until the senders make room or Shutdown gives up.
Status BatcherMode::PushUntilAborted(QueuedBatch q) {
  while (true) {
    // Push consumes its argument only on success or a permanent error: keep
    // a copy of the body for the retry after a timeout.
    QueuedBatch attempt = q;
    Status s = p_.queue->Push(std::move(attempt), Ms(100));
    SetQueueFull(s.code() == StatusCode::kResourceExhausted);
    if (s.ok() || s.code() != StatusCode::kResourceExhausted) return s;
    if (aborted_.load()) return Status::DeadlineExceeded("Shutdown deadline while the queue was full");
  }
}

// The batcher found the queue full (or no longer full); Admit's
// kDropNewest refusal depends on it.
void BatcherMode::SetQueueFull(bool full) {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_full_ == full) return;
  queue_full_ = full;
  if (full) room_cv_.notify_all();
}

std::unique_ptr<QueueMode> NewMemoryMode(const QueueModeParts& parts) { return std::make_unique<BatcherMode>(parts); }

}  // namespace otelpack
