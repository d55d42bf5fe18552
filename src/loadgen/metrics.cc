// MetricGenerator: an SDK's periodic metric export (signals.h). Each service
// has a fixed set of series (a metric and an attribute set); every
// collection reports each series once, its counters and histograms grown by
// what happened since the last one.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "loadgen/fmt.h"
#include "loadgen/internal.h"
#include "loadgen/signals.h"
#include "loadgen/values.h"

namespace otelpack::loadgen {
namespace {

using internal::AttrList;
using internal::Fmt;
using internal::Language;
using internal::Rng;

constexpr std::uint64_t kDefaultStartUnixNano = 1732480000000000000ULL;

// The SDKs' default explicit bounds for http.server.request.duration, in s.
constexpr double kDurationBounds[] = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
                                      0.5,   0.75, 1.0,   2.5,  5.0,   7.5, 10.0};
constexpr double kQuantiles[] = {0.0, 0.5, 0.9, 0.99, 1.0};
constexpr int kExponentialScale = 3;  // base 2^(1/8): 8 buckets per power of two

enum class Shape : std::uint8_t {
  kCounter,        // monotonic int sum
  kUpDownCounter,  // non-monotonic int sum
  kGauge,          // double gauge
  kIntGauge,
  kHistogram,
  kExponentialHistogram,
  kSummary,
};

struct MetricDef {
  std::string_view scope;
  std::string_view name;
  std::string_view description;
  std::string_view unit;
  Shape shape;
};

// Each scope's metrics, in the order a collection reports them.
constexpr MetricDef kMetrics[] = {
    {"io.opentelemetry.http", "http.server.request.duration", "Duration of HTTP server requests.", "s",
     Shape::kHistogram},
    {"io.opentelemetry.http", "http.server.active_requests", "Number of active HTTP server requests.", "{request}",
     Shape::kUpDownCounter},
    {"io.opentelemetry.runtime", "process.cpu.utilization", "CPU used by the process.", "1", Shape::kGauge},
    {"io.opentelemetry.runtime", "process.memory.usage", "Memory used by the process, by pool.", "By",
     Shape::kUpDownCounter},
    {"io.opentelemetry.db", "db.client.connection.count", "Connections in the pool, by state.", "{connection}",
     Shape::kUpDownCounter},
    {"io.opentelemetry.messaging", "messaging.process.duration", "Duration of processing a message.", "s",
     Shape::kExponentialHistogram},
    {"com.example.app", "app.orders.placed", "Orders placed, by payment method.", "{order}", Shape::kCounter},
    {"com.example.app", "app.queue.depth", "Jobs waiting in the work queue.", "{job}", Shape::kIntGauge},
    {"com.example.app", "rpc.server.duration", "Duration of RPC calls, as quantiles.", "ms", Shape::kSummary},
};

// What one series holds between collections (cumulative since its start).
struct Series {
  int service = 0;
  int metric = 0;  // index into kMetrics
  Attributes attributes;
  std::uint64_t start = 0;  // the series' start time, offset from start_unix_nano
  double scale = 1;         // how busy this series is
  std::int64_t total = 0;   // counters
  double level = 0;         // gauges and up-down counters
  std::uint64_t count = 0;  // histograms and summaries
  double sum = 0;
  double min = 0, max = 0;
  std::vector<std::uint64_t> buckets;  // explicit: one per bound and +Inf; exponential: from `offset`
  std::int32_t offset = 0;
  std::uint64_t zero_count = 0;
};

struct Pending {
  int service;
  int metric;
  std::size_t series;
};

}  // namespace

struct MetricGenerator::State {
  explicit State(const MetricGeneratorOptions& o) : options(o), rng(o.seed), values(&batch) {}

  MetricGeneratorOptions options;
  Rng rng;
  Arena catalog;
  Arena batch;
  internal::ValueMaker values;
  std::vector<Attributes> resources;
  std::vector<Series> series;
  std::size_t next = 0;            // the next series to report
  std::uint64_t collection = 0;    // how many full collections were reported
  std::vector<Pending> pending;

  void BuildCatalog();
  void AddSeries(int service, int metric, Attributes attributes);
  void Observe(Series& s);
  MetricsView Group();
  std::uint64_t Now() const {
    return options.start_unix_nano + (collection + 1) * options.interval_unix_nano;
  }
};

void MetricGenerator::State::AddSeries(int service, int metric, Attributes attributes) {
  Series s;
  s.service = service;
  s.metric = metric;
  s.attributes = attributes;
  s.scale = 0.2 + 2.0 * rng.Unit();
  if (kMetrics[metric].shape == Shape::kHistogram) s.buckets.assign(std::size(kDurationBounds) + 1, 0);
  series.push_back(std::move(s));
}

void MetricGenerator::State::BuildCatalog() {
  auto names = internal::ServiceNames();
  const int n = std::max(1, options.services);
  static constexpr std::string_view kRouteMethods[] = {"GET", "GET", "POST", "PUT"};
  static constexpr std::string_view kPools[] = {"heap", "non_heap", "direct"};
  static constexpr std::string_view kPayments[] = {"card", "paypal", "voucher"};
  static constexpr std::string_view kTopicEvents[] = {"created", "updated"};
  for (int i = 0; i < n; ++i) {
    const std::string_view name = static_cast<std::size_t>(i) < names.size()
                                      ? names[i]
                                      : catalog.Copy("service-" + std::to_string(i));
    resources.push_back(values.Resource(name, static_cast<Language>(i % 3), rng, &catalog, false));
    for (int m = 0; m < static_cast<int>(std::size(kMetrics)); ++m) {
      switch (kMetrics[m].shape) {
        case Shape::kHistogram:
          // Four routes, each with its method, answered 200 and sometimes 404 or 500.
          for (int r = 0; r < 4; ++r) {
            const std::string_view noun = rng.Pick(internal::ResourceNouns());
            const std::string_view route = (Fmt() << "/api/v1/" << noun << (r % 2 ? "/{id}" : "")).In(&catalog);
            for (std::int64_t status : {200, r % 2 ? 404 : 500}) {
              AttrList a;
              a.Str("http.request.method", kRouteMethods[r]);
              a.Str("http.route", route);
              a.Int("http.response.status_code", status);
              a.Str("url.scheme", "http");
              a.Str("network.protocol.version", "1.1");
              AddSeries(i, m, a.Finish(&catalog));
            }
          }
          break;
        case Shape::kUpDownCounter:
          if (kMetrics[m].name == "process.memory.usage") {
            for (std::string_view pool : kPools) {
              AttrList a;
              a.Str("memory.pool", pool);
              AddSeries(i, m, a.Finish(&catalog));
            }
          } else if (kMetrics[m].name == "db.client.connection.count") {
            for (std::string_view state : {"idle", "used"}) {
              AttrList a;
              a.Str("db.client.connection.pool.name", "primary");
              a.Str("db.client.connection.state", state);
              AddSeries(i, m, a.Finish(&catalog));
            }
          } else {
            for (std::string_view method : {"GET", "POST"}) {
              AttrList a;
              a.Str("http.request.method", method);
              AddSeries(i, m, a.Finish(&catalog));
            }
          }
          break;
        case Shape::kExponentialHistogram:
          for (std::string_view event : kTopicEvents) {
            AttrList a;
            a.Str("messaging.system", "kafka");
            a.Str("messaging.destination.name", (Fmt() << rng.Pick(internal::ResourceNouns()) << "." << event).In(&catalog));
            AddSeries(i, m, a.Finish(&catalog));
          }
          break;
        case Shape::kCounter:
          for (std::string_view payment : kPayments) {
            AttrList a;
            a.Str("payment.method", payment);
            AddSeries(i, m, a.Finish(&catalog));
          }
          break;
        case Shape::kGauge:
        case Shape::kIntGauge:
        case Shape::kSummary:
          AddSeries(i, m, {});
          break;
      }
    }
  }
}

// What happened to a series since its last collection.
void MetricGenerator::State::Observe(Series& s) {
  const bool delta = options.temporality == AggregationTemporality::kDelta;
  switch (kMetrics[s.metric].shape) {
    case Shape::kCounter: {
      const std::int64_t added = static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(40 * s.scale) + 1));
      s.total = delta ? added : s.total + added;
      break;
    }
    case Shape::kUpDownCounter:
      s.level = std::max(0.0, s.level + (rng.Unit() - 0.45) * 20 * s.scale);
      if (kMetrics[s.metric].name == "process.memory.usage") s.level = 5e7 * s.scale + rng.Below(1u << 24);
      break;
    case Shape::kGauge:
      s.level = std::min(1.0, 0.05 + 0.6 * rng.Unit() * s.scale / 2.2);
      break;
    case Shape::kIntGauge:
      s.level = static_cast<double>(rng.Below(static_cast<std::uint64_t>(50 * s.scale) + 1));
      break;
    case Shape::kHistogram:
    case Shape::kExponentialHistogram:
    case Shape::kSummary: {
      const bool explicit_buckets = kMetrics[s.metric].shape == Shape::kHistogram;
      if (delta) {
        s.count = 0;
        s.sum = 0;
        s.zero_count = 0;
        std::fill(s.buckets.begin(), s.buckets.end(), 0);
      }
      const std::uint64_t n = rng.Below(static_cast<std::uint64_t>(60 * s.scale)) + 1;
      for (std::uint64_t k = 0; k < n; ++k) {
        // Log-uniform between 1 ms and 3 s.
        const double v = std::exp(std::log(1e-3) + rng.Unit() * (std::log(3.0) - std::log(1e-3)));
        if (s.count == 0 || v < s.min) s.min = v;
        if (s.count == 0 || v > s.max) s.max = v;
        ++s.count;
        s.sum += v;
        if (explicit_buckets) {
          const auto* bound = std::lower_bound(std::begin(kDurationBounds), std::end(kDurationBounds), v);
          ++s.buckets[static_cast<std::size_t>(bound - std::begin(kDurationBounds))];
        } else {
          // Bucket i holds (base^i, base^(i+1)], base = 2^(2^-scale).
          const auto index = static_cast<std::int32_t>(std::ceil(std::log2(v) * (1 << kExponentialScale))) - 1;
          if (s.buckets.empty()) s.offset = index;
          if (index < s.offset) {
            s.buckets.insert(s.buckets.begin(), static_cast<std::size_t>(s.offset - index), 0);
            s.offset = index;
          }
          const auto at = static_cast<std::size_t>(index - s.offset);
          if (at >= s.buckets.size()) s.buckets.resize(at + 1, 0);
          ++s.buckets[at];
        }
      }
      break;
    }
  }
}

MetricsView MetricGenerator::State::Group() {
  // Pending is in series order, which is service, then metric, order.
  std::vector<ResourceMetrics> out;
  std::size_t i = 0;
  while (i < pending.size()) {
    const int service = pending[i].service;
    std::vector<ScopeMetrics> scopes;
    while (i < pending.size() && pending[i].service == service) {
      const std::string_view scope = kMetrics[pending[i].metric].scope;
      std::vector<Metric> metrics;
      while (i < pending.size() && pending[i].service == service && kMetrics[pending[i].metric].scope == scope) {
        const int m = pending[i].metric;
        std::size_t end = i;
        while (end < pending.size() && pending[end].service == service && pending[end].metric == m) ++end;
        const MetricDef& def = kMetrics[m];
        const bool delta = options.temporality == AggregationTemporality::kDelta;
        Metric metric;
        metric.name = def.name;
        metric.description = def.description;
        metric.unit = def.unit;
        const std::uint64_t now = Now();
        const std::uint64_t previous = now - options.interval_unix_nano;
        auto start_of = [&](const Series& s) { return delta ? previous : options.start_unix_nano + s.start; };
        switch (def.shape) {
          case Shape::kCounter:
          case Shape::kUpDownCounter:
          case Shape::kGauge:
          case Shape::kIntGauge: {
            std::span<NumberDataPoint> points = batch.Make<NumberDataPoint>(end - i);
            for (std::size_t k = i; k < end; ++k) {
              const Series& s = series[pending[k].series];
              NumberDataPoint& p = points[k - i];
              p.attributes = s.attributes;
              p.time_unix_nano = now;
              if (def.shape == Shape::kGauge) {
                p.value = NumberValue::Double(s.level);
              } else if (def.shape == Shape::kIntGauge || def.shape == Shape::kUpDownCounter) {
                p.value = NumberValue::Int(static_cast<std::int64_t>(s.level));
              } else {
                p.value = NumberValue::Int(s.total);
              }
              if (def.shape == Shape::kCounter || def.shape == Shape::kUpDownCounter) {
                p.start_time_unix_nano = start_of(s);
              }
            }
            metric.number_points = points;
            if (def.shape == Shape::kGauge || def.shape == Shape::kIntGauge) {
              metric.kind = MetricKind::kGauge;
            } else {
              metric.kind = MetricKind::kSum;
              metric.monotonic = def.shape == Shape::kCounter;
              // Up-down counters are cumulative whatever the preference, as the SDKs do.
              metric.temporality = def.shape == Shape::kCounter ? options.temporality
                                                                : AggregationTemporality::kCumulative;
            }
            break;
          }
          case Shape::kHistogram: {
            std::span<HistogramDataPoint> points = batch.Make<HistogramDataPoint>(end - i);
            for (std::size_t k = i; k < end; ++k) {
              const Series& s = series[pending[k].series];
              HistogramDataPoint& p = points[k - i];
              p.attributes = s.attributes;
              p.start_time_unix_nano = start_of(s);
              p.time_unix_nano = now;
              p.count = s.count;
              p.sum = s.sum;
              if (s.count > 0) {
                p.min = s.min;
                p.max = s.max;
              }
              p.bucket_counts = batch.Copy(std::span<const std::uint64_t>(s.buckets));
              p.explicit_bounds = kDurationBounds;
            }
            metric.kind = MetricKind::kHistogram;
            metric.temporality = options.temporality;
            metric.histogram_points = points;
            break;
          }
          case Shape::kExponentialHistogram: {
            std::span<ExponentialHistogramDataPoint> points = batch.Make<ExponentialHistogramDataPoint>(end - i);
            for (std::size_t k = i; k < end; ++k) {
              const Series& s = series[pending[k].series];
              ExponentialHistogramDataPoint& p = points[k - i];
              p.attributes = s.attributes;
              p.start_time_unix_nano = start_of(s);
              p.time_unix_nano = now;
              p.count = s.count;
              p.sum = s.sum;
              if (s.count > 0) {
                p.min = s.min;
                p.max = s.max;
              }
              p.scale = kExponentialScale;
              p.zero_count = s.zero_count;
              p.positive.offset = s.offset;
              p.positive.bucket_counts = batch.Copy(std::span<const std::uint64_t>(s.buckets));
            }
            metric.kind = MetricKind::kExponentialHistogram;
            metric.temporality = options.temporality;
            metric.exponential_histogram_points = points;
            break;
          }
          case Shape::kSummary: {
            std::span<SummaryDataPoint> points = batch.Make<SummaryDataPoint>(end - i);
            for (std::size_t k = i; k < end; ++k) {
              const Series& s = series[pending[k].series];
              SummaryDataPoint& p = points[k - i];
              p.attributes = s.attributes;
              p.start_time_unix_nano = start_of(s);
              p.time_unix_nano = now;
              p.count = s.count;
              p.sum = s.sum * 1000;
              std::span<ValueAtQuantile> q = batch.Make<ValueAtQuantile>(std::size(kQuantiles));
              for (std::size_t j = 0; j < q.size(); ++j) {
                q[j].quantile = kQuantiles[j];
                q[j].value = 1000 * (s.min + (s.max - s.min) * kQuantiles[j] * kQuantiles[j]);
              }
              p.quantile_values = q;
            }
            metric.kind = MetricKind::kSummary;
            metric.summary_points = points;
            break;
          }
        }
        metrics.push_back(metric);
        i = end;
      }
      ScopeMetrics sm;
      sm.scope.name = scope;
      sm.scope.version = "1.32.0";
      sm.metrics = batch.Copy(std::span<const Metric>(metrics));
      scopes.push_back(sm);
    }
    ResourceMetrics rm;
    rm.resource.attributes = resources[static_cast<std::size_t>(service)];
    rm.scope_metrics = batch.Copy(std::span<const ScopeMetrics>(scopes));
    rm.schema_url = "https://opentelemetry.io/schemas/1.21.0";
    out.push_back(rm);
  }
  return batch.Copy(std::span<const ResourceMetrics>(out));
}

MetricGenerator::MetricGenerator(MetricGeneratorOptions options) : state_(std::make_unique<State>(options)) {
  if (state_->options.start_unix_nano == 0) state_->options.start_unix_nano = kDefaultStartUnixNano;
  if (state_->options.interval_unix_nano == 0) state_->options.interval_unix_nano = 10'000'000'000ULL;
  state_->BuildCatalog();
}

MetricGenerator::~MetricGenerator() = default;

std::size_t MetricGenerator::series() const { return state_->series.size(); }

MetricsView MetricGenerator::Next(std::size_t n) {
  State& st = *state_;
  st.batch.Reset();
  std::vector<ResourceMetrics> parts;
  // A batch that wraps past the last series ends one collection and starts
  // the next: each part is grouped with its own collection time.
  st.pending.clear();
  for (std::size_t k = 0; k < n; ++k) {
    Series& s = st.series[st.next];
    st.Observe(s);
    st.pending.push_back({s.service, s.metric, st.next});
    if (++st.next == st.series.size()) {
      MetricsView v = st.Group();
      parts.insert(parts.end(), v.begin(), v.end());
      st.pending.clear();
      st.next = 0;
      ++st.collection;
    }
  }
  if (!st.pending.empty()) {
    MetricsView v = st.Group();
    parts.insert(parts.end(), v.begin(), v.end());
  }
  return st.batch.Copy(std::span<const ResourceMetrics>(parts));
}

}  // namespace otelpack::loadgen
