// The built-in format as declaration trees (builtin.h), written as the
// YAML of docs/formats.md reads.
#include "format/declared/builtin.h"

#include <string>
#include <utility>

#include "format/declared/build.h"

namespace otelpack::format::declared {
namespace {

using namespace build;

// `resource` and `scope` at the end of an event (ExtraFields).
void AddContext(Template* event, ExtraFields extra) {
  if (extra.resource) Add(event, "resource", Ref("resource.attributes"));
  if (extra.scope) {
    Add(event, "scope",
        Object({{"name", Ref("scope.name")}, {"version", Ref("scope.version")}, {"attributes", Ref("scope.attributes")}}));
  }
}

SignalFormat Ingest(Template event) { return SignalAt("/v1/ingest", std::move(event)); }

Conversion UnixMs() { return Conv("unix_ms"); }

}  // namespace

Template BuiltinEnvelope() {
  return Object({{"project_id", Ref("project_id")}, {"events", Ref("events")}, {"sent_at", Ref("sent_at", {UnixMs()})}});
}

std::vector<Header> BuiltinHeaders() {
  Header h;
  h.name = "X-Project-ID";
  h.value = Ref("project_id");
  return {h};
}

SignalFormat BuiltinTraces(ExtraFields extra) {
  Template event = Object({
      {"type", Text("span")},
      {"trace_id", Ref("trace_id")},
      {"span_id", Ref("span_id")},
      {"parent_span_id", Ref("parent_span_id")},
      {"service", Ref("service")},
      {"operation", Ref("name")},
      {"start_time_ms", Ref("start_time", {UnixMs()})},
      {"duration_ms", Ref("duration", {Conv("ms", {Arg("decimals", Int(3))})})},
      {"status", Ref("status_code", {Conv("case", {Arg("error", Str("error")), Arg("else", Str("ok"))})})},
      {"status_message", Ref("status_message")},
      {"attributes", Ref("attributes")},
      {"events", Each("events", Object({{"name", Ref("name")},
                                        {"timestamp_ms", Ref("time", {UnixMs()})},
                                        {"attributes", Ref("attributes")}}))},
  });
  if (extra.kind) Add(&event, "kind", Ref("kind"));
  if (extra.trace_state) Add(&event, "trace_state", Ref("trace_state"));
  if (extra.links) {
    Add(&event, "links",
        Each("links", Object({{"trace_id", Ref("trace_id")},
                              {"span_id", Ref("span_id")},
                              {"trace_state", Ref("trace_state")},
                              {"attributes", Ref("attributes")}})));
  }
  AddContext(&event, extra);
  if (extra.dropped_counts) {
    Add(&event, "dropped",
        Object({{"attributes", Ref("dropped_attributes_count")},
                {"events", Ref("dropped_events_count")},
                {"links", Ref("dropped_links_count")}}));
  }
  return Ingest(std::move(event));
}

SignalFormat BuiltinLogs(ExtraFields extra) {
  Template event = Object({
      {"type", Text("log")},
      {"service", Ref("service")},
      {"timestamp_ms", Ref("timestamp", {UnixMs()})},
      {"severity", Ref("severity")},
      {"severity_number", Ref("severity_number")},
      {"body", Ref("body")},
      {"trace_id", Ref("trace_id")},
      {"span_id", Ref("span_id")},
      {"attributes", Ref("attributes")},
      {"event_name", Ref("event_name", {Conv("omit_if_empty")})},
  });
  AddContext(&event, extra);
  return Ingest(std::move(event));
}

SignalFormat BuiltinMetrics(ExtraFields extra) {
  Template event = Object({
      {"type", Text("metric")},
      {"service", Ref("service")},
      {"name", Ref("metric.name")},
      {"unit", Ref("metric.unit")},
      {"kind", Ref("kind")},
      {"timestamp_ms", Ref("time", {UnixMs()})},
      {"start_time_ms", Ref("start_time", {UnixMs()})},
      {"attributes", Ref("attributes")},
      {"value", Ref("value")},
      {"monotonic", Ref("monotonic")},
      {"temporality", Ref("temporality")},
      {"count", Ref("count")},
      {"sum", Ref("sum")},
      {"min", Ref("min")},
      {"max", Ref("max")},
      {"buckets", Each("buckets", Object({{"le", Ref("le")}, {"count", Ref("count")}}))},
      {"scale", Ref("scale")},
      {"zero_count", Ref("zero_count")},
      {"zero_threshold", Ref("zero_threshold")},
      {"positive", Object({{"offset", Ref("positive.offset")}, {"bucket_counts", Ref("positive.bucket_counts")}})},
      {"negative", Object({{"offset", Ref("negative.offset")}, {"bucket_counts", Ref("negative.bucket_counts")}})},
      {"quantiles", Each("quantiles", Object({{"quantile", Ref("quantile")}, {"value", Ref("value")}}))},
  });
  AddContext(&event, extra);
  return Ingest(std::move(event));
}

Declaration BuiltinDeclaration(ExtraFields extra) {
  Declaration d;
  d.source = "built-in";
  d.framing = Framing::kEnvelope;
  d.envelope = BuiltinEnvelope();
  d.headers = BuiltinHeaders();
  d.traces = BuiltinTraces(extra);
  d.logs = BuiltinLogs(extra);
  d.metrics = BuiltinMetrics(extra);
  return d;
}

}  // namespace otelpack::format::declared
