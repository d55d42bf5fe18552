// Tests for the log and metric generators: exact counts, determinism, and
// data that looks like a real service's (severity mix, trace context,
// histograms whose buckets add up, counters that only grow).
#include "loadgen/signals.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "otlp/metric_checks.h"

namespace otelpack::loadgen {
namespace {

TEST(LogGeneratorTest, ExactlyNRecordsGroupedByServiceAndLogger) {
  LogGenerator gen;
  for (std::size_t n : {0u, 1u, 17u, 512u}) {
    LogsView logs = gen.Next(n);
    EXPECT_EQ(CountLogRecords(logs), n);
    std::set<std::string_view> services;
    for (const ResourceLogs& rl : logs) {
      std::string_view service;
      for (const KeyValue& kv : rl.resource.attributes) {
        if (kv.key == "service.name") service = kv.value.string_value();
      }
      EXPECT_TRUE(services.insert(service).second) << "one ResourceLogs per service";
      for (const ScopeLogs& sl : rl.scope_logs) {
        EXPECT_FALSE(sl.scope.name.empty());
        EXPECT_FALSE(sl.log_records.empty());
      }
    }
  }
}

TEST(LogGeneratorTest, SameOptionsSameRecords) {
  LogGenerator a({.seed = 7}), b({.seed = 7}), c({.seed = 8});
  LogsView x = a.Next(50), y = b.Next(50), z = c.Next(50);
  auto first_body = [](LogsView v) { return std::string(v[0].scope_logs[0].log_records[0].body.type() == ValueType::kString ? v[0].scope_logs[0].log_records[0].body.string_value() : "map"); };
  EXPECT_EQ(first_body(x), first_body(y));
  EXPECT_EQ(x[0].scope_logs[0].log_records[0].time_unix_nano, y[0].scope_logs[0].log_records[0].time_unix_nano);
  EXPECT_NE(x[0].scope_logs[0].log_records[0].observed_time_unix_nano,
            z[0].scope_logs[0].log_records[0].observed_time_unix_nano);
}

TEST(LogGeneratorTest, LooksLikeAServicesLogs) {
  LogGenerator gen;
  std::map<int, int> by_range;  // severity number / 4: 0 TRACE, 1 DEBUG, 2 INFO, 3 WARN, 4 ERROR, 5 FATAL
  int with_trace = 0, maps = 0, events = 0, no_text = 0, no_time = 0, stacktraces = 0, total = 0;
  std::set<std::string_view> texts;
  for (int round = 0; round < 10; ++round) {
    for (const ResourceLogs& rl : gen.Next(1000)) {
      for (const ScopeLogs& sl : rl.scope_logs) {
        for (const LogRecord& r : sl.log_records) {
          ++total;
          ++by_range[(r.severity_number - 1) / 4];
          with_trace += r.trace_id.valid() && r.span_id.valid();
          maps += r.body.type() == ValueType::kKvList;
          events += !r.event_name.empty();
          no_text += r.severity_text.empty();
          no_time += r.time_unix_nano == 0;
          texts.insert(r.severity_text);
          EXPECT_NE(r.observed_time_unix_nano, 0u);
          EXPECT_GE(r.attributes.size(), 3u);
          for (const KeyValue& kv : r.attributes) stacktraces += kv.key == "exception.stacktrace";
        }
      }
    }
  }
  EXPECT_EQ(total, 10000);
  EXPECT_GT(by_range[2], total / 2) << "mostly INFO";
  EXPECT_GT(by_range[1], total / 20);
  EXPECT_GT(by_range[3], total / 20);
  EXPECT_GT(by_range[4], total / 50);
  EXPECT_GT(by_range[5], 0);
  EXPECT_EQ(stacktraces, by_range[4] + by_range[5]) << "every ERROR and FATAL carries its stack trace";
  EXPECT_NEAR(with_trace, total * 0.6, total * 0.05);
  EXPECT_NEAR(maps, total * 0.05, total * 0.02);
  EXPECT_GT(events, 0);
  EXPECT_GT(no_text, 0);
  EXPECT_GT(no_time, 0);
  for (std::string_view t : {"INFO", "WARNING", "warn", "CRITICAL"}) EXPECT_EQ(texts.count(t), 1u) << t;
}

TEST(MetricGeneratorTest, ExactlyNDataPointsAndEverySeriesOncePerCollection) {
  MetricGenerator gen;
  const std::size_t series = gen.series();
  EXPECT_GT(series, 300u);
  std::map<std::string, int> seen;
  std::size_t total = 0;
  for (std::size_t n : {1u, 99u, 200u}) {
    MetricsView m = gen.Next(n);
    EXPECT_EQ(CountDataPoints(m), n);
    total += n;
  }
  EXPECT_EQ(CountDataPoints(gen.Next(series - total)), series - total);  // the first collection, whole
  std::set<MetricKind> kinds;
  for (const ResourceMetrics& rm : gen.Next(series)) {
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      for (const Metric& m : sm.metrics) {
        kinds.insert(m.kind);
        EXPECT_FALSE(m.name.empty());
        EXPECT_FALSE(m.unit.empty());
      }
    }
  }
  EXPECT_EQ(kinds.size(), 5u) << "gauge, sum, histogram, exponential histogram, summary";
}

// Every point must be one the agent accepts (metric_checks.h), with buckets
// that add up to the count.
void CheckPoints(MetricsView view) {
  for (const ResourceMetrics& rm : view) {
    for (const ScopeMetrics& sm : rm.scope_metrics) {
      for (const Metric& m : sm.metrics) {
        for (const NumberDataPoint& p : m.number_points) EXPECT_EQ(otlp::InvalidDataPoint(p), "") << m.name;
        for (const HistogramDataPoint& p : m.histogram_points) {
          EXPECT_EQ(otlp::InvalidDataPoint(p, 8192), "") << m.name;
          std::uint64_t sum = 0;
          for (std::uint64_t c : p.bucket_counts) sum += c;
          EXPECT_EQ(sum, p.count) << m.name;
          ASSERT_TRUE(p.min.has_value() && p.max.has_value() && p.sum.has_value());
          EXPECT_LE(*p.min, *p.max);
        }
        for (const ExponentialHistogramDataPoint& p : m.exponential_histogram_points) {
          EXPECT_EQ(otlp::InvalidDataPoint(p, 8192), "") << m.name;
          std::uint64_t sum = p.zero_count;
          for (std::uint64_t c : p.positive.bucket_counts) sum += c;
          EXPECT_EQ(sum, p.count) << m.name;
        }
        for (const SummaryDataPoint& p : m.summary_points) {
          EXPECT_EQ(otlp::InvalidDataPoint(p, 8192), "") << m.name;
          EXPECT_EQ(p.quantile_values.size(), 5u);
        }
      }
    }
  }
}

// The value of the named metric's first point, as a series of collections.
std::uint64_t FirstCount(MetricsView view, std::string_view name) {
  for (const ResourceMetrics& rm : view)
    for (const ScopeMetrics& sm : rm.scope_metrics)
      for (const Metric& m : sm.metrics)
        if (m.name == name) {
          if (!m.histogram_points.empty()) return m.histogram_points[0].count;
          if (!m.number_points.empty()) return static_cast<std::uint64_t>(m.number_points[0].value.as_int);
        }
  return 0;
}

TEST(MetricGeneratorTest, CumulativeSeriesGrowAndDeltaSeriesStartOver) {
  MetricGenerator cumulative({.services = 2});
  MetricGenerator delta({.services = 2, .temporality = AggregationTemporality::kDelta});
  const std::size_t n = cumulative.series();
  std::uint64_t last_hist = 0, last_orders = 0, delta_hist_total = 0, cumulative_hist = 0;
  for (int collection = 0; collection < 5; ++collection) {
    MetricsView c = cumulative.Next(n);
    MetricsView d = delta.Next(n);
    CheckPoints(c);
    CheckPoints(d);
    const std::uint64_t hist = FirstCount(c, "http.server.request.duration");
    const std::uint64_t orders = FirstCount(c, "app.orders.placed");
    EXPECT_GT(hist, last_hist);
    EXPECT_GE(orders, last_orders);
    last_hist = hist;
    last_orders = orders;
    delta_hist_total += FirstCount(d, "http.server.request.duration");
    cumulative_hist = hist;
    for (const ResourceMetrics& rm : d)
      for (const ScopeMetrics& sm : rm.scope_metrics)
        for (const Metric& m : sm.metrics) {
          if (m.kind == MetricKind::kHistogram) {
            EXPECT_EQ(m.temporality, AggregationTemporality::kDelta);
            EXPECT_EQ(m.histogram_points[0].time_unix_nano - m.histogram_points[0].start_time_unix_nano,
                      10'000'000'000ULL);
          }
        }
  }
  EXPECT_EQ(delta_hist_total, cumulative_hist) << "same seed: the deltas add up to the cumulative count";
}

}  // namespace
}  // namespace otelpack::loadgen
