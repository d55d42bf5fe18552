#include "common/clock.h"

namespace otelpack {
namespace {

class SteadyClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                 const std::function<bool()>& stop) const override {
    return cv.wait_until(lock, deadline, stop);
  }
};

}  // namespace

const Clock* Clock::Real() {
  static const SteadyClock clock;
  return &clock;
}

bool ManualClock::WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, TimePoint deadline,
                            const std::function<bool()>& stop) const {
  while (true) {
    if (stop()) return true;
    if (Now() >= deadline) return false;
    cv.wait_for(lock, std::chrono::milliseconds(1));
  }
}

}  // namespace otelpack
