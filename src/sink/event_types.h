// The three kinds of event the sink stores (docs/wire-protocol.md: "Span
// event", "Log event", "Metric event"), their names on the wire and in the
// store, and the two things read by type: counts and GET /v1/events filters.
#ifndef OTELPACK_SINK_EVENT_TYPES_H_
#define OTELPACK_SINK_EVENT_TYPES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otelpack::sink {

enum class EventType : std::uint8_t { kSpan = 0, kLog = 1, kMetric = 2 };
inline constexpr std::size_t kEventTypeCount = 3;

// "span", "log", "metric": the event's "type" and the store's type column.
inline constexpr std::array<std::string_view, kEventTypeCount> kEventTypeNames = {"span", "log",
                                                                                 "metric"};
inline std::string_view EventTypeName(EventType type) {
  return kEventTypeNames[static_cast<std::size_t>(type)];
}
// The type named `name`, or nullopt.
inline std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (std::size_t i = 0; i < kEventTypeCount; ++i) {
    if (kEventTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

// Events by type ("by_type" in GET /v1/stats).
struct EventCounts {
  std::uint64_t span = 0;
  std::uint64_t log = 0;
  std::uint64_t metric = 0;

  std::uint64_t& operator[](EventType type) {
    return type == EventType::kSpan ? span : type == EventType::kLog ? log : metric;
  }
  std::uint64_t total() const { return span + log + metric; }
  bool operator==(const EventCounts&) const = default;
};

// Which stored events GET /v1/events returns: those matching every filter
// that is set, oldest first, at most `limit`.
struct EventFilter {
  std::optional<EventType> type;
  std::optional<std::string> service;
  // A span's operation, a metric's name, a log's event_name ("" for a log
  // without one).
  std::optional<std::string> name;
  std::size_t limit = 1000;  // 1 to kMaxEventsLimit
};
inline constexpr std::size_t kMaxEventsLimit = 10000;

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_EVENT_TYPES_H_
