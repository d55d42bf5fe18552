// The shape every OTLP signal shares, for the protobuf decoder and encoder:
// Export*ServiceRequest { repeated Resource* = 1 }, Resource* { resource = 1,
// repeated Scope* = 2, schema_url = 3 }, Scope* { scope = 1, repeated
// record = 2, schema_url = 3 }. One row per signal names its model types and
// its field names, so the levels above the records are written once.
// Internal to src/otlp.
#ifndef OTELPACK_OTLP_PROTO_SCHEMA_H_
#define OTELPACK_OTLP_PROTO_SCHEMA_H_

#include <string_view>

#include "otelpack/model.h"
#include "otlp/decode.h"

namespace otelpack::otlp {

struct TracesSchema {
  using Decoded = DecodedTraces;
  using View = TracesView;
  using ResourceGroup = ResourceSpans;
  using ScopeGroup = ScopeSpans;
  using Record = Span;
  static constexpr std::string_view kResourceGroups = "resource_spans";
  static constexpr std::string_view kScopeGroups = "scope_spans";
  static constexpr std::string_view kRecords = "spans";
  static constexpr auto kScopeGroupsOf = &ResourceSpans::scope_spans;
  static constexpr auto kRecordsOf = &ScopeSpans::spans;
};

struct LogsSchema {
  using Decoded = DecodedLogs;
  using View = LogsView;
  using ResourceGroup = ResourceLogs;
  using ScopeGroup = ScopeLogs;
  using Record = LogRecord;
  static constexpr std::string_view kResourceGroups = "resource_logs";
  static constexpr std::string_view kScopeGroups = "scope_logs";
  static constexpr std::string_view kRecords = "log_records";
  static constexpr auto kScopeGroupsOf = &ResourceLogs::scope_logs;
  static constexpr auto kRecordsOf = &ScopeLogs::log_records;
};

// A metric is not the signal's record (its data points are), but it is what
// a scope lists.
struct MetricsSchema {
  using Decoded = DecodedMetrics;
  using View = MetricsView;
  using ResourceGroup = ResourceMetrics;
  using ScopeGroup = ScopeMetrics;
  using Record = Metric;
  static constexpr std::string_view kResourceGroups = "resource_metrics";
  static constexpr std::string_view kScopeGroups = "scope_metrics";
  static constexpr std::string_view kRecords = "metrics";
  static constexpr auto kScopeGroupsOf = &ResourceMetrics::scope_metrics;
  static constexpr auto kRecordsOf = &ScopeMetrics::metrics;
};

}  // namespace otelpack::otlp

#endif  // OTELPACK_OTLP_PROTO_SCHEMA_H_
