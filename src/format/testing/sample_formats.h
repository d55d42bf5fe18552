// For tests, benchmarks and fuzzing of declared formats: two span formats
// unlike the article's, built in code (no YAML), as a team would declare
// them for its own backend.
//
// FlatNdjson is a ClickHouse-style row: a dozen flat fields, times as Unix
// ms, ids in hex, two attributes picked by key. Heavy asks for everything
// that costs: RFC 3339 times, base64 ids, the attributes flattened with a
// prefix and an exclude list and again as a JSON string, the resource as
// strings, events and links mapped with their own templates.
#ifndef OTELPACK_FORMAT_TESTING_SAMPLE_FORMATS_H_
#define OTELPACK_FORMAT_TESTING_SAMPLE_FORMATS_H_

#include "format/declared/build.h"
#include "format/declared/declaration.h"

namespace otelpack::testing {

inline format::declared::Declaration FlatNdjsonDeclaration() {
  using namespace format::declared::build;
  format::declared::Declaration d;
  d.source = "flat-ndjson";
  d.framing = format::declared::Framing::kNdjson;
  d.traces = SignalAt(
      "/?query=INSERT%20INTO%20spans%20FORMAT%20JSONEachRow",
      Object({
          {"ts", Ref("start_time", {Conv("unix_ms")})},
          {"end_ts", Ref("end_time", {Conv("unix_ms")})},
          {"trace_id", Ref("trace_id")},
          {"span_id", Ref("span_id")},
          {"parent_span_id", Ref("parent_span_id", {Conv("default", {Arg("", Str(""))})})},
          {"service", Ref("service")},
          {"name", Ref("name")},
          {"kind", Ref("kind", {Conv("number")})},
          {"duration_ns", Ref("duration")},
          {"status", Ref("status_code", {Conv("number")})},
          {"status_message", Ref("status_message")},
          {"http_method", Pick("attributes", "http.method", {Conv("default", {Arg("", Str(""))})})},
          {"http_status", Pick("attributes", "http.status_code", {Conv("default", {Arg("", Int(0))})})},
      }));
  return d;
}

inline format::declared::Declaration HeavyDeclaration() {
  using namespace format::declared::build;
  format::declared::Declaration d;
  d.source = "heavy";
  d.framing = format::declared::Framing::kArray;
  format::declared::Template event = Object({
      {"@timestamp", Ref("start_time", {Conv("rfc3339", {Arg("digits", Int(9))})})},
      {"end", Ref("end_time", {Conv("rfc3339")})},
      {"duration_s", Ref("duration", {Conv("s", {Arg("decimals", Int(6))})})},
      {"trace", Object({{"id", Ref("trace_id", {Conv("base64")})},
                        {"span", Ref("span_id", {Conv("base64")})},
                        {"parent", Ref("parent_span_id", {Conv("base64")})}})},
      {"name", Ref("name")},
      {"service", Ref("service")},
      {"status", Ref("status_code")},
  });
  AddFlatten(&event, "attributes", "attr.", {}, {"http.target", "exception.stacktrace"});
  Add(&event, "attributes_json", Ref("attributes", {Conv("json")}));
  Add(&event, "resource", Ref("resource.attributes", {Conv("strings")}));
  Add(&event, "events",
      Each("events", Object({{"time", Ref("time", {Conv("rfc3339", {Arg("digits", Int(6))})})},
                             {"name", Ref("name")},
                             {"attributes", Ref("attributes", {Conv("json")})}})));
  Add(&event, "links",
      Each("links", Object({{"trace_id", Ref("trace_id")}, {"span_id", Ref("span_id")}}), {Conv("omit_if_empty")}));
  d.traces = SignalAt("/api/v2/spans", std::move(event));
  return d;
}

}  // namespace otelpack::testing

#endif  // OTELPACK_FORMAT_TESTING_SAMPLE_FORMATS_H_
