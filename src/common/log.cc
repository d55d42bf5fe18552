#include "otelpack/log.h"

#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "common/secrets.h"

namespace otelpack {
namespace {

LogLevel LevelFromEnv() {
  const char* v = std::getenv("OTELPACK_LOG_LEVEL");
  if (v == nullptr) return LogLevel::kInfo;
  std::string_view s(v);
  if (s == "debug") return LogLevel::kDebug;
  if (s == "warn" || s == "warning") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  if (s == "off" || s == "none") return LogLevel::kOff;
  return LogLevel::kInfo;
}

std::atomic<LogLevel>& Level() {
  static std::atomic<LogLevel> level{LevelFromEnv()};
  return level;
}

std::mutex& HandlerMutex() {
  static std::mutex* mu = [] {
    auto* m = new std::mutex();  // never destroyed: logging may run at exit
    // Held by the forking thread across fork (see secrets.cc): a child of a
    // process whose other threads log can still log.
    pthread_atfork([] { HandlerMutex().lock(); }, [] { HandlerMutex().unlock(); }, [] { HandlerMutex().unlock(); });
    return m;
  }();
  return *mu;
}

LogHandler& Handler() {
  static LogHandler handler;
  return handler;
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: return "off";
  }
  return "?";
}

void SetLogHandler(LogHandler handler) {
  std::lock_guard<std::mutex> lock(HandlerMutex());
  Handler() = std::move(handler);
}

void SetLogLevel(LogLevel level) { Level().store(level, std::memory_order_relaxed); }
LogLevel GetLogLevel() { return Level().load(std::memory_order_relaxed); }

bool LogEnabled(LogLevel level) {
  return level != LogLevel::kOff && level >= Level().load(std::memory_order_relaxed);
}

void Log(LogLevel level, std::string_view message) {
  if (!LogEnabled(level)) return;
  // A message may quote what came from outside (a backend's error body, a
  // URL): no configured credential leaves through it.
  const std::string redacted = RedactSecrets(message);
  std::lock_guard<std::mutex> lock(HandlerMutex());
  if (Handler()) {
    Handler()(level, redacted);
    return;
  }
  std::string line = "otelpack ";
  line += LogLevelName(level);
  line += ": ";
  line += redacted;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace otelpack
