// DecodeMetricsJson's refusals: data points left out by metric_checks.h
// (partial success, the first one explained), exemplars and attributes over
// their limits, huge number arrays against the budget and max_buckets, and
// malformed requests named by their path.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/testing/json_metrics_fixtures.h"
#include "otlp/testing/json_test_util.h"

namespace otelpack::otlp {
namespace {

using testing::Hex;

// ---------------------------------------------------------------------------
// Data points left out: metric_checks.h's rules, each reached through JSON.

struct RejectCase {
  std::string metric;  // the metric's fields; its 4th data point (index 3) is the one tried
  std::string why;     // empty: kept
};

std::string FourPoints(std::string_view kind, std::string_view good, std::string_view tried,
                       std::string_view more = "") {
  const std::string g(good);
  return R"("name":"http.server.duration",")" + std::string(kind) + R"(":{"dataPoints":[)" + g + "," + g + "," +
         g + "," + std::string(tried) + "," + g + "]" + std::string(more) + "}";
}

TEST(JsonMetricsLimits, DataPointsThatCannotBecomeEventsAreLeftOut) {
  DecodeLimits limits;
  limits.max_buckets = 4;
  const RejectCase cases[] = {
      {FourPoints("gauge", R"({"asInt":1})", R"({"timeUnixNano":"5"})"),
       "the data point has no value (neither as_int nor as_double)"},
      {FourPoints("sum", R"({"asDouble":1})", R"({"flags":3})"), ""},  // flagged: no recorded value
      {FourPoints("sum", R"({"asDouble":1})", R"({"flags":2})"),
       "the data point has no value (neither as_int nor as_double)"},
      {FourPoints("histogram", R"({"count":"1"})", R"({"bucketCounts":["1","2"],"explicitBounds":[1]})"), ""},
      {FourPoints("histogram", R"({"count":"1"})", R"({"explicitBounds":[1,2]})"), ""},  // no buckets at all
      {FourPoints("histogram", R"({"count":"1"})", R"({"bucketCounts":["1","2"],"explicitBounds":[1,2]})"),
       "the histogram has 2 bucket counts for 2 explicit bounds (there must be one more count than bounds, or "
       "none)"},
      {FourPoints("histogram", R"({"count":"1"})", R"({"bucketCounts":["7"]})"), ""},  // one bucket: all values
      {FourPoints("histogram", R"({"count":"1"})", R"({"bucketCounts":["1","2"]})"),
       "the histogram has 2 bucket counts for 0 explicit bounds (there must be one more count than bounds, or "
       "none)"},
      {FourPoints("histogram", R"({"count":"1"})", R"({"bucketCounts":[1,1,1,1,1],"explicitBounds":[1,2,3,4]})"),
       ""},
      {FourPoints("histogram", R"({"count":"1"})",
                  R"({"bucketCounts":[1,1,1,1,1,1],"explicitBounds":[1,2,3,4,5]})"),
       "the histogram has 6 bucket counts and 5 explicit bounds: more than max_buckets (4)"},
      {FourPoints("exponentialHistogram", "{}", R"({"positive":{"bucketCounts":[1,2,3,4]}})"), ""},
      {FourPoints("exponentialHistogram", "{}", R"({"negative":{"bucketCounts":[1,2,3,4,5]}})"),
       "the exponential histogram has 0 positive and 5 negative buckets: more than max_buckets (4) on a side"},
      {FourPoints("summary", "{}", R"({"quantileValues":[{},{},{},{}]})"), ""},
      {FourPoints("summary", "{}", R"({"quantileValues":[{},{},{},{},{"quantile":1}]})"),
       "the summary has 5 quantiles: more than max_buckets (4)"},
  };
  for (const RejectCase& c : cases) {
    // Metric 1 of scope 0 of resource 1 holds the point tried.
    const std::string json = R"({"resourceMetrics":[{},{"scopeMetrics":[{"metrics":[{"name":"other"},{)" +
                             c.metric + "}]}]}]}";
    auto d = Decode(json, limits);
    ASSERT_TRUE(d->result.ok()) << c.metric << ": " << d->result.status().ToString();
    const Metric& m = d->result->data[1].scope_metrics[0].metrics[1];
    if (c.why.empty()) {
      EXPECT_EQ(d->result->records, 5u) << c.metric;
      EXPECT_EQ(d->result->rejected, 0u) << c.metric << ": " << d->result->rejection;
      EXPECT_EQ(m.data_point_count(), 5u);
      continue;
    }
    EXPECT_EQ(d->result->records, 4u) << c.metric;
    EXPECT_EQ(m.data_point_count(), 4u) << c.metric;
    EXPECT_EQ(d->result->rejected, 1u) << c.metric;
    EXPECT_EQ(d->result->rejection, "metric \"http.server.duration\" data point 3: " + c.why) << c.metric;
  }
}

// The message names the metric even when its name follows its points, and
// it explains the first point left out; every one is counted.
TEST(JsonMetricsLimits, FirstRejectionIsExplainedAndAllAreCounted) {
  auto d = Decode(OneMetric(R"("gauge":{"dataPoints":[{"asInt":1},{}]},"name":"first"},
      {"sum":{"dataPoints":[{},{},{"asInt":2}]},"name":"second")"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  EXPECT_EQ(d->result->records, 2u);
  EXPECT_EQ(d->result->rejected, 3u);
  EXPECT_EQ(d->result->rejection,
            "metric \"first\" data point 1: the data point has no value (neither as_int nor as_double)");
  const auto& metrics = d->result->data[0].scope_metrics[0].metrics;
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[1].number_points.size(), 1u);
  EXPECT_EQ(metrics[1].number_points[0].value.as_int, 2);

  // A metric whose every point is left out stays, with none.
  d = Decode(OneMetric(R"("name":"empty","gauge":{"dataPoints":[{}]})"));
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(OnlyMetric(*d->result).kind, MetricKind::kGauge);
  EXPECT_EQ(OnlyMetric(*d->result).data_point_count(), 0u);
  EXPECT_EQ(d->result->records, 0u);
  EXPECT_EQ(d->result->rejected, 1u);

  // A very long name is cut in the message.
  d = Decode(OneMetric(R"("name":")" + std::string(1000, 'n') + R"(","gauge":{"dataPoints":[{}]})"));
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(d->result->rejection.find("metric \"" + std::string(128, 'n') + "\" data point 0: "), 0u);
}

// ---------------------------------------------------------------------------
// Exemplars and attributes.

std::string Exemplars(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += std::string(i ? "," : "") + R"({"asInt":)" + std::to_string(i) + "}";
  }
  return out;
}

TEST(JsonMetricsLimits, ExemplarsOverTheLimitAreDropped) {
  DecodeLimits limits;
  limits.max_exemplars = 2;
  auto d = Decode(OneMetric(R"("sum":{"dataPoints":[{"asInt":1,"exemplars":[)" + Exemplars(5) +
                            R"(]}]}},{"histogram":{"dataPoints":[{"exemplars":[)" + Exemplars(3) +
                            R"(]}]}},{"exponentialHistogram":{"dataPoints":[{"exemplars":[)" + Exemplars(1) + "]}]}"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const auto& metrics = d->result->data[0].scope_metrics[0].metrics;
  const auto& kept = metrics[0].number_points[0].exemplars;
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].value.as_int, 0);
  EXPECT_EQ(kept[1].value.as_int, 1);
  EXPECT_EQ(metrics[1].histogram_points[0].exemplars.size(), 2u);
  EXPECT_EQ(metrics[2].exponential_histogram_points[0].exemplars.size(), 1u);

  limits.max_exemplars = 0;
  d = Decode(OneMetric(R"("gauge":{"dataPoints":[{"asInt":1,"exemplars":[)" + Exemplars(3) + "]}]}"), limits);
  ASSERT_TRUE(d->result.ok());
  EXPECT_TRUE(OnlyMetric(*d->result).number_points[0].exemplars.empty());
}

// An exemplar's ids are empty (none), or hex of the right length; one that
// names no valid span is dropped, as a span's link is.
TEST(JsonMetricsLimits, ExemplarsWithInvalidIdsAreDropped) {
  auto d = Decode(OneMetric(R"("gauge":{"dataPoints":[{"asInt":1,"exemplars":[
      {"asInt":0,"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174"},
      {"asInt":1,"traceId":"5b8efff798038103d269b633813fc60","spanId":"eee19b7ec3c1b174"},
      {"asInt":2,"traceId":"5b8efff798038103d269b633813fc60c","spanId":"W47/95gDgQ=="},
      {"asInt":3,"traceId":"00000000000000000000000000000000","spanId":"0000000000000000"},
      {"asInt":4,"trace_id":"","span_id":""},
      {"asInt":5,"spanId":"eee19b7ec3c1b17g"}]}]})"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const auto& exemplars = OnlyMetric(*d->result).number_points[0].exemplars;
  ASSERT_EQ(exemplars.size(), 3u);
  EXPECT_EQ(exemplars[0].value.as_int, 0);
  EXPECT_EQ(Hex(exemplars[0].trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(exemplars[1].value.as_int, 3);
  EXPECT_FALSE(exemplars[1].trace_id.valid());
  EXPECT_EQ(exemplars[2].value.as_int, 4);
  EXPECT_EQ(d->result->rejected, 0u);
}

TEST(JsonMetricsLimits, AttributesOverTheLimitAreDropped) {
  DecodeLimits limits;
  limits.max_attributes = 1;
  limits.max_value_bytes = 3;
  const std::string two = R"([{"key":"a","value":{"stringValue":"abcdef"}},{"key":"b","value":{"intValue":2}}])";
  auto d = Decode(OneMetric(R"("metadata":)" + two + R"(,"gauge":{"dataPoints":[{"asInt":1,"attributes":)" + two +
                            R"(,"exemplars":[{"asInt":1,"filteredAttributes":)" + two + "}]}]}"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Metric& m = OnlyMetric(*d->result);
  ASSERT_EQ(m.metadata.size(), 1u);
  EXPECT_EQ(m.metadata[0].value.string_value(), "abc");
  ASSERT_EQ(m.number_points[0].attributes.size(), 1u);
  EXPECT_EQ(m.number_points[0].attributes[0].key, "a");
  ASSERT_EQ(m.number_points[0].exemplars[0].filtered_attributes.size(), 1u);
  EXPECT_EQ(m.number_points[0].exemplars[0].filtered_attributes[0].value.string_value(), "abc");
}

// ---------------------------------------------------------------------------
// Huge arrays: refused by the budget before they take the memory, or, within
// it, their point left out by max_buckets.

std::string Counts(std::size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) out += i ? ",1" : "1";
  return out;
}

TEST(JsonMetricsLimits, HugeNumberArraysAreRefusedWithinTheBudget) {
  // 10 M bucket counts: 20 MB of JSON, 80 MB as uint64, past the 34 MB the
  // default max_decoded_bytes (128 MiB) leaves once the parse has its 100 MB.
  const std::string json =
      OneMetric(R"("name":"huge","histogram":{"dataPoints":[{"bucketCounts":[)" + Counts(10'000'000) + "]}]}");
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsJson(json, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("(max_decoded_size): refused"), std::string_view::npos)
      << decoded.status().message();
  EXPECT_LT(arena.bytes_reserved(), 1u << 20);  // refused while gathering, before the arena

  // Bounds as doubles, and 0.5 M counts in a smaller body: the 8x budget.
  const std::string bounds =
      OneMetric(R"("histogram":{"dataPoints":[{"explicitBounds":[)" + Counts(3'000'000) + "]}]}");
  decoded = DecodeMetricsJson(bounds, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();

  // 30 000 counts fit the budget (1 MiB at least): only that point is left
  // out. (The budget counts each count's 8 bytes and the stack's doubling,
  // up to 12 times the 2 bytes "1," takes: only a body far beyond any real
  // histogram's meets it before max_buckets.)
  const std::string within = OneMetric(R"("name":"wide","exponentialHistogram":{"dataPoints":[{"positive":{"bucketCounts":[)" +
                                       Counts(30'000) + R"(]}},{"count":"1"}]})");
  auto d = Decode(within);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  EXPECT_EQ(d->result->records, 1u);
  EXPECT_EQ(d->result->rejected, 1u);
  EXPECT_EQ(d->result->rejection,
            "metric \"wide\" data point 0: the exponential histogram has 30000 positive and 0 negative buckets: "
            "more than max_buckets (8192) on a side");

  auto after = Decode(kJsMetrics);  // the next request decodes as usual
  ASSERT_TRUE(after->result.ok());
  EXPECT_EQ(after->result->records, 6u);
}

// ---------------------------------------------------------------------------
// Malformed requests: refused whole, the message naming the place.

TEST(JsonMetricsLimits, MalformedRequestsNameThePlace) {
  const std::string metric = R"({"resourceMetrics":[{"scopeMetrics":[{},{"metrics":[{},{)";
  const std::string end = "}]}]}]}";
  const std::string at = "resourceMetrics[0].scopeMetrics[1].metrics[1].";
  const std::string point = metric + R"("histogram":{"dataPoints":[{},{)";
  const std::string point_end = "}]}" + end;
  const std::string pt = at + "histogram.dataPoints[1].";
  const std::pair<std::string, std::string> cases[] = {
      {"[]", "body: expected a JSON object"},
      {R"({"resourceMetrics": 1})", "resourceMetrics: expected an array"},
      {R"({"resource_metrics": [{"scope_metrics": [{"metrics": [1]}]}]})",
       "resource_metrics[0].scope_metrics[0].metrics[0]: expected an object"},
      {metric + R"("name": 1)" + end, at + "name: expected a string"},
      {metric + R"("unit": [])" + end, at + "unit: expected a string"},
      {metric + R"("metadata": {})" + end, at + "metadata: expected an array"},
      {metric + R"("gauge": [])" + end, at + "gauge: expected an object"},
      {metric + R"("sum": {"isMonotonic": 1})" + end, at + "sum.isMonotonic: expected true or false"},
      {metric + R"("sum": {"aggregationTemporality": "DELTA"})" + end,
       at + "sum.aggregationTemporality: expected a temporality number or name "
            "(AGGREGATION_TEMPORALITY_UNSPECIFIED...)"},
      {metric + R"("summary": {"dataPoints": {}})" + end, at + "summary.dataPoints: expected an array"},
      {metric + R"("gauge": {"dataPoints": [{"asInt": 1.5}]})" + end,
       at + "gauge.dataPoints[0].asInt: expected an integer or a string of digits"},
      {metric + R"("gauge": {"dataPoints": [{"asInt": "9223372036854775808"}]})" + end,
       at + "gauge.dataPoints[0].asInt: 9223372036854775808 is out of the int64 range"},
      {metric + R"("gauge": {"dataPoints": [{"asDouble": "nan"}]})" + end,
       at + "gauge.dataPoints[0].asDouble: expected a number or \"NaN\", \"Infinity\", \"-Infinity\""},
      {metric + R"("gauge": {"dataPoints": [{"asInt": 1, "asDouble": 2}]})" + end,
       at + "gauge.dataPoints[0].asDouble: a second value (asDouble, asInt) in one data point"},
      {metric + R"("gauge": {"dataPoints": [{"exemplars": [{"asDouble": 1, "as_int": 2}]}]})" + end,
       at + "gauge.dataPoints[0].exemplars[0].as_int: a second value (asDouble, asInt) in one data point"},
      {metric + R"("gauge": {"dataPoints": [{"exemplars": [{"traceId": 1}]}]})" + end,
       at + "gauge.dataPoints[0].exemplars[0].traceId: expected a string"},
      {metric + R"("gauge": {"dataPoints": [{"exemplars": [{"filteredAttributes": [{"key": "k", "value": 1}]}]}]})" +
           end,
       at + "gauge.dataPoints[0].exemplars[0].filteredAttributes[0].value: expected an object"},
      {point + R"("count": -1)" + point_end, pt + "count: -1 is negative"},
      {point + R"("bucketCounts": ["1", "-2"])" + point_end,
       pt + "bucketCounts[1]: expected an integer or a string of digits"},
      {point + R"("bucketCounts": [1, null])" + point_end,
       pt + "bucketCounts[1]: expected an integer or a string of digits"},
      {point + R"("bucketCounts": "1")" + point_end, pt + "bucketCounts: expected an array"},
      {point + R"("explicitBounds": [1, "x"])" + point_end,
       pt + "explicitBounds[1]: expected a number or \"NaN\", \"Infinity\", \"-Infinity\""},
      {point + R"("explicitBounds": [true])" + point_end, pt + "explicitBounds[0]: expected a number"},
      {point + R"("sum": "1,5")" + point_end, pt + "sum: expected a number or \"NaN\", \"Infinity\", \"-Infinity\""},
      {point + R"("min": {})" + point_end, pt + "min: expected a number"},
      {point + R"("flags": 4294967296)" + point_end, pt + "flags: 4294967296 is out of range (at most 4294967295)"},
      {point + R"("startTimeUnixNano": "1e9")" + point_end,
       pt + "startTimeUnixNano: expected an integer or a string of digits"},
      {metric + R"("exponentialHistogram": {"dataPoints": [{"scale": 2147483648}]})" + end,
       at + "exponentialHistogram.dataPoints[0].scale: 2147483648 is out of the int32 range"},
      {metric + R"("exponentialHistogram": {"dataPoints": [{"positive": {"offset": "-2147483649"}}]})" + end,
       at + "exponentialHistogram.dataPoints[0].positive.offset: -2147483649 is out of the int32 range"},
      {metric + R"("exponentialHistogram": {"dataPoints": [{"negative": []}]})" + end,
       at + "exponentialHistogram.dataPoints[0].negative: expected an object"},
      {metric + R"("exponentialHistogram": {"dataPoints": [{"zeroCount": 1.0}]})" + end,
       at + "exponentialHistogram.dataPoints[0].zeroCount: expected an integer or a string of digits"},
      {metric + R"("summary": {"dataPoints": [{"quantileValues": [{"quantile": "half"}]}]})" + end,
       at + "summary.dataPoints[0].quantileValues[0].quantile: expected a number or \"NaN\", \"Infinity\", "
            "\"-Infinity\""},
      {metric + R"("summary": {"dataPoints": [{"quantileValues": [{"value": null}, 3]}]})" + end,
       at + "summary.dataPoints[0].quantileValues[1]: expected an object"},
      {metric + R"("gauge": {"aggregationTemporality": tru})" + end, "malformed JSON*"},
      {R"({"resourceMetrics": []}])", "malformed JSON*"},
  };
  for (const auto& [json, message] : cases) testing::ExpectInvalid(&DecodeMetricsJson, json, message);
}

}  // namespace
}  // namespace otelpack::otlp
