#include "otelpack/model.h"

namespace otelpack {

std::size_t CountSpans(TracesView traces) {
  std::size_t n = 0;
  for (const ResourceSpans& rs : traces)
    for (const ScopeSpans& ss : rs.scope_spans) n += ss.spans.size();
  return n;
}

std::size_t CountLogRecords(LogsView logs) {
  std::size_t n = 0;
  for (const ResourceLogs& rl : logs)
    for (const ScopeLogs& sl : rl.scope_logs) n += sl.log_records.size();
  return n;
}

std::size_t CountDataPoints(MetricsView metrics) {
  std::size_t n = 0;
  for (const ResourceMetrics& rm : metrics)
    for (const ScopeMetrics& sm : rm.scope_metrics)
      for (const Metric& m : sm.metrics) n += m.data_point_count();
  return n;
}

}  // namespace otelpack
