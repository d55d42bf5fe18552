// Signal: which kind of telemetry a piece of data is. The whole pipeline
// carries the three OpenTelemetry signals the same way; a batch, a queued
// request and a counter each belong to exactly one of them.
#ifndef OTELPACK_SIGNAL_H_
#define OTELPACK_SIGNAL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace otelpack {

// The values are stable: the disk queue stores them.
enum class Signal : std::uint8_t { kTraces = 0, kLogs = 1, kMetrics = 2 };

inline constexpr std::size_t kSignalCount = 3;
inline constexpr std::array<Signal, kSignalCount> kAllSignals = {Signal::kTraces, Signal::kLogs,
                                                                 Signal::kMetrics};

// "traces", "logs", "metrics": as in OTLP paths and metric labels.
constexpr std::string_view SignalName(Signal s) {
  switch (s) {
    case Signal::kTraces: return "traces";
    case Signal::kLogs: return "logs";
    case Signal::kMetrics: return "metrics";
  }
  return "unknown";
}

// What one record of the signal is called in messages: "span", "log record",
// "data point" (a metric is exported as one event per data point).
constexpr std::string_view RecordName(Signal s) {
  switch (s) {
    case Signal::kTraces: return "span";
    case Signal::kLogs: return "log record";
    case Signal::kMetrics: return "data point";
  }
  return "record";
}

constexpr std::size_t SignalIndex(Signal s) { return static_cast<std::size_t>(s); }

}  // namespace otelpack

#endif  // OTELPACK_SIGNAL_H_
