// Logs: OpenTelemetry log records as otelpack sees them, grouped as in OTLP
// (resource -> scope -> log record). Views, as the whole model (common.h).
#ifndef OTELPACK_MODEL_LOGS_H_
#define OTELPACK_MODEL_LOGS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "otelpack/model/common.h"

namespace otelpack {

// OTLP's SeverityNumber: 0 unspecified, 1-4 TRACE..TRACE4, 5-8 DEBUG,
// 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL. A log record keeps the
// number it was sent with, even one outside that range.
using SeverityNumber = std::int32_t;

struct LogRecord {
  std::uint64_t time_unix_nano = 0;           // when the event happened; 0 = unknown
  std::uint64_t observed_time_unix_nano = 0;  // when it was collected
  SeverityNumber severity_number = 0;
  std::string_view severity_text;             // as the source wrote it ("WARNING", "E")
  AnyValue body;                              // usually a string; any value
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::uint32_t flags = 0;                    // the W3C trace flags in the low byte
  TraceId trace_id;                           // all zero: not in a trace
  SpanId span_id;                             // all zero: not in a span
  std::string_view event_name;                // set for events (OTLP 1.5)
};

struct ScopeLogs {
  InstrumentationScope scope;
  std::span<const LogRecord> log_records;
  std::string_view schema_url;
};

struct ResourceLogs {
  Resource resource;
  std::span<const ScopeLogs> scope_logs;
  std::string_view schema_url;
};

// The unit of export: log records grouped by resource and scope, as in OTLP.
using LogsView = std::span<const ResourceLogs>;

// Number of log records in `logs`.
std::size_t CountLogRecords(LogsView logs);

}  // namespace otelpack

#endif  // OTELPACK_MODEL_LOGS_H_
