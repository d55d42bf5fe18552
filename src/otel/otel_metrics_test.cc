// The OpenTelemetry C++ SDK's metrics with otelpack's metric exporter,
// against the real sink: every instrument kind, collected by the SDK's
// PeriodicExportingMetricReader, arrives as the documented metric events
// (docs/wire-protocol.md "Metric event"), cumulative and delta.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "opentelemetry/metrics/async_instruments.h"
#include "opentelemetry/metrics/observer_result.h"
#include "opentelemetry/sdk/metrics/export/periodic_exporting_metric_reader_factory.h"
#include "opentelemetry/sdk/metrics/export/periodic_exporting_metric_reader_options.h"
#include "opentelemetry/sdk/metrics/meter_provider.h"
#include "opentelemetry/sdk/metrics/meter_provider_factory.h"
#include "opentelemetry/sdk/metrics/view/instrument_selector_factory.h"
#include "opentelemetry/sdk/metrics/view/meter_selector_factory.h"
#include "opentelemetry/sdk/metrics/view/view_factory.h"
#include "opentelemetry/sdk/metrics/view/view_registry.h"
#include "otel/testing/sdk_test_util.h"
#include "otelpack/otel/metric_exporter.h"
#include "otelpack/otel/pipeline.h"
#include "sink/sink.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
namespace metrics_api = opentelemetry::metrics;
namespace metrics_sdk = opentelemetry::sdk::metrics;
using opentelemetry::sdk::common::ExportResult;
using namespace std::chrono_literals;

using namespace otelpack::otel::testing;  // the SDK tests' helpers
using otelpack::testing::ExporterOptionsFor;
using otelpack::testing::StartTestSink;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A MeterProvider whose PeriodicExportingMetricReader has otelpack's exporter
// on its own pipeline to the real sink; it exports only when Collect() asks
// (ForceFlush), so each collection is one the test chose.
class MetricsHarness {
 public:
  explicit MetricsHarness(const MetricExporterOptions& options = {}) : sink_(StartTestSink()) {
    auto pipeline = Pipeline::Create(ExporterOptionsFor(*sink_));
    EXPECT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    pipeline_ = *pipeline;
    auto exporter = OtelpackMetricExporter::Create(pipeline_, options);
    exporter_ = exporter.get();
    provider_ = metrics_sdk::MeterProviderFactory::Create(std::make_unique<metrics_sdk::ViewRegistry>(),
                                                          Service("checkout"));
    metrics_sdk::PeriodicExportingMetricReaderOptions reader;
    reader.export_interval_millis = std::chrono::milliseconds(3'600'000);
    reader.export_timeout_millis = std::chrono::milliseconds(10'000);
    provider_->AddMetricReader(metrics_sdk::PeriodicExportingMetricReaderFactory::Create(std::move(exporter), reader));
    // The reader's thread collects once as it starts: let that collection
    // (of nothing yet) pass, so that every later one is the test's.
    EXPECT_TRUE(provider_->ForceFlush(10s));
  }

  metrics_sdk::MeterProvider& provider() { return *provider_; }
  nostd::shared_ptr<metrics_api::Meter> meter() { return provider_->GetMeter("lib", "1.0"); }
  OtelpackMetricExporter& exporter() { return *exporter_; }
  Pipeline& pipeline() { return *pipeline_; }
  sink::Sink& sink() { return *sink_; }

  // One collection, delivered; then every metric event stored so far.
  StoredEvents Collect() {
    EXPECT_TRUE(provider_->ForceFlush(10s));
    return StoredEvents(*sink_, "metric");
  }

 private:
  std::unique_ptr<sink::Sink> sink_;
  std::shared_ptr<Pipeline> pipeline_;
  OtelpackMetricExporter* exporter_ = nullptr;
  std::unique_ptr<metrics_sdk::MeterProvider> provider_;
};

// The one event of `name` whose attribute `key` is `value`.
simdjson::dom::element Point(const StoredEvents& events, std::string_view name, std::string_view key = {},
                             std::string_view value = {}) {
  std::vector<simdjson::dom::element> found;
  for (const auto& e : events.All("name", name)) {
    if (key.empty() || std::string_view(e["attributes"][key]) == value) found.push_back(e);
  }
  EXPECT_EQ(found.size(), 1u) << name << " " << key << "=" << value;
  return found.at(0);
}

bool IsInt(simdjson::dom::element e) { return e.type() == simdjson::dom::element_type::INT64; }
bool IsDouble(simdjson::dom::element e) { return e.type() == simdjson::dom::element_type::DOUBLE; }

void ObserveTemperature(metrics_api::ObserverResult result, void*) {
  nostd::get<nostd::shared_ptr<metrics_api::ObserverResultT<std::int64_t>>>(result)->Observe(21, {{"room", "a"}});
}
void ObserveLoad(metrics_api::ObserverResult result, void*) {
  nostd::get<nostd::shared_ptr<metrics_api::ObserverResultT<double>>>(result)->Observe(0.75);
}
void ObserveCpuTime(metrics_api::ObserverResult result, void*) {
  nostd::get<nostd::shared_ptr<metrics_api::ObserverResultT<std::int64_t>>>(result)->Observe(1000);
}
void ObserveQueueDepth(metrics_api::ObserverResult result, void*) {
  nostd::get<nostd::shared_ptr<metrics_api::ObserverResultT<double>>>(result)->Observe(4.5);
}

TEST(OtelSdkMetricsTest, EveryInstrumentKindArrivesAsTheMetricEventCumulativeByDefault) {
  MetricsHarness h;
  // An exponential histogram and a dropped instrument, by views.
  h.provider().AddView(
      metrics_sdk::InstrumentSelectorFactory::Create(metrics_sdk::InstrumentType::kHistogram, "exp.latency", "s"),
      metrics_sdk::MeterSelectorFactory::Create("", "", ""),
      metrics_sdk::ViewFactory::Create("exp.latency", "", metrics_sdk::AggregationType::kBase2ExponentialHistogram));
  h.provider().AddView(
      metrics_sdk::InstrumentSelectorFactory::Create(metrics_sdk::InstrumentType::kCounter, "dropped", ""),
      metrics_sdk::MeterSelectorFactory::Create("", "", ""),
      metrics_sdk::ViewFactory::Create("dropped", "", metrics_sdk::AggregationType::kDrop));
  const std::int64_t before = NowMs();
  auto meter = h.meter();

  auto requests = meter->CreateUInt64Counter("requests", "requests served", "{request}");
  requests->Add(3, {{"route", "/a"}});
  requests->Add(2, {{"route", "/a"}});
  requests->Add(1, {{"route", "/b"}});
  auto bytes = meter->CreateDoubleCounter("bytes", "", "By");
  bytes->Add(1.5);
  auto inflight = meter->CreateInt64UpDownCounter("inflight");
  inflight->Add(5);
  inflight->Add(-2);
  auto balance = meter->CreateDoubleUpDownCounter("balance");
  balance->Add(-0.5);
  auto latency = meter->CreateDoubleHistogram("latency", "", "s");
  for (double v : {0.01, 0.2, 7.0}) latency->Record(v, opentelemetry::context::Context{});
  auto sizes = meter->CreateUInt64Histogram("sizes", "", "By");
  sizes->Record(100, opentelemetry::context::Context{});
  auto exp_latency = meter->CreateDoubleHistogram("exp.latency", "", "s");
  for (double v : {0.0, 1.0, 2.0, 4.0}) exp_latency->Record(v, opentelemetry::context::Context{});
  auto dropped = meter->CreateUInt64Counter("dropped");
  dropped->Add(1);
  auto temperature = meter->CreateInt64ObservableGauge("temperature", "", "Cel");
  temperature->AddCallback(ObserveTemperature, nullptr);
  auto load = meter->CreateDoubleObservableGauge("load");
  load->AddCallback(ObserveLoad, nullptr);
  auto cpu_time = meter->CreateInt64ObservableCounter("cpu.time", "", "ms");
  cpu_time->AddCallback(ObserveCpuTime, nullptr);
  auto queue_depth = meter->CreateDoubleObservableUpDownCounter("queue.depth");
  queue_depth->AddCallback(ObserveQueueDepth, nullptr);

  const StoredEvents events = h.Collect();
  const std::int64_t after = NowMs();
  // Every event: the documented head; a point has its collection's times.
  for (const auto& e : events) {
    EXPECT_EQ(std::string_view(e["type"]), "metric");
    EXPECT_EQ(std::string_view(e["service"]), "checkout");
    EXPECT_GE(std::int64_t(e["timestamp_ms"]), before);
    EXPECT_LE(std::int64_t(e["timestamp_ms"]), after);
    // Cumulative points start when the provider started; the SDK's OTLP
    // exporter gives gauges the same start time.
    EXPECT_LE(std::int64_t(e["start_time_ms"]), std::int64_t(e["timestamp_ms"]));
    EXPECT_GE(std::int64_t(e["start_time_ms"]), before - 1000);
  }
  EXPECT_EQ(events.size(), 12u) << "one event per data point; the dropped instrument has none";
  EXPECT_TRUE(events.All("name", "dropped").empty());

  simdjson::dom::element a = Point(events, "requests", "route", "/a");
  EXPECT_EQ(std::string_view(a["kind"]), "sum");
  EXPECT_EQ(std::string_view(a["unit"]), "{request}");
  EXPECT_EQ(std::int64_t(a["value"]), 5);
  EXPECT_TRUE(IsInt(a["value"]));
  EXPECT_EQ(bool(a["monotonic"]), true);
  EXPECT_EQ(std::string_view(a["temporality"]), "cumulative");
  EXPECT_EQ(Fields(a["attributes"]), 1u);
  EXPECT_EQ(Fields(a), 11u) << "type, service, name, unit, kind, times, attributes, value, monotonic, temporality";
  EXPECT_EQ(std::int64_t(Point(events, "requests", "route", "/b")["value"]), 1);

  simdjson::dom::element b = Point(events, "bytes");
  EXPECT_EQ(double(b["value"]), 1.5);
  EXPECT_TRUE(IsDouble(b["value"]));
  EXPECT_EQ(Fields(b["attributes"]), 0u);

  simdjson::dom::element up_down = Point(events, "inflight");
  EXPECT_EQ(std::string_view(up_down["kind"]), "sum");
  EXPECT_EQ(std::int64_t(up_down["value"]), 3);
  EXPECT_EQ(bool(up_down["monotonic"]), false);
  EXPECT_EQ(std::string_view(up_down["temporality"]), "cumulative");
  EXPECT_EQ(double(Point(events, "balance")["value"]), -0.5);
  EXPECT_EQ(bool(Point(events, "balance")["monotonic"]), false);

  simdjson::dom::element hist = Point(events, "latency");
  EXPECT_EQ(std::string_view(hist["kind"]), "histogram");
  EXPECT_EQ(std::string_view(hist["temporality"]), "cumulative");
  EXPECT_EQ(std::int64_t(hist["count"]), 3);
  EXPECT_NEAR(double(hist["sum"]), 7.21, 1e-9);
  EXPECT_EQ(double(hist["min"]), 0.01);
  EXPECT_EQ(double(hist["max"]), 7.0);
  // OTLP's own buckets, each counting its own values; the last one +Inf.
  std::int64_t total = 0;
  double previous = -INFINITY;
  simdjson::dom::array buckets = hist["buckets"];
  ASSERT_GT(buckets.size(), 2u);
  for (simdjson::dom::element bucket : buckets) {
    const std::int64_t n = std::int64_t(bucket["count"]);
    total += n;
    if (bucket["le"].is_null()) {
      EXPECT_EQ(n, 0);
      continue;
    }
    const double le = double(bucket["le"]);
    std::int64_t want = 0;
    for (double v : {0.01, 0.2, 7.0}) want += v > previous && v <= le;
    EXPECT_EQ(n, want) << "bucket le " << le;
    previous = le;
  }
  EXPECT_EQ(total, 3);
  EXPECT_TRUE(buckets.at(buckets.size() - 1)["le"].is_null());
  simdjson::dom::element int_hist = Point(events, "sizes");
  EXPECT_EQ(double(int_hist["sum"]), 100.0) << "an int histogram's sum is a number";
  EXPECT_EQ(double(int_hist["min"]), 100.0);

  simdjson::dom::element exp = Point(events, "exp.latency");
  EXPECT_EQ(std::string_view(exp["kind"]), "exponential_histogram");
  EXPECT_EQ(std::string_view(exp["temporality"]), "cumulative");
  EXPECT_EQ(std::int64_t(exp["count"]), 4);
  EXPECT_EQ(double(exp["sum"]), 7.0);
  EXPECT_EQ(double(exp["min"]), 0.0);
  EXPECT_EQ(double(exp["max"]), 4.0);
  EXPECT_EQ(std::int64_t(exp["zero_count"]), 1);
  const std::int64_t scale = std::int64_t(exp["scale"]);
  const std::int64_t offset = std::int64_t(exp["positive"]["offset"]);
  simdjson::dom::array counts = exp["positive"]["bucket_counts"];
  std::int64_t positive = 0;
  for (simdjson::dom::element c : counts) positive += std::int64_t(c);
  EXPECT_EQ(positive, 3);
  // Each value in its bucket: index i holds (base^i, base^(i+1)], base = 2^(2^-scale).
  for (double v : {1.0, 2.0, 4.0}) {
    const double base_exponent = std::log2(v) * std::ldexp(1.0, static_cast<int>(scale));  // log_base(v)
    const auto index = static_cast<std::int64_t>(std::ceil(base_exponent)) - 1;
    ASSERT_GE(index - offset, 0) << v;
    ASSERT_LT(static_cast<std::size_t>(index - offset), counts.size()) << v;
    EXPECT_GE(std::int64_t(counts.at(static_cast<std::size_t>(index - offset))), 1) << v;
  }
  EXPECT_EQ(simdjson::dom::array(exp["negative"]["bucket_counts"]).size(), 0u);

  simdjson::dom::element gauge = Point(events, "temperature");
  EXPECT_EQ(std::string_view(gauge["kind"]), "gauge");
  EXPECT_EQ(std::int64_t(gauge["value"]), 21);
  EXPECT_TRUE(IsInt(gauge["value"]));
  EXPECT_EQ(std::string_view(gauge["attributes"]["room"]), "a");
  EXPECT_TRUE(gauge["temporality"].error() == simdjson::NO_SUCH_FIELD) << "a gauge has no temporality";
  EXPECT_EQ(double(Point(events, "load")["value"]), 0.75);

  simdjson::dom::element cpu = Point(events, "cpu.time");
  EXPECT_EQ(std::string_view(cpu["kind"]), "sum");
  EXPECT_EQ(std::int64_t(cpu["value"]), 1000);
  EXPECT_EQ(bool(cpu["monotonic"]), true);
  simdjson::dom::element depth = Point(events, "queue.depth");
  EXPECT_EQ(double(depth["value"]), 4.5);
  EXPECT_EQ(bool(depth["monotonic"]), false);

  const ExporterStats stats = h.pipeline().Stats();
  EXPECT_EQ(stats.metrics.received, 12u);
  EXPECT_EQ(stats.metrics.sent, 12u);
}

TEST(OtelSdkMetricsTest, DeltaCountsEachIntervalAndKeepsUpDownCountersCumulative) {
  MetricsHarness h({.temporality = MetricTemporality::kDelta});
  auto meter = h.meter();
  auto requests = meter->CreateUInt64Counter("requests");
  auto inflight = meter->CreateInt64UpDownCounter("inflight");
  auto latency = meter->CreateDoubleHistogram("latency");

  requests->Add(5);
  inflight->Add(5);
  latency->Record(1.0, opentelemetry::context::Context{});
  latency->Record(2.0, opentelemetry::context::Context{});
  const StoredEvents first = h.Collect();
  ASSERT_EQ(first.size(), 3u);

  requests->Add(2);
  inflight->Add(-2);
  latency->Record(4.0, opentelemetry::context::Context{});
  const StoredEvents both = h.Collect();
  ASSERT_EQ(both.size(), 6u);

  const auto req = both.All("name", "requests");
  ASSERT_EQ(req.size(), 2u);
  EXPECT_EQ(std::string_view(req[0]["temporality"]), "delta");
  EXPECT_EQ(std::int64_t(req[0]["value"]), 5);
  EXPECT_EQ(std::int64_t(req[1]["value"]), 2) << "the second interval alone";
  // Each delta interval starts where the one before ended.
  EXPECT_GE(std::int64_t(req[1]["start_time_ms"]), std::int64_t(req[0]["timestamp_ms"]) - 1);
  EXPECT_LE(std::int64_t(req[1]["start_time_ms"]), std::int64_t(req[1]["timestamp_ms"]));

  const auto up_down = both.All("name", "inflight");
  ASSERT_EQ(up_down.size(), 2u);
  EXPECT_EQ(std::string_view(up_down[1]["temporality"]), "cumulative");
  EXPECT_EQ(std::int64_t(up_down[1]["value"]), 3);

  const auto hist = both.All("name", "latency");
  ASSERT_EQ(hist.size(), 2u);
  EXPECT_EQ(std::string_view(hist[1]["temporality"]), "delta");
  EXPECT_EQ(std::int64_t(hist[0]["count"]), 2);
  EXPECT_EQ(std::int64_t(hist[1]["count"]), 1);
  EXPECT_EQ(double(hist[1]["sum"]), 4.0);
  EXPECT_EQ(double(hist[1]["min"]), 4.0);
}

TEST(OtelSdkMetricsTest, TemporalityByPreferenceOrSelector) {
  using T = metrics_sdk::AggregationTemporality;
  using I = metrics_sdk::InstrumentType;
  struct Want {
    I type;
    T cumulative, delta, low_memory;
  };
  const Want wants[] = {
      {I::kCounter, T::kCumulative, T::kDelta, T::kDelta},
      {I::kHistogram, T::kCumulative, T::kDelta, T::kDelta},
      {I::kUpDownCounter, T::kCumulative, T::kCumulative, T::kCumulative},
      {I::kObservableCounter, T::kCumulative, T::kDelta, T::kCumulative},
      {I::kObservableGauge, T::kCumulative, T::kDelta, T::kCumulative},
      {I::kObservableUpDownCounter, T::kCumulative, T::kCumulative, T::kCumulative},
      {I::kGauge, T::kCumulative, T::kDelta, T::kCumulative},
  };
  ExporterOptions o;
  o.endpoint = "http://127.0.0.1:9";  // never reached: nothing is exported
  o.project_id = "p";
  o.auth.api_key = "k";
  auto pipeline = Pipeline::Create(o);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  auto cumulative = OtelpackMetricExporter::Create(*pipeline);
  auto delta = OtelpackMetricExporter::Create(*pipeline, {.temporality = MetricTemporality::kDelta});
  auto low_memory = OtelpackMetricExporter::Create(*pipeline, {.temporality = MetricTemporality::kLowMemory});
  auto chosen = OtelpackMetricExporter::Create(
      *pipeline, {.temporality = MetricTemporality::kDelta,
                  .temporality_selector = [](I type) { return type == I::kHistogram ? T::kDelta : T::kCumulative; }});
  for (const Want& w : wants) {
    EXPECT_EQ(cumulative->GetAggregationTemporality(w.type), w.cumulative) << static_cast<int>(w.type);
    EXPECT_EQ(delta->GetAggregationTemporality(w.type), w.delta) << static_cast<int>(w.type);
    EXPECT_EQ(low_memory->GetAggregationTemporality(w.type), w.low_memory) << static_cast<int>(w.type);
    EXPECT_EQ(chosen->GetAggregationTemporality(w.type), w.type == I::kHistogram ? T::kDelta : T::kCumulative);
  }
}

// Point data the SDK's API cannot be made to produce, through the exporter
// straight: a gauge whose value the SDK marks not valid, a histogram without
// min and max, a dropped point among others.
TEST(OtelSdkMetricsTest, InvalidGaugeValuesAndHistogramsWithoutMinMax) {
  MetricsHarness h;
  const auto resource = Service("checkout");
  auto scope = opentelemetry::sdk::instrumentationscope::InstrumentationScope::Create("lib", "1.0");
  metrics_sdk::MetricData gauge;
  gauge.instrument_descriptor = {"stale", "", "1", metrics_sdk::InstrumentType::kObservableGauge,
                                 metrics_sdk::InstrumentValueType::kDouble};
  gauge.aggregation_temporality = metrics_sdk::AggregationTemporality::kCumulative;
  gauge.start_ts = opentelemetry::common::SystemTimestamp(std::chrono::nanoseconds(1'700'000'000'000'000'000));
  gauge.end_ts = opentelemetry::common::SystemTimestamp(std::chrono::nanoseconds(1'700'000'060'000'000'000));
  metrics_sdk::LastValuePointData invalid;
  invalid.value_ = 1.0;
  invalid.is_lastvalue_valid_ = false;
  gauge.point_data_attr_.push_back({{{"k", std::string("invalid")}}, invalid});
  metrics_sdk::LastValuePointData valid;
  valid.value_ = std::int64_t{7};
  valid.is_lastvalue_valid_ = true;
  gauge.point_data_attr_.push_back({{{"k", std::string("valid")}}, valid});
  gauge.point_data_attr_.push_back({{{"k", std::string("dropped")}}, metrics_sdk::DropPointData{}});

  metrics_sdk::MetricData hist;
  hist.instrument_descriptor = {"no.minmax", "", "s", metrics_sdk::InstrumentType::kHistogram,
                                metrics_sdk::InstrumentValueType::kDouble};
  hist.aggregation_temporality = metrics_sdk::AggregationTemporality::kDelta;
  hist.start_ts = gauge.start_ts;
  hist.end_ts = gauge.end_ts;
  metrics_sdk::HistogramPointData h1({1.0, 2.0});
  h1.counts_ = {1, 0, 2};
  h1.count_ = 3;
  h1.sum_ = 9.5;
  h1.record_min_max_ = false;
  hist.point_data_attr_.push_back({{}, h1});

  metrics_sdk::ResourceMetrics data;
  data.resource_ = &resource;
  data.scope_metric_data_.push_back(
      metrics_sdk::ScopeMetrics(scope.get(), std::vector<metrics_sdk::MetricData>{gauge, hist}));
  ASSERT_EQ(h.exporter().Export(data), ExportResult::kSuccess);
  ASSERT_TRUE(h.exporter().ForceFlush());

  const StoredEvents events(h.sink(), "metric");
  ASSERT_EQ(events.size(), 3u) << "the dropped point is not an event";
  simdjson::dom::element stale = Point(events, "stale", "k", "invalid");
  EXPECT_TRUE(stale["value"].is_null()) << "flagged: no recorded value";
  EXPECT_EQ(std::int64_t(stale["timestamp_ms"]), 1'700'000'060'000);
  EXPECT_EQ(std::int64_t(stale["start_time_ms"]), 1'700'000'000'000);
  EXPECT_EQ(std::int64_t(Point(events, "stale", "k", "valid")["value"]), 7);
  simdjson::dom::element no_minmax = Point(events, "no.minmax");
  EXPECT_EQ(std::string_view(no_minmax["temporality"]), "delta");
  EXPECT_TRUE(no_minmax["min"].is_null());
  EXPECT_TRUE(no_minmax["max"].is_null());
  EXPECT_EQ(double(no_minmax["sum"]), 9.5);
  simdjson::dom::array buckets = no_minmax["buckets"];
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(double(buckets.at(1)["le"]), 2.0);
  EXPECT_EQ(std::int64_t(buckets.at(2)["count"]), 2);
}

TEST(OtelSdkMetricsTest, ShutdownAfterAFlushLosesNothingAndLaterExportsFail) {
  MetricsHarness h;
  auto meter = h.meter();
  auto requests = meter->CreateUInt64Counter("requests");
  for (int i = 0; i < 100; ++i) requests->Add(1, {{"route", "/r" + std::to_string(i % 10)}});
  // The SDK's Shutdown does not collect: what was recorded since the last
  // collection goes with a ForceFlush first.
  ASSERT_TRUE(h.provider().ForceFlush());
  ASSERT_TRUE(h.provider().Shutdown());
  EXPECT_EQ(h.pipeline().attached(), 0);
  const StoredEvents events(h.sink(), "metric");
  ASSERT_EQ(events.size(), 10u);
  std::int64_t total = 0;
  for (const auto& e : events) total += std::int64_t(e["value"]);
  EXPECT_EQ(total, 100);
  EXPECT_EQ(h.pipeline().Stats().metrics.sent, 10u);
  EXPECT_EQ(h.pipeline().Stats().metrics.dropped(), 0u);

  metrics_sdk::ResourceMetrics empty;
  EXPECT_EQ(h.exporter().Export(empty), ExportResult::kFailure) << "after Shutdown";
  EXPECT_TRUE(h.exporter().Shutdown()) << "idempotent";
}

}  // namespace
}  // namespace otelpack::otel
