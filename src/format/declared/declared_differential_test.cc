// The built-in declarations, compiled, against the hand-written encoders:
// byte for byte the same events, names and whole bodies, with every
// ExtraFields combination, on the loadgen generators, the sample signals and
// the hand-written encoders' own hard cases (hostile strings, invalid UTF-8,
// empty and absent everything, NaN and infinities, values nested past the
// depth cap, every metric kind, points without a recorded value, histograms
// whose counts and bounds do not match).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "format/declared/builtin.h"
#include "format/declared/compile.h"
#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/event_checks.h"
#include "format/testing/sample_signals.h"
#include "format/testing/whole_body.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"

namespace otelpack::format::declared {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ExtraFields Extra(unsigned bits) {
  return {(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0};
}

std::shared_ptr<const CompiledFormat> Builtin(ExtraFields extra) {
  CompileResult r = Compile(BuiltinDeclaration(extra), {.project_id = "prod-main"});
  EXPECT_TRUE(r.ok()) << DeclarationErrorsStatus("built-in", r.errors).ToString();
  return r.format;
}

// Both encoders on `data`: the same events with the same names, and the
// same whole body in each one's envelope.
template <typename View>
void ExpectSame(SignalEncoder<View>& hand, SignalEncoder<View>& declared, const Envelope& envelope, View data) {
  testing::EventList a, b;
  hand.Encode(data, a);
  declared.Encode(data, b);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) ASSERT_EQ(a.events[i], b.events[i]) << "event " << i;
  EXPECT_EQ(a.names, b.names);
  const Envelope article = Envelope::ForProject("prod-main");
  testing::WholeBody hand_body(article), declared_body(envelope);
  Buffer x, y;
  hand_body.Encode(hand, data, &x);
  declared_body.Encode(declared, data, &y);
  ASSERT_EQ(x.view(), y.view());
}

TEST(DeclaredDifferentialTest, TheBuiltinEnvelopeAndHeadersAreTheArticles) {
  auto f = Builtin({});
  Buffer a, b;
  Envelope::ForProject("prod-main").AppendPrefix(&a);
  f->envelope().AppendPrefix(&b);
  Envelope::ForProject("prod-main").AppendSuffix(-9223372036854775807 - 1, &a);
  f->envelope().AppendSuffix(-9223372036854775807 - 1, &b);
  EXPECT_EQ(a.view(), b.view());
  EXPECT_EQ(f->envelope().overhead_bytes(), Envelope::ForProject("prod-main").overhead_bytes());
  EXPECT_EQ(f->envelope().separator_bytes(), 1u);
  ASSERT_EQ(f->headers().size(), 1u);
  EXPECT_EQ(f->headers()[0].name, "X-Project-ID");
  EXPECT_EQ(f->headers()[0].value, "prod-main");
  EXPECT_EQ(f->content_type(), "application/json");
  for (Signal s : kAllSignals) EXPECT_EQ(f->path(s), "/v1/ingest");
}

TEST(DeclaredDifferentialTest, LoadgenSpansWithEveryExtraFieldCombination) {
  loadgen::GeneratorOptions plain, odd;
  odd.all_value_types = true;
  odd.seed = 7;
  loadgen::SpanGenerator a(plain), b(odd);
  const TracesView spans = a.Next(600);
  const TracesView hostile = b.Next(600);
  for (unsigned bits = 0; bits < 64; ++bits) {
    SCOPED_TRACE(bits);
    auto f = Builtin(Extra(bits));
    SpanEncoder hand(Extra(bits));
    std::unique_ptr<TracesEncoder> declared = f->NewTracesEncoder();
    ExpectSame<TracesView>(hand, *declared, f->envelope(), spans);
    ExpectSame<TracesView>(hand, *declared, f->envelope(), hostile);
  }
}

TEST(DeclaredDifferentialTest, LogsAndMetricsWithEveryExtraFieldCombination) {
  loadgen::LogGenerator logs;
  loadgen::MetricGenerator metrics;
  testing::SampleLogs sample_logs;
  testing::SampleMetrics sample_metrics;
  const LogsView l1 = logs.Next(800);
  const LogsView l2 = sample_logs.Next(800);
  const MetricsView m1 = metrics.Next(800);
  const MetricsView m2 = sample_metrics.Next(800);
  for (unsigned bits = 0; bits < 64; ++bits) {
    SCOPED_TRACE(bits);
    auto f = Builtin(Extra(bits));
    LogEncoder hand_logs(Extra(bits));
    MetricEncoder hand_metrics(Extra(bits));
    std::unique_ptr<LogsEncoder> declared_logs = f->NewLogsEncoder();
    std::unique_ptr<MetricsEncoder> declared_metrics = f->NewMetricsEncoder();
    ExpectSame<LogsView>(hand_logs, *declared_logs, f->envelope(), l1);
    ExpectSame<LogsView>(hand_logs, *declared_logs, f->envelope(), l2);
    ExpectSame<MetricsView>(hand_metrics, *declared_metrics, f->envelope(), m1);
    ExpectSame<MetricsView>(hand_metrics, *declared_metrics, f->envelope(), m2);
  }
}

// The hand-written encoders' hard cases, in one resource per case.
class HardCases : public ::testing::Test {
 protected:
  HardCases() {
    bad_ = testing::kHostile;
    deep_ = Deep(50);
    attrs_ = {{bad_, AnyValue::String(bad_)},
              {"nan", AnyValue::Double(kNaN)},
              {"inf", AnyValue::Double(-kInf)},
              {"-0", AnyValue::Double(-0.0)},
              {"min", AnyValue::Int(std::numeric_limits<std::int64_t>::min())},
              {"bytes", AnyValue::Bytes(bad_)},
              {"empty", AnyValue()},
              {"", AnyValue::String("")},
              {"deep", deep_},
              {"no.arr", AnyValue::Array({})},
              {"no.kv", AnyValue::KvList({})}};
    resources_.push_back({{"service.name", AnyValue::String(bad_)}, {bad_, AnyValue::Bytes(bad_)}});
    resources_.push_back({{"service.name", AnyValue::Int(3)}});
    resources_.push_back({});
    scopes_ = {{bad_, bad_, attrs_, 0}, {"", "", {}, 0}};
  }

  AnyValue Deep(int levels) {
    arrays_.resize(static_cast<std::size_t>(levels));
    lists_.resize(static_cast<std::size_t>(levels));
    AnyValue v = AnyValue::String("bottom");
    for (int i = 0; i < levels; ++i) {
      const auto k = static_cast<std::size_t>(i);
      if (i % 2 == 0) {
        arrays_[k] = v;
        v = AnyValue::Array(std::span(&arrays_[k], 1));
      } else {
        lists_[k] = {"k", v};
        v = AnyValue::KvList(std::span(&lists_[k], 1));
      }
    }
    return v;
  }

  // Every resource of the cases with both scopes, each scope holding
  // `records`, through both encoders with a few ExtraFields combinations.
  template <typename Hand, typename ResourceGroup, typename ScopeGroup, typename Records, typename NewDeclared>
  void ExpectSameEverywhere(Records records, NewDeclared new_declared) {
    std::vector<ScopeGroup> scopes;
    for (const InstrumentationScope& s : scopes_) scopes.push_back({s, records, ""});
    std::vector<ResourceGroup> data;
    for (const auto& res : resources_) data.push_back({Resource{res, 0}, scopes, ""});
    for (unsigned bits : {0u, 63u, 8u, 16u}) {
      auto f = Builtin(Extra(bits));
      Hand hand(Extra(bits));
      auto declared = new_declared(*f);
      ExpectSame<std::span<const ResourceGroup>>(hand, *declared, f->envelope(), data);
    }
  }

  std::string bad_;
  AnyValue deep_;
  std::vector<AnyValue> arrays_;
  std::vector<KeyValue> lists_;
  std::vector<KeyValue> attrs_;
  std::vector<std::vector<KeyValue>> resources_;
  std::vector<InstrumentationScope> scopes_;
};

TEST_F(HardCases, Spans) {
  std::vector<SpanEvent> events = {{bad_, 5'000'000, attrs_, 1}, {"", 0, {}, 0}};
  std::vector<SpanLink> links(2);
  links[0].trace_state = bad_;
  links[0].attributes = attrs_;
  links[1].trace_id.bytes[15] = 1;
  std::vector<Span> spans(5);
  spans[0].name = bad_;
  spans[0].status_message = bad_;
  spans[0].trace_state = bad_;
  spans[0].attributes = attrs_;
  spans[0].events = events;
  spans[0].links = links;
  spans[0].status_code = SpanStatusCode::kError;
  spans[0].kind = SpanKind::kConsumer;
  spans[0].parent_span_id.bytes[7] = 1;
  spans[0].start_time_unix_nano = 1'732'480'000'123'999'999ULL;
  spans[0].end_time_unix_nano = spans[0].start_time_unix_nano + 12'345'500;
  spans[0].dropped_attributes_count = 4'000'000'000u;
  spans[1].start_time_unix_nano = 5;  // ends before it starts
  spans[2].status_code = static_cast<SpanStatusCode>(9);
  spans[2].kind = static_cast<SpanKind>(200);
  spans[3].end_time_unix_nano = std::numeric_limits<std::uint64_t>::max();
  spans[4].start_time_unix_nano = 999'499;
  spans[4].end_time_unix_nano = 999'499 + 1'499;
  resources_.emplace_back();  // a resource without attributes
  ExpectSameEverywhere<SpanEncoder, ResourceSpans, ScopeSpans>(
      std::span<const Span>(spans), [](const CompiledFormat& f) { return f.NewTracesEncoder(); });
}

TEST_F(HardCases, Logs) {
  std::vector<LogRecord> records(6);
  records[0].severity_text = bad_;
  records[0].body = AnyValue::KvList(attrs_);
  records[0].attributes = attrs_;
  records[0].event_name = bad_;
  records[0].trace_id.bytes[0] = 0xff;
  records[0].span_id.bytes[7] = 2;
  records[0].time_unix_nano = std::numeric_limits<std::uint64_t>::max();
  records[1].severity_number = std::numeric_limits<std::int32_t>::min();
  records[1].observed_time_unix_nano = 5'000'000;
  records[2].severity_number = 24;
  records[2].body = deep_;
  records[3].severity_number = 25;
  records[3].body = AnyValue::Double(kNaN);
  records[4].body = AnyValue::Bytes("");
  records[5].severity_text = "A VERY LONG SEVERITY TEXT, LONGER THAN SIXTEEN";
  ExpectSameEverywhere<LogEncoder, ResourceLogs, ScopeLogs>(
      std::span<const LogRecord>(records), [](const CompiledFormat& f) { return f.NewLogsEncoder(); });
}

TEST_F(HardCases, MetricsOfEveryKind) {
  const std::uint64_t counts[] = {1, 2, 3, 4, 5};
  const double bounds[] = {kNaN, -kInf, 2.5, 4, 5, 6, 7};
  std::vector<NumberDataPoint> numbers(5);
  numbers[0].value = NumberValue::Int(std::numeric_limits<std::int64_t>::min());
  numbers[0].attributes = attrs_;
  numbers[1].value = NumberValue::Double(kNaN);
  numbers[2].value = NumberValue::Double(3.0);
  numbers[2].flags = kDataPointNoRecordedValue;
  numbers[3].start_time_unix_nano = 1;
  numbers[4].value = NumberValue::Double(-0.0);
  numbers[4].flags = 2;
  std::vector<HistogramDataPoint> histograms(5);
  histograms[0].bucket_counts = std::span(counts).first(2);
  histograms[0].explicit_bounds = std::span(bounds).first(5);
  histograms[1].bucket_counts = counts;
  histograms[1].explicit_bounds = std::span(bounds).first(2);
  histograms[2].bucket_counts = counts;
  histograms[3].explicit_bounds = bounds;
  histograms[3].sum = kInf;
  histograms[3].min = -1.5;
  histograms[4].bucket_counts = std::span(counts).first(4);
  histograms[4].explicit_bounds = std::span(bounds).first(3);
  histograms[4].max = 1e300;
  std::vector<ExponentialHistogramDataPoint> exponentials(2);
  exponentials[0].positive = {-2, counts};
  exponentials[0].negative = {std::numeric_limits<std::int32_t>::min(), std::span(counts).first(1)};
  exponentials[0].scale = -3;
  exponentials[0].zero_threshold = kNaN;
  exponentials[0].sum = 2.0;
  const ValueAtQuantile quantiles[] = {{0.0, 0.001}, {0.99, kInf}};
  std::vector<SummaryDataPoint> summaries(2);
  summaries[0].quantile_values = quantiles;
  summaries[0].sum = -kInf;
  std::vector<Metric> metrics(8);
  metrics[0] = {.name = bad_, .unit = bad_, .kind = MetricKind::kGauge, .monotonic = true, .number_points = numbers};
  metrics[1] = {.name = "s", .kind = MetricKind::kSum, .temporality = static_cast<AggregationTemporality>(7),
                .monotonic = true, .number_points = numbers};
  metrics[2] = {.name = "none", .kind = MetricKind::kNone, .number_points = numbers};
  metrics[3] = {.name = "h", .kind = MetricKind::kHistogram, .temporality = AggregationTemporality::kDelta,
                .histogram_points = histograms};
  metrics[4] = {.name = "e", .kind = MetricKind::kExponentialHistogram,
                .temporality = AggregationTemporality::kCumulative, .exponential_histogram_points = exponentials};
  metrics[5] = {.name = "q", .kind = MetricKind::kSummary, .summary_points = summaries};
  // Points in lists the metric's kind does not read.
  metrics[6] = {.name = "g2", .kind = MetricKind::kGauge, .histogram_points = histograms,
                .summary_points = summaries};
  metrics[7] = {.name = "h2", .kind = MetricKind::kHistogram, .histogram_points = std::span(histograms).first(1)};
  ExpectSameEverywhere<MetricEncoder, ResourceMetrics, ScopeMetrics>(
      std::span<const Metric>(metrics), [](const CompiledFormat& f) { return f.NewMetricsEncoder(); });
}

}  // namespace
}  // namespace otelpack::format::declared
