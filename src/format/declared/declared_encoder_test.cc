// Tests for the declared encoders (declared_encoder.h): what each conversion
// of docs/formats.md writes, absent and empty values, picked attributes,
// flattened maps, lists, members left out, what each metric kind keeps, and
// values prepared per resource, scope and metric as they change. Every event
// is also parsed, so each must be valid JSON.
#include "format/declared/declared_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "format/declared/build.h"
#include "format/declared/compile.h"
#include "format/testing/event_checks.h"
#include "format/testing/whole_body.h"

namespace otelpack::format::declared {
namespace {

using namespace build;

constexpr std::uint64_t kT = 1'732'480'000'123'456'789ULL;

std::shared_ptr<const CompiledFormat> MustCompile(const Declaration& d) {
  CompileResult r = Compile(d, {.project_id = "prod \"main\""});
  EXPECT_TRUE(r.ok()) << DeclarationErrorsStatus("test", r.errors).ToString();
  return r.format;
}

// Every event an encoder writes, each checked to parse as one JSON object.
template <typename View, typename Make>
std::vector<std::string> EncodeAll(Make make, View data) {
  testing::EventList sink;
  make()->Encode(data, sink);
  simdjson::dom::parser parser;
  for (const std::string& e : sink.events) testing::ParseObject(parser, e);
  return sink.events;
}

class SpanCases : public ::testing::Test {
 protected:
  SpanCases() {
    resource_attrs_ = {{"service.name", AnyValue::String("checkout")}, {"host.name", AnyValue::String("h1")}};
    for (int i = 0; i < 16; ++i) span_.trace_id.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0xa0 + i);
    for (int i = 0; i < 8; ++i) span_.span_id.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0x10 + i);
    span_.name = "GET /orders";
    span_.kind = SpanKind::kServer;
    span_.start_time_unix_nano = kT;
    span_.end_time_unix_nano = kT + 12'345'500;
    span_.status_code = SpanStatusCode::kError;
    attrs_ = {{"http.method", AnyValue::String("GET")},
              {"http.status_code", AnyValue::Int(200)},
              {"http.method", AnyValue::String("POST")},  // a duplicate: picks take the first
              {"empty", AnyValue()},
              {"ratio", AnyValue::Double(0.5)}};
    span_.attributes = attrs_;
  }

  // The events of `event` over one span (or `spans`) of one resource.
  std::vector<std::string> Events(Template event, std::vector<Span> spans = {}) {
    Declaration d;
    d.traces = SignalAt("/t", std::move(event));
    auto f = MustCompile(d);
    if (!f) return {};
    if (spans.empty()) spans.push_back(span_);
    scopes_ = {{{"io.lib", "1.2", {}, 0}, spans, ""}};
    resources_ = {{Resource{resource_attrs_, 3}, scopes_, ""}};
    return EncodeAll<TracesView>([&] { return f->NewTracesEncoder(); }, resources_);
  }
  std::string One(Template event) {
    std::vector<std::string> e = Events(std::move(event));
    return e.size() == 1 ? e[0] : "";
  }
  // The event of `{"v": value}`.
  std::string V(Template value) { return One(Object({{"v", std::move(value)}})); }

  std::vector<KeyValue> resource_attrs_, attrs_;
  Span span_;
  std::vector<ScopeSpans> scopes_;
  std::vector<ResourceSpans> resources_;
};

TEST_F(SpanCases, Ids) {
  EXPECT_EQ(V(Ref("trace_id")), R"({"v":"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"})");
  EXPECT_EQ(V(Ref("span_id", {Conv("base64")})), R"({"v":"EBESExQVFhc="})");
  EXPECT_EQ(V(Ref("trace_id", {Conv("base64")})), R"({"v":"oKGio6SlpqeoqaqrrK2urw=="})");
  EXPECT_EQ(V(Ref("parent_span_id")), R"({"v":null})");  // a root span's
  EXPECT_EQ(V(Ref("parent_span_id", {Conv("default", {Arg("", Str(""))})})), R"({"v":""})");
  EXPECT_EQ(One(Object({{"a", Lit(Int(1))}, {"v", Ref("parent_span_id", {Conv("omit_if_empty")})}})), R"({"a":1})");
  span_.parent_span_id.bytes[7] = 1;
  EXPECT_EQ(V(Ref("parent_span_id")), R"({"v":"0000000000000001"})");
  EXPECT_EQ(V(Array({Ref("span_id"), Ref("parent_span_id", {Conv("base64")})})),
            R"({"v":["1011121314151617","AAAAAAAAAAE="]})");
}

TEST_F(SpanCases, TimesAndDurations) {
  EXPECT_EQ(V(Ref("start_time")), R"({"v":1732480000123456789})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_us")})), R"({"v":1732480000123456})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_ms")})), R"({"v":1732480000123})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_s")})), R"({"v":1732480000})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_ms", {Arg("round", Str("nearest"))})})), R"({"v":1732480000123})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_us", {Arg("round", Str("nearest"))})})), R"({"v":1732480000123457})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_s", {Arg("decimals", Int(3))})})), R"({"v":1732480000.123})");
  EXPECT_EQ(V(Ref("start_time", {Conv("rfc3339")})), R"({"v":"2024-11-24T20:26:40.123Z"})");
  EXPECT_EQ(V(Ref("start_time", {Conv("rfc3339", {Arg("digits", Int(0))})})), R"({"v":"2024-11-24T20:26:40Z"})");
  EXPECT_EQ(V(Ref("start_time", {Conv("unix_ms"), Conv("string")})), R"({"v":"1732480000123"})");
  EXPECT_EQ(V(Ref("start_time", {Conv("rfc3339"), Conv("string")})), R"({"v":"2024-11-24T20:26:40.123Z"})");
  EXPECT_EQ(V(Ref("end_time", {Conv("unix_ms")})), R"({"v":1732480000135})");
  EXPECT_EQ(V(Ref("duration")), R"({"v":12345500})");
  EXPECT_EQ(V(Ref("duration", {Conv("ms", {Arg("decimals", Int(3))})})), R"({"v":12.346})");
  EXPECT_EQ(V(Ref("duration", {Conv("us", {Arg("round", Str("nearest"))})})), R"({"v":12346})");
  EXPECT_EQ(V(Ref("duration", {Conv("s", {Arg("decimals", Int(6))})})), R"({"v":0.012346})");
  EXPECT_EQ(V(Ref("duration", {Conv("ms")})), R"({"v":12})");
  span_.end_time_unix_nano = 5;  // before the start
  EXPECT_EQ(V(Ref("duration", {Conv("ms", {Arg("decimals", Int(3))})})), R"({"v":0.0})");
}

TEST_F(SpanCases, Enums) {
  EXPECT_EQ(V(Ref("kind")), R"({"v":"server"})");
  EXPECT_EQ(V(Ref("kind", {Conv("number")})), R"({"v":2})");
  EXPECT_EQ(V(Ref("kind", {Conv("number"), Conv("string")})), R"({"v":"2"})");
  EXPECT_EQ(V(Ref("status_code")), R"({"v":"error"})");
  EXPECT_EQ(V(Ref("status_code", {Conv("case", {Arg("error", Bool(true))})})), R"({"v":true})");
  EXPECT_EQ(V(Ref("kind", {Conv("case", {Arg("client", Int(1)), Arg("else", Str("other"))})})), R"({"v":"other"})");
  EXPECT_EQ(V(Ref("kind", {Conv("case", {Arg("client", Int(1))})})), R"({"v":null})");  // no else: null
  // A case that gives "" is empty: omit_if_empty leaves the member out.
  const Template zipkin_kind = Ref("kind", {Conv("case", {Arg("server", Str("SERVER")), Arg("else", Str(""))}),
                                            Conv("omit_if_empty")});
  EXPECT_EQ(One(Object({{"a", Lit(Int(1))}, {"v", zipkin_kind}})), R"({"a":1,"v":"SERVER"})");
  EXPECT_EQ(V(Ref("name", {Conv("case", {Arg("GET /orders", Str(""))}), Conv("omit_if_empty")})), R"({})")
      << "a string's case too";
  span_.kind = SpanKind::kInternal;
  EXPECT_EQ(One(Object({{"a", Lit(Int(1))}, {"v", zipkin_kind}})), R"({"a":1})");
  span_.kind = static_cast<SpanKind>(200);  // out of range: as unspecified; case: else
  span_.status_code = static_cast<SpanStatusCode>(9);
  EXPECT_EQ(V(Ref("kind")), R"({"v":"unspecified"})");
  EXPECT_EQ(V(Ref("kind", {Conv("number")})), R"({"v":0})");
  EXPECT_EQ(V(Ref("status_code", {Conv("case", {Arg("unset", Str("u")), Arg("else", Str("e"))})})), R"({"v":"e"})");
}

TEST_F(SpanCases, StringsAndTheirEmptiness) {
  span_.name = "q\"\n\xC0";
  EXPECT_EQ(V(Ref("name")), "{\"v\":\"q\\\"\\n\xEF\xBF\xBD\"}");
  span_.name = "GET /orders";
  EXPECT_EQ(V(Ref("name", {Conv("case", {Arg("GET /orders", Int(1)), Arg("else", Int(0))})})), R"({"v":1})");
  EXPECT_EQ(V(Ref("name", {Conv("string")})), R"({"v":"GET /orders"})");
  EXPECT_EQ(V(Ref("status_message")), R"({"v":""})");
  EXPECT_EQ(V(Ref("status_message", {Conv("null_if_empty")})), R"({"v":null})");
  EXPECT_EQ(V(Ref("status_message", {Conv("default", {Arg("", Str("x"))})})), R"({"v":""})");  // empty is not absent
  EXPECT_EQ(One(Object({{"v", Ref("status_message", {Conv("omit_if_empty")})}})), "{}");
  EXPECT_EQ(One(Object({{"a", Ref("status_message", {Conv("omit_if_empty")})}, {"b", Lit(Int(1))}})), R"({"b":1})");
  EXPECT_EQ(One(Object({{"a", Ref("name", {Conv("omit_if_empty")})}, {"b", Ref("status_message", {Conv("omit_if_empty")})}})),
            R"({"a":"GET /orders"})");
  EXPECT_EQ(V(Ref("project_id")), R"({"v":"prod \"main\""})");
  EXPECT_EQ(V(Ref("service")), R"({"v":"checkout"})");
}

TEST_F(SpanCases, NumbersAndLiterals) {
  span_.dropped_attributes_count = 4'000'000'000u;
  span_.flags = 0x301;
  EXPECT_EQ(V(Ref("dropped_attributes_count")), R"({"v":4000000000})");
  EXPECT_EQ(V(Ref("flags", {Conv("string")})), R"({"v":"769"})");
  EXPECT_EQ(V(Ref("resource.dropped_attributes_count")), R"({"v":3})");
  EXPECT_EQ(One(Object({{"n", Lit(Null())}, {"b", Lit(Bool(false))}, {"i", Lit(Int(-7))}, {"d", Lit(Dbl(2))},
                        {"s", Text("$$x \"y\"")}, {"o", Object({})}, {"a", Array({})},
                        {"nested", Array({Object({{"k", Array({Lit(Int(1)), Text("t")})}})})}})),
            R"({"n":null,"b":false,"i":-7,"d":2.0,"s":"$$x \"y\"","o":{},"a":[],"nested":[{"k":[1,"t"]}]})");
}

TEST_F(SpanCases, MapsInEveryForm) {
  EXPECT_EQ(V(Ref("attributes")),
            R"({"v":{"http.method":"GET","http.status_code":200,"http.method":"POST","empty":null,"ratio":0.5}})");
  EXPECT_EQ(V(Ref("attributes", {Conv("strings")})),
            R"({"v":{"http.method":"GET","http.status_code":"200","http.method":"POST","empty":"null","ratio":"0.5"}})");
  EXPECT_EQ(V(Ref("attributes", {Conv("json")})),
            R"({"v":"{\"http.method\":\"GET\",\"http.status_code\":200,\"http.method\":\"POST\",\"empty\":null,\"ratio\":0.5}"})");
  EXPECT_EQ(V(Ref("resource.attributes", {Conv("strings")})), R"({"v":{"service.name":"checkout","host.name":"h1"}})");
  span_.attributes = {};
  EXPECT_EQ(V(Ref("attributes")), R"({"v":{}})");
  EXPECT_EQ(V(Ref("attributes", {Conv("json")})), R"({"v":"{}"})");
  EXPECT_EQ(V(Ref("attributes", {Conv("null_if_empty")})), R"({"v":null})");
  EXPECT_EQ(One(Object({{"v", Ref("attributes", {Conv("omit_if_empty")})}})), "{}");
}

TEST_F(SpanCases, PickedAttributes) {
  EXPECT_EQ(One(Object({{"m", Pick("attributes", "http.method")},
                        {"c", Pick("attributes", "http.status_code", {Conv("string")})},
                        {"r", Pick("attributes", "ratio", {Conv("json")})},
                        {"missing", Pick("attributes", "nope")},
                        {"d", Pick("attributes", "nope", {Conv("default", {Arg("", Int(0))})})},
                        {"e", Pick("attributes", "empty", {Conv("default", {Arg("", Str("unset"))})})},
                        {"host", Pick("resource.attributes", "host.name")}})),
            R"({"m":"GET","c":"200","r":"0.5","missing":null,"d":0,"e":"unset","host":"h1"})");
  EXPECT_EQ(One(Object({{"a", Lit(Int(1))}, {"x", Pick("attributes", "nope", {Conv("omit_if_empty")})}})), R"({"a":1})");
  // Another span without the key: its slot does not keep the last span's.
  Span other = span_;
  std::vector<KeyValue> few = {{"ratio", AnyValue::Double(1.5)}};
  other.attributes = few;
  EXPECT_EQ(Events(Object({{"m", Pick("attributes", "http.method")}, {"r", Pick("attributes", "ratio")}}), {span_, other}),
            (std::vector<std::string>{R"({"m":"GET","r":0.5})", R"({"m":null,"r":1.5})"}));
}

TEST_F(SpanCases, FlattenedMaps) {
  Template event = Object({{"name", Ref("name")}});
  AddFlatten(&event, "attributes", "attr.", {}, {"http.method"});
  Add(&event, "end", Lit(Int(1)));
  EXPECT_EQ(One(event), R"({"name":"GET /orders","attr.http.status_code":200,"attr.empty":null,"attr.ratio":0.5,"end":1})");
  event = Object({});
  AddFlatten(&event, "attributes", "", {"ratio", "http.method"}, {}, {Conv("strings")});
  EXPECT_EQ(One(event), R"({"http.method":"GET","http.method":"POST","ratio":"0.5"})");
  event = Object({});
  AddFlatten(&event, "resource.attributes", "r_");
  AddFlatten(&event, "attributes", "", {"nothing"});
  EXPECT_EQ(One(event), R"({"r_service.name":"checkout","r_host.name":"h1"})");
  event = Object({{"x", Object({})}});
  AddFlatten(&event, "attributes", "", {"nothing"});  // nothing written: the '}' after the last ','
  EXPECT_EQ(One(event), R"({"x":{}})");
  event = Object({});
  AddFlatten(&event, "attributes", "\"q\"");  // the prefix is escaped
  span_.attributes = std::span(attrs_).first(1);
  EXPECT_EQ(One(event), R"({"\"q\"http.method":"GET"})");
}

TEST_F(SpanCases, ListsOfEventsAndLinks) {
  std::vector<KeyValue> ev_attrs = {{"attempt", AnyValue::Int(2)}, {"k", AnyValue::String("v")}};
  std::vector<SpanEvent> events = {{"retry", kT + 1'000'000, ev_attrs, 0}, {"done", kT + 2'000'000, {}, 1}};
  span_.events = events;
  const Template item = Object({{"n", Ref("name")},
                                {"t", Ref("time", {Conv("unix_ms")})},
                                {"a", Pick("attributes", "attempt")},
                                {"trace", Ref("parent.trace_id")},
                                {"m", Pick("parent.attributes", "http.method")},
                                {"s", Ref("service")}});
  EXPECT_EQ(V(Each("events", item)),
            R"({"v":[{"n":"retry","t":1732480000124,"a":2,"trace":"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf","m":"GET","s":"checkout"},)"
            R"({"n":"done","t":1732480000125,"a":null,"trace":"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf","m":"GET","s":"checkout"}]})");
  EXPECT_EQ(V(Each("events", Ref("name"))), R"({"v":["retry","done"]})");
  EXPECT_EQ(One(Object({{"v", Each("events", Ref("name"))}, {"after", Lit(Int(1))}})),
            R"({"v":["retry","done"],"after":1})");
  span_.events = {};
  EXPECT_EQ(V(Each("events", Ref("name"))), R"({"v":[]})");
  EXPECT_EQ(V(Each("events", Ref("name"), {Conv("null_if_empty")})), R"({"v":null})");
  EXPECT_EQ(One(Object({{"v", Each("events", Ref("name"), {Conv("omit_if_empty")})}})), "{}");
  std::vector<SpanLink> links(2);
  links[0].trace_state = "k=v";
  links[1].span_id.bytes[0] = 0xff;
  links[1].flags = 1;
  span_.links = links;
  EXPECT_EQ(V(Each("links", Object({{"s", Ref("span_id")}, {"ts", Ref("trace_state")}, {"f", Ref("flags")}}))),
            R"({"v":[{"s":"0000000000000000","ts":"k=v","f":0},{"s":"ff00000000000000","ts":"","f":1}]})");
}

TEST_F(SpanCases, PreparedValuesFollowTheResourceAndScope) {
  Declaration d;
  d.traces = SignalAt("/t", Object({{"svc", Ref("service")},
                                    {"host", Pick("resource.attributes", "host.name")},
                                    {"scope", Ref("scope.name")},
                                    {"name", Ref("name")},
                                    {"ver", Ref("scope.version", {Conv("omit_if_empty")})}}));
  auto f = MustCompile(d);
  std::vector<KeyValue> other = {{"service.name", AnyValue::Int(5)}};
  std::vector<Span> spans = {span_};
  std::vector<ScopeSpans> scopes_a = {{{"lib.a", "1", {}, 0}, spans, ""}, {{"lib.b", "", {}, 0}, spans, ""}};
  std::vector<ScopeSpans> scopes_b = {{{"lib.c", "3", {}, 0}, spans, ""}};
  std::vector<ResourceSpans> data = {{Resource{resource_attrs_, 0}, scopes_a, ""}, {Resource{other, 0}, scopes_b, ""}};
  std::unique_ptr<TracesEncoder> enc = f->NewTracesEncoder();
  for (int pass = 0; pass < 2; ++pass) {  // an encoder is reused
    testing::EventList sink;
    enc->Encode(data, sink);
    EXPECT_EQ(sink.events,
              (std::vector<std::string>{
                  R"({"svc":"checkout","host":"h1","scope":"lib.a","name":"GET /orders","ver":"1"})",
                  R"({"svc":"checkout","host":"h1","scope":"lib.b","name":"GET /orders"})",
                  R"({"svc":"unknown","host":null,"scope":"lib.c","name":"GET /orders","ver":"3"})"}));
    EXPECT_EQ(sink.names, (std::vector<std::string>(3, "GET /orders")));
  }
}

TEST_F(SpanCases, NdjsonAndArrayBodies) {
  for (Framing framing : {Framing::kNdjson, Framing::kArray}) {
    Declaration d;
    d.framing = framing;
    d.traces = SignalAt("/t", Object({{"n", Ref("name")}}));
    auto f = MustCompile(d);
    std::vector<Span> spans = {span_, span_};
    scopes_ = {{{}, spans, ""}};
    resources_ = {{Resource{}, scopes_, ""}};
    testing::WholeBody whole(f->envelope());
    Buffer body;
    whole.Encode(*f->NewTracesEncoder(), TracesView(resources_), &body);
    EXPECT_EQ(body.view(), framing == Framing::kNdjson ? "{\"n\":\"GET /orders\"}\n{\"n\":\"GET /orders\"}\n"
                                                       : "[{\"n\":\"GET /orders\"},{\"n\":\"GET /orders\"}]");
  }
}

TEST(DeclaredLogsTest, LogFieldsAndAbsence) {
  Declaration d;
  d.logs = SignalAt("/l", Object({{"time", Ref("time", {Conv("unix_ms")})},
                                  {"observed", Ref("observed_time", {Conv("rfc3339")})},
                                  {"ts", Ref("timestamp", {Conv("unix_s")})},
                                  {"sev", Ref("severity")},
                                  {"text", Ref("severity_text", {Conv("null_if_empty")})},
                                  {"num", Ref("severity_number")},
                                  {"body", Ref("body")},
                                  {"body_json", Ref("body", {Conv("json")})},
                                  {"body_text", Ref("body", {Conv("string")})},
                                  {"trace", Ref("trace_id", {Conv("default", {Arg("", Str("none"))})})},
                                  {"span", Ref("span_id")},
                                  {"flags", Ref("flags")},
                                  {"dropped", Ref("dropped_attributes_count")},
                                  {"event", Ref("event_name", {Conv("omit_if_empty")})}}));
  auto f = MustCompile(d);
  std::vector<LogRecord> records(2);
  records[0].time_unix_nano = kT;
  records[0].observed_time_unix_nano = kT + 1'000'000'000;
  records[0].severity_number = 17;
  records[0].severity_text = "E";
  records[0].body = AnyValue::Int(42);
  records[0].trace_id.bytes[15] = 1;
  records[0].span_id.bytes[0] = 2;
  records[0].flags = 1;
  records[0].event_name = "login";
  records[1].observed_time_unix_nano = kT;
  records[1].severity_number = 10;
  std::vector<ScopeLogs> scopes = {{{}, records, ""}};
  std::vector<ResourceLogs> logs = {{Resource{}, scopes, ""}};
  EXPECT_EQ(EncodeAll<LogsView>([&] { return f->NewLogsEncoder(); }, logs),
            (std::vector<std::string>{
                R"({"time":1732480000123,"observed":"2024-11-24T20:26:41.123Z","ts":1732480000,"sev":"E","text":"E","num":17,)"
                R"("body":42,"body_json":"42","body_text":"42","trace":"00000000000000000000000000000001","span":"0200000000000000",)"
                R"("flags":1,"dropped":0,"event":"login"})",
                R"({"time":null,"observed":"2024-11-24T20:26:40.123Z","ts":1732480000,"sev":"INFO","text":null,"num":10,)"
                R"("body":null,"body_json":null,"body_text":null,"trace":"none","span":null,"flags":0,"dropped":0})"}));
}

TEST(DeclaredMetricsTest, EachKindKeepsOnlyItsFields) {
  Declaration d;
  d.metrics = SignalAt(
      "/m", Object({{"name", Ref("metric.name")},
                    {"desc", Ref("metric.description", {Conv("omit_if_empty")})},
                    {"kind", Ref("kind")},
                    {"k", Ref("kind", {Conv("case", {Arg("sum", Int(1)), Arg("else", Int(0))})})},
                    {"value", Ref("value", {Conv("default", {Arg("", Int(-1))})})},
                    {"mono", Ref("monotonic", {Conv("string")})},
                    {"temp", Ref("temporality", {Conv("number")})},
                    {"count", Ref("count")},
                    {"sum", Ref("sum")},
                    {"buckets", Each("buckets", Array({Ref("le"), Ref("count"), Ref("parent.count")}))},
                    {"exp", Object({{"scale", Ref("scale")}, {"pos", Ref("positive.bucket_counts", {Conv("omit_if_empty")})}})},
                    {"q", Each("quantiles", Object({{"q", Ref("quantile")}, {"v", Ref("value")}}))},
                    {"mixed", Array({Ref("scale"), Lit(Int(7))})},
                    {"start", Ref("start_time", {Conv("unix_s")})}}));
  auto f = MustCompile(d);
  const std::uint64_t counts[] = {3, 4};
  const double bounds[] = {0.5};
  std::vector<NumberDataPoint> numbers(2);
  numbers[0].value = NumberValue::Int(7);
  numbers[1].value = NumberValue::Double(1.5);
  numbers[1].flags = kDataPointNoRecordedValue;
  std::vector<HistogramDataPoint> histograms(1);
  histograms[0].count = 7;
  histograms[0].bucket_counts = counts;
  histograms[0].explicit_bounds = bounds;
  histograms[0].start_time_unix_nano = kT;
  std::vector<ExponentialHistogramDataPoint> exponentials(1);
  exponentials[0].scale = -2;
  exponentials[0].positive.bucket_counts = counts;
  const ValueAtQuantile quantiles[] = {{0.5, 2.0}};
  std::vector<SummaryDataPoint> summaries(1);
  summaries[0].quantile_values = quantiles;
  summaries[0].sum = 2.5;
  std::vector<Metric> metrics = {
      {.name = "g", .description = "a gauge", .kind = MetricKind::kGauge, .number_points = std::span(numbers).first(1)},
      {.name = "s", .kind = MetricKind::kSum, .temporality = AggregationTemporality::kDelta, .monotonic = true,
       .number_points = numbers},
      {.name = "h", .kind = MetricKind::kHistogram, .temporality = AggregationTemporality::kCumulative,
       .histogram_points = histograms},
      {.name = "e", .kind = MetricKind::kExponentialHistogram, .exponential_histogram_points = exponentials},
      {.name = "q", .kind = MetricKind::kSummary, .summary_points = summaries}};
  std::vector<ScopeMetrics> scopes = {{{}, metrics, ""}};
  std::vector<ResourceMetrics> data = {{Resource{}, scopes, ""}};
  EXPECT_EQ(EncodeAll<MetricsView>([&] { return f->NewMetricsEncoder(); }, data),
            (std::vector<std::string>{
                R"({"name":"g","desc":"a gauge","kind":"gauge","k":0,"value":7,"mixed":[7],"start":null})",
                R"({"name":"s","kind":"sum","k":1,"value":7,"mono":"true","temp":1,"mixed":[7],"start":null})",
                R"({"name":"s","kind":"sum","k":1,"value":-1,"mono":"true","temp":1,"mixed":[7],"start":null})",
                R"({"name":"h","kind":"histogram","k":0,"temp":2,"count":7,"sum":null,"buckets":[[0.5,3,7],[null,4,7]],)"
                R"("mixed":[7],"start":1732480000})",
                R"({"name":"e","kind":"exponential_histogram","k":0,"temp":0,"count":0,"sum":null,"exp":{"scale":-2,)"
                R"("pos":[3,4]},"mixed":[-2,7],"start":null})",
                R"({"name":"q","kind":"summary","k":0,"count":0,"sum":2.5,"q":[{"q":0.5,"v":2.0}],"mixed":[7],"start":null})"}));
}

TEST(DeclaredMetricsTest, MetricValuesArePreparedPerMetric) {
  Declaration d;
  d.metrics = SignalAt("/m", Object({{"svc", Ref("service")},
                                     {"name", Ref("metric.name")},
                                     {"unit", Ref("metric.unit")},
                                     {"temp", Ref("temporality")},
                                     {"v", Ref("value")}}));
  auto f = MustCompile(d);
  std::vector<NumberDataPoint> points(2);
  points[0].value = NumberValue::Int(1);
  points[1].value = NumberValue::Int(2);
  std::vector<Metric> metrics = {
      {.name = "a", .unit = "s", .kind = MetricKind::kSum, .temporality = AggregationTemporality::kDelta,
       .number_points = points},
      {.name = "b", .unit = "By", .kind = MetricKind::kGauge, .number_points = std::span(points).first(1)},
      {.name = "c", .unit = "", .kind = MetricKind::kSum, .number_points = std::span(points).first(1)}};
  std::vector<KeyValue> svc = {{"service.name", AnyValue::String("api")}};
  std::vector<ScopeMetrics> scopes = {{{}, metrics, ""}};
  std::vector<ResourceMetrics> data = {{Resource{svc, 0}, scopes, ""}, {Resource{}, scopes, ""}};
  const std::vector<std::string> events = EncodeAll<MetricsView>([&] { return f->NewMetricsEncoder(); }, data);
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(events[0], R"({"svc":"api","name":"a","unit":"s","temp":"delta","v":1})");
  EXPECT_EQ(events[1], R"({"svc":"api","name":"a","unit":"s","temp":"delta","v":2})");
  EXPECT_EQ(events[2], R"({"svc":"api","name":"b","unit":"By","v":1})");
  EXPECT_EQ(events[3], R"({"svc":"api","name":"c","unit":"","temp":"unspecified","v":1})");
  EXPECT_EQ(events[4], R"({"svc":"unknown","name":"a","unit":"s","temp":"delta","v":1})");
  EXPECT_EQ(events[6], R"({"svc":"unknown","name":"b","unit":"By","v":1})");
}

}  // namespace
}  // namespace otelpack::format::declared
