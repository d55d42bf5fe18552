// A declared format end to end through the exporter: each signal's events
// written by its compiled plan, framed as declared, sent to the signal's own
// path with the declared headers -- received by a real HTTP server over
// loopback -- and the built-in format, compiled, giving the sink exactly
// what the hand-written encoders give it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/exporter.h"
#include "otelpack/format.h"
#include "sink/sink.h"
#include "exporter/testing/test_sink.h"
#include "transport/test_http_server.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kNdjson = R"(
framing: ndjson
headers:
  X-Api-Version: "2"
  X-Tenant: $project_id
traces:
  path: /spans?table=otel_spans
  event:
    name: $name
    start_ms: $start_time | unix_ms
    trace: $trace_id
logs:
  path: /logs
  event:
    severity: $severity
    body: $body | json
metrics:
  path: /points
  event:
    metric: $metric.name
    kind: $kind
)";

std::unique_ptr<Exporter> Make(const ExporterOptions& o) {
  auto e = Exporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

// Each line of an NDJSON body, parsed; fails the test on a line that is not
// a JSON object.
std::vector<std::map<std::string, std::string>> Lines(const std::string& body) {
  std::vector<std::map<std::string, std::string>> out;
  simdjson::dom::parser parser;
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = body.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "every line ends in \\n";
    if (end == std::string::npos) break;
    simdjson::dom::object o;
    EXPECT_EQ(parser.parse(body.substr(start, end - start)).get(o), simdjson::SUCCESS) << body.substr(start, end);
    std::map<std::string, std::string> fields;
    for (auto [key, value] : o) fields[std::string(key)] = simdjson::minify(value);
    out.push_back(std::move(fields));
    start = end + 1;
  }
  return out;
}

TEST(DeclaredFormatTest, EachSignalGoesToItsPathFramedAndHeadedAsDeclared) {
  testing::TestHttpServer server;
  auto format = Format::Parse(kNdjson, "ndjson.yaml");
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  ExporterOptions o;
  o.endpoint = server.Url("");
  o.project_id = "tenant-7";
  o.auth.api_key = "k";
  o.compression = Compression::kNone;
  o.concurrency = 1;  // the test server serves one connection at a time
  o.format = *format;
  auto exporter = Make(o);
  ASSERT_NE(exporter, nullptr);
  loadgen::SpanGenerator spans;
  loadgen::LogGenerator logs;
  loadgen::MetricGenerator metrics;
  const TracesView traces = spans.Next(3);
  ASSERT_TRUE(exporter->Export(traces).ok());
  ASSERT_TRUE(exporter->Export(logs.Next(2)).ok());
  ASSERT_TRUE(exporter->Export(metrics.Next(2)).ok());
  ASSERT_TRUE(exporter->ForceFlush(10s).ok());

  std::map<std::string, testing::ReceivedRequest> by_target;
  for (const testing::ReceivedRequest& r : server.requests()) by_target[r.target] = r;
  ASSERT_EQ(by_target.size(), 3u);
  for (const auto& [target, r] : by_target) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.Header("Content-Type"), "application/x-ndjson") << target;
    EXPECT_EQ(r.Header("X-Api-Version"), "2") << target;
    EXPECT_EQ(r.Header("X-Tenant"), "tenant-7") << target;
    EXPECT_EQ(r.Header("Authorization"), "ApiKey k") << target << ": authentication is not the format's";
    EXPECT_TRUE(r.Header("X-Batch-ID").has_value()) << target;
    EXPECT_FALSE(r.Header("X-Project-ID").has_value()) << target << ": the declared headers replace the article's";
  }
  ASSERT_TRUE(by_target.contains("/spans?table=otel_spans"));
  const auto span_lines = Lines(by_target["/spans?table=otel_spans"].body);
  ASSERT_EQ(span_lines.size(), 3u);
  const Span& first = traces[0].scope_spans[0].spans[0];
  EXPECT_EQ(span_lines[0].at("name"), "\"" + std::string(first.name) + "\"");
  EXPECT_EQ(span_lines[0].at("start_ms"), std::to_string(first.start_time_unix_nano / 1'000'000));
  EXPECT_EQ(span_lines[0].size(), 3u);

  ASSERT_TRUE(by_target.contains("/logs"));
  const auto log_lines = Lines(by_target["/logs"].body);
  ASSERT_EQ(log_lines.size(), 2u);
  for (const auto& line : log_lines) {
    EXPECT_EQ(line.at("body").front(), '"') << "the body as a JSON string: " << line.at("body");
  }
  ASSERT_TRUE(by_target.contains("/points"));
  EXPECT_EQ(Lines(by_target["/points"].body).size(), 2u);
  EXPECT_EQ(exporter->Stats().traces.sent, 3u);
  EXPECT_EQ(exporter->Stats().logs.sent, 2u);
  EXPECT_EQ(exporter->Stats().metrics.sent, 2u);
}

// The built-in declaration, compiled, against the hand-written encoders:
// the sink stores the same events, byte for byte.
TEST(DeclaredFormatTest, TheBuiltInDeclarationGivesTheSinkWhatTheHandWrittenEncodersGive) {
  std::vector<std::string> stored[2];
  for (int declared = 0; declared < 2; ++declared) {
    auto sink = testing::StartTestSink();
    ASSERT_NE(sink, nullptr);
    ExporterOptions o = testing::ExporterOptionsFor(*sink);
    o.extra_fields.kind = true;
    o.extra_fields.links = true;
    o.extra_fields.resource = true;
    if (declared == 1) o.format = Format::BuiltIn();
    auto exporter = Make(o);
    ASSERT_NE(exporter, nullptr);
    loadgen::SpanGenerator spans;
    loadgen::LogGenerator logs;
    loadgen::MetricGenerator metrics;
    ASSERT_TRUE(exporter->Export(spans.Next(50)).ok());
    ASSERT_TRUE(exporter->Export(logs.Next(50)).ok());
    ASSERT_TRUE(exporter->Export(metrics.Next(50)).ok());
    ASSERT_TRUE(exporter->ForceFlush(10s).ok());
    auto all = sink->AllEvents();
    ASSERT_TRUE(all.ok());
    stored[declared] = *all;
  }
  ASSERT_EQ(stored[0].size(), 150u);
  std::sort(stored[0].begin(), stored[0].end());
  std::sort(stored[1].begin(), stored[1].end());
  EXPECT_EQ(stored[0], stored[1]);
}

TEST(DeclaredFormatTest, AFormatWithMistakesNamesEachWithItsPlace) {
  auto format = Format::Parse("framing: ndjson\ntraces:\n  path: /x\n  event:\n    n: $nme\n    t: $start_time | rfc3340\n",
                              "bad.yaml");
  ASSERT_FALSE(format.ok());
  const std::string message(format.status().message());
  EXPECT_NE(message.find("bad.yaml:5:"), std::string::npos) << message;
  EXPECT_NE(message.find("$nme"), std::string::npos) << message;
  EXPECT_NE(message.find("name"), std::string::npos) << message << ": a suggestion";
  EXPECT_NE(message.find("bad.yaml:6:"), std::string::npos) << message;
  EXPECT_NE(message.find("rfc3339"), std::string::npos) << message;
}

// A backend that has no project (ClickHouse, say) needs none: the project id
// is required only when the format sends it.
TEST(DeclaredFormatTest, TheProjectIdIsRequiredOnlyWhenTheFormatSendsIt) {
  constexpr std::string_view kNoProject = R"(
framing: array
headers: {}
traces: {path: /t, event: {n: $name}}
logs: {path: /l, event: {s: $severity}}
metrics: {path: /m, event: {m: $metric.name}}
)";
  auto none = Format::Parse(kNoProject);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE((*none)->uses_project_id());
  ExporterOptions o;
  o.endpoint = "http://127.0.0.1:9";
  o.format = *none;
  EXPECT_TRUE(o.Validate().ok()) << o.Validate().ToString();

  for (std::string_view yaml : {std::string_view("framing: array\n"),  // the rest is the built-in's
                                std::string_view(R"(
framing: array
headers: {X-Tenant: $project_id}
traces: {path: /t, event: {n: $name}}
logs: {path: /l, event: {s: $severity}}
metrics: {path: /m, event: {m: $metric.name}}
)"),
                                std::string_view(R"(
framing: ndjson
headers: {}
traces: {path: /t, event: {n: $name, p: {$each: $events, $item: {x: $project_id}}}}
logs: {path: /l, event: {s: $severity}}
metrics: {path: /m, event: {m: $metric.name}}
)")}) {
    auto uses = Format::Parse(yaml);
    ASSERT_TRUE(uses.ok()) << uses.status().ToString();
    EXPECT_TRUE((*uses)->uses_project_id()) << yaml;
    o.format = *uses;
    EXPECT_FALSE(o.Validate().ok()) << yaml;
  }
  o.format = nullptr;
  EXPECT_FALSE(o.Validate().ok()) << "the built-in format sends the project";
}

}  // namespace
}  // namespace otelpack
