// DecodeMetricsJson: what the OpenTelemetry SDKs' JSON metric exporters send
// (every kind of metric and data point), both key spellings, integers and
// doubles in each accepted form, enum names, nulls and optional presence,
// and the data oneof. The rejections, limits and malformed input are in
// json_metrics_limits_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "otlp/decode.h"
#include "otlp/testing/json_metrics_fixtures.h"
#include "otlp/testing/json_test_util.h"
#include "otlp/testing/model_diff.h"

namespace otelpack::otlp {
namespace {

using namespace std::string_view_literals;
using testing::Hex;
using testing::RenameKeys;

void ExpectJsMetrics(const DecodedMetrics& d) {
  EXPECT_EQ(d.records, 6u);
  EXPECT_EQ(d.rejected, 0u);
  EXPECT_EQ(d.rejection, "");
  ASSERT_EQ(d.data.size(), 1u);
  const ResourceMetrics& rm = d.data[0];
  EXPECT_EQ(rm.schema_url, "https://opentelemetry.io/schemas/1.25.0");
  ASSERT_EQ(rm.resource.attributes.size(), 1u);
  EXPECT_EQ(rm.resource.attributes[0].value.string_value(), "checkout");
  EXPECT_EQ(rm.resource.dropped_attributes_count, 1u);
  ASSERT_EQ(rm.scope_metrics.size(), 1u);
  const ScopeMetrics& sm = rm.scope_metrics[0];
  EXPECT_EQ(sm.scope.name, "@shop/metrics");
  EXPECT_EQ(sm.scope.version, "1.0.0");
  EXPECT_EQ(sm.scope.dropped_attributes_count, 2u);
  EXPECT_EQ(sm.schema_url, "https://opentelemetry.io/schemas/1.24.0");
  ASSERT_EQ(sm.metrics.size(), 5u);

  const Metric& h = sm.metrics[0];
  EXPECT_EQ(h.name, "http.server.duration");
  EXPECT_EQ(h.description, "Duration of inbound HTTP requests");
  EXPECT_EQ(h.unit, "ms");
  EXPECT_EQ(h.kind, MetricKind::kHistogram);
  EXPECT_EQ(h.temporality, AggregationTemporality::kCumulative);
  EXPECT_FALSE(h.monotonic);
  ASSERT_EQ(h.metadata.size(), 1u);
  EXPECT_EQ(h.metadata[0].key, "meta");
  ASSERT_EQ(h.histogram_points.size(), 1u);
  EXPECT_TRUE(h.number_points.empty());
  const HistogramDataPoint& hp = h.histogram_points[0];
  ASSERT_EQ(hp.attributes.size(), 2u);
  EXPECT_EQ(hp.attributes[1].value.int_value(), 200);
  EXPECT_EQ(hp.start_time_unix_nano, 1732480000000000000u);
  EXPECT_EQ(hp.time_unix_nano, 1732480060000000000u);
  EXPECT_EQ(hp.count, 7u);
  EXPECT_EQ(hp.sum, std::optional<double>(1234.5));
  EXPECT_EQ(hp.min, std::optional<double>(2));
  EXPECT_EQ(hp.max, std::optional<double>(800));
  EXPECT_EQ(hp.flags, 0u);
  ASSERT_EQ(hp.bucket_counts.size(), 5u);
  const std::uint64_t counts[] = {1, 0, 3, 2, 1};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(hp.bucket_counts[i], counts[i]) << i;
  ASSERT_EQ(hp.explicit_bounds.size(), 4u);
  const double bounds[] = {0, 5, 10, 100};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(hp.explicit_bounds[i], bounds[i]) << i;
  ASSERT_EQ(hp.exemplars.size(), 2u);
  const Exemplar& ex = hp.exemplars[0];
  ASSERT_EQ(ex.filtered_attributes.size(), 1u);
  EXPECT_EQ(ex.filtered_attributes[0].key, "user.id");
  EXPECT_EQ(ex.time_unix_nano, 1732480059000000000u);
  EXPECT_EQ(ex.value.type, NumberValue::Type::kDouble);
  EXPECT_EQ(ex.value.as_double, 731.5);
  EXPECT_EQ(Hex(ex.span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_EQ(Hex(ex.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(hp.exemplars[1].value.type, NumberValue::Type::kInt);
  EXPECT_EQ(hp.exemplars[1].value.as_int, 3);
  EXPECT_FALSE(hp.exemplars[1].trace_id.valid());

  const Metric& s = sm.metrics[1];
  EXPECT_EQ(s.name, "http.server.requests");
  EXPECT_EQ(s.kind, MetricKind::kSum);
  EXPECT_EQ(s.temporality, AggregationTemporality::kCumulative);
  EXPECT_TRUE(s.monotonic);
  ASSERT_EQ(s.number_points.size(), 2u);
  EXPECT_EQ(s.number_points[0].value.type, NumberValue::Type::kInt);
  EXPECT_EQ(s.number_points[0].value.as_int, 42);
  EXPECT_EQ(s.number_points[0].start_time_unix_nano, 1732480000000000000u);
  EXPECT_EQ(s.number_points[1].value.as_int, -7);
  EXPECT_EQ(s.number_points[1].flags, 0u);

  const Metric& g = sm.metrics[2];
  EXPECT_EQ(g.kind, MetricKind::kGauge);
  EXPECT_EQ(g.temporality, AggregationTemporality::kUnspecified);
  ASSERT_EQ(g.number_points.size(), 1u);
  EXPECT_EQ(g.number_points[0].value.type, NumberValue::Type::kDouble);
  EXPECT_EQ(g.number_points[0].value.as_double, 0.25);
  EXPECT_EQ(g.number_points[0].start_time_unix_nano, 0u);

  const Metric& e = sm.metrics[3];
  EXPECT_EQ(e.kind, MetricKind::kExponentialHistogram);
  EXPECT_EQ(e.temporality, AggregationTemporality::kDelta);
  ASSERT_EQ(e.exponential_histogram_points.size(), 1u);
  const ExponentialHistogramDataPoint& ep = e.exponential_histogram_points[0];
  EXPECT_EQ(ep.count, 5u);
  EXPECT_EQ(ep.sum, std::optional<double>(30));
  EXPECT_EQ(ep.scale, -3);
  EXPECT_EQ(ep.zero_count, 1u);
  EXPECT_EQ(ep.zero_threshold, 1e-9);
  EXPECT_EQ(ep.positive.offset, 2);
  ASSERT_EQ(ep.positive.bucket_counts.size(), 3u);
  EXPECT_EQ(ep.positive.bucket_counts[1], 2u);
  EXPECT_EQ(ep.negative.offset, -4);
  ASSERT_EQ(ep.negative.bucket_counts.size(), 1u);
  EXPECT_EQ(ep.negative.bucket_counts[0], 1u);
  EXPECT_EQ(ep.min, std::optional<double>(-3.5));
  EXPECT_EQ(ep.max, std::optional<double>(12));
  EXPECT_EQ(ep.flags, 0u);
  ASSERT_EQ(ep.exemplars.size(), 1u);
  EXPECT_EQ(ep.exemplars[0].value.as_double, 4);

  const Metric& q = sm.metrics[4];
  EXPECT_EQ(q.kind, MetricKind::kSummary);
  ASSERT_EQ(q.summary_points.size(), 1u);
  const SummaryDataPoint& qp = q.summary_points[0];
  EXPECT_EQ(qp.count, 10u);
  EXPECT_EQ(qp.sum, 55.5);
  ASSERT_EQ(qp.quantile_values.size(), 3u);
  EXPECT_EQ(qp.quantile_values[0].quantile, 0);
  EXPECT_EQ(qp.quantile_values[0].value, 1);
  EXPECT_EQ(qp.quantile_values[2].quantile, 0.99);
  EXPECT_EQ(qp.quantile_values[2].value, 12);
  EXPECT_EQ(qp.flags, 1u);
}

TEST(JsonMetrics, JsSdkRequestGivesEveryField) {
  auto d = Decode(kJsMetrics);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ExpectJsMetrics(*d->result);
}

TEST(JsonMetrics, ProtoFieldNamesAreAccepted) {
  const std::string json = RenameKeys(
      kJsMetrics,
      {{"resourceMetrics", "resource_metrics"}, {"scopeMetrics", "scope_metrics"}, {"schemaUrl", "schema_url"},
       {"droppedAttributesCount", "dropped_attributes_count"}, {"dataPoints", "data_points"},
       {"aggregationTemporality", "aggregation_temporality"}, {"isMonotonic", "is_monotonic"},
       {"exponentialHistogram", "exponential_histogram"}, {"startTimeUnixNano", "start_time_unix_nano"},
       {"timeUnixNano", "time_unix_nano"}, {"asDouble", "as_double"}, {"asInt", "as_int"},
       {"bucketCounts", "bucket_counts"}, {"explicitBounds", "explicit_bounds"},
       {"filteredAttributes", "filtered_attributes"}, {"spanId", "span_id"}, {"traceId", "trace_id"},
       {"zeroCount", "zero_count"}, {"zeroThreshold", "zero_threshold"}, {"quantileValues", "quantile_values"},
       {"stringValue", "string_value"}, {"intValue", "int_value"}, {"boolValue", "bool_value"}});
  for (std::string_view camel : {"Value\""sv, "Id\""sv, "Nano\""sv, "Count\""sv, "Points\""sv, "As"sv}) {
    ASSERT_EQ(json.find(camel), std::string::npos) << camel;
  }
  auto d = Decode(json);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ExpectJsMetrics(*d->result);
  auto camel = Decode(kJsMetrics);
  ASSERT_TRUE(camel->result.ok());
  EXPECT_EQ(testing::DiffMetrics(d->result->data, camel->result->data), "");
}

// Decoding many requests reuses the scratch: the results stay independent.
TEST(JsonMetrics, RepeatedDecodesAreIndependent) {
  auto first = Decode(kJsMetrics);
  auto other = Decode(OneMetric(R"("name":"x","histogram":{"dataPoints":[{"bucketCounts":[1,2],"explicitBounds":[3]}]})"));
  auto failed = Decode(OneMetric(R"("gauge":{"dataPoints":[{"asInt":1,"exemplars":[{"asInt":[]}]}]})"));
  auto third = Decode(kJsMetrics);
  ASSERT_TRUE(first->result.ok() && other->result.ok() && third->result.ok());
  EXPECT_FALSE(failed->result.ok());
  EXPECT_EQ(testing::DiffMetrics(first->result->data, third->result->data), "");
  ExpectJsMetrics(*third->result);
  EXPECT_EQ(OnlyMetric(*other->result).histogram_points[0].bucket_counts[1], 2u);
}

// DiffMetrics (model_diff.h) names the first difference by its path; doubles
// compare by bit pattern and optionals by presence first.
TEST(JsonMetrics, ModelDiffNamesTheFirstDifference) {
  auto diff = [](std::string_view a, std::string_view b) {
    auto x = Decode(OneMetric(a));
    auto y = Decode(OneMetric(b));
    EXPECT_TRUE(x->result.ok() && y->result.ok()) << a << " / " << b;
    return testing::DiffMetrics(x->result->data, y->result->data);
  };
  const std::string at = "resource_metrics[0].scope_metrics[0].metrics[0].";
  EXPECT_EQ(diff(R"("histogram":{"dataPoints":[{"max":1}]})", R"("histogram":{"dataPoints":[{}]})"),
            at + "histogram_points[0].max: present != absent");
  EXPECT_EQ(diff(R"("gauge":{"dataPoints":[{"asDouble":"NaN"}]})", R"("gauge":{"dataPoints":[{"asDouble":"NaN"}]})"),
            "");
  EXPECT_EQ(diff(R"("gauge":{"dataPoints":[{"asDouble":0}]})", R"("gauge":{"dataPoints":[{"asDouble":-0.0}]})"),
            at + "number_points[0].value.as_double: 0 != -0");
  EXPECT_EQ(diff(R"("gauge":{"dataPoints":[{"asDouble":1}]})", R"("gauge":{"dataPoints":[{"asInt":1}]})"),
            at + "number_points[0].value.type: 1 != 2");
  EXPECT_EQ(diff(R"("summary":{"dataPoints":[{"quantileValues":[{"value":1}]}]})",
                 R"("summary":{"dataPoints":[{"quantileValues":[{"value":2}]}]})"),
            at + "summary_points[0].quantile_values[0].value: 1 != 2");
  EXPECT_EQ(diff(R"("exponentialHistogram":{"dataPoints":[{"negative":{"bucketCounts":[1,2]}}]})",
                 R"("exponentialHistogram":{"dataPoints":[{"negative":{"bucketCounts":[1,3]}}]})"),
            at + "exponential_histogram_points[0].negative.bucket_counts[1]: 2 != 3");
  EXPECT_EQ(diff(R"("sum":{"dataPoints":[{"asInt":1,"exemplars":[{"spanId":"eee19b7ec3c1b174"}]}]})",
                 R"("sum":{"dataPoints":[{"asInt":1,"exemplars":[{}]}]})"),
            at + "number_points[0].exemplars[0].span_id: ids differ");
  EXPECT_EQ(diff(R"("name":"a")", R"("name":"b")"), at + "name: \"a\" != \"b\"");
}

TEST(JsonMetrics, UnknownFieldsAreIgnoredAndNullIsAbsent) {
  auto d = Decode(OneMetric(R"("name": "m", "unit": null, "description": null, "metadata": null, "x": [1],
      "histogram": {"aggregationTemporality": null, "future": {"a": [null]}, "dataPoints": [{
        "attributes": null, "startTimeUnixNano": null, "timeUnixNano": null, "count": null,
        "sum": null, "min": null, "max": 3, "bucketCounts": null, "explicitBounds": null,
        "exemplars": null, "flags": null, "newField": [[]]}]},
      "gauge": null)"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Metric& m = OnlyMetric(*d->result);
  EXPECT_EQ(m.kind, MetricKind::kHistogram);  // a null data field is absent, not a second one
  EXPECT_EQ(m.temporality, AggregationTemporality::kUnspecified);
  ASSERT_EQ(m.histogram_points.size(), 1u);
  const HistogramDataPoint& p = m.histogram_points[0];
  EXPECT_FALSE(p.sum.has_value());
  EXPECT_FALSE(p.min.has_value());
  EXPECT_EQ(p.max, std::optional<double>(3));
  EXPECT_TRUE(p.bucket_counts.empty());
  EXPECT_EQ(p.count, 0u);
}

// An optional double is present when written, whatever its value.
TEST(JsonMetrics, OptionalsKeepTheirPresence) {
  auto d = Decode(OneMetric(R"("exponentialHistogram": {"dataPoints": [
      {"sum": 0, "min": -0.0, "max": "NaN"}, {}, {"sum": "Infinity"}]})"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const auto& points = OnlyMetric(*d->result).exponential_histogram_points;
  ASSERT_EQ(points.size(), 3u);
  ASSERT_TRUE(points[0].sum && points[0].min && points[0].max);
  EXPECT_EQ(*points[0].sum, 0);
  EXPECT_TRUE(std::signbit(*points[0].min));
  EXPECT_TRUE(std::isnan(*points[0].max));
  EXPECT_FALSE(points[1].sum || points[1].min || points[1].max);
  EXPECT_EQ(points[2].sum, std::optional<double>(std::numeric_limits<double>::infinity()));
}

TEST(JsonMetrics, DoublesAsNumbersOrStrings) {
  auto d = Decode(OneMetric(R"("gauge": {"dataPoints": [
      {"asDouble": "NaN"}, {"asDouble": "Infinity"}, {"asDouble": "-Infinity"}, {"asDouble": "2.5"},
      {"asDouble": -0.0}, {"asDouble": 1e300}, {"asDouble": 3}]}}, {"name": "h", "histogram": {"dataPoints": [
      {"explicitBounds": ["-Infinity", -1, "0.5", 1e3, "Infinity"], "bucketCounts": [0, 0, 0, 0, 0, 0],
       "sum": "-2.5e2"}]}}, {"name": "s", "summary": {"dataPoints": [
      {"sum": "NaN", "quantileValues": [{"quantile": "0.5", "value": "-Infinity"}]}]})"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const auto& metrics = d->result->data[0].scope_metrics[0].metrics;
  const auto& g = metrics[0].number_points;
  ASSERT_EQ(g.size(), 7u);
  EXPECT_TRUE(std::isnan(g[0].value.as_double));
  EXPECT_EQ(g[1].value.as_double, std::numeric_limits<double>::infinity());
  EXPECT_EQ(g[2].value.as_double, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(g[3].value.as_double, 2.5);
  EXPECT_TRUE(std::signbit(g[4].value.as_double));
  EXPECT_EQ(g[5].value.as_double, 1e300);
  EXPECT_EQ(g[6].value.type, NumberValue::Type::kDouble);  // an integral asDouble stays a double
  EXPECT_EQ(g[6].value.as_double, 3);
  const HistogramDataPoint& h = metrics[1].histogram_points[0];
  ASSERT_EQ(h.explicit_bounds.size(), 5u);
  EXPECT_EQ(h.explicit_bounds[0], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.explicit_bounds[2], 0.5);
  EXPECT_EQ(h.explicit_bounds[3], 1000);
  EXPECT_EQ(h.explicit_bounds[4], std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.sum, std::optional<double>(-250));
  const SummaryDataPoint& s = metrics[2].summary_points[0];
  EXPECT_TRUE(std::isnan(s.sum));
  EXPECT_EQ(s.quantile_values[0].quantile, 0.5);
  EXPECT_EQ(s.quantile_values[0].value, -std::numeric_limits<double>::infinity());
}

TEST(JsonMetrics, IntegersAsStringsOrNumbers) {
  auto d = Decode(OneMetric(R"("sum": {"dataPoints": [
      {"asInt": "9223372036854775807", "startTimeUnixNano": 18446744073709551615,
       "timeUnixNano": "18446744073709551615", "flags": "0"},
      {"asInt": -9223372036854775808}, {"asInt": 0}]}}, {"name": "e", "exponentialHistogram": {"dataPoints": [
      {"count": 18446744073709551615, "zeroCount": "18446744073709551615", "scale": "-10",
       "positive": {"offset": "-2147483648", "bucketCounts": ["18446744073709551615", 0, "3"]},
       "negative": {"offset": 2147483647, "bucketCounts": [5]}}]})"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const auto& metrics = d->result->data[0].scope_metrics[0].metrics;
  const auto& n = metrics[0].number_points;
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(n[0].value.as_int, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(n[0].start_time_unix_nano, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(n[0].time_unix_nano, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(n[1].value.as_int, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(n[2].value.type, NumberValue::Type::kInt);
  const ExponentialHistogramDataPoint& e = metrics[1].exponential_histogram_points[0];
  EXPECT_EQ(e.count, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(e.zero_count, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(e.scale, -10);
  EXPECT_EQ(e.positive.offset, std::numeric_limits<std::int32_t>::min());
  ASSERT_EQ(e.positive.bucket_counts.size(), 3u);
  EXPECT_EQ(e.positive.bucket_counts[0], std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(e.positive.bucket_counts[2], 3u);
  EXPECT_EQ(e.negative.offset, std::numeric_limits<std::int32_t>::max());
}

// Temporality by number or name; a number this version does not know reads
// as unspecified. Gauges and summaries have none, only sums are monotonic:
// those fields elsewhere are skipped.
TEST(JsonMetrics, TemporalityAndMonotonicity) {
  const std::pair<std::string_view, AggregationTemporality> cases[] = {
      {"1", AggregationTemporality::kDelta},
      {"2", AggregationTemporality::kCumulative},
      {"0", AggregationTemporality::kUnspecified},
      {"7", AggregationTemporality::kUnspecified},
      {"\"AGGREGATION_TEMPORALITY_DELTA\"", AggregationTemporality::kDelta},
      {"\"AGGREGATION_TEMPORALITY_CUMULATIVE\"", AggregationTemporality::kCumulative},
      {"\"AGGREGATION_TEMPORALITY_UNSPECIFIED\"", AggregationTemporality::kUnspecified}};
  for (std::string_view kind : {"sum"sv, "histogram"sv, "exponentialHistogram"sv}) {
    for (const auto& [json, want] : cases) {
      auto d = Decode(OneMetric(R"("name":"m",")" + std::string(kind) + R"(":{"aggregationTemporality":)" +
                                std::string(json) + R"(,"isMonotonic":true})"));
      ASSERT_TRUE(d->result.ok()) << kind << " " << json << ": " << d->result.status().ToString();
      const Metric& m = OnlyMetric(*d->result);
      EXPECT_EQ(m.temporality, want) << kind << " " << json;
      EXPECT_EQ(m.monotonic, kind == "sum") << kind;
    }
  }
  for (std::string_view kind : {"gauge"sv, "summary"sv}) {
    auto d = Decode(OneMetric(R"(")" + std::string(kind) +
                              R"(":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[]})"));
    ASSERT_TRUE(d->result.ok()) << kind << ": " << d->result.status().ToString();
    EXPECT_EQ(OnlyMetric(*d->result).temporality, AggregationTemporality::kUnspecified) << kind;
    EXPECT_FALSE(OnlyMetric(*d->result).monotonic) << kind;
  }
  auto d = Decode(OneMetric(R"("sum":{"isMonotonic":false,"aggregationTemporality":1})"));
  ASSERT_TRUE(d->result.ok());
  EXPECT_FALSE(OnlyMetric(*d->result).monotonic);
}

// The data oneof sets the kind: none of the five is a metric without data
// points (kNone); two are an error, as protobuf's JSON parser says.
TEST(JsonMetrics, TheDataFieldSetsTheKind) {
  const std::pair<std::string_view, MetricKind> kinds[] = {
      {"gauge", MetricKind::kGauge},
      {"sum", MetricKind::kSum},
      {"histogram", MetricKind::kHistogram},
      {"exponentialHistogram", MetricKind::kExponentialHistogram},
      {"exponential_histogram", MetricKind::kExponentialHistogram},
      {"summary", MetricKind::kSummary}};
  for (const auto& [key, kind] : kinds) {
    auto d = Decode(OneMetric(R"("name":"m",")" + std::string(key) + R"(":{})"));
    ASSERT_TRUE(d->result.ok()) << key << ": " << d->result.status().ToString();
    EXPECT_EQ(OnlyMetric(*d->result).kind, kind) << key;
    EXPECT_EQ(OnlyMetric(*d->result).data_point_count(), 0u);
  }
  auto d = Decode(OneMetric(R"("name":"no data","unit":"1")"));
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(OnlyMetric(*d->result).kind, MetricKind::kNone);
  EXPECT_EQ(d->result->records, 0u);

  d = Decode(OneMetric(R"("gauge":{},"sum":{})"));
  ASSERT_FALSE(d->result.ok());
  EXPECT_EQ(d->result.status().message(),
            "resourceMetrics[0].scopeMetrics[0].metrics[0].sum: a second data field in one Metric "
            "(gauge, sum, histogram, exponentialHistogram, summary)");
}

}  // namespace
}  // namespace otelpack::otlp
