// Hand-built records for the ClickHouse test, each chosen for what it could break between
// OTLP, the declared format, JSONEachRow and ClickHouse's columns: quotes, backslashes,
// control characters, NUL and non-ASCII text in names, keys and values; every value type in
// attributes (bytes, NaN, the extreme integers, nested lists and maps, empty values); root
// spans (no parent id), an end before the start, events and links; log records without a time,
// a body, a severity text or a trace, with map, array and integer bodies; metric points of
// every kind, with NaN and "no recorded value".
//
// Each struct owns its storage and hands out a view over it: it is neither copied nor moved.
#ifndef OTELPACK_TESTS_CLICKHOUSE_TRICKY_RECORDS_H_
#define OTELPACK_TESTS_CLICKHOUSE_TRICKY_RECORDS_H_

#include <cstdint>
#include <vector>

#include "otelpack/model.h"

namespace otelpack::testing {

class TrickyTraces {
 public:
  TrickyTraces();
  TrickyTraces(const TrickyTraces&) = delete;
  TrickyTraces& operator=(const TrickyTraces&) = delete;
  TracesView view() const { return resources_; }

 private:
  std::vector<KeyValue> nested_, map_, resource_attributes_, scope_attributes_, attributes_, event_attributes_,
      link_attributes_;
  std::vector<AnyValue> list_;
  std::vector<SpanEvent> events_;
  std::vector<SpanLink> links_;
  std::vector<Span> spans_, unnamed_service_spans_;
  std::vector<ScopeSpans> scopes_, unnamed_service_scopes_;
  std::vector<ResourceSpans> resources_;
};

class TrickyLogs {
 public:
  TrickyLogs();
  TrickyLogs(const TrickyLogs&) = delete;
  TrickyLogs& operator=(const TrickyLogs&) = delete;
  LogsView view() const { return resources_; }

 private:
  std::vector<KeyValue> resource_attributes_, attributes_, body_map_, body_nested_;
  std::vector<AnyValue> tags_, body_list_;
  std::vector<LogRecord> records_;
  std::vector<ScopeLogs> scopes_;
  std::vector<ResourceLogs> resources_;
};

class TrickyMetrics {
 public:
  TrickyMetrics();
  TrickyMetrics(const TrickyMetrics&) = delete;
  TrickyMetrics& operator=(const TrickyMetrics&) = delete;
  MetricsView view() const { return resources_; }

 private:
  std::vector<KeyValue> resource_attributes_, attributes_;
  std::vector<NumberDataPoint> gauge_points_, sum_points_;
  std::vector<std::uint64_t> bucket_counts_, positive_counts_;
  std::vector<double> bounds_;
  std::vector<HistogramDataPoint> histogram_points_;
  std::vector<ExponentialHistogramDataPoint> exponential_points_;
  std::vector<ValueAtQuantile> quantiles_;
  std::vector<SummaryDataPoint> summary_points_;
  std::vector<Metric> metrics_;
  std::vector<ScopeMetrics> scopes_;
  std::vector<ResourceMetrics> resources_;
};

}  // namespace otelpack::testing

#endif  // OTELPACK_TESTS_CLICKHOUSE_TRICKY_RECORDS_H_
