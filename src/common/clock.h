// Clock: where time comes from, and how a thread waits for it, so code that
// waits (retry backoff, a batch's age) can be tested with a clock the test
// moves by hand instead of sleeping.
#ifndef OTELPACK_COMMON_CLOCK_H_
#define OTELPACK_COMMON_CLOCK_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace otelpack {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;

  // Waits on `cv`, with `lock` held, until `stop()` is true (checked whenever
  // cv is notified) or until Now() reaches `deadline`. True when stop() is.
  virtual bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                         const std::function<bool()>& stop) const = 0;

  // The process-wide steady clock.
  static const Clock* Real();
};

// A clock that stands still until Advance() moves it. Thread-safe. Its
// WaitUntil also looks at the time every millisecond of real time, so a
// waiter notices Advance within about that.
class ManualClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::nanoseconds(now_ns_.load())); }
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                 const std::function<bool()>& stop) const override;
  void Advance(std::chrono::nanoseconds d) { now_ns_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> now_ns_{1'000'000'000};
};

}  // namespace otelpack

#endif  // OTELPACK_COMMON_CLOCK_H_
