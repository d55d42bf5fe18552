// The hand-written metrics decoder and encoder (otlp/decode.h) checked
// against libprotobuf, as crosscheck_test.cc does for traces:
//
//   libprotobuf   -> our decoder        : every field of every data point
//   our encoder   -> libprotobuf        : the same bytes, the same model
//   unpacked, merged, cut requests      : as libprotobuf reads them
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/proto/crosscheck_util.h"
#include "otlp/proto/testing/model_proto.h"
#include "otlp/proto/testing/random_proto.h"
#include "otlp/testing/proto_bytes.h"
#include "otlp/wire.h"

namespace otelpack::otlp {
namespace {

using crosscheck::kKeepAll;
using testing::DiffProtoAndModel;
using testing::ExportMetricsRequest;
using testing::ParseRequest;
using testing::PutFixed64;
namespace metrics = testing::pb::metrics::v1;

class RandomMetricsRequest : public testing::RandomProto {
 public:
  using RandomProto::RandomProto;

  ExportMetricsRequest Make() {
    ExportMetricsRequest req;
    Groups(
        &req, [](ExportMetricsRequest* r) { return r->add_resource_metrics(); },
        [](metrics::ResourceMetrics* g) { return g->add_scope_metrics(); },
        [&](metrics::ScopeMetrics* sm) {
          for (int i = Between(0, 4); i > 0; --i) MetricInto(sm->add_metrics());
        });
    return req;
  }

  void MetricInto(metrics::Metric* m) {
    m->set_name(Chance(0.5) ? "http.server.request.duration" : Text());
    if (Chance(0.5)) m->set_description(Text());
    if (Chance(0.5)) m->set_unit(Chance(0.5) ? "ms" : "{request}");
    switch (Below(6)) {
      case 0:
        for (int i = Between(0, 3); i > 0; --i) NumberPoint(m->mutable_gauge()->add_data_points());
        m->mutable_gauge();
        Unknown(m->mutable_gauge());
        break;
      case 1: {
        metrics::Sum* sum = m->mutable_sum();
        for (int i = Between(0, 3); i > 0; --i) NumberPoint(sum->add_data_points());
        sum->set_aggregation_temporality(Temporality());
        sum->set_is_monotonic(Chance(0.5));
        Unknown(sum);
        break;
      }
      case 2: {
        metrics::Histogram* h = m->mutable_histogram();
        for (int i = Between(0, 3); i > 0; --i) HistogramPoint(h->add_data_points());
        h->set_aggregation_temporality(Temporality());
        Unknown(h);
        break;
      }
      case 3: {
        metrics::ExponentialHistogram* h = m->mutable_exponential_histogram();
        for (int i = Between(0, 3); i > 0; --i) ExponentialPoint(h->add_data_points());
        h->set_aggregation_temporality(Temporality());
        Unknown(h);
        break;
      }
      case 4:
        for (int i = Between(0, 3); i > 0; --i) SummaryPoint(m->mutable_summary()->add_data_points());
        m->mutable_summary();
        Unknown(m->mutable_summary());
        break;
      default:
        break;  // no data: allowed
    }
    if (Chance(0.3)) Attributes(m->mutable_metadata());
    Unknown(m);
  }

  // A histogram point's scalars and exemplars only: merged into another
  // point, its lists still match.
  void HistogramPointWithoutBuckets(metrics::HistogramDataPoint* p) {
    HistogramPoint(p);
    p->clear_bucket_counts();
    p->clear_explicit_bounds();
  }

  void HistogramPoint(metrics::HistogramDataPoint* p) {
    Common(p);
    p->set_count(Bits());
    if (Chance(0.7)) p->set_sum(Chance(0.2) ? 0.0 : Double());  // present even when zero
    if (Chance(0.8)) {
      const int bounds = Between(0, 20);
      for (int i = 0; i < bounds; ++i) p->add_explicit_bounds(Double());
      for (int i = 0; i <= bounds; ++i) p->add_bucket_counts(Chance(0.3) ? 0 : Bits());
    }
    Exemplars(p->mutable_exemplars());
    if (Chance(0.5)) p->set_min(Double());
    if (Chance(0.5)) p->set_max(Double());
    Unknown(p);
  }

  void ExponentialPoint(metrics::ExponentialHistogramDataPoint* p) {
    Common(p);
    p->set_count(Bits());
    if (Chance(0.7)) p->set_sum(Double());
    const std::int32_t scales[] = {0, -10, 20, INT32_MIN, INT32_MAX};
    p->set_scale(Chance(0.5) ? Between(-10, 20) : scales[Below(5)]);
    p->set_zero_count(Bits());
    if (Chance(0.5)) p->set_zero_threshold(Double());
    for (auto* side : {p->mutable_positive(), p->mutable_negative()}) {
      if (Chance(0.8)) side->set_offset(Chance(0.7) ? Between(-100, 100) : static_cast<std::int32_t>(Bits()));
      for (int i = Between(0, 40); i > 0; --i) side->add_bucket_counts(Chance(0.5) ? Below(100) : Bits());
      Unknown(side);
    }
    if (Chance(0.2)) p->clear_negative();
    Exemplars(p->mutable_exemplars());
    if (Chance(0.5)) p->set_min(Double());
    if (Chance(0.5)) p->set_max(Double());
    Unknown(p);
  }

  void SummaryPoint(metrics::SummaryDataPoint* p) {
    Common(p);
    p->set_count(Bits());
    p->set_sum(Double());
    for (int i = Between(0, 5); i > 0; --i) {
      metrics::SummaryDataPoint::ValueAtQuantile* q = p->add_quantile_values();
      q->set_quantile(Chance(0.2) ? 0.0 : Double());
      q->set_value(Double());
      Unknown(q);
    }
    Unknown(p);
  }

  void NumberPoint(metrics::NumberDataPoint* p) {
    Common(p);
    // A point without a value must say so in its flags, or it is left out.
    switch (Below(3)) {
      case 0:
        p->set_as_double(Double());
        break;
      case 1:
        p->set_as_int(Chance(0.2) ? 0 : static_cast<std::int64_t>(Bits()));
        break;
      default:
        p->set_flags(p->flags() | kDataPointNoRecordedValue);
        break;
    }
    Exemplars(p->mutable_exemplars());
    Unknown(p);
  }

 private:
  template <typename Point>
  void Common(Point* p) {
    Attributes(p->mutable_attributes());
    if (Chance(0.8)) p->set_start_time_unix_nano(Bits());
    p->set_time_unix_nano(Bits());
    if (Chance(0.3)) p->set_flags(static_cast<std::uint32_t>(Bits()));
  }

  template <typename Repeated>
  void Exemplars(Repeated* out) {
    for (int i = Between(0, 2); i > 0; --i) {
      metrics::Exemplar* e = out->Add();
      Attributes(e->mutable_filtered_attributes());
      e->set_time_unix_nano(Bits());
      if (Chance(0.5)) {
        e->set_as_double(Double());
      } else if (Chance(0.8)) {
        e->set_as_int(static_cast<std::int64_t>(Bits()));
      }
      if (Chance(0.7)) {
        e->set_trace_id(Id(16));
        e->set_span_id(Id(8));
      }
      Unknown(e);
    }
  }

  // Unknown values too: they read as unspecified.
  metrics::AggregationTemporality Temporality() {
    return static_cast<metrics::AggregationTemporality>(Chance(0.9) ? Below(3) : 7);
  }
};

// `metric_bytes` (one Metric's fields) as the one metric of a request.
std::string RequestWithMetric(std::string_view metric_bytes) { return testing::RequestWithRecords({metric_bytes}); }

void ExpectDecodedAsLibprotobuf(std::string_view bytes, const std::string& what) {
  crosscheck::ExpectDecodedAsLibprotobuf<ExportMetricsRequest, MetricsView>(bytes, DecodeMetricsProto,
                                                                            CountDataPoints, what);
}

TEST(MetricsCrossCheckTest, TheComparisonFindsAOneFieldDifference) {
  ExportMetricsRequest request;
  RandomMetricsRequest random(4, false);
  metrics::Metric* m = request.add_resource_metrics()->add_scope_metrics()->add_metrics();
  random.HistogramPoint(m->mutable_histogram()->add_data_points());
  m->mutable_histogram()->mutable_data_points(0)->set_sum(1.5);
  m->mutable_histogram()->mutable_data_points(0)->add_bucket_counts(1);
  m->mutable_histogram()->mutable_data_points(0)->clear_explicit_bounds();
  m->mutable_histogram()->mutable_data_points(0)->clear_bucket_counts();
  m->mutable_histogram()->mutable_data_points(0)->add_bucket_counts(3);
  const std::string bytes = request.SerializeAsString();
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(bytes, arena, kKeepAll);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(DiffProtoAndModel(request, decoded->data), "");
  auto* point = request.mutable_resource_metrics(0)->mutable_scope_metrics(0)->mutable_metrics(0)
                    ->mutable_histogram()->mutable_data_points(0);
  point->set_bucket_counts(0, 4);
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("data_points[0].bucket_counts[0]"), std::string::npos);
  point->set_bucket_counts(0, 3);
  point->clear_sum();
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("data_points[0].sum"), std::string::npos);
  point->set_sum(-0.0);
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("data_points[0].sum"), std::string::npos);
  point->set_sum(1.5);
  request.mutable_resource_metrics(0)->mutable_scope_metrics(0)->mutable_metrics(0)->mutable_gauge();
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("metrics[0].kind"), std::string::npos);
}

// Every field of every message of ExportMetricsServiceRequest, with values
// that are not their default.
ExportMetricsRequest EveryFieldRequest() {
  RandomMetricsRequest random(77, false);
  ExportMetricsRequest request;
  metrics::ResourceMetrics* rm = request.add_resource_metrics();
  random.EveryResourceField(rm->mutable_resource());
  rm->set_schema_url("https://opentelemetry.io/schemas/1.24.0");
  metrics::ScopeMetrics* sm = rm->add_scope_metrics();
  random.EveryScopeField(sm->mutable_scope());
  sm->set_schema_url("https://opentelemetry.io/schemas/1.25.0");
  auto exemplars = [&](auto* repeated) {
    for (bool as_double : {true, false}) {
      metrics::Exemplar* e = repeated->Add();
      random.EveryValueType(e->mutable_filtered_attributes());
      e->set_time_unix_nano(11);
      as_double ? e->set_as_double(0.5) : e->set_as_int(-5);
      e->set_span_id(random.Id(8));
      e->set_trace_id(random.Id(16));
    }
  };
  auto common = [&](auto* p) {
    random.EveryValueType(p->mutable_attributes());
    p->set_start_time_unix_nano(1);
    p->set_time_unix_nano(2);
    p->set_flags(kDataPointNoRecordedValue | 2);
  };
  auto metric = [&](const char* name) {
    metrics::Metric* m = sm->add_metrics();
    m->set_name(name);
    m->set_description("the " + std::string(name));
    m->set_unit("ms");
    random.EveryValueType(m->mutable_metadata());
    return m;
  };
  for (bool as_double : {true, false}) {
    metrics::NumberDataPoint* p = metric("queue.depth")->mutable_gauge()->add_data_points();
    common(p);
    as_double ? p->set_as_double(1.5) : p->set_as_int(7);
    exemplars(p->mutable_exemplars());
  }
  metrics::Sum* sum = metric("requests")->mutable_sum();
  common(sum->add_data_points());
  sum->mutable_data_points(0)->set_as_int(1);
  sum->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  sum->set_is_monotonic(true);
  metrics::Histogram* histogram = metric("duration")->mutable_histogram();
  histogram->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_DELTA);
  metrics::HistogramDataPoint* h = histogram->add_data_points();
  common(h);
  h->set_count(3);
  h->set_sum(4.5);
  for (std::uint64_t c : {1, 0, 2}) h->add_bucket_counts(c);
  for (double b : {1.0, 10.0}) h->add_explicit_bounds(b);
  exemplars(h->mutable_exemplars());
  h->set_min(0.5);
  h->set_max(12);
  metrics::ExponentialHistogram* exponential = metric("latency")->mutable_exponential_histogram();
  exponential->set_aggregation_temporality(metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  metrics::ExponentialHistogramDataPoint* e = exponential->add_data_points();
  common(e);
  e->set_count(6);
  e->set_sum(-2.5);
  e->set_scale(-2);
  e->set_zero_count(1);
  e->set_zero_threshold(1e-9);
  for (auto* side : {e->mutable_positive(), e->mutable_negative()}) {
    side->set_offset(-3);
    for (std::uint64_t c : {1, 2}) side->add_bucket_counts(c);
  }
  exemplars(e->mutable_exemplars());
  e->set_min(-4);
  e->set_max(8);
  metrics::SummaryDataPoint* q = metric("gc.pause")->mutable_summary()->add_data_points();
  common(q);
  q->set_count(2);
  q->set_sum(0.25);
  metrics::SummaryDataPoint::ValueAtQuantile* v = q->add_quantile_values();
  v->set_quantile(0.99);
  v->set_value(0.2);
  return request;
}

TEST(MetricsCrossCheckTest, ARequestWithEveryFieldSetDecodesAndEncodesAsLibprotobuf) {
  const ExportMetricsRequest request = EveryFieldRequest();
  EXPECT_EQ(crosscheck::FieldsNeverSet(request), std::set<std::string>());
  const std::string bytes = request.SerializeAsString();
  ExpectDecodedAsLibprotobuf(bytes, "every field");
  crosscheck::ExpectOurEncodingIsLibprotobufs<ExportMetricsRequest, MetricsView>(bytes, DecodeMetricsProto,
                                                                                 EncodeMetricsProto, "every field");
}

TEST(MetricsCrossCheckTest, LibprotobufRequestsDecodeToTheSameModel) {
  std::size_t points = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    for (bool unknown_fields : {false, true}) {
      const std::string bytes = RandomMetricsRequest(seed, unknown_fields).Make().SerializeAsString();
      ExpectDecodedAsLibprotobuf(bytes, "seed " + std::to_string(seed) + (unknown_fields ? " with unknown fields" : ""));
      if (::testing::Test::HasFailure()) return;
      Arena arena;
      points += DecodeMetricsProto(bytes, arena, kKeepAll)->records;
    }
  }
  EXPECT_GT(points, 1000u);
}

TEST(MetricsCrossCheckTest, OurEncodingIsLibprotobufsAndParsesToTheSameModel) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    crosscheck::ExpectOurEncodingIsLibprotobufs<ExportMetricsRequest, MetricsView>(
        RandomMetricsRequest(seed, true).Make().SerializeAsString(), DecodeMetricsProto, EncodeMetricsProto,
        "seed " + std::to_string(seed));
  }
}

TEST(MetricsCrossCheckTest, ConcatenatedRequestsDecodeAsLibprotobufMergesThem) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    ExpectDecodedAsLibprotobuf(RandomMetricsRequest(seed, true).Make().SerializeAsString() +
                                   RandomMetricsRequest(seed + 1000, true).Make().SerializeAsString(),
                               "seed " + std::to_string(seed));
  }
}

TEST(MetricsCrossCheckTest, AMetricSplitAcrossOccurrencesMergesLikeLibprotobuf) {
  // Metric messages written back to back are one metric to protobuf: the
  // same data member merges (its points add up), another one replaces it
  // (the last member present wins), scalars of the last occurrence win.
  int replaced = 0, merged = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    RandomMetricsRequest random(seed, seed % 2 == 0);
    metrics::Metric first, second;
    random.MetricInto(&first);
    random.MetricInto(&second);
    if (first.data_case() != metrics::Metric::DATA_NOT_SET && second.data_case() != metrics::Metric::DATA_NOT_SET) {
      (first.data_case() == second.data_case() ? merged : replaced)++;
    }
    ExpectDecodedAsLibprotobuf(RequestWithMetric(first.SerializeAsString() + second.SerializeAsString()),
                               "seed " + std::to_string(seed));
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(merged, 10);
  EXPECT_GT(replaced, 100);
}

TEST(MetricsCrossCheckTest, ADataPointSplitAcrossOccurrencesMergesLikeLibprotobuf) {
  // The same for one data point: exponential buckets of a side add up, the
  // oneof value and optional doubles of the last occurrence win.
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    RandomMetricsRequest random(seed, false);
    metrics::ExponentialHistogramDataPoint e1, e2;
    random.ExponentialPoint(&e1);
    random.ExponentialPoint(&e2);
    metrics::HistogramDataPoint h1, h2;
    random.HistogramPoint(&h1);
    random.HistogramPointWithoutBuckets(&h2);
    metrics::NumberDataPoint n1, n2;
    random.NumberPoint(&n1);
    random.NumberPoint(&n2);
    metrics::SummaryDataPoint s1, s2;
    random.SummaryPoint(&s1);
    random.SummaryPoint(&s2);
    std::string exponential, histogram, gauge, summary;
    wire::PutBytes(1, e1.SerializeAsString() + e2.SerializeAsString(), &exponential);
    wire::PutBytes(1, h1.SerializeAsString() + h2.SerializeAsString(), &histogram);
    wire::PutBytes(1, n1.SerializeAsString() + n2.SerializeAsString(), &gauge);
    wire::PutBytes(1, s1.SerializeAsString() + s2.SerializeAsString(), &summary);
    std::string m;
    wire::PutBytes(10, exponential, &m);
    ExpectDecodedAsLibprotobuf(RequestWithMetric(m), "exponential, seed " + std::to_string(seed));
    m.clear();
    wire::PutBytes(9, histogram, &m);
    ExpectDecodedAsLibprotobuf(RequestWithMetric(m), "histogram, seed " + std::to_string(seed));
    m.clear();
    wire::PutBytes(5, gauge, &m);
    ExpectDecodedAsLibprotobuf(RequestWithMetric(m), "gauge, seed " + std::to_string(seed));
    m.clear();
    wire::PutBytes(11, summary, &m);
    ExpectDecodedAsLibprotobuf(RequestWithMetric(m), "summary, seed " + std::to_string(seed));
    if (::testing::Test::HasFailure()) return;
  }
}

// --- Packed and unpacked -------------------------------------------------------

std::string PackedFixed64(std::initializer_list<std::uint64_t> values) {
  std::string packed;
  for (std::uint64_t v : values) {
    for (int i = 0; i < 8; ++i) packed.push_back(static_cast<char>(v >> (8 * i)));
  }
  return packed;
}

TEST(MetricsCrossCheckTest, RepeatedNumbersPackedUnpackedAndMixedReadAsLibprotobufReadsThem) {
  // HistogramDataPoint: bucket_counts (6) as two packed runs around two
  // unpacked values, explicit_bounds (7) unpacked: counts 1..5, bounds 1..4.
  std::string point;
  wire::PutBytes(6, PackedFixed64({1, 2}), &point);
  PutFixed64(6, 3, &point);
  for (double b : {1.0, 2.0}) PutFixed64(7, std::bit_cast<std::uint64_t>(b), &point);
  PutFixed64(6, 4, &point);
  wire::PutBytes(6, PackedFixed64({5}), &point);
  wire::PutBytes(7, PackedFixed64({std::bit_cast<std::uint64_t>(3.0)}), &point);
  PutFixed64(7, std::bit_cast<std::uint64_t>(4.0), &point);
  wire::PutBytes(6, "", &point);  // an empty packed run
  std::string histogram, metric;
  wire::PutBytes(1, point, &histogram);
  wire::PutBytes(9, histogram, &metric);
  const std::string bytes = RequestWithMetric(metric);
  ExpectDecodedAsLibprotobuf(bytes, "histogram");
  Arena arena;
  Result<DecodedMetrics> decoded = DecodeMetricsProto(bytes, arena);
  ASSERT_TRUE(decoded.ok());
  const HistogramDataPoint& p = decoded->data[0].scope_metrics[0].metrics[0].histogram_points[0];
  EXPECT_EQ(std::vector<std::uint64_t>(p.bucket_counts.begin(), p.bucket_counts.end()),
            (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p.bucket_counts.data()) % alignof(std::uint64_t), 0u);

  // Exponential buckets (uint64 varints): unpacked, then packed, then unpacked.
  std::string positive;
  wire::PutVarintField(2, 300, &positive);
  std::string run;
  for (std::uint64_t v : {0ull, 1ull << 40, 7ull}) wire::PutVarint(v, &run);
  wire::PutBytes(2, run, &positive);
  wire::PutVarintField(1, 5, &positive);  // offset -3, zigzag
  wire::PutVarintField(2, UINT64_MAX, &positive);
  std::string exp_point, exponential;
  wire::PutBytes(8, positive, &exp_point);
  wire::PutBytes(1, exp_point, &exponential);
  metric.clear();
  wire::PutBytes(10, exponential, &metric);
  ExpectDecodedAsLibprotobuf(RequestWithMetric(metric), "exponential histogram");
}

TEST(MetricsCrossCheckTest, MalformedPackedRunsAreRefusedAsLibprotobufRefusesThem) {
  // A fixed64 run of 12 bytes, and a varint run that ends inside a varint.
  std::string bad_fixed, bad_varint;
  wire::PutBytes(6, std::string(12, '\x01'), &bad_fixed);
  std::string positive;
  wire::PutBytes(2, std::string("\x01\x80", 2), &positive);
  wire::PutBytes(8, positive, &bad_varint);
  for (const auto& [point_field, point] : {std::pair{9, bad_fixed}, std::pair{10, bad_varint}}) {
    std::string data, metric;
    wire::PutBytes(1, point, &data);
    wire::PutBytes(static_cast<std::uint32_t>(point_field), data, &metric);
    const std::string bytes = RequestWithMetric(metric);
    ExportMetricsRequest parsed;
    EXPECT_FALSE(ParseRequest(bytes, &parsed));
    Arena arena;
    Result<DecodedMetrics> decoded = DecodeMetricsProto(bytes, arena);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(decoded.status().message().find("data_points[0]"), std::string::npos) << decoded.status().message();
  }
}

// --- Cut and damaged requests -------------------------------------------------

TEST(MetricsCrossCheckTest, CutRequestsAreRefusedOrDecodedExactlyAsLibprotobufDoes) {
  ExportMetricsRequest request = RandomMetricsRequest(5, false).Make();
  for (std::uint64_t seed = 6; request.ByteSizeLong() < 4000; ++seed) request.MergeFrom(RandomMetricsRequest(seed, false).Make());
  crosscheck::ExpectEveryCutAsLibprotobuf<ExportMetricsRequest>(request.SerializeAsString(), DecodeMetricsProto);
}

TEST(MetricsCrossCheckTest, DamagedRequestsNeverCrashTheDecoder) {
  std::string valid;
  for (std::uint64_t seed = 30; seed < 36; ++seed) valid += RandomMetricsRequest(seed, true).Make().SerializeAsString();
  crosscheck::ExpectDamageNeverCrashes<MetricsView>(valid, 8, DecodeMetricsProto, CountDataPoints);
}

}  // namespace
}  // namespace otelpack::otlp
