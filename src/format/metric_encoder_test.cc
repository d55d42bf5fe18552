// Tests for MetricEncoder: every field of docs/wire-protocol.md's metric
// event for every kind, read back with simdjson, for ordinary input, points
// the agent would have refused, and hostile strings; one point at a time and
// as whole batches.
#include "format/metric_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "format/envelope.h"
#include "format/testing/event_checks.h"
#include "format/testing/sample_signals.h"
#include "format/testing/whole_body.h"

namespace otelpack {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
using testing::Contains;
using testing::Keys;
using testing::Str;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::string> MetricKeys(std::initializer_list<const char*> kind_fields) {
  std::vector<std::string> keys = {"type",         "service",       "name",      "unit",
                                   "kind",         "timestamp_ms",  "start_time_ms", "attributes"};
  for (const char* k : kind_fields) keys.emplace_back(k);
  return keys;
}

const std::vector<std::string> kGaugeKeys = MetricKeys({"value"});
const std::vector<std::string> kSumKeys = MetricKeys({"value", "monotonic", "temporality"});
const std::vector<std::string> kHistogramKeys = MetricKeys({"temporality", "count", "sum", "min", "max", "buckets"});
const std::vector<std::string> kExponentialKeys =
    MetricKeys({"temporality", "count", "sum", "min", "max", "scale", "zero_count", "zero_threshold", "positive",
                "negative"});
const std::vector<std::string> kSummaryKeys = MetricKeys({"count", "sum", "quantiles"});

class MetricEncoderTest : public ::testing::Test {
 protected:
  MetricEncoderTest() {
    resource_attrs_ = {{"service.name", AnyValue::String("checkout")}, {"host.name", AnyValue::String("ip-1")}};
    resource_.attributes = resource_attrs_;
    attrs_ = {{"http.route", AnyValue::String("/api/pay")}, {"http.response.status_code", AnyValue::Int(200)}};
    metric_.name = "http.server.request.duration";
    metric_.unit = "s";
    metric_.temporality = AggregationTemporality::kCumulative;
  }

  // One point of `metric_` (of the point's kind) as JSON, with a fresh encoder.
  template <typename Point>
  std::string Encode(MetricKind kind, const Point& point, ExtraFields extra = {}) {
    MetricEncoder enc(extra);
    enc.BeginResource(resource_);
    enc.BeginScope(scope_);
    metric_.kind = kind;
    enc.BeginMetric(metric_);
    Buffer out;
    enc.AppendDataPoint(point, &out);
    return std::string(out.view());
  }

  object Parse(const std::string& json) { return testing::ParseObject(parser_, json); }

  NumberDataPoint Number(NumberValue v) {
    NumberDataPoint p;
    p.attributes = attrs_;
    p.start_time_unix_nano = 1'732'480'000'000'000'000ULL;
    p.time_unix_nano = 1'732'480'060'000'999'999ULL;
    p.value = v;
    return p;
  }

  simdjson::dom::parser parser_;
  std::vector<KeyValue> resource_attrs_, attrs_;
  Resource resource_;
  InstrumentationScope scope_{"io.opentelemetry.tomcat", "2.9.0", {}, 0};
  Metric metric_;
};

TEST_F(MetricEncoderTest, GaugeWritesEveryFieldInOrder) {
  NumberDataPoint p = Number(NumberValue::Int(42));
  p.start_time_unix_nano = 0;  // usual for gauges
  const std::string json = Encode(MetricKind::kGauge, p);
  EXPECT_EQ(json,
            "{\"type\":\"metric\",\"service\":\"checkout\",\"name\":\"http.server.request.duration\",\"unit\":\"s\","
            "\"kind\":\"gauge\",\"timestamp_ms\":1732480060000,\"start_time_ms\":null,"
            "\"attributes\":{\"http.route\":\"/api/pay\",\"http.response.status_code\":200},\"value\":42}");
  EXPECT_EQ(Keys(Parse(json)), kGaugeKeys);
}

TEST_F(MetricEncoderTest, SumWritesMonotonicAndEveryTemporality) {
  const std::pair<AggregationTemporality, const char*> cases[] = {
      {AggregationTemporality::kDelta, "delta"},
      {AggregationTemporality::kCumulative, "cumulative"},
      {AggregationTemporality::kUnspecified, "unspecified"},
      {static_cast<AggregationTemporality>(7), "unspecified"},  // out of range
  };
  for (const auto& [temporality, name] : cases) {
    for (bool monotonic : {false, true}) {
      metric_.temporality = temporality;
      metric_.monotonic = monotonic;
      object o = Parse(Encode(MetricKind::kSum, Number(NumberValue::Double(2.5))));
      EXPECT_EQ(Keys(o), kSumKeys);
      EXPECT_EQ(Str(o["kind"]), "sum");
      EXPECT_EQ(o["start_time_ms"].get_int64().value(), 1'732'480'000'000);
      EXPECT_EQ(o["timestamp_ms"].get_int64().value(), 1'732'480'060'000);
      EXPECT_EQ(o["value"].get_double().value(), 2.5);
      EXPECT_EQ(o["monotonic"].get_bool().value(), monotonic);
      EXPECT_EQ(Str(o["temporality"]), name);
    }
  }
  // A gauge's number point carries neither, even when the metric says monotonic.
  metric_.monotonic = true;
  EXPECT_EQ(Keys(Parse(Encode(MetricKind::kGauge, Number(NumberValue::Int(1))))), kGaugeKeys);
}

TEST_F(MetricEncoderTest, IntegersStayIntegersAndDoublesDoubles) {
  const std::pair<NumberValue, const char*> cases[] = {
      {NumberValue::Int(42), "42"},
      {NumberValue::Int(0), "0"},
      {NumberValue::Int(-7), "-7"},
      {NumberValue::Int(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808"},
      {NumberValue::Int(std::numeric_limits<std::int64_t>::max()), "9223372036854775807"},
      {NumberValue::Double(3.0), "3.0"},
      {NumberValue::Double(0.5), "0.5"},
      {NumberValue::Double(-0.0), "-0.0"},
      {NumberValue::Double(0.1), "0.1"},
      {NumberValue::Double(1e300), "1e+300"},
      {NumberValue::Double(5e-324), "5e-324"},
      {NumberValue::Double(kNaN), "null"},
      {NumberValue::Double(kInf), "null"},
      {NumberValue::Double(-kInf), "null"},
  };
  for (const auto& [value, text] : cases) {
    const std::string json = Encode(MetricKind::kGauge, Number(value));
    EXPECT_TRUE(Contains(json, std::string(",\"value\":") + text + "}"));
    object o = Parse(json);
    if (value.type == NumberValue::Type::kInt) {
      EXPECT_TRUE(o["value"].is_int64()) << json;
    } else if (std::isfinite(value.as_double)) {
      EXPECT_TRUE(o["value"].is_double()) << json;
      EXPECT_EQ(o["value"].get_double().value(), value.as_double);
    }
  }
}

TEST_F(MetricEncoderTest, NoRecordedValueIsNull) {
  for (NumberValue v : {NumberValue::Int(5), NumberValue::Double(5.5), NumberValue{}}) {
    NumberDataPoint p = Number(v);
    p.flags = kDataPointNoRecordedValue;
    object o = Parse(Encode(MetricKind::kSum, p));
    EXPECT_EQ(Keys(o), kSumKeys);
    EXPECT_TRUE(o["value"].is_null());
  }
  // No value and no flag (refused by the agent): still a valid event, null.
  object o = Parse(Encode(MetricKind::kGauge, Number(NumberValue{})));
  EXPECT_EQ(Keys(o), kGaugeKeys);
  EXPECT_TRUE(o["value"].is_null());
  // Other flag bits do not hide the value.
  NumberDataPoint p = Number(NumberValue::Int(3));
  p.flags = 2;
  EXPECT_EQ(Parse(Encode(MetricKind::kGauge, p))["value"].get_int64().value(), 3);
}

TEST_F(MetricEncoderTest, HistogramWritesEveryFieldInOrder) {
  const std::uint64_t counts[] = {7, 4, 1};
  const double bounds[] = {0.1, 1.0};
  HistogramDataPoint p;
  p.attributes = attrs_;
  p.start_time_unix_nano = 1'732'480'000'000'000'000ULL;
  p.time_unix_nano = 1'732'480'060'000'000'000ULL;
  p.count = 12;
  p.sum = 3.25;
  p.min = 0.01;
  p.max = 1.2;
  p.bucket_counts = counts;
  p.explicit_bounds = bounds;
  const std::string json = Encode(MetricKind::kHistogram, p);
  EXPECT_EQ(json,
            "{\"type\":\"metric\",\"service\":\"checkout\",\"name\":\"http.server.request.duration\",\"unit\":\"s\","
            "\"kind\":\"histogram\",\"timestamp_ms\":1732480060000,\"start_time_ms\":1732480000000,"
            "\"attributes\":{\"http.route\":\"/api/pay\",\"http.response.status_code\":200},"
            "\"temporality\":\"cumulative\",\"count\":12,\"sum\":3.25,\"min\":0.01,\"max\":1.2,"
            "\"buckets\":[{\"le\":0.1,\"count\":7},{\"le\":1.0,\"count\":4},{\"le\":null,\"count\":1}]}");
  EXPECT_EQ(Keys(Parse(json)), kHistogramKeys);

  // Absent optionals, NaN and infinities are null; no buckets is [].
  HistogramDataPoint q;
  q.sum = kNaN;
  q.max = kInf;
  metric_.temporality = AggregationTemporality::kDelta;
  const std::string empty = Encode(MetricKind::kHistogram, q);
  EXPECT_TRUE(Contains(empty, "\"start_time_ms\":null,\"attributes\":{},\"temporality\":\"delta\",\"count\":0,"
                              "\"sum\":null,\"min\":null,\"max\":null,\"buckets\":[]}"));
  EXPECT_EQ(Keys(Parse(empty)), kHistogramKeys);
}

// Bucket i of a histogram as (le, count); le is NaN for null.
std::vector<std::pair<double, std::uint64_t>> Buckets(object o) {
  std::vector<std::pair<double, std::uint64_t>> out;
  array buckets = o["buckets"].get_array().value();
  for (element b : buckets) {
    object bucket = b.get_object().value();
    EXPECT_EQ(Keys(bucket), (std::vector<std::string>{"le", "count"}));
    const double le = bucket["le"].is_null() ? kNaN : bucket["le"].get_double().value();
    out.emplace_back(le, bucket["count"].get_uint64().value());
  }
  return out;
}

bool SameBuckets(const std::vector<std::pair<double, std::uint64_t>>& a,
                 const std::vector<std::pair<double, std::uint64_t>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool same_le = std::isnan(a[i].first) ? std::isnan(b[i].first) : a[i].first == b[i].first;
    if (!same_le || a[i].second != b[i].second) return false;
  }
  return true;
}

TEST_F(MetricEncoderTest, MismatchedHistogramsGiveEachCountTheBoundOfItsIndex) {
  const std::uint64_t counts[] = {1, 2, 3, 4, 5};
  const double bounds[] = {1, 2, 3, 4, 5, 6, 7};
  const double bad_bounds[] = {kNaN, -kInf, 2.5};
  struct Case {
    std::span<const std::uint64_t> counts;
    std::span<const double> bounds;
    std::vector<std::pair<double, std::uint64_t>> expected;
  };
  const Case cases[] = {
      // Fewer counts than bounds + 1: the extra bounds are left out.
      {std::span(counts).first(2), std::span(bounds).first(5), {{1, 1}, {2, 2}}},
      {std::span(counts).first(5), std::span(bounds), {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}}},
      // More counts than bounds + 1: null past the last bound.
      {std::span(counts), std::span(bounds).first(2), {{1, 1}, {2, 2}, {kNaN, 3}, {kNaN, 4}, {kNaN, 5}}},
      // Counts without bounds: all null; bounds without counts: no buckets.
      {std::span(counts).first(3), {}, {{kNaN, 1}, {kNaN, 2}, {kNaN, 3}}},
      {{}, std::span(bounds), {}},
      // Bounds that are not finite become null too.
      {std::span(counts).first(4), bad_bounds, {{kNaN, 1}, {kNaN, 2}, {2.5, 3}, {kNaN, 4}}},
  };
  for (const Case& c : cases) {
    HistogramDataPoint p;
    p.count = 15;
    p.bucket_counts = c.counts;
    p.explicit_bounds = c.bounds;
    object o = Parse(Encode(MetricKind::kHistogram, p));
    EXPECT_EQ(Keys(o), kHistogramKeys);
    EXPECT_TRUE(SameBuckets(Buckets(o), c.expected)) << c.counts.size() << " counts, " << c.bounds.size();
  }
}

TEST_F(MetricEncoderTest, AHugeNumberOfBuckets) {
  constexpr std::size_t kBuckets = 200'000;
  std::vector<std::uint64_t> counts(kBuckets + 1);
  std::vector<double> bounds(kBuckets);
  for (std::size_t i = 0; i < kBuckets; ++i) {
    bounds[i] = static_cast<double>(i) * 0.25 + 0.125;
    counts[i] = i * 1'000'003;
  }
  counts[kBuckets] = std::numeric_limits<std::uint64_t>::max();
  HistogramDataPoint p;
  p.bucket_counts = counts;
  p.explicit_bounds = bounds;
  object o = Parse(Encode(MetricKind::kHistogram, p));
  array buckets = o["buckets"].get_array().value();
  ASSERT_EQ(buckets.size(), kBuckets + 1);
  std::size_t i = 0;
  for (element b : buckets) {
    if (i < kBuckets) {
      ASSERT_EQ(b["le"].get_double().value(), bounds[i]) << i;
    } else {
      ASSERT_TRUE(b["le"].is_null());
    }
    ASSERT_EQ(b["count"].get_uint64().value(), counts[i]) << i;
    ++i;
  }

  ExponentialHistogramDataPoint e;
  e.positive.bucket_counts = counts;
  e.negative.bucket_counts = counts;
  o = Parse(Encode(MetricKind::kExponentialHistogram, e));
  EXPECT_EQ(o["positive"]["bucket_counts"].get_array().value().size(), kBuckets + 1);
  EXPECT_EQ(o["negative"]["bucket_counts"].at(kBuckets).get_uint64().value(),
            std::numeric_limits<std::uint64_t>::max());
}

TEST_F(MetricEncoderTest, ExponentialHistogramWritesEveryFieldInOrder) {
  const std::uint64_t pos[] = {3, 0, 18446744073709551615ULL};
  const std::uint64_t neg[] = {1};
  ExponentialHistogramDataPoint p;
  p.attributes = attrs_;
  p.time_unix_nano = 2'000'000;
  p.count = 9;
  p.sum = -1.5;
  p.min = -4.0;
  p.max = 12.0;
  p.scale = -3;
  p.zero_count = 2;
  p.zero_threshold = 1e-9;
  p.positive = {-2, pos};
  p.negative = {std::numeric_limits<std::int32_t>::min(), neg};
  metric_.temporality = AggregationTemporality::kDelta;
  const std::string json = Encode(MetricKind::kExponentialHistogram, p);
  EXPECT_TRUE(Contains(json, "\"kind\":\"exponential_histogram\",\"timestamp_ms\":2,\"start_time_ms\":null,"));
  EXPECT_TRUE(Contains(json,
                       "\"temporality\":\"delta\",\"count\":9,\"sum\":-1.5,\"min\":-4.0,\"max\":12.0,\"scale\":-3,"
                       "\"zero_count\":2,\"zero_threshold\":1e-09,"
                       "\"positive\":{\"offset\":-2,\"bucket_counts\":[3,0,18446744073709551615]},"
                       "\"negative\":{\"offset\":-2147483648,\"bucket_counts\":[1]}}"));
  object o = Parse(json);
  EXPECT_EQ(Keys(o), kExponentialKeys);
  EXPECT_EQ(Keys(o["positive"].get_object().value()), (std::vector<std::string>{"offset", "bucket_counts"}));
  EXPECT_EQ(o["zero_threshold"].get_double().value(), 1e-9);

  // Empty sides, absent optionals, a zero threshold that stays a double.
  ExponentialHistogramDataPoint q;
  q.zero_threshold = kNaN;
  const std::string empty = Encode(MetricKind::kExponentialHistogram, q);
  EXPECT_TRUE(Contains(empty, "\"count\":0,\"sum\":null,\"min\":null,\"max\":null,\"scale\":0,\"zero_count\":0,"
                              "\"zero_threshold\":null,\"positive\":{\"offset\":0,\"bucket_counts\":[]},"
                              "\"negative\":{\"offset\":0,\"bucket_counts\":[]}}"));
  EXPECT_EQ(Keys(Parse(empty)), kExponentialKeys);
  q.zero_threshold = 0;
  EXPECT_TRUE(Contains(Encode(MetricKind::kExponentialHistogram, q), "\"zero_threshold\":0.0,"));
}

TEST_F(MetricEncoderTest, SummaryWritesEveryFieldInOrder) {
  const ValueAtQuantile quantiles[] = {{0.0, 0.001}, {0.5, 0.25}, {0.99, kInf}, {1.0, 3.0}};
  SummaryDataPoint p;
  p.attributes = attrs_;
  p.start_time_unix_nano = 1'000'000;
  p.time_unix_nano = 5'000'000;
  p.count = 100;
  p.sum = 27.0;
  p.quantile_values = quantiles;
  const std::string json = Encode(MetricKind::kSummary, p);
  EXPECT_TRUE(Contains(json, "\"kind\":\"summary\",\"timestamp_ms\":5,\"start_time_ms\":1,"));
  EXPECT_TRUE(Contains(json, "},\"count\":100,\"sum\":27.0,\"quantiles\":[{\"quantile\":0.0,\"value\":0.001},"
                             "{\"quantile\":0.5,\"value\":0.25},{\"quantile\":0.99,\"value\":null},"
                             "{\"quantile\":1.0,\"value\":3.0}]}"));
  object o = Parse(json);
  EXPECT_EQ(Keys(o), kSummaryKeys);
  EXPECT_EQ(Keys(o["quantiles"].at(0).get_object().value()), (std::vector<std::string>{"quantile", "value"}));

  SummaryDataPoint q;
  q.sum = -kInf;
  const std::string empty = Encode(MetricKind::kSummary, q);
  EXPECT_TRUE(Contains(empty, "\"count\":0,\"sum\":null,\"quantiles\":[]}"));
  EXPECT_EQ(Keys(Parse(empty)), kSummaryKeys);
}

TEST_F(MetricEncoderTest, UnicodeControlsAndInvalidUtf8InEveryString) {
  const std::string& bad = testing::kHostile;
  const std::string& good = testing::kHostileRepaired;
  std::vector<KeyValue> res = {{"service.name", AnyValue::String(bad)}, {bad, AnyValue::String(bad)}};
  std::vector<KeyValue> attrs = {{bad, AnyValue::String(bad)}};
  std::vector<KeyValue> scope_attrs = {{bad, AnyValue::Bytes(bad)}};
  metric_.name = bad;
  metric_.unit = bad;
  metric_.kind = MetricKind::kSum;
  MetricEncoder enc(ExtraFields{.resource = true, .scope = true});
  enc.BeginResource(Resource{res, 0});
  enc.BeginScope(InstrumentationScope{bad, bad, scope_attrs, 0});
  enc.BeginMetric(metric_);
  NumberDataPoint p = Number(NumberValue::Int(1));
  p.attributes = attrs;
  Buffer out;
  enc.AppendDataPoint(p, &out);
  object o = Parse(std::string(out.view()));
  std::vector<std::string> keys = kSumKeys;
  keys.emplace_back("resource");
  keys.emplace_back("scope");
  EXPECT_EQ(Keys(o), keys);
  EXPECT_EQ(Str(o["service"]), good);
  EXPECT_EQ(Str(o["name"]), good);
  EXPECT_EQ(Str(o["unit"]), good);
  EXPECT_EQ(Str(o["attributes"][good]), good);
  EXPECT_EQ(Str(o["resource"][good]), good);
  EXPECT_EQ(Str(o["scope"]["name"]), good);
  EXPECT_EQ(Str(o["scope"]["version"]), good);
  EXPECT_FALSE(Str(o["scope"]["attributes"][good]).empty());  // base64
}

TEST_F(MetricEncoderTest, OnlyResourceAndScopeExtraFieldsApply) {
  std::vector<KeyValue> scope_attrs = {{"lib", AnyValue::Bool(true)}};
  scope_.attributes = scope_attrs;
  const NumberDataPoint p = Number(NumberValue::Int(1));
  object o = Parse(Encode(MetricKind::kGauge, p, ExtraFields{.resource = true}));
  EXPECT_EQ(Keys(o), MetricKeys({"value", "resource"}));
  EXPECT_EQ(Keys(o["resource"].get_object().value()), (std::vector<std::string>{"service.name", "host.name"}));
  o = Parse(Encode(MetricKind::kGauge, p, ExtraFields{.scope = true}));
  EXPECT_EQ(Keys(o), MetricKeys({"value", "scope"}));
  EXPECT_EQ(Str(o["scope"]["name"]), "io.opentelemetry.tomcat");
  EXPECT_EQ(Str(o["scope"]["version"]), "2.9.0");
  EXPECT_TRUE(o["scope"]["attributes"]["lib"].get_bool().value());
  const ExtraFields span_only{.kind = true, .trace_state = true, .links = true, .dropped_counts = true};
  EXPECT_EQ(Keys(Parse(Encode(MetricKind::kGauge, p, span_only))), kGaugeKeys);
  const ExtraFields all{true, true, true, true, true, true};
  EXPECT_EQ(Keys(Parse(Encode(MetricKind::kSummary, SummaryDataPoint{}, all))),
            MetricKeys({"count", "sum", "quantiles", "resource", "scope"}));
  EXPECT_EQ(Keys(Parse(Encode(MetricKind::kHistogram, HistogramDataPoint{}, all))),
            MetricKeys({"temporality", "count", "sum", "min", "max", "buckets", "resource", "scope"}));
}

TEST_F(MetricEncoderTest, EncodeWritesOneEventPerPointOfTheMetricsKind) {
  const NumberDataPoint numbers[] = {Number(NumberValue::Int(1)), Number(NumberValue::Double(2.0))};
  const HistogramDataPoint histograms[] = {HistogramDataPoint{}};
  const ExponentialHistogramDataPoint exponentials[] = {ExponentialHistogramDataPoint{}, {}};
  const SummaryDataPoint summaries[] = {SummaryDataPoint{}};
  std::vector<Metric> metrics(7);
  metrics[0] = {.name = "g", .kind = MetricKind::kGauge, .number_points = numbers};
  metrics[1] = {.name = "none", .kind = MetricKind::kNone, .number_points = numbers, .histogram_points = histograms};
  metrics[2] = {.name = "s", .kind = MetricKind::kSum, .number_points = numbers};
  metrics[3] = {.name = "h", .kind = MetricKind::kHistogram, .histogram_points = histograms};
  metrics[4] = {.name = "e", .kind = MetricKind::kExponentialHistogram, .exponential_histogram_points = exponentials};
  metrics[5] = {.name = "q", .kind = MetricKind::kSummary, .summary_points = summaries};
  // The lists of other kinds are not read.
  metrics[6] = {.name = "g2", .kind = MetricKind::kGauge, .histogram_points = histograms, .summary_points = summaries};
  std::vector<KeyValue> other = {{"service.name", AnyValue::String("billing")}};
  std::vector<ScopeMetrics> scopes_a = {{scope_, std::span(metrics).first(3), ""}, {scope_, {}, ""}};
  std::vector<ScopeMetrics> scopes_b = {{scope_, std::span(metrics).subspan(3), ""}};
  std::vector<ResourceMetrics> data = {
      {resource_, scopes_a, ""}, {Resource{}, {}, ""}, {Resource{other, 0}, scopes_b, ""}};
  MetricEncoder enc;
  testing::EventList sink;
  enc.Encode(data, sink);
  ASSERT_EQ(sink.events.size(), 8u);
  EXPECT_EQ(sink.names, (std::vector<std::string>{"g", "g", "s", "s", "h", "e", "e", "q"}));
  const std::vector<std::vector<std::string>> keys = {kGaugeKeys,     kGaugeKeys,       kSumKeys,         kSumKeys,
                                                      kHistogramKeys, kExponentialKeys, kExponentialKeys, kSummaryKeys};
  const std::vector<std::string> kinds = {"gauge",     "gauge", "sum", "sum", "histogram", "exponential_histogram",
                                          "exponential_histogram", "summary"};
  for (std::size_t i = 0; i < 8; ++i) {
    object o = Parse(sink.events[i]);
    EXPECT_EQ(Keys(o), keys[i]) << i;
    EXPECT_EQ(Str(o["kind"]), kinds[i]);
    EXPECT_EQ(Str(o["name"]), sink.names[i]);
    EXPECT_EQ(Str(o["service"]), i < 4 ? "checkout" : "billing");
  }
  EXPECT_EQ(Parse(sink.events[1])["value"].get_double().value(), 2.0);
}

TEST_F(MetricEncoderTest, ReusedEncoderFollowsResourceAndMetric) {
  MetricEncoder enc;
  Buffer out;
  const NumberDataPoint p = Number(NumberValue::Int(1));
  enc.AppendDataPoint(p, &out);  // before anything: an unnamed gauge of "unknown"
  object o = Parse(std::string(out.view()));
  EXPECT_EQ(Keys(o), kGaugeKeys);
  EXPECT_EQ(Str(o["service"]), "unknown");
  EXPECT_EQ(Str(o["name"]), "");
  EXPECT_EQ(Str(o["unit"]), "");
  EXPECT_EQ(Str(o["kind"]), "gauge");

  metric_.kind = MetricKind::kSum;
  enc.BeginMetric(metric_);
  enc.BeginResource(resource_);  // a new resource keeps the metric
  out.Clear();
  enc.AppendDataPoint(p, &out);
  o = Parse(std::string(out.view()));
  EXPECT_EQ(Str(o["service"]), "checkout");
  EXPECT_EQ(Str(o["name"]), "http.server.request.duration");
  EXPECT_EQ(Keys(o), kSumKeys);

  Metric longer;
  longer.name = "a.metric.name.much.longer.than.the.one.before.it.to.grow.the.head.past.its.padding";
  longer.unit = "{request}";
  longer.kind = MetricKind::kGauge;
  enc.BeginMetric(longer);
  out.Clear();
  enc.AppendDataPoint(p, &out);
  o = Parse(std::string(out.view()));
  EXPECT_EQ(Str(o["name"]), longer.name);
  EXPECT_EQ(Str(o["unit"]), "{request}");
  EXPECT_EQ(Keys(o), kGaugeKeys);
}

// Whole batches of sample metrics, the way the exporter writes them.
TEST(MetricEncoderBatchTest, ManyPointsParseAndReuseGivesTheSameBytes) {
  testing::SampleMetrics sample;
  const Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  MetricEncoder enc(ExtraFields{.resource = true});
  simdjson::dom::parser parser;
  Buffer body, again;
  for (int batch = 0; batch < 3; ++batch) {
    MetricsView metrics = sample.Next(5000);
    ASSERT_EQ(CountDataPoints(metrics), 5000u);
    whole.Encode(enc, metrics, &body);
    ASSERT_EQ(whole.events(), 5000u);
    ASSERT_TRUE(simdjson::validate_utf8(body.data(), body.size()));
    element root;
    ASSERT_EQ(parser.parse(body.data(), body.size()).get(root), simdjson::SUCCESS);
    array events = root["events"].get_array().value();
    ASSERT_EQ(events.size(), 5000u);
    std::size_t by_kind[3] = {};
    for (element e : events) {
      object o = e.get_object().value();
      const std::string kind = Str(o["kind"]);
      std::vector<std::string> keys = Keys(o);
      ASSERT_EQ(keys.back(), "resource");
      keys.pop_back();
      if (kind == "gauge") {
        ASSERT_EQ(keys, kGaugeKeys);
        ++by_kind[0];
      } else if (kind == "sum") {
        ASSERT_EQ(keys, kSumKeys);
        ++by_kind[1];
      } else {
        ASSERT_EQ(kind, "histogram");
        ASSERT_EQ(keys, kHistogramKeys);
        ASSERT_EQ(o["buckets"].get_array().value().size(), 16u);
        ++by_kind[2];
      }
    }
    EXPECT_GT(by_kind[0], 0u);
    EXPECT_GT(by_kind[1], 0u);
    EXPECT_GT(by_kind[2], 2500u);
    whole.Encode(enc, metrics, &again);
    EXPECT_EQ(body.view(), again.view());
  }
}

}  // namespace
}  // namespace otelpack
