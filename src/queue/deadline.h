// Turns a caller's timeout into a steady-clock deadline without overflow
// (milliseconds::max() means "wait for a very long time", not a wrap-around),
// and the wait for room both queues do until such a deadline.
#ifndef OTELPACK_QUEUE_DEADLINE_H_
#define OTELPACK_QUEUE_DEADLINE_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace otelpack::queue {

inline std::chrono::steady_clock::time_point DeadlineAfter(std::chrono::milliseconds timeout) {
  constexpr std::chrono::milliseconds kLongest = std::chrono::hours(24 * 365 * 10);
  if (timeout < std::chrono::milliseconds::zero()) timeout = std::chrono::milliseconds::zero();
  if (timeout > kLongest) timeout = kLongest;
  return std::chrono::steady_clock::now() + timeout;
}

enum class RoomWait { kRoom, kClosed, kFull };

// Waits on `cv` (under `lock`) until `has_room()` or `closed`, up to `deadline`.
template <typename HasRoom>
RoomWait WaitForRoomUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          std::chrono::steady_clock::time_point deadline, const bool& closed, HasRoom has_room) {
  while (true) {
    if (closed) return RoomWait::kClosed;
    if (has_room()) return RoomWait::kRoom;
    if (cv.wait_until(lock, deadline) == std::cv_status::timeout && !closed && !has_room()) return RoomWait::kFull;
  }
}

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_DEADLINE_H_
