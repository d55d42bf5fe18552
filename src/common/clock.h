// Clock: where time comes from, so code that waits or measures elapsed time
// can be tested with a clock the test moves by hand.
#ifndef OTELPACK_COMMON_CLOCK_H_
#define OTELPACK_COMMON_CLOCK_H_

#include <atomic>
#include <chrono>

namespace otelpack {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // The process-wide steady clock.
  static const Clock* Real();
};

// A clock that stands still until Advance() moves it. Thread-safe.
class ManualClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::nanoseconds(now_ns_.load())); }
  void Advance(std::chrono::nanoseconds d) { now_ns_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> now_ns_{1'000'000'000};
};

}  // namespace otelpack

#endif  // OTELPACK_COMMON_CLOCK_H_
