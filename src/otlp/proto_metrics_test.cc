// The hand-written protobuf metrics decoder: round trips through the encoder,
// every kind and field, the oneof rules, data points left out (and why), the
// bucket, exemplar and budget limits, and error paths.
// (crosscheck_metrics_test.cc checks it against libprotobuf.)
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "otlp/decode.h"
#include "otlp/testing/proto_bytes.h"
#include "otlp/wire.h"

namespace otelpack::otlp {
namespace {

using testing::PutFixed64;

std::string Encode(std::span<const Metric> metrics) {
  const ScopeMetrics scope{.scope = {.name = "io.opentelemetry.http"}, .metrics = metrics};
  const ResourceMetrics resource{.scope_metrics = {&scope, 1}};
  std::string out;
  EncodeMetricsProto({&resource, 1}, &out);
  return out;
}

std::string Reencode(MetricsView metrics) {
  std::string out;
  EncodeMetricsProto(metrics, &out);
  return out;
}

// A request of one metric with these fields (bytes).
std::string RequestWithMetric(std::string_view metric) { return testing::RequestWithRecords({metric}); }

// A Metric's data member `field` holding these data points (bytes) and the
// member's other fields.
std::string Member(std::uint32_t field, std::initializer_list<std::string> points, std::string_view rest = {}) {
  std::string data, out;
  for (const std::string& p : points) wire::PutBytes(1, p, &data);
  data.append(rest);
  wire::PutBytes(field, data, &out);
  return out;
}

std::string ValuePoint(double v) {
  std::string p;
  PutFixed64(4, std::bit_cast<std::uint64_t>(v), &p);
  return p;
}

const Metric& OnlyMetric(const DecodedMetrics& d) { return d.data[0].scope_metrics[0].metrics[0]; }

TEST(ProtoMetricsDecoder, RoundTripsEveryKindAndField) {
  const KeyValue attrs[] = {{"http.route", AnyValue::String("/orders")}, {"status", AnyValue::Int(200)}};
  Exemplar exemplar{.filtered_attributes = attrs, .time_unix_nano = 17, .value = NumberValue::Double(0.25)};
  exemplar.trace_id.bytes[3] = 9;
  exemplar.span_id.bytes[1] = 8;
  const Exemplar exemplars[] = {exemplar, {.time_unix_nano = 18, .value = NumberValue::Int(-4)}};
  const NumberDataPoint numbers[] = {
      {.attributes = attrs, .start_time_unix_nano = 1, .time_unix_nano = 2, .value = NumberValue::Int(0),
       .exemplars = exemplars, .flags = 0},
      {.time_unix_nano = 3, .value = NumberValue::Double(-0.0)},
      {.time_unix_nano = 4, .flags = kDataPointNoRecordedValue}};
  const std::uint64_t counts[] = {0, 5, 1};
  const double bounds[] = {0.5, 10};
  const HistogramDataPoint histograms[] = {
      {.attributes = attrs, .start_time_unix_nano = 5, .time_unix_nano = 6, .count = 6, .sum = 0.0,
       .bucket_counts = counts, .explicit_bounds = bounds, .exemplars = exemplars, .flags = 0, .min = 0.1,
       .max = 12.5},
      {.time_unix_nano = 7, .count = 0}};  // sum, min, max absent
  const std::uint64_t positive[] = {3, 0, 1ull << 40};
  const ExponentialHistogramDataPoint exponential[] = {
      {.attributes = attrs, .start_time_unix_nano = 8, .time_unix_nano = 9, .count = 4, .sum = 3.5, .scale = -3,
       .zero_count = 1, .zero_threshold = 1e-9, .positive = {.offset = -2, .bucket_counts = positive},
       .negative = {.offset = 7}, .flags = 0, .exemplars = exemplars, .min = -1, .max = 2}};
  const ValueAtQuantile quantiles[] = {{0, 0.5}, {0.99, 8.5}, {1, 9}};
  const SummaryDataPoint summaries[] = {
      {.attributes = attrs, .start_time_unix_nano = 10, .time_unix_nano = 11, .count = 3, .sum = 18,
       .quantile_values = quantiles, .flags = 1}};
  const Metric metrics[] = {
      {.name = "queue.depth", .unit = "{item}", .kind = MetricKind::kGauge, .number_points = numbers},
      {.name = "http.server.requests", .description = "Requests served", .kind = MetricKind::kSum,
       .temporality = AggregationTemporality::kCumulative, .monotonic = true, .number_points = numbers,
       .metadata = attrs},
      {.name = "http.server.duration", .unit = "ms", .kind = MetricKind::kHistogram,
       .temporality = AggregationTemporality::kDelta, .histogram_points = histograms},
      {.name = "rpc.latency", .kind = MetricKind::kExponentialHistogram,
       .temporality = AggregationTemporality::kCumulative, .exponential_histogram_points = exponential},
      {.name = "gc.pause", .kind = MetricKind::kSummary, .summary_points = summaries},
      {.name = "empty.gauge", .kind = MetricKind::kGauge},
      {.name = "no.data"}};
  const std::string body = Encode(metrics);

  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(body, arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 0u) << decoded->rejection;
  EXPECT_EQ(decoded->records, 3u + 3u + 2u + 1u + 1u);
  EXPECT_TRUE(Reencode(decoded->data) == body) << "a field was lost or changed";

  std::span<const Metric> got = decoded->data[0].scope_metrics[0].metrics;
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[0].kind, MetricKind::kGauge);
  EXPECT_EQ(got[0].number_points[0].value.type, NumberValue::Type::kInt);  // as_int 0 is a value
  EXPECT_EQ(got[0].number_points[1].value.type, NumberValue::Type::kDouble);
  EXPECT_TRUE(std::signbit(got[0].number_points[1].value.as_double));
  EXPECT_EQ(got[0].number_points[0].exemplars[0].trace_id.bytes[3], 9);
  EXPECT_EQ(got[1].temporality, AggregationTemporality::kCumulative);
  EXPECT_TRUE(got[1].monotonic);
  EXPECT_EQ(got[1].metadata.size(), 2u);
  EXPECT_EQ(got[1].description, "Requests served");
  const HistogramDataPoint& h = got[2].histogram_points[0];
  ASSERT_TRUE(h.sum.has_value());  // present, though zero
  EXPECT_EQ(*h.sum, 0.0);
  EXPECT_EQ(*h.max, 12.5);
  EXPECT_FALSE(got[2].histogram_points[1].sum.has_value());
  EXPECT_FALSE(got[2].histogram_points[1].min.has_value());
  EXPECT_EQ(std::vector<double>(h.explicit_bounds.begin(), h.explicit_bounds.end()), (std::vector<double>{0.5, 10}));
  const ExponentialHistogramDataPoint& e = got[3].exponential_histogram_points[0];
  EXPECT_EQ(e.scale, -3);
  EXPECT_EQ(e.positive.offset, -2);
  EXPECT_EQ(e.positive.bucket_counts[2], 1ull << 40);
  EXPECT_EQ(e.negative.offset, 7);
  EXPECT_EQ(e.zero_threshold, 1e-9);
  EXPECT_EQ(got[4].summary_points[0].quantile_values[1].quantile, 0.99);
  EXPECT_EQ(got[4].temporality, AggregationTemporality::kUnspecified);
  EXPECT_EQ(got[5].kind, MetricKind::kGauge);
  EXPECT_EQ(got[6].kind, MetricKind::kNone);
}

TEST(ProtoMetricsDecoder, TheLastDataMemberWinsAndTheSameOneMerges) {
  std::string temporality_monotonic;
  wire::PutVarintField(2, 2, &temporality_monotonic);
  wire::PutVarintField(3, 1, &temporality_monotonic);
  Arena arena;
  // gauge {1 point}, then sum {2 points, cumulative, monotonic}: a sum of 2.
  Result<DecodedMetrics> decoded = DecodeMetricsProto(
      RequestWithMetric(Member(5, {ValuePoint(1)}) + Member(7, {ValuePoint(2), ValuePoint(3)}, temporality_monotonic)),
      arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(OnlyMetric(*decoded).kind, MetricKind::kSum);
  EXPECT_EQ(OnlyMetric(*decoded).number_points.size(), 2u);
  EXPECT_EQ(OnlyMetric(*decoded).number_points[0].value.as_double, 2);
  EXPECT_TRUE(OnlyMetric(*decoded).monotonic);
  EXPECT_EQ(decoded->records, 2u);
  // sum {cumulative, monotonic}, then gauge: nothing of the sum is left.
  decoded = DecodeMetricsProto(
      RequestWithMetric(Member(7, {ValuePoint(2)}, temporality_monotonic) + Member(5, {ValuePoint(1)})), arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(OnlyMetric(*decoded).kind, MetricKind::kGauge);
  EXPECT_EQ(OnlyMetric(*decoded).temporality, AggregationTemporality::kUnspecified);
  EXPECT_FALSE(OnlyMetric(*decoded).monotonic);
  EXPECT_EQ(OnlyMetric(*decoded).number_points.size(), 1u);
  // sum twice: its points add up, the temporality stays.
  decoded = DecodeMetricsProto(
      RequestWithMetric(Member(7, {ValuePoint(2)}, temporality_monotonic) + Member(7, {ValuePoint(3)})), arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(OnlyMetric(*decoded).number_points.size(), 2u);
  EXPECT_EQ(OnlyMetric(*decoded).temporality, AggregationTemporality::kCumulative);
  // A point left out of a member that is then replaced is not counted.
  decoded = DecodeMetricsProto(RequestWithMetric(Member(5, {std::string()}) + Member(7, {ValuePoint(3)})), arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->rejected, 0u);
  EXPECT_EQ(decoded->records, 1u);
}

TEST(ProtoMetricsDecoder, AnUnknownTemporalityIsUnspecified) {
  std::string temporality;
  wire::PutVarintField(2, 7, &temporality);
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(RequestWithMetric(Member(9, {}, temporality)), arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(OnlyMetric(*decoded).kind, MetricKind::kHistogram);
  EXPECT_EQ(OnlyMetric(*decoded).temporality, AggregationTemporality::kUnspecified);
  // The varint's low 32 bits, as protobuf reads an enum: 2^32 + 1 is delta.
  temporality.clear();
  wire::PutVarintField(2, (1ull << 32) + 1, &temporality);
  decoded = DecodeMetricsProto(RequestWithMetric(Member(9, {}, temporality)), arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(OnlyMetric(*decoded).temporality, AggregationTemporality::kDelta);
}

TEST(ProtoMetricsDecoder, LeavesOutPointsThatCannotBecomeAnEventAndSaysWhy) {
  std::string stale;  // no value, but it says so: kept
  wire::PutVarintField(8, kDataPointNoRecordedValue, &stale);
  std::string name;
  wire::PutBytes(1, "queue.depth", &name);
  Arena arena;
  Result<DecodedMetrics> decoded =
      DecodeMetricsProto(RequestWithMetric(name + Member(5, {ValuePoint(1), std::string(), stale, ""})), arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 2u);
  EXPECT_EQ(decoded->rejected, 2u);
  EXPECT_EQ(decoded->rejection,
            "metric \"queue.depth\" data point 1: the data point has no value (neither as_int nor as_double)");
  EXPECT_EQ(OnlyMetric(*decoded).number_points.size(), 2u);
  EXPECT_EQ(OnlyMetric(*decoded).number_points[1].flags, kDataPointNoRecordedValue);

  // A histogram of 3 bucket counts for 1 bound; the name comes after the data.
  std::string bad;
  wire::PutBytes(6, std::string(24, '\0'), &bad);
  PutFixed64(7, std::bit_cast<std::uint64_t>(1.0), &bad);
  decoded = DecodeMetricsProto(RequestWithMetric(Member(9, {bad}) + name), arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->rejected, 1u);
  EXPECT_EQ(decoded->rejection.rfind("metric \"queue.depth\" data point 0: the histogram has 3 bucket counts", 0), 0u)
      << decoded->rejection;
}

TEST(ProtoMetricsDecoder, MaxBucketsLeavesOutLargerPoints) {
  auto histogram = [](int bounds) {
    std::string p;
    for (int i = 0; i < bounds; ++i) PutFixed64(7, std::bit_cast<std::uint64_t>(static_cast<double>(i)), &p);
    for (int i = 0; i <= bounds; ++i) PutFixed64(6, 1, &p);  // unpacked
    return p;
  };
  auto exponential = [](int buckets) {
    std::string side, p;
    for (int i = 0; i < buckets; ++i) wire::PutVarintField(2, 1, &side);
    wire::PutBytes(9, side, &p);
    return p;
  };
  auto summary = [](int quantiles) {
    std::string p;
    for (int i = 0; i < quantiles; ++i) wire::PutBytes(6, "", &p);
    return p;
  };
  const DecodeLimits limits{.max_buckets = 4};
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(
      RequestWithMetric(Member(9, {histogram(4), histogram(5)})) + RequestWithMetric(Member(10, {exponential(4), exponential(5)})) +
          RequestWithMetric(Member(11, {summary(4), summary(5)})),
      arena, limits);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 3u);
  EXPECT_EQ(decoded->rejected, 3u);
  EXPECT_EQ(decoded->rejection, "metric \"\" data point 1: explicit_bounds has 5 entries, more than the 4 max_buckets allows");
  EXPECT_EQ(decoded->data[0].scope_metrics[0].metrics[0].histogram_points[0].bucket_counts.size(), 5u);
  EXPECT_EQ(decoded->data[1].scope_metrics[0].metrics[0].exponential_histogram_points[0].negative.bucket_counts.size(),
            4u);
  EXPECT_EQ(decoded->data[2].scope_metrics[0].metrics[0].summary_points[0].quantile_values.size(), 4u);
}

TEST(ProtoMetricsDecoder, AHistogramOfTenMillionBucketsTakesNoMemoryAndIsLeftOut) {
  std::string buckets;
  wire::PutTag(2, wire::kLen, &buckets);
  wire::PutVarint(10'000'000, &buckets);
  buckets.append(10'000'000, '\x01');
  std::string point;
  wire::PutBytes(8, buckets, &point);
  const std::string body = RequestWithMetric(Member(10, {point, std::string()}));
  ASSERT_GT(body.size(), 10'000'000u);
  // The budget counts what the scratch stacks and the arena take: 1 MiB is
  // room for the points' lists, not for ten million counts.
  const DecodeLimits limits{.max_decoded_bytes = 1u << 20};
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(body, arena, limits);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 1u);
  EXPECT_EQ(decoded->records, 1u);
  EXPECT_EQ(decoded->rejection,
            "metric \"\" data point 0: positive.bucket_counts has 10000000 entries, more than the 8192 max_buckets "
            "allows");
  EXPECT_LT(arena.bytes_reserved(), 1u << 20);

  // The same as 1 M packed fixed64 bucket counts: not one is copied.
  std::string counts;
  wire::PutBytes(6, std::string(8'000'000, '\x02'), &counts);
  arena.Reset();
  decoded = DecodeMetricsProto(RequestWithMetric(Member(9, {counts})), arena, limits);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->rejected, 1u);
  EXPECT_LT(arena.bytes_reserved(), 1u << 20);
}

TEST(ProtoMetricsDecoder, ExemplarsPastTheLimitOrWithBadIdsAreDropped) {
  std::string point = ValuePoint(1);
  for (int i = 0; i < 5; ++i) {
    std::string exemplar;
    PutFixed64(2, static_cast<std::uint64_t>(i), &exemplar);
    if (i == 0) wire::PutBytes(4, "1234567", &exemplar);  // a 7-byte span id: dropped
    if (i == 1) wire::PutBytes(5, std::string(16, '\0'), &exemplar);  // zero: "none", kept
    wire::PutBytes(5, exemplar, &point);
  }
  Arena arena;
  Result<DecodedMetrics> decoded =
      DecodeMetricsProto(RequestWithMetric(Member(5, {point})), arena, {.max_exemplars = 3});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 0u);
  std::span<const Exemplar> exemplars = OnlyMetric(*decoded).number_points[0].exemplars;
  ASSERT_EQ(exemplars.size(), 3u);
  EXPECT_EQ(exemplars[0].time_unix_nano, 1u);
  EXPECT_EQ(exemplars[2].time_unix_nano, 3u);
}

TEST(ProtoMetricsDecoder, AttributesAndMetadataKeepMaxAttributes) {
  std::string metric, point = ValuePoint(1);
  for (int i = 0; i < 5; ++i) {
    wire::PutBytes(12, std::string("\x0a\x01m", 3), &metric);
    wire::PutBytes(7, std::string("\x0a\x01p", 3), &point);
  }
  Arena arena;
  Result<DecodedMetrics> decoded =
      DecodeMetricsProto(RequestWithMetric(metric + Member(5, {point})), arena, {.max_attributes = 2});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(OnlyMetric(*decoded).metadata.size(), 2u);
  EXPECT_EQ(OnlyMetric(*decoded).number_points[0].attributes.size(), 2u);
}

TEST(ProtoMetricsDecoder, ErrorsNameTheFieldAndItsPlace) {
  std::string exemplar;
  wire::PutVarintField(2, 1, &exemplar);  // time_unix_nano as a varint
  std::string point;
  wire::PutBytes(8, exemplar, &point);
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(RequestWithMetric(Member(9, {std::string(), point})), arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(),
            "invalid OTLP protobuf: resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[1]."
            "exemplars[0]: time_unix_nano (field 2): wrong wire type 0");
  std::string bad_bounds;
  wire::PutBytes(7, "1234567", &bad_bounds);
  decoded = DecodeMetricsProto(RequestWithMetric(Member(9, {bad_bounds})), arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(),
            "invalid OTLP protobuf: resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[0]: "
            "explicit_bounds (field 7): packed length is not a multiple of 8");
}

TEST(ProtoMetricsDecoder, RefusesARequestBuiltToAmplifyMemory) {
  // 1 M gauge points {flags: 1}: 4 bytes each on the wire, over 80 decoded.
  std::string points;
  for (int i = 0; i < 1'000'000; ++i) points.append("\x0a\x02\x40\x01", 4);
  std::string gauge;
  wire::PutBytes(5, points, &gauge);
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(RequestWithMetric(gauge), arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  EXPECT_LT(arena.bytes_reserved(), 20u << 20);
  // 1 M empty metrics: 2 bytes each.
  std::string scope;
  for (int i = 0; i < 1'000'000; ++i) scope.append("\x12\x00", 2);
  std::string resource, body;
  wire::PutBytes(2, scope, &resource);
  wire::PutBytes(1, resource, &body);
  decoded = DecodeMetricsProto(body, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
}

}  // namespace
}  // namespace otelpack::otlp
