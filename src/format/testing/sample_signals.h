// For tests and benchmarks of the log and metric encoders: realistic log
// records and metric data points, deterministic for a seed, in storage the
// generator owns (an Arena). Small on purpose: src/loadgen will grow the
// full generators for logs and metrics.
//
// Logs look like one Java service's: mixed severities (mostly INFO), 60% in
// a trace, templated message bodies with a few map bodies and stack traces,
// 3 to 8 attributes, a few events. Metrics look like one HTTP service's
// periodic export: request-duration and body-size histograms over 15 bounds
// by method and route, counters, up-down counters and gauges over
// realistic attribute sets, each series one data point.
#ifndef OTELPACK_FORMAT_TESTING_SAMPLE_SIGNALS_H_
#define OTELPACK_FORMAT_TESTING_SAMPLE_SIGNALS_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::testing {

// splitmix64: small, fast and the same everywhere.
class SampleRandom {
 public:
  explicit SampleRandom(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint32_t Below(std::uint32_t n) { return static_cast<std::uint32_t>(Next() % n); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }  // [0, 1)

 private:
  std::uint64_t s_;
};

inline constexpr std::uint64_t kSampleEpochNanos = 1'732'480'000'000'000'000ULL;

inline constexpr KeyValue kSampleResource[] = {
    {"service.name", AnyValue::String("checkout")},
    {"service.version", AnyValue::String("2.14.1")},
    {"deployment.environment", AnyValue::String("production")},
    {"host.name", AnyValue::String("ip-10-0-12-34.eu-west-1.compute.internal")},
};

class SampleLogs {
 public:
  explicit SampleLogs(std::uint64_t seed = 42) : rng_(seed) {}

  // Exactly n log records of one resource in two scopes. Valid until the
  // next call.
  LogsView Next(std::size_t n) {
    arena_.Reset();
    std::span<LogRecord> records = arena_.Make<LogRecord>(n);
    for (LogRecord& r : records) Fill(r);
    std::span<ScopeLogs> scopes = arena_.Make<ScopeLogs>(2);
    scopes[0].scope = {"com.example.checkout.OrderService", "2.14.1", {}, 0};
    scopes[0].log_records = records.first(n / 2);
    scopes[1].scope = {"org.hibernate.SQL", "6.4.1", {}, 0};
    scopes[1].log_records = records.subspan(n / 2);
    resource_[0].resource.attributes = kSampleResource;
    resource_[0].scope_logs = scopes;
    return resource_;
  }

 private:
  std::string_view Format(const char* fmt, std::uint32_t a, std::uint32_t b) {
    char text[512];
    const int k = std::snprintf(text, sizeof text, fmt, a, b);
    return arena_.Copy(std::string_view(text, static_cast<std::size_t>(k)));
  }

  void Fill(LogRecord& r) {
    time_ += 200'000 + rng_.Below(2'000'000);
    r.time_unix_nano = rng_.Below(10) == 0 ? 0 : time_;  // 10%: only the observed time
    r.observed_time_unix_nano = time_ + 150'000;
    static constexpr std::array<std::pair<int, std::string_view>, 6> kLevels = {
        {{5, "DEBUG"}, {9, "INFO"}, {13, "WARN"}, {17, "ERROR"}, {1, "TRACE"}, {21, "FATAL"}}};
    const std::uint32_t roll = rng_.Below(100);
    const std::size_t level = roll < 10 ? 0 : roll < 75 ? 1 : roll < 88 ? 2 : roll < 97 ? 3 : roll < 99 ? 4 : 5;
    r.severity_number = kLevels[level].first;
    r.severity_text = rng_.Below(10) < 7 ? kLevels[level].second : std::string_view();
    r.body = Body(level);
    if (rng_.Below(10) < 6) {
      for (auto& b : r.trace_id.bytes) b = static_cast<std::uint8_t>(rng_.Next());
      for (auto& b : r.span_id.bytes) b = static_cast<std::uint8_t>(rng_.Next());
      r.trace_id.bytes[0] |= 1;
      r.span_id.bytes[0] |= 1;
      r.flags = 1;
    }
    std::span<KeyValue> attrs = arena_.Make<KeyValue>(3 + rng_.Below(6));
    static constexpr std::string_view kFunctions[] = {"placeOrder", "reserveStock", "charge", "findById", "flush"};
    static constexpr std::string_view kThreads[] = {"http-nio-8080-exec-3", "http-nio-8080-exec-7", "scheduling-1",
                                                    "kafka-consumer-orders"};
    static constexpr std::string_view kRoutes[] = {"/api/orders", "/api/orders/{id}", "/api/cart", "/api/payments"};
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      switch (i) {
        case 0: attrs[i] = {"code.function", AnyValue::String(kFunctions[rng_.Below(5)])}; break;
        case 1: attrs[i] = {"code.namespace", AnyValue::String("com.example.checkout.OrderService")}; break;
        case 2: attrs[i] = {"code.lineno", AnyValue::Int(20 + rng_.Below(400))}; break;
        case 3: attrs[i] = {"thread.name", AnyValue::String(kThreads[rng_.Below(4)])}; break;
        case 4: attrs[i] = {"thread.id", AnyValue::Int(30 + rng_.Below(40))}; break;
        case 5: attrs[i] = {"http.route", AnyValue::String(kRoutes[rng_.Below(4)])}; break;
        case 6: attrs[i] = {"enduser.id", AnyValue::String(Format("user-%u-%u", rng_.Below(100), rng_.Below(1000)))};
          break;
        default: attrs[i] = {"duration_ms", AnyValue::Double(rng_.Below(50000) / 100.0)}; break;
      }
    }
    r.attributes = attrs;
    if (rng_.Below(100) < 3) r.event_name = rng_.Below(2) == 0 ? "session.start" : "feature_flag.evaluation";
  }

  AnyValue Body(std::size_t level) {
    const std::uint32_t roll = rng_.Below(100);
    if (roll < 4) {  // a structured event as a map body
      std::span<KeyValue> kv = arena_.Make<KeyValue>(5);
      kv[0] = {"event", AnyValue::String("order.created")};
      kv[1] = {"order_id", AnyValue::Int(1'000'000 + rng_.Below(9'000'000))};
      kv[2] = {"amount", AnyValue::Double(rng_.Below(100000) / 100.0)};
      kv[3] = {"currency", AnyValue::String("EUR")};
      kv[4] = {"items", AnyValue::Int(1 + rng_.Below(12))};
      return AnyValue::KvList(kv);
    }
    if (level == 3 && roll < 40) {
      return AnyValue::String(Format(
          "payment declined for order %u: card expired\n"
          "com.example.payments.DeclinedException: card expired (code %u)\n"
          "\tat com.example.payments.CardGateway.charge(CardGateway.java:212)\n"
          "\tat com.example.checkout.OrderService.placeOrder(OrderService.java:88)\n"
          "\tat jdk.internal.reflect.GeneratedMethodAccessor41.invoke(Unknown Source)",
          rng_.Below(10'000'000), 51));
    }
    static constexpr const char* kTemplates[] = {
        "GET /api/orders/%u completed with status 200 in %u ms",
        "user %u added item %u to the cart",
        "cache miss for key product:%u, loaded from the database in %u ms",
        "request %u to inventory-service retried after %u ms",
        "connection pool: %u active, %u idle connections",
        "scheduled job cleanup-sessions removed %u expired sessions in %u ms",
        "select o1_0.id,o1_0.status from orders o1_0 where o1_0.customer_id=%u limit %u",
    };
    return AnyValue::String(Format(kTemplates[rng_.Below(7)], rng_.Below(100000), rng_.Below(500)));
  }

  SampleRandom rng_;
  Arena arena_;
  std::uint64_t time_ = kSampleEpochNanos;
  std::array<ResourceLogs, 1> resource_{};
};

class SampleMetrics {
 public:
  explicit SampleMetrics(std::uint64_t seed = 42) : rng_(seed) {}

  // Exactly n data points of one resource, the metrics in turn, each with
  // its series (one point each); a metric cut by n continues in the next
  // call, as one export after another. Valid until the next call.
  MetricsView Next(std::size_t n) {
    arena_.Reset();
    metrics_.clear();
    time_ += 60'000'000'000ULL;  // one export a minute
    while (n > 0) {
      const Spec& spec = kSpecs[spec_];
      const std::size_t take = std::min<std::size_t>(n, spec.series - series_);
      metrics_.push_back(MakeMetric(spec, series_, take));
      n -= take;
      series_ += static_cast<std::uint32_t>(take);
      if (series_ == spec.series) {
        series_ = 0;
        spec_ = (spec_ + 1) % kSpecs.size();
      }
    }
    scope_[0].scope = {"io.opentelemetry.tomcat-10.0", "2.9.0-alpha", {}, 0};
    scope_[0].metrics = metrics_;
    resource_[0].resource.attributes = kSampleResource;
    resource_[0].scope_metrics = scope_;
    return resource_;
  }

 private:
  struct Spec {
    std::string_view name, unit;
    MetricKind kind;
    AggregationTemporality temporality;
    bool monotonic;
    std::uint32_t series;
  };
  static constexpr AggregationTemporality kCumulative = AggregationTemporality::kCumulative;
  static constexpr AggregationTemporality kNoTemporality = AggregationTemporality::kUnspecified;
  static constexpr std::array<Spec, 8> kSpecs = {{
      {"http.server.request.duration", "s", MetricKind::kHistogram, kCumulative, false, 32},
      {"http.server.active_requests", "{request}", MetricKind::kSum, kCumulative, false, 4},
      {"http.server.request.body.size", "By", MetricKind::kHistogram, kCumulative, false, 16},
      {"db.client.connections.usage", "{connection}", MetricKind::kSum, kCumulative, false, 4},
      {"jvm.memory.used", "By", MetricKind::kSum, kCumulative, false, 8},
      {"system.cpu.utilization", "1", MetricKind::kGauge, kNoTemporality, false, 8},
      {"orders.processed", "{order}", MetricKind::kSum, kCumulative, true, 6},
      {"jvm.cpu.recent_utilization", "1", MetricKind::kGauge, kNoTemporality, false, 1},
  }};
  static constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "DELETE"};
  static constexpr std::string_view kRoutes[] = {"/api/orders", "/api/orders/{id}", "/api/cart", "/api/cart/items",
                                                 "/api/payments", "/api/products", "/api/products/{id}", "/health"};

  // The attributes of series s of a metric.
  std::span<const KeyValue> SeriesAttributes(std::size_t spec, std::uint32_t s) {
    switch (spec) {
      case 0:
      case 2: {
        std::span<KeyValue> kv = arena_.Make<KeyValue>(5);
        static constexpr std::int64_t kStatus[] = {200, 201, 404, 500};
        kv[0] = {"http.request.method", AnyValue::String(kMethods[spec == 0 ? s % 4 : 1 + s % 2])};
        kv[1] = {"http.route", AnyValue::String(kRoutes[s / (spec == 0 ? 4 : 2) % 8])};
        kv[2] = {"http.response.status_code", AnyValue::Int(kStatus[s % 3 == 2 ? 2 + s % 2 : s % 2])};
        kv[3] = {"url.scheme", AnyValue::String("https")};
        kv[4] = {"network.protocol.version", AnyValue::String("1.1")};
        return kv;
      }
      case 1: {
        std::span<KeyValue> kv = arena_.Make<KeyValue>(2);
        kv[0] = {"http.request.method", AnyValue::String(kMethods[s])};
        kv[1] = {"url.scheme", AnyValue::String("https")};
        return kv;
      }
      case 3: {
        std::span<KeyValue> kv = arena_.Make<KeyValue>(2);
        kv[0] = {"pool.name", AnyValue::String(s < 2 ? "orders-db" : "inventory-db")};
        kv[1] = {"state", AnyValue::String(s % 2 == 0 ? "idle" : "used")};
        return kv;
      }
      case 4: {
        static constexpr std::string_view kPools[] = {
            "G1 Eden Space",          "G1 Old Gen",          "G1 Survivor Space",         "Metaspace",
            "CodeHeap 'non-nmethods'", "Compressed Class Space", "CodeHeap 'profiled nmethods'",
            "CodeHeap 'non-profiled nmethods'"};
        std::span<KeyValue> kv = arena_.Make<KeyValue>(2);
        kv[0] = {"jvm.memory.type", AnyValue::String(s < 3 ? "heap" : "non_heap")};
        kv[1] = {"jvm.memory.pool.name", AnyValue::String(kPools[s])};
        return kv;
      }
      case 5: {
        std::span<KeyValue> kv = arena_.Make<KeyValue>(2);
        kv[0] = {"cpu", AnyValue::Int(s / 2)};
        kv[1] = {"state", AnyValue::String(s % 2 == 0 ? "user" : "system")};
        return kv;
      }
      case 6: {
        static constexpr std::string_view kPay[] = {"card", "paypal", "invoice"};
        std::span<KeyValue> kv = arena_.Make<KeyValue>(2);
        kv[0] = {"order.status", AnyValue::String(s < 3 ? "completed" : "failed")};
        kv[1] = {"payment.method", AnyValue::String(kPay[s % 3])};
        return kv;
      }
      default: return {};
    }
  }

  Metric MakeMetric(const Spec& spec, std::uint32_t first, std::size_t count) {
    const std::size_t index = static_cast<std::size_t>(&spec - kSpecs.data());
    Metric m{.name = spec.name, .unit = spec.unit, .kind = spec.kind, .temporality = spec.temporality,
             .monotonic = spec.monotonic};
    const std::uint64_t start = spec.kind == MetricKind::kGauge ? 0 : kSampleEpochNanos;
    if (spec.kind == MetricKind::kHistogram) {
      std::span<HistogramDataPoint> points = arena_.Make<HistogramDataPoint>(count);
      for (std::size_t i = 0; i < count; ++i) FillHistogram(points[i], index, first + static_cast<std::uint32_t>(i));
      m.histogram_points = points;
      return m;
    }
    std::span<NumberDataPoint> points = arena_.Make<NumberDataPoint>(count);
    for (std::size_t i = 0; i < count; ++i) {
      NumberDataPoint& p = points[i];
      p.attributes = SeriesAttributes(index, first + static_cast<std::uint32_t>(i));
      p.start_time_unix_nano = start;
      p.time_unix_nano = time_;
      p.value = spec.kind == MetricKind::kGauge || (index == 4 && rng_.Below(2) == 0)
                    ? NumberValue::Double(rng_.Unit() * (index == 4 ? 5e8 : 1.0))
                    : NumberValue::Int(static_cast<std::int64_t>(rng_.Below(index == 4 ? 500'000'000 : 5000)));
    }
    m.number_points = points;
    return m;
  }

  void FillHistogram(HistogramDataPoint& p, std::size_t spec, std::uint32_t series) {
    static constexpr double kSeconds[] = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
                                          0.75,  1,    2.5,   5,    7.5,   10,  30};
    static constexpr double kBytes[] = {64,     256,     1024,    4096,     16384,    65536,     262144,   1048576,
                                        4194304, 8388608, 16777216, 33554432, 67108864, 134217728, 268435456};
    p.attributes = SeriesAttributes(spec, series);
    p.start_time_unix_nano = kSampleEpochNanos;
    p.time_unix_nano = time_;
    p.explicit_bounds = spec == 0 ? std::span<const double>(kSeconds) : std::span<const double>(kBytes);
    std::span<std::uint64_t> counts = arena_.Make<std::uint64_t>(p.explicit_bounds.size() + 1);
    double sum = 0;
    for (std::size_t b = 0; b < counts.size(); ++b) {
      // Most values in the middle buckets, as latencies and sizes are.
      counts[b] = b > 2 && b < 10 ? rng_.Below(3000) : rng_.Below(40);
      const double mid = b < p.explicit_bounds.size() ? p.explicit_bounds[b] : p.explicit_bounds.back() * 2;
      sum += static_cast<double>(counts[b]) * mid * 0.7;
      p.count += counts[b];
    }
    p.bucket_counts = counts;
    p.sum = sum;
    p.min = p.explicit_bounds[0] * rng_.Unit();
    p.max = p.explicit_bounds[p.explicit_bounds.size() - 2] * (1 + rng_.Unit());
  }

  SampleRandom rng_;
  Arena arena_;
  std::uint64_t time_ = kSampleEpochNanos;
  std::size_t spec_ = 0;
  std::uint32_t series_ = 0;
  std::vector<Metric> metrics_;
  std::array<ScopeMetrics, 1> scope_{};
  std::array<ResourceMetrics, 1> resource_{};
};

}  // namespace otelpack::testing

#endif  // OTELPACK_FORMAT_TESTING_SAMPLE_SIGNALS_H_
