// Fuzzes the log and metric encoders with records built from the input
// (model_builder.h). Whatever goes in, the body must be valid UTF-8 and JSON
// (parsed here with simdjson directly), hold one event per record in the
// documented field order, and stay within the sink's nesting limit. The
// encoders are kept across inputs, as the exporter keeps them.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/testing/whole_body.h"
#include "json_checks.h"
#include "model_builder.h"

namespace {

using namespace otelpack;
using fuzz::Builder;
using fuzz::Check;
using fuzz::Depth;
using fuzz::Reader;
using fuzz::Store;

// The keys of `event` must be `head`, then "event_name" where `named` may
// have one, then "resource" and "scope" exactly when enabled.
void CheckKeys(simdjson::dom::object event, std::initializer_list<std::string_view> head, bool named, bool resource,
               bool scope) {
  auto it = event.begin();
  const auto next_is = [&](std::string_view k) { return it != event.end() && it.key() == k; };
  for (std::string_view k : head) {
    Check(next_is(k));
    ++it;
  }
  if (named && next_is("event_name")) ++it;
  if (resource) {
    Check(next_is("resource"));
    ++it;
  }
  if (scope) {
    Check(next_is("scope"));
    ++it;
  }
  Check(it == event.end());
}

// Parses the body and returns its events; checks what every body must be.
simdjson::dom::array ParseBody(const Buffer& body, std::size_t expected_events) {
  static simdjson::dom::parser parser;
  Check(simdjson::validate_utf8(body.data(), body.size()));
  simdjson::dom::element root;
  Check(parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS);
  Check(Depth(root) <= 64);  // the sink's limit
  simdjson::dom::array events;
  Check(root["events"].get_array().get(events) == simdjson::SUCCESS);
  Check(events.size() == expected_events);
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader r(data, size);
  Store store;
  Builder b(r, store);
  // Which encoder: 0 plain, 1 resource, 2 scope, 3 every extra field (the
  // span-only ones must change nothing).
  const std::uint8_t options = r.Byte() & 3;
  const bool resource = options & 1, scope = options & 2;
  static LogEncoder log_encoders[4] = {LogEncoder(ExtraFields{}), LogEncoder(ExtraFields{.resource = true}),
                                       LogEncoder(ExtraFields{.scope = true}),
                                       LogEncoder(ExtraFields{true, true, true, true, true, true})};
  static MetricEncoder metric_encoders[4] = {
      MetricEncoder(ExtraFields{}), MetricEncoder(ExtraFields{.resource = true}),
      MetricEncoder(ExtraFields{.scope = true}), MetricEncoder(ExtraFields{true, true, true, true, true, true})};
  static const Envelope envelope = Envelope::ForProject("fuzz");
  testing::WholeBody whole(envelope);
  Buffer body;

  // Logs: 1-2 resources of 1-2 scopes of 0-3 records.
  std::size_t records = 0;
  const std::vector<ResourceLogs> logs = b.Logs(&records);
  whole.Encode(log_encoders[options], LogsView(logs), &body);
  Check(whole.events() == records);
  for (simdjson::dom::element e : ParseBody(body, records)) {
    simdjson::dom::object o;
    Check(e.get_object().get(o) == simdjson::SUCCESS);
    CheckKeys(o, {"type", "service", "timestamp_ms", "severity", "severity_number", "body", "trace_id", "span_id",
                  "attributes"},
              true, resource, scope);
    Check(o["type"].get_string().value() == "log");
  }

  // Metrics: 1-2 resources of 1-2 scopes of 0-3 metrics.
  std::size_t points = 0;
  const std::vector<ResourceMetrics> metrics = b.Metrics(&points);
  whole.Encode(metric_encoders[options], MetricsView(metrics), &body);
  Check(whole.events() == points);
  for (simdjson::dom::element e : ParseBody(body, points)) {
    simdjson::dom::object o;
    Check(e.get_object().get(o) == simdjson::SUCCESS);
    std::string_view kind;
    Check(o["kind"].get_string().get(kind) == simdjson::SUCCESS);
    if (kind == "gauge") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes", "value"},
                false, resource, scope);
    } else if (kind == "sum") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes", "value",
                    "monotonic", "temporality"},
                false, resource, scope);
    } else if (kind == "histogram") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes",
                    "temporality", "count", "sum", "min", "max", "buckets"},
                false, resource, scope);
    } else if (kind == "exponential_histogram") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes",
                    "temporality", "count", "sum", "min", "max", "scale", "zero_count", "zero_threshold", "positive",
                    "negative"},
                false, resource, scope);
    } else {
      Check(kind == "summary");
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes", "count",
                    "sum", "quantiles"},
                false, resource, scope);
    }
  }
  return 0;
}
