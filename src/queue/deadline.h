// Turns a caller's timeout into a steady-clock deadline without overflow
// (milliseconds::max() means "wait for a very long time", not a wrap-around).
#ifndef OTELPACK_QUEUE_DEADLINE_H_
#define OTELPACK_QUEUE_DEADLINE_H_

#include <chrono>

namespace otelpack::queue {

inline std::chrono::steady_clock::time_point DeadlineAfter(std::chrono::milliseconds timeout) {
  constexpr std::chrono::milliseconds kLongest = std::chrono::hours(24 * 365 * 10);
  if (timeout < std::chrono::milliseconds::zero()) timeout = std::chrono::milliseconds::zero();
  if (timeout > kLongest) timeout = kLongest;
  return std::chrono::steady_clock::now() + timeout;
}

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_DEADLINE_H_
