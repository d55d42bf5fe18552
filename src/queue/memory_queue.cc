// The memory queue: a FIFO of batches bounded by the body bytes it holds.
//
// A leased batch keeps its bytes counted until it is acked: the sender still
// holds the body in memory while it retries, so freeing the room at Pop would
// let memory grow past the bound.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "common/str_cat.h"
#include "queue/deadline.h"
#include "queue/queue.h"

namespace otelpack {
namespace {

class MemoryQueue final : public Queue {
 public:
  explicit MemoryQueue(const MemoryQueueOptions& options) : max_bytes_(options.max_bytes) {}

  Status AwaitRoom(std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(mu_);
    return WaitForRoom(lock, timeout, 1);  // below the bound
  }

  Status Push(QueuedBatch batch, std::chrono::milliseconds timeout) override {
    // Nothing held in memory survives the process: there is nothing to journal.
    if (batch.open_part) return Status::InvalidArgument("the memory queue journals no open batches (open_part)");
    const std::uint64_t size = batch.body.size();
    if (size > max_bytes_) {
      return Status::TooLarge(
          StrCat("batch of ", size, " bytes exceeds the queue capacity of ", max_bytes_, " bytes"));
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (Status room = WaitForRoom(lock, timeout, size); !room.ok()) return room;
    ready_.push_back(Item{next_id_++, std::move(batch)});
    stats_.bytes += size;
    ++stats_.depth;
    ++stats_.pushed;
    lock.unlock();
    ready_cv_.notify_one();
    return Status::Ok();
  }

  std::optional<Lease> Pop(std::chrono::milliseconds timeout) override {
    const auto deadline = queue::DeadlineAfter(timeout);
    std::unique_lock<std::mutex> lock(mu_);
    if (!ready_cv_.wait_until(lock, deadline, [&] { return !ready_.empty() || closed_; }) ||
        ready_.empty()) {
      return std::nullopt;
    }
    Item item = std::move(ready_.front());
    ready_.pop_front();
    leased_.emplace(item.id, item.batch.body.size());
    return Lease{item.id, std::move(item.batch)};
  }

  void Ack(std::uint64_t id) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = leased_.find(id);
      if (it == leased_.end()) return;  // unknown or already acked
      stats_.bytes -= it->second;
      --stats_.depth;
      ++stats_.acked;
      leased_.erase(it);
    }
    // Every waiter rechecks: the room freed may fit a small batch but not a big one.
    room_cv_.notify_all();
  }

  void Close() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    room_cv_.notify_all();
    ready_cv_.notify_all();
  }

  QueueStats Stats() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

 private:
  // Until `size` more bytes fit, up to `timeout`.
  Status WaitForRoom(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout, std::uint64_t size) {
    const queue::RoomWait wait = queue::WaitForRoomUntil(room_cv_, lock, queue::DeadlineAfter(timeout), closed_,
                                                         [&] { return stats_.bytes + size <= max_bytes_; });
    if (wait == queue::RoomWait::kClosed) return Status::FailedPrecondition("queue is closed");
    if (wait == queue::RoomWait::kRoom) return Status::Ok();
    ++stats_.rejected_full;
    return Status::ResourceExhausted(StrCat("queue full: ", max_bytes_, " bytes"));
  }

  struct Item {
    std::uint64_t id;
    QueuedBatch batch;
  };

  const std::uint64_t max_bytes_;

  mutable std::mutex mu_;
  std::condition_variable room_cv_;   // signalled when bytes are freed or on Close
  std::condition_variable ready_cv_;  // signalled when a batch arrives or on Close
  // Guarded by mu_:
  std::deque<Item> ready_;                                // pushed, not leased, in push order
  std::unordered_map<std::uint64_t, std::uint64_t> leased_;  // lease id -> body bytes
  std::uint64_t next_id_ = 1;
  bool closed_ = false;
  QueueStats stats_;
};

}  // namespace

std::unique_ptr<Queue> NewMemoryQueue(const MemoryQueueOptions& options) {
  return std::make_unique<MemoryQueue>(options);
}

}  // namespace otelpack
