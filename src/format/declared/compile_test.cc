// Tests for Compile's checks (compile.h, resolve.h): every mistake a
// declaration can make in what it means, each found with its key, its place
// and a message that says what to write instead; every one collected, not
// only the first; what a correct declaration compiles to around its
// events (envelope, headers, paths, content type); and how its events'
// ops are chained into straight runs (plan.h, kPlain).
#include "format/declared/compile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "format/declared/build.h"
#include "format/declared/builtin.h"
#include "format/declared/lower.h"

namespace otelpack::format::declared {
namespace {

using namespace build;

// A template at a place, its conversions there too.
Template At(Template t, int line, int column) {
  t.at = {line, column};
  t.reference.at = t.at;
  for (Conversion& c : t.reference.conversions) c.at = t.at;
  return t;
}

// A declaration whose traces event is `event`, at the article's defaults otherwise.
Declaration Traces(Template event) {
  Declaration d;
  d.source = "format.yaml";
  d.traces = SignalAt("/v1/traces", std::move(event));
  return d;
}

std::vector<DeclarationError> Errors(const Declaration& d) {
  CompileResult r = Compile(d, {.project_id = "prod-main"});
  EXPECT_EQ(r.ok(), r.errors.empty());
  return r.errors;
}

// The single error of a traces event with one member `field: value`.
DeclarationError OneError(Template value) {
  std::vector<DeclarationError> errors = Errors(Traces(Object({{"field", std::move(value)}})));
  EXPECT_EQ(errors.size(), 1u);
  return errors.empty() ? DeclarationError{} : errors[0];
}

std::string Message(Template value) { return OneError(std::move(value)).message; }

TEST(CompileTest, UnknownFieldsSayWhereAndSuggest) {
  std::vector<DeclarationError> errors =
      Errors(Traces(Object({{"SpanName", At(Ref("nme"), 9, 17)}, {"Other", At(Ref("zzzzzzzz"), 10, 12)}})));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].key, "traces.event.SpanName");
  EXPECT_EQ(errors[0].at.line, 9);
  EXPECT_EQ(errors[0].at.column, 17);
  EXPECT_EQ(errors[0].message, "unknown field $nme (did you mean $name?)");
  EXPECT_EQ(FormatError("format.yaml", errors[0]),
            "format.yaml:9:17: traces.event.SpanName: unknown field $nme (did you mean $name?)");
  EXPECT_EQ(errors[1].message, "unknown field $zzzzzzzz");
  const Status s = DeclarationErrorsStatus("format.yaml", errors);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), FormatError("format.yaml", errors[0]) + "\n" +
                             FormatError("format.yaml", errors[1]));
  EXPECT_TRUE(DeclarationErrorsStatus("x", {}).ok());
  // Each signal has its own fields: a log's field is unknown to spans.
  EXPECT_EQ(Message(Ref("severity_text")), "unknown field $severity_text");
  EXPECT_EQ(Message(Ref("resource.atributes")), "unknown field $resource.atributes (did you mean $resource.attributes?)");
}

TEST(CompileTest, GroupsOfFieldsAreNotValues) {
  EXPECT_EQ(Message(Ref("resource")), "$resource is not a value: name one of its fields: attributes, dropped_attributes_count");
  EXPECT_EQ(Message(Ref("scope")), "$scope is not a value: name one of its fields: name, version, attributes");
  Declaration d;
  d.metrics = SignalAt("/m", Object({{"p", Ref("positive")}}));
  std::vector<DeclarationError> errors = Errors(d);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "metrics.event.p");
  EXPECT_EQ(errors[0].message, "$positive is not a value: name one of its fields: offset, bucket_counts");
}

TEST(CompileTest, UnknownConversionsSuggest) {
  EXPECT_EQ(Message(Ref("start_time", {Conv("unix_mss")})), "unknown conversion unix_mss (did you mean unix_ms?)");
  EXPECT_EQ(Message(Ref("start_time", {Conv("iso8601")})), "unknown conversion iso8601");
}

TEST(CompileTest, ConversionsThatDoNotApplyNameTheTypeAndWhatApplies) {
  // docs/formats.md's example, word for word.
  DeclarationError e = OneError(At(Ref("duration", {Conv("rfc3339")}), 12, 29));
  EXPECT_EQ(FormatError("format.yaml", e),
            "format.yaml:12:29: traces.event.field: conversion rfc3339 does not apply to $duration (a duration); use "
            "ns, us, ms or s");
  EXPECT_EQ(Message(Ref("start_time", {Conv("ms")})),
            "conversion ms does not apply to $start_time (a time); use unix_ns, unix_us, unix_ms, unix_s or rfc3339");
  EXPECT_EQ(Message(Ref("name", {Conv("base64")})), "conversion base64 does not apply to $name (a string); use case(...)");
  EXPECT_EQ(Message(Ref("trace_id", {Conv("json")})), "conversion json does not apply to $trace_id (a trace id); use base64");
  EXPECT_EQ(Message(Ref("attributes", {Conv("number")})),
            "conversion number does not apply to $attributes (a map); use strings or json");
  EXPECT_EQ(Message(Ref("flags", {Conv("strings")})), "conversion strings does not apply to $flags (an integer); use string");
  EXPECT_EQ(Message(Ref("kind", {Conv("unix_ms")})),
            "conversion unix_ms does not apply to $kind (an enum); use number or case(...)");
  EXPECT_EQ(Message(Pick("attributes", "k", {Conv("strings")})),
            "conversion strings does not apply to $attributes[\"k\"] (any value); use json or string");
  EXPECT_EQ(Message(Ref("attributes", {Conv("string")})),
            "conversion string does not apply to $attributes (a map); use strings or json");
  EXPECT_EQ(Message(Ref("name", {Conv("null_if_empty"), Conv("unix_s")})),
            "conversion unix_s does not apply to $name (a string); use case(...)");
  EXPECT_EQ(Message(Ref("flags", {Conv("null_if_empty")})),
            "conversion null_if_empty does not apply to $flags (an integer); use string");
  Declaration d;
  d.metrics = SignalAt("/m", Object({{"k", Ref("kind", {Conv("number")})}}));
  ASSERT_EQ(Errors(d).size(), 1u);
  EXPECT_EQ(Errors(d)[0].message, "conversion number does not apply to $kind (an enum); use case(...)");
}

TEST(CompileTest, BadArgumentsSayWhatTheConversionTakes) {
  EXPECT_EQ(Message(Ref("start_time", {Conv("unix_ms", {Arg("decimals", Int(12))})})),
            "bad argument decimals of unix_ms: it takes round=down|nearest and decimals=N (1 to 9)");
  EXPECT_EQ(Message(Ref("start_time", {Conv("unix_s", {Arg("round", Str("sideways"))})})),
            "bad argument round of unix_s: it takes round=down|nearest and decimals=N (1 to 9)");
  EXPECT_EQ(Message(Ref("start_time", {Conv("unix_ns", {Arg("decimals", Int(3))})})),
            "bad argument decimals of unix_ns: it takes no arguments");
  EXPECT_EQ(Message(Ref("start_time", {Conv("rfc3339", {Arg("digits", Int(10))})})),
            "bad argument digits of rfc3339: it takes digits=N (0 to 9)");
  EXPECT_EQ(Message(Ref("start_time", {Conv("rfc3339", {Arg("", Int(3))})})),
            "bad argument (unnamed) of rfc3339: it takes digits=N (0 to 9)");
  EXPECT_EQ(Message(Ref("duration", {Conv("ms", {Arg("round", Str("nearest")), Arg("decimals", Int(3))})})),
            "ms: round= applies to integers; decimals=N always rounds half up");
  EXPECT_EQ(Message(Ref("trace_id", {Conv("base64", {Arg("x", Int(1))})})), "conversion base64 takes no arguments");
  EXPECT_EQ(Message(Ref("name", {Conv("default")})), "default takes one value: default(\"unknown\")");
  EXPECT_EQ(Message(Ref("name", {Conv("default", {Arg("", Str("a")), Arg("", Str("b"))})})),
            "default takes one value: default(\"unknown\")");
  EXPECT_EQ(Message(Ref("name", {Conv("default", {Arg("", Dbl(std::nan("")))})})),
            "default: NaN and infinities cannot be written in JSON");
}

TEST(CompileTest, CaseArgumentsAreNamedValuesOfTheEnum) {
  EXPECT_EQ(Message(Ref("status_code", {Conv("case")})),
            "case needs name=value arguments: case(error=\"error\", else=\"ok\")");
  EXPECT_EQ(Message(Ref("status_code", {Conv("case", {Arg("", Str("x"))})})),
            "case takes name=value arguments: case(error=\"error\", else=\"ok\")");
  EXPECT_EQ(Message(Ref("status_code", {Conv("case", {Arg("eror", Str("x"))})})),
            "case: $status_code has no value eror; its values are unset, ok, error");
  EXPECT_EQ(Message(Ref("status_code", {Conv("case", {Arg("ok", Str("x")), Arg("ok", Str("y"))})})),
            "case names ok twice");
  EXPECT_EQ(Message(Ref("status_code", {Conv("case", {Arg("else", Str("x")), Arg("else", Str("y"))})})),
            "case names else twice");
  // Strings take any names.
  EXPECT_TRUE(Errors(Traces(Object({{"f", Ref("name", {Conv("case", {Arg("GET /", Int(1))})})}}))).empty());
}

TEST(CompileTest, OneFormPerValue) {
  EXPECT_EQ(Message(Ref("start_time", {Conv("unix_ms"), Conv("rfc3339")})),
            "conversion rfc3339 after unix_ms: a value is written in one form");
  EXPECT_EQ(Message(Ref("name", {Conv("default", {Arg("", Str("a"))}), Conv("default", {Arg("", Str("b"))})})),
            "conversion default given twice");
  EXPECT_EQ(Message(Ref("status_code", {Conv("case", {Arg("ok", Int(1))}), Conv("string")})),
            "conversion string after case, which writes its own value");
  EXPECT_EQ(Message(Ref("name", {Conv("default", {Arg("", Str(""))}), Conv("omit_if_empty")})),
            "default and omit_if_empty together: an absent value is either replaced or left out");
}

TEST(CompileTest, OmitIfEmptyOnlyForAnObjectsMember) {
  std::vector<DeclarationError> errors =
      Errors(Traces(Object({{"list", Array({Text("a"), Ref("name", {Conv("omit_if_empty")})})}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "traces.event.list[1]");
  EXPECT_EQ(errors[0].message, "omit_if_empty leaves out an object's member; here use null_if_empty or default(...)");
  EXPECT_TRUE(Errors(Traces(Object({{"n", Ref("name", {Conv("omit_if_empty")})}}))).empty());
}

TEST(CompileTest, ListsAreMappedWithEach) {
  EXPECT_EQ(Message(Ref("events")), "$events is a list; map it with {$each: $events, $item: {...}}");
  EXPECT_EQ(Message(Each("name", Object({}))), "$each maps a list of records; $name is a string");
  EXPECT_EQ(Message(Each("events", Object({}), {Conv("json")})),
            "conversion json does not apply to a list mapped by $each; use null_if_empty or omit_if_empty");
  Declaration d;
  d.metrics = SignalAt("/m", Object({{"c", Each("positive.bucket_counts", Object({}))}}));
  ASSERT_EQ(Errors(d).size(), 1u);
  EXPECT_EQ(Errors(d)[0].message, "$each maps a list of records; $positive.bucket_counts is a list of integers: write it "
                                  "without $each");
  // A list of integers is written as it is.
  d.metrics = SignalAt("/m", Object({{"c", Ref("positive.bucket_counts")}}));
  EXPECT_TRUE(Errors(d).empty());
}

TEST(CompileTest, ParentOnlyInsideItem) {
  EXPECT_EQ(Message(Ref("parent.trace_id")), "$parent outside $item: $parent.trace_id names the record's own field as $trace_id");
  std::vector<DeclarationError> errors = Errors(Traces(Object({{"events", Each("events", Object({{"p", Ref("parent")}}))}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "traces.event.events.$item.p");
  EXPECT_EQ(errors[0].message, "$parent is not a value: name one of the record's fields, as $parent.trace_id");
  errors = Errors(Traces(Object({{"events", Each("events", Object({{"x", Each("parent.links", Object({}))}}))}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "$each inside $item: lists do not nest");
  // Inside $item: the element's fields, $parent's, and the resource's; a
  // record's field without $parent is suggested with it.
  EXPECT_TRUE(Errors(Traces(Object({{"events", Each("events", Object({{"n", Ref("name")},
                                                                       {"t", Ref("parent.trace_id")},
                                                                       {"s", Ref("service")}}))}})))
                  .empty());
  errors = Errors(Traces(Object({{"events", Each("events", Object({{"x", Ref("span_id")}}))}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unknown field $span_id (did you mean $parent.span_id?)");
  errors = Errors(Traces(Object({{"events", Each("events", Object({{"x", Ref("parent.span_idd")}}))}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unknown field $parent.span_idd (did you mean $parent.span_id?)");
}

TEST(CompileTest, PicksAreFromMaps) {
  EXPECT_EQ(Message(Pick("name", "k")), "[\"k\"] picks one attribute of a map; $name is a string");
  EXPECT_TRUE(Errors(Traces(Object({{"m", Pick("resource.attributes", "host.name")}}))).empty());
}

TEST(CompileTest, TemplatesThatCannotBeJson) {
  EXPECT_EQ(Message(Lit(Dbl(INFINITY))), "NaN and infinities cannot be written in JSON");
  Template deep = Text("x");
  for (int i = 0; i < 30; ++i) deep = Array({std::move(deep)});
  std::vector<DeclarationError> errors = Errors(Traces(Object({{"deep", std::move(deep)}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message,
            "nested deeper than 24 levels (the events must stay within the backend's JSON nesting limit)");
  Declaration d = Traces(Text("not an object"));
  ASSERT_EQ(Errors(d).size(), 1u);
  EXPECT_EQ(Errors(d)[0].key, "traces.event");
  EXPECT_EQ(Errors(d)[0].message, "an event is a JSON object: write its members as a mapping");
  errors = Errors(Traces(Object({{"big", Text(std::string(kMaxPlanText + 1, 'x'))}})));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "traces.event");
  EXPECT_EQ(errors[0].message, "the event template is too large: over 1048576 bytes of text or 65536 steps");
}

TEST(CompileTest, TheEnvelopeHoldsEventsOnceAndTheSendTimeAfterThem) {
  const auto envelope_errors = [](Template envelope) {
    Declaration d;
    d.envelope = std::move(envelope);
    return Errors(d);
  };
  std::vector<DeclarationError> errors = envelope_errors(At(Object({{"p", Ref("project_id")}}), 2, 11));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "envelope");
  EXPECT_EQ(errors[0].at.line, 2);
  EXPECT_EQ(errors[0].message, "the envelope needs $events, where the events go, exactly once");
  errors = envelope_errors(Object({{"a", Ref("events")}, {"b", Ref("events")}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key, "envelope.b");
  EXPECT_EQ(errors[0].message, "$events twice: the envelope holds the events once");
  errors = envelope_errors(Object({{"t", Ref("sent_at")}, {"e", Ref("events")}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "$sent_at must come after $events: it is written when the body is closed");
  errors = envelope_errors(Object({{"e", Ref("events")}, {"t", Ref("sent_at")}, {"u", Ref("sent_at")}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "$sent_at twice: the envelope holds one send time");
  errors = envelope_errors(Object({{"e", Ref("events")}, {"s", Ref("service")}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "the envelope holds literals, $project_id, $events and $sent_at");
  errors = envelope_errors(Object({{"e", Ref("events")}, {"t", Ref("sent_at", {Conv("ms")})}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message,
            "conversion ms does not apply to $sent_at (a time); use unix_ns, unix_us, unix_ms, unix_s or rfc3339");
  errors = envelope_errors(Object({{"e", Ref("events", {Conv("json")})}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "$events takes no conversions");
  errors = envelope_errors(Text("[]"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "the envelope is a JSON object around the events");
  Declaration d;
  d.framing = Framing::kNdjson;
  d.envelope = Object({{"e", Ref("events")}});
  ASSERT_EQ(Errors(d).size(), 1u);
  EXPECT_EQ(Errors(d)[0].message, "an envelope applies to framing: envelope only");
}

TEST(CompileTest, HeadersPathsAndContentTypeThatCannotBeSent) {
  Declaration d;
  Header bad_name{"X Bad", Text("v"), false, {3, 3}};
  Header bad_value{"X-Ref", Ref("service"), false, {4, 3}};
  Header line_break{"X-Secret", Text("a\r\nInjected: 1"), true, {5, 3}};
  d.headers = std::vector<Header>{bad_name, bad_value, line_break};
  d.logs = SignalAt("/v1/logs ingest", Object({{"m", Ref("body")}}));
  d.content_type = "application/json\n";
  std::vector<DeclarationError> errors = Errors(d);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].key, "headers.X Bad");
  EXPECT_EQ(errors[0].message, "a header name is a token: letters, digits and !#$%&'*+-.^_`|~");
  EXPECT_EQ(errors[1].key, "headers.X-Ref");
  EXPECT_EQ(errors[1].message, "a header's value is a literal or $project_id");
  EXPECT_EQ(errors[2].key, "headers.X-Secret");
  EXPECT_EQ(errors[2].message, "the value has a control character (a line break?)");
  EXPECT_EQ(errors[2].message.find("Injected"), std::string::npos);  // a secret is never shown
  EXPECT_EQ(errors[3].key, "content_type");
  EXPECT_EQ(errors[4].key, "logs.path");
  EXPECT_EQ(errors[4].message, "a path starts with '/' and has no spaces or control characters (percent-encode them)");
}

TEST(CompileTest, EveryErrorOfEverySignalIsFound) {
  Declaration d = Traces(Object({{"a", Ref("nme")}, {"b", Ref("duration", {Conv("rfc3339")})}}));
  d.logs = SignalAt("/l", Object({{"c", Ref("severty")}}));
  d.metrics = SignalAt("/m", Object({{"d", Ref("value", {Conv("base64")})}}));
  d.envelope = Object({{"x", Ref("sent_at")}});
  std::vector<DeclarationError> errors = Errors(d);
  std::vector<std::string> keys;
  for (const DeclarationError& e : errors) keys.push_back(e.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"envelope.x", "traces.event.a", "traces.event.b", "logs.event.c",
                                            "metrics.event.d"}));
  EXPECT_EQ(errors[3].message, "unknown field $severty (did you mean $severity?)");
}

TEST(CompileTest, WhatADeclarationCompilesToAroundItsEvents) {
  // docs/formats.md's ClickHouse example, in code.
  Declaration d;
  d.framing = Framing::kNdjson;
  d.headers = std::vector<Header>{{"X-ClickHouse-User", Text("otel"), false, {}},
                                  {"X-ClickHouse-Key", Text("s3cr3t"), true, {}},
                                  {"X-Project", Ref("project_id"), false, {}},
                                  {"X-Version", Lit(Int(2)), false, {}}};
  d.traces = SignalAt(
      "/?query=INSERT%20INTO%20otel.spans%20FORMAT%20JSONEachRow",
      Object({{"Timestamp", Ref("start_time", {Conv("rfc3339", {Arg("digits", Int(9))})})},
              {"TraceId", Ref("trace_id")},
              {"ParentSpanId", Ref("parent_span_id", {Conv("default", {Arg("", Str(""))})})},
              {"SpanKind", Ref("kind", {Conv("number")})},
              {"Duration", Ref("duration", {Conv("ns")})},
              {"StatusCode", Ref("status_code", {Conv("case", {Arg("error", Str("Error")), Arg("ok", Str("Ok")),
                                                                Arg("else", Str("Unset"))})})},
              {"SpanAttributes", Ref("attributes", {Conv("strings")})},
              {"Events", Each("events", Object({{"Timestamp", Ref("time", {Conv("unix_ms")})}, {"Name", Ref("name")}}))}}));
  CompileResult r = Compile(d, {.project_id = "p1"});
  ASSERT_TRUE(r.ok()) << DeclarationErrorsStatus("clickhouse", r.errors).ToString();
  const CompiledFormat& f = *r.format;
  EXPECT_EQ(f.framing(), Framing::kNdjson);
  EXPECT_EQ(f.content_type(), "application/x-ndjson");
  EXPECT_EQ(f.path(Signal::kTraces), "/?query=INSERT%20INTO%20otel.spans%20FORMAT%20JSONEachRow");
  EXPECT_EQ(f.path(Signal::kLogs), "/v1/ingest");  // left out: the built-in's
  ASSERT_EQ(f.headers().size(), 4u);
  EXPECT_EQ(f.headers()[1].value, "s3cr3t");
  EXPECT_TRUE(f.headers()[1].secret);
  EXPECT_FALSE(f.headers()[0].secret);
  EXPECT_EQ(f.headers()[2].value, "p1");
  EXPECT_EQ(f.headers()[3].value, "2");
  Buffer body;
  f.envelope().AppendPrefix(&body);
  body.Append("{}");
  f.envelope().AppendSeparator(&body);
  body.Append("{}");
  f.envelope().AppendSuffix(1, &body);
  EXPECT_EQ(body.view(), "{}\n{}\n");

  d.framing = Framing::kArray;
  d.content_type = "application/vnd.example+json";
  d.headers = std::vector<Header>{};
  r = Compile(d, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.format->content_type(), "application/vnd.example+json");
  EXPECT_TRUE(r.format->headers().empty());
  body.Clear();
  r.format->envelope().AppendPrefix(&body);
  r.format->envelope().AppendSuffix(1, &body);
  EXPECT_EQ(body.view(), "[]");
}

TEST(CompileTest, AnEnvelopeOfItsOwn) {
  Declaration d;
  d.envelope = Object({{"meta", Object({{"project", Ref("project_id")}, {"v", Lit(Int(2))}, {"tags", Array({})}})},
                       {"data", Ref("events")},
                       {"sent", Object({{"at", Ref("sent_at", {Conv("unix_s", {Arg("decimals", Int(3))})})},
                                        {"ok", Lit(Bool(true))}})}});
  CompileResult r = Compile(d, {.project_id = "p\"1"});
  ASSERT_TRUE(r.ok()) << DeclarationErrorsStatus("x", r.errors).ToString();
  Buffer body;
  r.format->envelope().AppendPrefix(&body);
  body.Append("1");
  r.format->envelope().AppendSeparator(&body);
  body.Append("2");
  r.format->envelope().AppendSuffix(1732480000123, &body);
  EXPECT_EQ(body.view(), R"({"meta":{"project":"p\"1","v":2,"tags":[]},"data":[1,2],"sent":{"at":1732480000.123,"ok":true}})");
}

TEST(CompileTest, TheBuiltinDeclarationCompilesWithEveryExtraField) {
  for (unsigned bits = 0; bits < 64; ++bits) {
    const ExtraFields extra{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0,
                            (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0};
    CompileResult r = Compile(BuiltinDeclaration(extra), {.project_id = "p"});
    ASSERT_TRUE(r.ok()) << bits << ": " << DeclarationErrorsStatus("built-in", r.errors).ToString();
  }
}

// The codes of block `b`'s ops, kPlain included.
std::vector<int> Codes(const Plan& plan, const Block& b) {
  std::vector<int> codes;
  for (std::uint32_t i = b.begin; i < b.end; ++i) codes.push_back(plan.ops[i].code);
  return codes;
}

int C(FieldId f) { return static_cast<int>(f); }
int C(Step s) { return static_cast<int>(s); }
int P(FieldId f) { return C(f) | kPlain; }

TEST(CompileTest, TheArticlesEventIsWrittenInStraightRuns) {
  CompileResult r = Compile(BuiltinDeclaration({}), {.project_id = "p"});
  ASSERT_TRUE(r.ok());
  const Plan& plan = r.format->traces_plan();
  // Each run's first op checks the room of the whole run; strings and what
  // writes through the cursor (maps, lists) end a run; the service is a
  // prepared group that the name's lead starts with.
  using F = FieldId;
  EXPECT_EQ(Codes(plan, plan.blocks[0]),
            (std::vector<int>{C(F::kSpanTraceId), P(F::kSpanSpanId), P(F::kSpanParentSpanId), C(F::kSpanName),
                              P(F::kSpanStartTime), P(F::kSpanDuration), P(F::kSpanStatusCode),
                              C(F::kSpanStatusMessage), P(F::kSpanAttributes), C(F::kSpanEvents), C(Step::kEnd)}));
  const Op* ops = plan.ops.data() + plan.blocks[0].begin;
  EXPECT_GE(ops[0].room, ops[0].lead.size + 32 + ops[1].room + ops[2].room);
  EXPECT_GE(ops[3].room, ops[4].room + ops[5].room + ops[6].room);
  const Block& item = plan.blocks[ops[9].arg];
  EXPECT_EQ(Codes(plan, item),
            (std::vector<int>{C(F::kEventName), P(F::kEventTime), P(F::kEventAttributes), C(Step::kEnd)}));
}

TEST(CompileTest, AHistogramBucketIsOneCheckedOpAndTwoPlainOnes) {
  CompileResult r = Compile(BuiltinDeclaration({}), {.project_id = "p"});
  ASSERT_TRUE(r.ok());
  const Plan& plan = r.format->metric_plans()[static_cast<std::size_t>(MetricKind::kHistogram)];
  const Block& event = plan.blocks[0];
  const Op* buckets = nullptr;
  for (std::uint32_t i = event.begin; i < event.end; ++i) {
    if (plan.ops[i].code == C(FieldId::kPointBuckets)) buckets = &plan.ops[i];
  }
  ASSERT_NE(buckets, nullptr);
  EXPECT_EQ(Codes(plan, plan.blocks[buckets->arg]),
            (std::vector<int>{C(FieldId::kBucketLe), P(FieldId::kBucketCount), C(Step::kEnd) | kPlain}));
}

TEST(CompileTest, ARunReservesABoundedRoom) {
  // 200 numbers in a row: runs of at most 4 KiB each, so that an event's
  // buffer never grows by the whole template's worst case at once.
  std::vector<std::pair<std::string, Template>> members;
  for (int i = 0; i < 200; ++i) members.emplace_back("n" + std::to_string(i), Ref("flags"));
  CompileResult r = Compile(Traces(Object(std::move(members))), {});
  ASSERT_TRUE(r.ok());
  const Plan& plan = r.format->traces_plan();
  int starts = 0;
  for (std::uint32_t i = plan.blocks[0].begin; i + 1 < plan.blocks[0].end; ++i) {
    const Op& op = plan.ops[i];
    EXPECT_LE(op.room, 4096u);
    if ((op.code & kPlain) == 0) ++starts;
  }
  EXPECT_GT(starts, 1);
  EXPECT_LT(starts, 20);
}

}  // namespace
}  // namespace otelpack::format::declared
