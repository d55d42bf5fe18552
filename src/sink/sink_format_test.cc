// The sink serving a declared format (SinkOptions::format): the real sink on
// loopback, the real exporter as its client (or raw requests where the
// exporter would never send what is tested). The built-in format declared
// explicitly, the ClickHouse example's NDJSON with query-string paths, an
// envelope and an array format; refusals (a missing required key, a wrong
// path, headers, the project) and dedup by X-Batch-ID.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/str_cat.h"
#include "format/service_name.h"
#include "http/testing/test_client.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/exporter.h"
#include "otelpack/format.h"
#include "sink/sink.h"

namespace otelpack::sink {
namespace {

using namespace std::chrono_literals;
using http::testing::TestClient;
using http::testing::TestResponse;

constexpr char kKey[] = "sink-format-key";
constexpr char kProject[] = "proj";
const std::string kApiKeyHeader = StrCat("Authorization: ApiKey ", kKey);

std::shared_ptr<const Format> Declared(std::string_view yaml) {
  auto format = Format::Parse(yaml, "test.yaml");
  EXPECT_TRUE(format.ok()) << format.status().ToString();
  return format.ok() ? *format : nullptr;
}

std::shared_ptr<const Format> ClickHouseFormat() {
  setenv("CLICKHOUSE_USER", "default", 1);
  setenv("CLICKHOUSE_KEY", "ch-secret", 1);
  auto format = Format::Load(OTELPACK_EXAMPLES "/clickhouse/format.yaml");
  EXPECT_TRUE(format.ok()) << format.status().ToString();
  return format.ok() ? *format : nullptr;
}

std::unique_ptr<Sink> Start(std::shared_ptr<const Format> format) {
  SinkOptions o;
  o.project_id = kProject;
  o.auth.api_key = kKey;
  o.format = std::move(format);
  auto sink = Sink::Start(o);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

std::unique_ptr<Exporter> ExporterFor(const Sink& sink, std::shared_ptr<const Format> format) {
  ExporterOptions o;
  o.endpoint = sink.endpoint();
  o.project_id = kProject;
  o.auth.api_key = kKey;
  o.format = std::move(format);
  auto e = Exporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

// A sink serving `format` and an exporter sending it there; both null when
// either cannot start (with a test failure).
struct Served {
  std::unique_ptr<Sink> sink;
  std::unique_ptr<Exporter> exporter;
};

Served Serve(std::shared_ptr<const Format> format) {
  Served s;
  s.sink = Start(format);
  if (s.sink != nullptr) s.exporter = ExporterFor(*s.sink, format);
  if (s.exporter == nullptr) s.sink.reset();
  return s;
}

// Exports `traces`, then `logs` generated log records and `metrics` data
// points, and waits until the sink has answered them all.
void SendAll(Exporter* exporter, TracesView traces, std::size_t logs, std::size_t metrics) {
  loadgen::LogGenerator log_generator;
  loadgen::MetricGenerator metric_generator;
  ASSERT_TRUE(exporter->Export(traces).ok());
  if (logs > 0) {
    ASSERT_TRUE(exporter->Export(log_generator.Next(logs)).ok());
  }
  if (metrics > 0) {
    ASSERT_TRUE(exporter->Export(metric_generator.Next(metrics)).ok());
  }
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());
}

std::vector<std::string> Find(const Sink& sink, std::optional<EventType> type, std::optional<std::string> service,
                              std::optional<std::string> name) {
  EventFilter f;
  f.type = type;
  f.service = std::move(service);
  f.name = std::move(name);
  f.limit = kMaxEventsLimit;
  auto found = sink.FindEvents(f);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  return found.ok() ? *found : std::vector<std::string>{};
}

// A member of a stored event, as its JSON text.
std::string Member(const std::string& event, std::string_view key) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(event).get(o) != simdjson::SUCCESS) return "<not an object>";
  simdjson::dom::element e;
  if (o[key].get(e) != simdjson::SUCCESS) return "<absent>";
  return simdjson::minify(e);
}

TEST(SinkFormatTest, TheBuiltInFormatDeclaredExplicitlyStillPassesThrough) {
  auto sink = Start(Format::BuiltIn());
  ASSERT_NE(sink, nullptr);
  EXPECT_NE(sink->serves().find("built-in"), std::string::npos) << sink->serves();
  auto exporter = ExporterFor(*sink, nullptr);  // the hand-written encoders
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  const TracesView traces = spans.Next(40);
  const std::string service(ServiceName(traces[0].resource));
  const std::string name(traces[0].scope_spans[0].spans[0].name);
  SendAll(exporter.get(), traces, 30, 20);
  EXPECT_EQ(exporter->Stats().traces.sent, 40u);
  const SinkStats stats = sink->Stats();
  EXPECT_EQ(stats.by_type.span, 40u);
  EXPECT_EQ(stats.by_type.log, 30u);
  EXPECT_EQ(stats.by_type.metric, 20u) << "one event per data point";
  EXPECT_EQ(stats.requests_by_status.count(400), 0u);
  const auto found = Find(*sink, EventType::kSpan, service, name);
  ASSERT_FALSE(found.empty());
  for (const std::string& e : found) {
    EXPECT_EQ(Member(e, "service"), "\"" + service + "\"");
    EXPECT_EQ(Member(e, "operation"), "\"" + name + "\"") << "a span's name is its operation";
  }
}

TEST(SinkFormatTest, TheClickHouseExampleSpansAndLogsAreCountedAndFoundByServiceAndName) {
  auto format = ClickHouseFormat();
  ASSERT_NE(format, nullptr);
  auto [sink, exporter] = Serve(format);
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  const TracesView traces = spans.Next(60);
  // What was sent, by service and span name.
  std::map<std::pair<std::string, std::string>, std::size_t> sent;
  for (const ResourceSpans& rs : traces) {
    for (const ScopeSpans& ss : rs.scope_spans) {
      for (const Span& s : ss.spans) ++sent[{std::string(ServiceName(rs.resource)), std::string(s.name)}];
    }
  }
  SendAll(exporter.get(), traces, 25, 0);

  const SinkStats stats = sink->Stats();
  EXPECT_EQ(stats.by_type.span, 60u);
  EXPECT_EQ(stats.by_type.log, 25u);
  EXPECT_EQ(stats.by_type.metric, 0u);
  EXPECT_EQ(stats.batches, 2u) << "one request per signal, each to its own INSERT";
  EXPECT_EQ(Find(*sink, EventType::kLog, std::nullopt, std::nullopt).size(), 25u);
  ASSERT_GT(sent.size(), 1u);
  for (const auto& [key, count] : sent) {
    const auto found = Find(*sink, EventType::kSpan, key.first, key.second);
    EXPECT_EQ(found.size(), count) << key.first << " / " << key.second;
    for (const std::string& e : found) {
      EXPECT_EQ(Member(e, "ServiceName"), "\"" + key.first + "\"");
      EXPECT_EQ(Member(e, "SpanName"), "\"" + key.second + "\"");
    }
  }
  EXPECT_TRUE(Find(*sink, EventType::kSpan, std::string("no-such-service"), std::nullopt).empty());
}

constexpr char kTracesPath[] = "/?query=INSERT%20INTO%20otel.otel_traces%20FORMAT%20JSONEachRow";

// A sink serving the ClickHouse example, holding `n` spans the exporter
// sent, and those events' text (to send again, changed, by hand).
struct ClickHouseSink {
  std::unique_ptr<Sink> sink;
  std::vector<std::string> events;
};

ClickHouseSink StartWithSpans(std::size_t n) {
  ClickHouseSink out;
  auto format = ClickHouseFormat();
  if (format == nullptr) return out;
  out.sink = Start(format);
  if (out.sink == nullptr) return out;
  auto exporter = ExporterFor(*out.sink, format);
  loadgen::SpanGenerator spans;
  EXPECT_TRUE(exporter->Export(spans.Next(n)).ok());
  EXPECT_TRUE(exporter->ForceFlush(10s).ok());
  auto all = out.sink->AllEvents();
  EXPECT_TRUE(all.ok());
  if (all.ok()) out.events = *all;
  return out;
}

std::vector<std::string> ClickHouseHeaders() {
  return {kApiKeyHeader, "Content-Type: application/x-ndjson", "X-ClickHouse-User: default",
          "X-ClickHouse-Key: whatever"};
}

std::string Ndjson(const std::vector<std::string>& events) {
  std::string body;
  for (const std::string& e : events) StrAppend(&body, e, "\n");
  return body;
}

// `event` without its member `key` (the exporter's text: `"key":value,`).
std::string Without(std::string event, std::string_view key) {
  const std::string lead = StrCat("\"", key, "\":");
  const std::size_t at = event.find(lead);
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return event;
  const std::size_t next = event.find(",\"", at);
  event.erase(at, next - at + 1);
  return event;
}

TEST(SinkFormatTest, AnEventMissingARequiredKeyIsRefusedNamingItAndNothingOfTheRequestIsStored) {
  ClickHouseSink ch = StartWithSpans(3);
  ASSERT_NE(ch.sink, nullptr);
  ASSERT_EQ(ch.events.size(), 3u);
  TestClient client(ch.sink->endpoint());
  const std::string body = Ndjson({ch.events[0], Without(ch.events[1], "TraceId"), ch.events[2]});
  auto r = client.Post(kTracesPath, body, ClickHouseHeaders());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("events[1].TraceId: missing"), std::string::npos) << r->body;
  EXPECT_EQ(*ch.sink->CountEvents(), 3u) << "the first event of the refused request is not stored either";

  // A key the declaration may leave out is not required; one it never writes is accepted.
  auto ok = client.Post(kTracesPath, Ndjson({ch.events[0]}), ClickHouseHeaders());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200) << ok->body;

  const std::string& good = ch.events[0];
  std::string malformed = good;
  malformed.insert(1, "\"Extra\":[tru],");
  const std::pair<std::string, std::string_view> bad[] = {
      {"[1,2]\n", "events[0]: expected object"},
      {malformed + "\n", "malformed JSON at events[0].Extra"},
      {good + "\n\n" + good + "\n", "events[1]: an empty line"},
      {good + " {}\n", "events[0]: more than one JSON value on the line"},
  };
  for (const auto& [bad_body, message] : bad) {
    auto refused = client.Post(kTracesPath, bad_body, ClickHouseHeaders());
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(refused->status, 400) << bad_body << ": " << refused->body;
    EXPECT_NE(refused->body.find(message), std::string::npos) << refused->body;
  }
  EXPECT_EQ(*ch.sink->CountEvents(), 4u);
}

TEST(SinkFormatTest, OnlyTheDeclaredPathsQueriesAndHeadersAreServed) {
  ClickHouseSink ch = StartWithSpans(1);
  ASSERT_NE(ch.sink, nullptr);
  ASSERT_EQ(ch.events.size(), 1u);
  TestClient client(ch.sink->endpoint());
  const std::string body = Ndjson(ch.events);
  for (std::string_view path : {"/?query=INSERT%20INTO%20otel.elsewhere%20FORMAT%20JSONEachRow", "/v1/ingest",
                                "/", "/?query=INSERT%20INTO%20otel.otel_traces%20FORMAT%20JSONEachRow&x=1"}) {
    auto r = client.Post(path, body, ClickHouseHeaders());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 404) << path << ": " << r->body;
  }
  // Both headers come from ${env:...}: credentials, checked by the sink's
  // own --auth, not against the sink's environment. They must be there.
  std::vector<std::string> headers = ClickHouseHeaders();
  headers[2] = "X-ClickHouse-User: someone";
  EXPECT_EQ(client.Post(kTracesPath, body, headers)->status, 200);
  headers = ClickHouseHeaders();
  headers.pop_back();
  auto key = client.Post(kTracesPath, body, headers);
  EXPECT_EQ(key->status, 400) << key->body;
  EXPECT_NE(key->body.find("X-ClickHouse-Key: missing"), std::string::npos) << key->body;
  headers = ClickHouseHeaders();
  headers[1] = "Content-Type: application/json";
  EXPECT_EQ(client.Post(kTracesPath, body, headers)->status, 415);
  headers = ClickHouseHeaders();
  headers[0] = "Authorization: ApiKey wrong";
  EXPECT_EQ(client.Post(kTracesPath, body, headers)->status, 401) << "authentication stays the sink's";
  EXPECT_EQ(*ch.sink->CountEvents(), 2u);
  EXPECT_EQ(client.Post(kTracesPath, body, ClickHouseHeaders())->status, 200);
}

TEST(SinkFormatTest, ABatchIdIsStoredOnceWithoutOneEveryRequestIs) {
  ClickHouseSink ch = StartWithSpans(2);
  ASSERT_NE(ch.sink, nullptr);
  TestClient client(ch.sink->endpoint());
  std::vector<std::string> headers = ClickHouseHeaders();
  headers.push_back("X-Batch-ID: again-1");
  const std::string body = Ndjson(ch.events);
  auto first = client.Post(kTracesPath, body, headers);
  auto second = client.Post(kTracesPath, body, headers);
  EXPECT_EQ(first->body, "{\"accepted\":2,\"duplicate\":false}");
  EXPECT_EQ(second->body, "{\"accepted\":2,\"duplicate\":true}");
  EXPECT_EQ(*ch.sink->CountEvents(), 4u);
  EXPECT_EQ(ch.sink->Stats().duplicates, 1u);
  EXPECT_EQ(client.Post(kTracesPath, body, ClickHouseHeaders())->status, 200);
  EXPECT_EQ(client.Post(kTracesPath, body, ClickHouseHeaders())->status, 200);
  EXPECT_EQ(*ch.sink->CountEvents(), 8u) << "no batch id: no dedup";
}

constexpr std::string_view kEnvelope = R"(
envelope: {tenant: $project_id, data: {kind: batch, items: $events}, sent: $sent_at | unix_s}
headers: {X-Tenant: $project_id, X-Api-Version: "3"}
traces: {path: /ingest/spans, event: {kind: span, svc: $service, what: $name, state: $trace_state | omit_if_empty}}
logs: {path: /ingest/spans, event: {kind: log, svc: $service, sev: $severity}}
metrics: {path: /ingest/points, event: {metric: $metric.name, value: $value}}
)";

TEST(SinkFormatTest, AnEnvelopeFormatWithASharedPathToldApartByALiteral) {
  auto format = Declared(kEnvelope);
  ASSERT_NE(format, nullptr);
  auto [sink, exporter] = Serve(format);
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  const TracesView traces = spans.Next(10);
  const std::string service(ServiceName(traces[0].resource));
  SendAll(exporter.get(), traces, 7, 5);
  const SinkStats stats = sink->Stats();
  EXPECT_EQ(stats.by_type.span, 10u);
  EXPECT_EQ(stats.by_type.log, 7u);
  EXPECT_EQ(stats.by_type.metric, 5u);
  EXPECT_FALSE(Find(*sink, EventType::kSpan, service, std::nullopt).empty());
  for (const std::string& e : Find(*sink, EventType::kLog, std::nullopt, std::nullopt)) {
    EXPECT_EQ(Member(e, "kind"), "\"log\"");
  }

  TestClient client(sink->endpoint());
  const std::vector<std::string> headers = {kApiKeyHeader, "Content-Type: application/json", "X-Tenant: proj",
                                            "X-Api-Version: 3"};
  const auto post = [&](std::string_view body, std::vector<std::string> h) {
    auto r = client.Post("/ingest/spans", body, h);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : TestResponse{};
  };
  const std::string event = R"({"kind":"span","svc":"a","what":"b"})";
  EXPECT_EQ(post(StrCat(R"({"tenant":"proj","data":{"kind":"batch","items":[)", event, R"(]},"sent":1})"), headers)
                .status,
            200);
  TestResponse other = post(StrCat(R"({"tenant":"other","data":{"items":[)", event, R"(]},"sent":1})"), headers);
  EXPECT_EQ(other.status, 403) << other.body;
  TestResponse no_sent = post(StrCat(R"({"tenant":"proj","data":{"items":[)", event, R"(]}})"), headers);
  EXPECT_EQ(no_sent.status, 400);
  EXPECT_NE(no_sent.body.find("sent: missing"), std::string::npos) << no_sent.body;
  TestResponse no_items = post(R"({"tenant":"proj","data":{},"sent":1})", headers);
  EXPECT_NE(no_items.body.find("items: missing"), std::string::npos) << no_items.body;
  TestResponse unknown_kind = post(R"({"tenant":"proj","data":{"items":[{"kind":"metric"}]},"sent":1})", headers);
  EXPECT_EQ(unknown_kind.status, 400);
  EXPECT_NE(unknown_kind.body.find(R"(data.items[0].kind: expected one of \"span\", \"log\")"), std::string::npos)
      << unknown_kind.body;
  TestResponse log_as_span = post(R"({"tenant":"proj","data":{"items":[{"kind":"log","svc":"a"}]},"sent":1})", headers);
  EXPECT_NE(log_as_span.body.find("data.items[0].sev: missing"), std::string::npos) << log_as_span.body;
  std::vector<std::string> wrong_tenant = headers;
  wrong_tenant[2] = "X-Tenant: other";
  EXPECT_EQ(post(StrCat(R"({"tenant":"proj","data":{"items":[]},"sent":1})"), wrong_tenant).status, 403);
  std::vector<std::string> wrong_version = headers;
  wrong_version[3] = "X-Api-Version: 2";
  EXPECT_EQ(post(StrCat(R"({"tenant":"proj","data":{"items":[]},"sent":1})"), wrong_version).status, 400);
  EXPECT_EQ(*sink->CountEvents(), 23u);
}

TEST(SinkFormatTest, AnArrayFormat) {
  auto format = Declared(R"(
framing: array
headers: {}
traces: {path: /api/v2/spans, event: {traceId: $trace_id, id: $span_id, name: $name,
         localEndpoint: {serviceName: $service}, svc: $service}}
logs: {path: /logs, event: {body: $body}}
metrics: {path: /metrics, event: {name: $metric.name}}
)");
  ASSERT_NE(format, nullptr);
  auto [sink, exporter] = Serve(format);
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  SendAll(exporter.get(), spans.Next(12), 0, 0);
  EXPECT_EQ(sink->Stats().by_type.span, 12u);
  const auto stored = sink->AllEvents();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 12u);
  EXPECT_EQ(Member((*stored)[0], "traceId").size(), 34u);
  const std::string svc = Member((*stored)[0], "svc");
  EXPECT_FALSE(Find(*sink, EventType::kSpan, svc.substr(1, svc.size() - 2), std::nullopt).empty());

  TestClient client(sink->endpoint());
  const std::vector<std::string> headers = {kApiKeyHeader, "Content-Type: application/json"};
  EXPECT_EQ(client.Post("/api/v2/spans", R"({"traceId":"x"})", headers)->status, 400) << "not an array";
  EXPECT_EQ(client.Post("/api/v2/spans", R"([{"traceId":"x","id":"y","name":"n","localEndpoint":{}}])", headers)
                ->status,
            400)
      << "svc is missing";
  EXPECT_EQ(client.Post("/api/v2/spans", R"([] [])", headers)->status, 400);
  EXPECT_EQ(client.Post("/api/v2/spans", R"([])", headers)->status, 200);
  EXPECT_EQ(*sink->CountEvents(), 12u);
}

// A declared path is matched as the server decodes requests: %XX in the
// path and the query, '+' a space in the query.
TEST(SinkFormatTest, PercentEncodedPathsAndQueriesMatchDecoded) {
  auto format = Declared(R"(
framing: ndjson
headers: {}
traces: {path: "/in%20gest?q=a%2Bb+c&flag", event: {n: $name}}
)");
  ASSERT_NE(format, nullptr);
  auto [sink, exporter] = Serve(format);
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  SendAll(exporter.get(), spans.Next(5), 0, 0);
  EXPECT_EQ(sink->Stats().by_type.span, 5u);
  TestClient client(sink->endpoint());
  const std::vector<std::string> headers = {kApiKeyHeader, "Content-Type: application/x-ndjson"};
  EXPECT_EQ(client.Post("/in%20gest?q=a%2Bb%20c&flag", "{\"n\":\"x\"}\n", headers)->status, 200);
  EXPECT_EQ(client.Post("/in%20gest?q=a+b+c&flag", "{\"n\":\"x\"}\n", headers)->status, 404)
      << "a+b+c is \"a b c\", not \"a+b c\"";
  EXPECT_EQ(client.Post("/in%20gest?q=a%2Bb+c", "{\"n\":\"x\"}\n", headers)->status, 404);
}

// The exporter signs the path as declared, query string included; the sink
// verifies that path, not the one the server decoded.
TEST(SinkFormatTest, AnHmacSignatureCoversTheDeclaredPathWithItsQuery) {
  auto format = ClickHouseFormat();
  ASSERT_NE(format, nullptr);
  SinkOptions o;
  o.project_id = kProject;
  o.auth.scheme = AuthScheme::kHmacSha256;
  o.auth.key_id = "k1";
  o.auth.secret = "hmac-secret";
  o.format = format;
  auto sink = Sink::Start(o);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  ExporterOptions e;
  e.endpoint = (*sink)->endpoint();
  e.project_id = kProject;
  e.auth = o.auth;
  e.format = format;
  auto exporter = Exporter::Create(e);
  ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
  loadgen::SpanGenerator spans;
  SendAll(exporter->get(), spans.Next(4), 0, 0);
  EXPECT_EQ((*sink)->Stats().by_type.span, 4u);
  EXPECT_EQ((*sink)->Stats().requests_by_status.count(401), 0u);
}

TEST(SinkFormatTest, AFormatTheSinkCannotServeIsRefusedAtStart) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"framing: ndjson\ntraces: {path: /x, event: {a: $name}}\nlogs: {path: /x, event: {b: $severity}}\n",
       "traces and logs share the path /x"},
      {"framing: ndjson\ntraces: {path: /v1/events, event: {a: $name}}\n", "read endpoints"},
  };
  for (const auto& [yaml, message] : cases) {
    auto format = Declared(yaml);
    ASSERT_NE(format, nullptr);
    SinkOptions o;
    o.auth.api_key = kKey;
    o.format = format;
    auto sink = Sink::Start(o);
    ASSERT_FALSE(sink.ok()) << yaml;
    EXPECT_NE(sink.status().message().find(message), std::string::npos) << sink.status().ToString();
  }
}

}  // namespace
}  // namespace otelpack::sink
