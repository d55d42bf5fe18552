// Differential fuzzing of the declared encoders: spans, log records and
// metric data points built from the input (model_builder.h) go through the
// built-in declaration, compiled with the ExtraFields the input picks, and
// through the hand-written encoders, and every event must be the same bytes
// with the same record name. The same records then go through declarations
// unlike the article's (a flat NDJSON row, a heavy one with RFC 3339 times,
// base64 ids, flattened and JSON-string attributes, and log and metric
// formats with picks, cases and members left out), whose every event must
// be valid UTF-8 and JSON within the sink's nesting limit. Encoders are kept
// across inputs, as the exporter keeps them.
#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "format/declared/build.h"
#include "format/declared/builtin.h"
#include "format/declared/compile.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"
#include "format/testing/event_list.h"
#include "format/testing/sample_formats.h"
#include "json_checks.h"
#include "model_builder.h"

namespace {

using namespace otelpack;
using format::declared::CompiledFormat;
using format::declared::Declaration;
using format::declared::Template;

using fuzz::Check;
using fuzz::Depth;
using Events = testing::EventList;

std::shared_ptr<const CompiledFormat> CompileOrDie(const Declaration& d) {
  format::declared::CompileResult r = format::declared::Compile(d, {.project_id = "fuzz"});
  Check(r.ok());
  return r.format;
}

ExtraFields Extra(unsigned bits) {
  return {(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0};
}

// Log and metric events unlike the article's.
Declaration OtherLogsAndMetrics() {
  using namespace format::declared::build;
  Declaration d;
  d.framing = format::declared::Framing::kArray;
  Template log = Object({{"ts", Ref("timestamp", {Conv("rfc3339", {Arg("digits", Int(6))})})},
                         {"level", Ref("severity_number", {Conv("string")})},
                         {"msg", Ref("body", {Conv("string")})},
                         {"body", Ref("body", {Conv("json"), Conv("omit_if_empty")})},
                         {"trace", Ref("trace_id", {Conv("base64"), Conv("default", {Arg("", Str(""))})})},
                         {"user", Pick("attributes", "enduser.id", {Conv("omit_if_empty")})},
                         {"host", Pick("resource.attributes", "host.name", {Conv("default", {Arg("", Null())})})},
                         {"event", Ref("event_name", {Conv("null_if_empty")})}});
  AddFlatten(&log, "attributes", "a.", {}, {"enduser.id"}, {Conv("strings")});
  d.logs = SignalAt("/logs", std::move(log));
  Template metric = Object({{"m", Ref("metric.name")},
                            {"k", Ref("kind", {Conv("case", {Arg("gauge", Int(1)), Arg("sum", Int(2))})})},
                            {"t", Ref("time", {Conv("unix_s", {Arg("decimals", Int(9))})})},
                            {"v", Ref("value", {Conv("string"), Conv("omit_if_empty")})},
                            {"temporality", Ref("temporality", {Conv("number")})},
                            {"q", Each("quantiles", Array({Ref("quantile"), Ref("value", {Conv("string")})}))},
                            {"b", Each("buckets", Ref("le"), {Conv("omit_if_empty")})},
                            {"pos", Object({{"o", Ref("positive.offset")}, {"c", Ref("positive.bucket_counts")}})},
                            {"attrs", Ref("attributes", {Conv("json")})}});
  AddFlatten(&metric, "resource.attributes", "r.");
  d.metrics = SignalAt("/metrics", std::move(metric));
  return d;
}

// Parses every event as one object within the sink's nesting limit.
void CheckJson(const Events& events, std::size_t expected) {
  static simdjson::dom::parser parser;
  Check(events.events.size() == expected);
  for (const std::string& e : events.events) {
    Check(simdjson::validate_utf8(e.data(), e.size()));
    simdjson::dom::element root;
    Check(parser.parse(e).get(root) == simdjson::SUCCESS);
    Check(root.is_object());
    Check(Depth(root) <= 62);  // and the envelope's two levels
  }
}

template <typename View>
void CheckSame(SignalEncoder<View>& hand, SignalEncoder<View>& declared, View data) {
  static Events a, b;
  a.Clear();
  b.Clear();
  hand.Encode(data, a);
  declared.Encode(data, b);
  Check(a.events == b.events);
  Check(a.names == b.names);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Reader r(data, size);
  fuzz::Store store;
  fuzz::Builder b(r, store);
  const unsigned bits = r.Byte() & 63;

  // The compiled built-ins, and an encoder of each kind per combination,
  // kept across inputs.
  struct Encoders {
    std::shared_ptr<const CompiledFormat> format;
    std::unique_ptr<TracesEncoder> traces;
    std::unique_ptr<LogsEncoder> logs;
    std::unique_ptr<MetricsEncoder> metrics;
  };
  static std::array<Encoders, 64> builtin;
  if (!builtin[bits].format) {
    builtin[bits].format = CompileOrDie(format::declared::BuiltinDeclaration(Extra(bits)));
    builtin[bits].traces = builtin[bits].format->NewTracesEncoder();
    builtin[bits].logs = builtin[bits].format->NewLogsEncoder();
    builtin[bits].metrics = builtin[bits].format->NewMetricsEncoder();
  }
  static const auto flat = CompileOrDie(testing::FlatNdjsonDeclaration());
  static const auto heavy = CompileOrDie(testing::HeavyDeclaration());
  static const auto other = CompileOrDie(OtherLogsAndMetrics());
  static std::unique_ptr<TracesEncoder> flat_traces = flat->NewTracesEncoder();
  static std::unique_ptr<TracesEncoder> heavy_traces = heavy->NewTracesEncoder();
  static std::unique_ptr<LogsEncoder> other_logs = other->NewLogsEncoder();
  static std::unique_ptr<MetricsEncoder> other_metrics = other->NewMetricsEncoder();

  std::size_t spans = 0, records = 0, points = 0;
  const std::vector<ResourceSpans> traces = b.Traces(&spans);
  const std::vector<ResourceLogs> logs = b.Logs(&records);
  const std::vector<ResourceMetrics> metrics = b.Metrics(&points);

  SpanEncoder hand_traces(Extra(bits));
  LogEncoder hand_logs(Extra(bits));
  MetricEncoder hand_metrics(Extra(bits));
  CheckSame<TracesView>(hand_traces, *builtin[bits].traces, traces);
  CheckSame<LogsView>(hand_logs, *builtin[bits].logs, logs);
  CheckSame<MetricsView>(hand_metrics, *builtin[bits].metrics, metrics);

  static Events events;
  for (TracesEncoder* e : {flat_traces.get(), heavy_traces.get()}) {
    events.Clear();
    e->Encode(traces, events);
    CheckJson(events, spans);
  }
  events.Clear();
  other_logs->Encode(logs, events);
  CheckJson(events, records);
  events.Clear();
  other_metrics->Encode(metrics, events);
  CheckJson(events, points);
  return 0;
}
