// The hand-built records (tricky_records.h). Every vector is filled before any view is taken
// of it: a view must not see its storage move.
#include "tests/clickhouse/tricky_records.h"

#include <cmath>
#include <limits>
#include <string_view>

namespace otelpack::testing {
namespace {

using namespace std::string_view_literals;

constexpr std::uint64_t kStart = 1'732'480'000'123'456'789;  // 2024-11-24T20:26:40.123456789Z

// Text with everything JSON and ClickHouse's escaping must get right, NUL included.
constexpr std::string_view kTrickyText = "say \"hi\" \\ back\\slash\n\ttab \x01\x1f nul:\0: \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"sv;

TraceId Trace(std::uint8_t seed) {
  TraceId id;
  for (int i = 0; i < 16; ++i) id.bytes[i] = static_cast<std::uint8_t>(seed + i * 17);
  return id;
}

SpanId SpanOf(std::uint8_t seed) {
  SpanId id;
  for (int i = 0; i < 8; ++i) id.bytes[i] = static_cast<std::uint8_t>(seed + i * 31);
  return id;
}

}  // namespace

TrickyTraces::TrickyTraces() {
  nested_ = {{"deep", AnyValue::Bool(true)}, {"empty", AnyValue()}};
  list_ = {AnyValue::String("a"), AnyValue::Int(1), AnyValue::Double(1.5), AnyValue(), AnyValue::KvList(nested_)};
  map_ = {{"k\"ey", AnyValue::String("v\\")}, {"nested", AnyValue::KvList(nested_)}, {"list", AnyValue::Array(list_)}};
  resource_attributes_ = {{"service.name", AnyValue::String("checkout \"eu\" \xE2\x9C\x93")},
                          {"host.name", AnyValue::String("ip-10-0-0-1")},
                          {"process.pid", AnyValue::Int(4242)}};
  scope_attributes_ = {{"scope.flag", AnyValue::Bool(true)}};
  attributes_ = {{"http.method", AnyValue::String("GET")},
                 {"http.status_code", AnyValue::Int(402)},
                 {"retry", AnyValue::Bool(false)},
                 {"ratio", AnyValue::Double(0.25)},
                 {"whole", AnyValue::Double(3.0)},
                 {"negative.zero", AnyValue::Double(-0.0)},
                 {"nan", AnyValue::Double(std::nan(""))},
                 {"inf", AnyValue::Double(std::numeric_limits<double>::infinity())},
                 {"int.min", AnyValue::Int(std::numeric_limits<std::int64_t>::min())},
                 {"int.max", AnyValue::Int(std::numeric_limits<std::int64_t>::max())},
                 {"bytes", AnyValue::Bytes("\x00\xff\x10\x80"sv)},
                 {"list", AnyValue::Array(list_)},
                 {"map", AnyValue::KvList(map_)},
                 {"empty", AnyValue()},
                 {"empty.string", AnyValue::String("")},
                 {kTrickyText, AnyValue::String(kTrickyText)}};
  event_attributes_ = {{"exception.type", AnyValue::String("CardDeclined")},
                       {"exception.message", AnyValue::String(kTrickyText)}};
  link_attributes_ = {{"link.kind", AnyValue::String("follows \"from\"")}};

  events_.resize(3);
  events_[0] = {"exception", kStart + 1'000, event_attributes_, 0};
  events_[1] = {"\xE2\x9C\x93 checked \"ok\"", kStart + 2'000, {}, 0};
  events_[2] = {"", kStart + 3'000, {}, 0};
  links_.resize(1);
  links_[0].trace_id = Trace(0x90);
  links_[0].span_id = SpanOf(0x33);
  links_[0].trace_state = "rojo=00f067aa0ba902b7";
  links_[0].attributes = link_attributes_;

  spans_.resize(4);
  Span& root = spans_[0];
  root.trace_id = Trace(0x10);
  root.span_id = SpanOf(0x01);  // no parent: a root span
  root.trace_state = "congo=t61rcWkgMzE";
  root.flags = 0x301;
  root.name = kTrickyText;
  root.kind = SpanKind::kServer;
  root.start_time_unix_nano = kStart;
  root.end_time_unix_nano = kStart + 250'000'000;
  root.attributes = attributes_;
  root.events = events_;
  root.links = links_;
  root.status_code = SpanStatusCode::kError;
  root.status_message = "card declined: \"insufficient funds\"";

  Span& child = spans_[1];
  child.trace_id = root.trace_id;
  child.span_id = SpanOf(0x02);
  child.parent_span_id = root.span_id;
  child.name = "SELECT orders";
  child.kind = SpanKind::kClient;
  child.start_time_unix_nano = kStart + 10'000'000;
  child.end_time_unix_nano = kStart + 5'000'000;  // before its start: the duration is 0
  child.status_code = SpanStatusCode::kOk;

  Span& consumer = spans_[2];
  consumer.trace_id = Trace(0x20);
  consumer.span_id = SpanOf(0x03);
  consumer.parent_span_id = SpanOf(0x77);  // a parent sent elsewhere
  consumer.name = "orders process";
  consumer.kind = SpanKind::kConsumer;
  consumer.start_time_unix_nano = 86'400'000'000'001;  // 1970-01-02, one nanosecond past
  consumer.end_time_unix_nano = 86'400'000'000'002;

  Span& producer = spans_[3];
  producer.trace_id = Trace(0x30);
  producer.span_id = SpanOf(0x04);
  producer.name = "orders publish";
  producer.kind = SpanKind::kProducer;
  producer.start_time_unix_nano = kStart;
  producer.end_time_unix_nano = kStart + 1;

  scopes_.resize(2);
  scopes_[0].scope = {"io.opentelemetry.\"tricky\"", "1.2.3", scope_attributes_, 0};
  scopes_[0].spans = std::span<const Span>(spans_).first(2);
  scopes_[1].scope = {"", "", {}, 0};  // an unnamed scope
  scopes_[1].spans = std::span<const Span>(spans_).subspan(2, 1);

  // A resource without service.name: the service is "unknown".
  unnamed_service_spans_ = {spans_[3]};
  unnamed_service_scopes_.resize(1);
  unnamed_service_scopes_[0].scope = {"internal", "", {}, 0};
  unnamed_service_scopes_[0].spans = unnamed_service_spans_;

  resources_.resize(2);
  resources_[0].resource.attributes = resource_attributes_;
  resources_[0].scope_spans = scopes_;
  resources_[1].scope_spans = unnamed_service_scopes_;
}

TrickyLogs::TrickyLogs() {
  resource_attributes_ = {{"service.name", AnyValue::String("payments")},
                          {"deployment.environment", AnyValue::String("prod")}};
  attributes_ = {{"code.function", AnyValue::String("charge")},
                 {"code.lineno", AnyValue::Int(128)},
                 {"quote\"key", AnyValue::String(kTrickyText)}};
  tags_ = {AnyValue::String("checkout"), AnyValue::String("mobile \xE2\x9C\x93")};
  body_nested_ = {{"ok", AnyValue::Bool(true)}, {"ratio", AnyValue::Double(0.5)}};
  body_map_ = {{"user", AnyValue::Int(42)},
               {"msg", AnyValue::String("declined \"twice\"\n")},
               {"tags", AnyValue::Array(tags_)},
               {"nested", AnyValue::KvList(body_nested_)}};
  body_list_ = {AnyValue::Int(1), AnyValue::String("two"), AnyValue()};

  records_.resize(6);
  LogRecord& warning = records_[0];
  warning.time_unix_nano = kStart;
  warning.observed_time_unix_nano = kStart + 5'000'000;
  warning.severity_number = 13;
  warning.severity_text = "WARNING";
  warning.body = AnyValue::String(kTrickyText);
  warning.attributes = attributes_;
  warning.flags = 1;
  warning.trace_id = Trace(0x10);
  warning.span_id = SpanOf(0x01);

  LogRecord& event = records_[1];  // no time of its own: the observed one stands in
  event.observed_time_unix_nano = kStart + 7'000'000;
  event.severity_number = 17;      // no text: "ERROR"
  event.body = AnyValue::KvList(body_map_);
  event.event_name = "session.start";

  LogRecord& bare = records_[2];  // no body, no severity: "UNSPECIFIED"
  bare.time_unix_nano = kStart + 9'000'000;

  LogRecord& counter = records_[3];
  counter.time_unix_nano = kStart + 11'000'000;
  counter.severity_number = 30;  // outside OTLP's ranges
  counter.body = AnyValue::Int(-7);

  LogRecord& list = records_[4];
  list.time_unix_nano = kStart + 13'000'000;
  list.severity_number = 5;
  list.severity_text = "dbg";
  list.body = AnyValue::Array(body_list_);

  LogRecord& span_only = records_[5];  // a span id without a trace id
  span_only.time_unix_nano = kStart + 15'000'000;
  span_only.severity_number = 9;
  span_only.body = AnyValue::String("");
  span_only.span_id = SpanOf(0x05);

  scopes_.resize(1);
  scopes_[0].scope = {"com.example.Payments", "2.0", {}, 0};
  scopes_[0].log_records = records_;
  resources_.resize(1);
  resources_[0].resource.attributes = resource_attributes_;
  resources_[0].scope_logs = scopes_;
}

TrickyMetrics::TrickyMetrics() {
  resource_attributes_ = {{"service.name", AnyValue::String("inventory")}};
  attributes_ = {{"route", AnyValue::String("/api/\"items\"")}, {"code", AnyValue::Int(200)}};

  gauge_points_.resize(3);
  gauge_points_[0] = {attributes_, 0, kStart, NumberValue::Double(0.5), {}, 0};
  gauge_points_[1] = {{}, 0, kStart + 1, NumberValue::Double(std::nan("")), {}, 0};
  gauge_points_[2] = {{}, 0, kStart + 2, NumberValue::Int(-3), {}, 0};
  sum_points_.resize(2);
  sum_points_[0] = {attributes_, kStart - 10'000'000'000, kStart, NumberValue::Int(7), {}, 0};
  sum_points_[1] = {{}, kStart - 10'000'000'000, kStart + 1, {}, {}, kDataPointNoRecordedValue};

  bounds_ = {0.1, 1.0};
  bucket_counts_ = {1, 2, 0};
  histogram_points_.resize(2);
  histogram_points_[0].attributes = attributes_;
  histogram_points_[0].start_time_unix_nano = kStart - 10'000'000'000;
  histogram_points_[0].time_unix_nano = kStart;
  histogram_points_[0].count = 3;
  histogram_points_[0].sum = 0.75;
  histogram_points_[0].bucket_counts = bucket_counts_;
  histogram_points_[0].explicit_bounds = bounds_;
  histogram_points_[0].min = 0.05;
  histogram_points_[0].max = 0.5;
  histogram_points_[1].time_unix_nano = kStart + 1;  // no sum, min, max or buckets

  positive_counts_ = {1, 1};
  exponential_points_.resize(1);
  exponential_points_[0].time_unix_nano = kStart;
  exponential_points_[0].count = 3;
  exponential_points_[0].sum = 4.5;
  exponential_points_[0].scale = 1;
  exponential_points_[0].zero_count = 1;
  exponential_points_[0].positive = {0, positive_counts_};

  quantiles_ = {{0.5, 0.2}, {0.99, 0.9}};
  summary_points_.resize(1);
  summary_points_[0].time_unix_nano = kStart;
  summary_points_[0].count = 10;
  summary_points_[0].sum = 2.5;
  summary_points_[0].quantile_values = quantiles_;

  metrics_.resize(5);
  metrics_[0] = {"queue.depth", "items \"waiting\"", "{item}", MetricKind::kGauge};
  metrics_[0].number_points = gauge_points_;
  metrics_[1] = {"orders", "", "{order}", MetricKind::kSum, AggregationTemporality::kCumulative, true};
  metrics_[1].number_points = sum_points_;
  metrics_[2] = {"latency", "", "s", MetricKind::kHistogram, AggregationTemporality::kDelta};
  metrics_[2].histogram_points = histogram_points_;
  metrics_[3] = {"size", "", "By", MetricKind::kExponentialHistogram, AggregationTemporality::kCumulative};
  metrics_[3].exponential_histogram_points = exponential_points_;
  metrics_[4] = {"rpc.duration", "", "ms", MetricKind::kSummary};
  metrics_[4].summary_points = summary_points_;

  scopes_.resize(1);
  scopes_[0].scope = {"meter \xE2\x9C\x93", "", {}, 0};
  scopes_[0].metrics = metrics_;
  resources_.resize(1);
  resources_[0].resource.attributes = resource_attributes_;
  resources_[0].scope_metrics = scopes_;
}

}  // namespace otelpack::testing
