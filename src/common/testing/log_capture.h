// For tests: every log line written while a LogCapture lives (at `min_level`
// or above), so a test can check what was said and what never was.
#ifndef OTELPACK_COMMON_TESTING_LOG_CAPTURE_H_
#define OTELPACK_COMMON_TESTING_LOG_CAPTURE_H_

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/log.h"

namespace otelpack::testing {

class LogCapture {
 public:
  explicit LogCapture(LogLevel min_level = LogLevel::kDebug) {
    SetLogHandler([this, min_level](LogLevel level, std::string_view m) {
      if (level < min_level) return;
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(m);
    });
  }
  ~LogCapture() { SetLogHandler(nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Every line, each ending in '\n'.
  std::string text() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string all;
    for (const std::string& l : lines_) all += l + '\n';
    return all;
  }
  bool Empty() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_.empty();
  }
  // Whether one line holds both `a` and `b`.
  bool Contains(std::string_view a, std::string_view b = {}) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& l : lines_) {
      if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;  // guarded by mu_
};

}  // namespace otelpack::testing

#endif  // OTELPACK_COMMON_TESTING_LOG_CAPTURE_H_
