// The Splunk HEC and Zipkin examples (examples/formats/NAME) end to end through the reference
// sink: the example's otelpack.yaml loaded as `otelpack run --config` loads it (its secrets
// from a test environment), the records of tests/clickhouse/tricky_records.h (quotes,
// backslashes, control characters, NUL and non-ASCII text; every attribute type; root spans,
// events, links; logs without time, body or trace) sent by the real exporter to a sink serving
// the example's format.yaml, and every event the sink stored compared, byte for byte, with
// golden/NAME.json. The examples' own rules (Zipkin's string tags, no INTERNAL kind, integer
// microseconds; HEC's fractional seconds and sourcetypes) are asserted on top, so that a
// golden file regenerated from a wrong mapping still fails.
//
// To regenerate the golden files after a deliberate change of an example or of the encoder:
//   OTELPACK_UPDATE_GOLDEN=1 build/dev/tests/formats/formats_golden_test
// then read the diff before committing it.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/str_cat.h"
#include "config/config.h"
#include "otelpack/exporter.h"
#include "otelpack/format.h"
#include "sink/sink.h"
#include "tests/clickhouse/tricky_records.h"

namespace otelpack::testing {
namespace {

using namespace std::chrono_literals;

const std::string kExamples = OTELPACK_EXAMPLES;
const std::string kGolden = OTELPACK_GOLDEN;
constexpr char kToken[] = "golden-token";

// The example's otelpack.yaml, loaded and checked as `otelpack run` does, with
// SPLUNK_HEC_TOKEN set.
ExporterOptions LoadExample(const std::string& name) {
  const config::EnvLookup env = [](std::string_view var) -> std::optional<std::string> {
    if (var == "SPLUNK_HEC_TOKEN") return std::string(kToken);
    return std::nullopt;
  };
  config::LoadedConfig loaded = config::LoadConfigFile(StrCat(kExamples, "/", name, "/otelpack.yaml"), {}, env);
  config::CheckExporterReady(&loaded);
  std::string errors;
  for (const config::ConfigError& e : loaded.errors) StrAppend(&errors, config::FormatError("otelpack.yaml", e), "\n");
  EXPECT_TRUE(loaded.ok()) << errors;
  EXPECT_NE(loaded.options.exporter.format, nullptr) << "the example names its format.yaml";
  return loaded.options.exporter;
}

// The events of each type the sink stored, as one JSON document, one event a line.
std::string Stored(const sink::Sink& sink) {
  std::string out = "{\n";
  bool first_type = true;
  for (sink::EventType type : {sink::EventType::kSpan, sink::EventType::kLog, sink::EventType::kMetric}) {
    sink::EventFilter filter;
    filter.type = type;
    filter.limit = sink::kMaxEventsLimit;
    auto events = sink.FindEvents(filter);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    if (!events.ok() || events->empty()) continue;
    StrAppend(&out, first_type ? "" : ",\n", "\"", sink::EventTypeName(type), "\": [\n");
    first_type = false;
    for (std::size_t i = 0; i < events->size(); ++i) StrAppend(&out, (*events)[i], i + 1 < events->size() ? ",\n" : "\n");
    out += "]";
  }
  out += "\n}\n";
  return out;
}

// Compares `actual` with golden/NAME.json, or writes it there with OTELPACK_UPDATE_GOLDEN set.
void CompareWithGolden(const std::string& name, const std::string& actual) {
  const std::string path = StrCat(kGolden, "/", name, ".json");
  if (getenv("OTELPACK_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    std::fprintf(stderr, "wrote %s\n", path.c_str());
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << path << " is missing: run with OTELPACK_UPDATE_GOLDEN=1 to write it";
  std::stringstream golden;
  golden << in.rdbuf();
  if (golden.str() == actual) return;
  std::istringstream want(golden.str());
  std::istringstream got(actual);
  std::string w;
  std::string g;
  for (int line = 1; std::getline(want, w) || std::getline(got, g); ++line) {
    if (!std::getline(got, g)) g = "<end>";
    if (w != g) {
      ADD_FAILURE() << path << ":" << line << " differs\n  golden: " << w << "\n  stored: " << g;
      return;
    }
    w.clear();
  }
  ADD_FAILURE() << path << " differs from what the sink stored";
}

// A sink serving the example's format.yaml, the exporter of its otelpack.yaml pointed at it.
struct ExampleRun {
  std::unique_ptr<sink::Sink> sink;
  std::unique_ptr<Exporter> exporter;
};

ExampleRun Start(const std::string& name) {
  ExampleRun run;
  setenv("SPLUNK_HEC_TOKEN", kToken, 1);  // format.yaml, loaded by the sink, reads it too
  auto format = Format::Load(StrCat(kExamples, "/", name, "/format.yaml"));
  EXPECT_TRUE(format.ok()) << format.status().ToString();
  if (!format.ok()) return run;
  sink::SinkOptions s;
  s.auth.scheme = AuthScheme::kNone;
  s.format = *format;
  auto sink = sink::Sink::Start(s);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  if (!sink.ok()) return run;
  run.sink = std::move(sink).value();
  ExporterOptions o = LoadExample(name);
  o.endpoint = run.sink->endpoint();  // as --endpoint
  auto exporter = Exporter::Create(o);
  EXPECT_TRUE(exporter.ok()) << exporter.status().ToString();
  if (exporter.ok()) run.exporter = std::move(exporter).value();
  return run;
}

// Every delivered: a refusal by the sink (a missing key, a header) is a dropped record.
void ExpectAllSent(const SignalStats& stats, std::uint64_t n, std::string_view what) {
  EXPECT_EQ(stats.sent, n) << what;
  EXPECT_EQ(stats.dropped(), 0u) << what;
  EXPECT_EQ(stats.requests_failed_permanent, 0u) << what;
}

using Object = simdjson::dom::object;

TEST(FormatsGoldenTest, ZipkinSpans) {
  ExampleRun run = Start("zipkin");
  ASSERT_NE(run.exporter, nullptr);
  TrickyTraces traces;
  ASSERT_TRUE(run.exporter->Export(traces.view()).ok());
  ASSERT_TRUE(run.exporter->ForceFlush(10s).ok());
  const std::uint64_t spans = CountSpans(traces.view());
  ExpectAllSent(run.exporter->Stats().traces, spans, "spans");
  EXPECT_EQ(run.sink->Stats().by_type.span, spans);
  const std::string stored = Stored(*run.sink);
  CompareWithGolden("zipkin", stored);

  simdjson::dom::parser parser;
  Object doc;
  ASSERT_EQ(parser.parse(stored).get(doc), simdjson::SUCCESS) << stored;
  int roots = 0;
  int annotated = 0;
  for (simdjson::dom::element e : doc["span"].get_array()) {
    Object span = e.get_object();
    std::string_view kind;
    if (span["kind"].get(kind) == simdjson::SUCCESS) {
      EXPECT_TRUE(kind == "CLIENT" || kind == "SERVER" || kind == "PRODUCER" || kind == "CONSUMER") << kind;
    }
    std::string_view parent;
    if (span["parentId"].get(parent) == simdjson::SUCCESS) {
      EXPECT_EQ(parent.size(), 16u);
    } else {
      ++roots;
    }
    EXPECT_TRUE(span["timestamp"].is_uint64()) << simdjson::minify(e);
    EXPECT_TRUE(span["duration"].is_uint64()) << simdjson::minify(e);
    EXPECT_EQ(std::string_view(span["id"].get_string()).size(), 16u);
    EXPECT_EQ(std::string_view(span["traceId"].get_string()).size(), 32u);
    for (auto [key, value] : span["tags"].get_object()) {
      EXPECT_TRUE(value.is_string()) << key << ": Zipkin's tags are strings";
    }
    simdjson::dom::array annotations;
    if (span["annotations"].get(annotations) == simdjson::SUCCESS) {
      for (simdjson::dom::element a : annotations) {
        EXPECT_TRUE(a["timestamp"].is_uint64());
        EXPECT_TRUE(a["value"].is_string());
        ++annotated;
      }
    }
  }
  EXPECT_GT(roots, 0) << "a root span has no parentId";
  EXPECT_GT(annotated, 0) << "span events are annotations";
}

TEST(FormatsGoldenTest, SplunkHecSpansLogsAndPoints) {
  ExampleRun run = Start("splunk-hec");
  ASSERT_NE(run.exporter, nullptr);
  TrickyTraces traces;
  TrickyLogs logs;
  TrickyMetrics metrics;
  ASSERT_TRUE(run.exporter->Export(traces.view()).ok());
  ASSERT_TRUE(run.exporter->Export(logs.view()).ok());
  ASSERT_TRUE(run.exporter->Export(metrics.view()).ok());
  ASSERT_TRUE(run.exporter->ForceFlush(10s).ok());
  const ExporterStats stats = run.exporter->Stats();
  ExpectAllSent(stats.traces, CountSpans(traces.view()), "spans");
  ExpectAllSent(stats.logs, stats.logs.received, "logs");
  ExpectAllSent(stats.metrics, stats.metrics.received, "points");
  EXPECT_GT(run.sink->Stats().by_type.log, 0u);
  EXPECT_GT(run.sink->Stats().by_type.metric, 0u);
  const std::string stored = Stored(*run.sink);
  CompareWithGolden("splunk-hec", stored);

  simdjson::dom::parser parser;
  Object doc;
  ASSERT_EQ(parser.parse(stored).get(doc), simdjson::SUCCESS) << stored;
  const std::map<std::string_view, std::string_view> sourcetypes = {
      {"span", "otel:span"}, {"log", "otel:log"}, {"metric", "otel:metric"}};
  for (const auto& [type, sourcetype] : sourcetypes) {
    for (simdjson::dom::element e : doc[type].get_array()) {
      Object event = e.get_object();
      EXPECT_EQ(std::string_view(event["sourcetype"].get_string()), sourcetype);
      EXPECT_TRUE(event["time"].is_number()) << simdjson::minify(e);
      EXPECT_TRUE(event["host"].is_string());
      EXPECT_TRUE(event["source"].is_string());
      EXPECT_TRUE(event["fields"].is_object());
      EXPECT_FALSE(event["event"].is_null());
    }
  }
}

}  // namespace
}  // namespace otelpack::testing
