// Tests of the body schema check: the body, the choice of an event's schema
// by its "type", and span events: every documented shape is accepted, every
// violation is refused with the exact field path, and no input (truncated,
// mutated, deeply nested) makes the parser misbehave. Log and metric events:
// validator_log_test.cc, validator_metric_test.cc.
#include "sink/validator.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/str_cat.h"
#include "sink/test_util.h"
#include "sink/validator_test_base.h"

namespace otelpack::sink {
namespace {

using testing::BodyJson;
using testing::JsonFields;
using testing::SpanFields;
using testing::SpanJson;
using testing::ValidatorTest;

TEST_F(ValidatorTest, AcceptsValidBodyAndCapturesEachEventVerbatim) {
  const std::vector<std::string> events = {SpanJson(0), SpanJson(1), SpanJson(2)};
  // Whitespace around events is not part of their text.
  std::string text = BodyJson(events);
  text.insert(text.find(events[1]) + events[1].size(), " \n\t ");
  ASSERT_TRUE(Parse(text).ok()) << Parse(text).ToString();
  EXPECT_EQ(body_.project_id, "demo");
  EXPECT_EQ(body_.sent_at, 1732480000000);
  ASSERT_EQ(body_.events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const EventRecord& e = body_.events[static_cast<std::size_t>(i)];
    EXPECT_EQ(e.json, events[static_cast<std::size_t>(i)]);
    EXPECT_EQ(e.type, EventType::kSpan);
    EXPECT_EQ(e.trace_id, testing::TraceIdFor(i));
    EXPECT_EQ(e.span_id, testing::SpanIdFor(i));
    EXPECT_EQ(e.service, "checkout");
    EXPECT_EQ(e.name, StrCat("GET /cart/", i));
    EXPECT_EQ(e.time_ms, 1732480000000 + i);
  }
}

TEST_F(ValidatorTest, AcceptsEmptyEventsAndAnyFieldOrder) {
  EXPECT_TRUE(Parse(R"({"events":[],"sent_at":0,"project_id":"demo"})").ok());
  EXPECT_TRUE(body_.events.empty());
  // Fields of an event in reverse order.
  const std::string reversed = SpanFields(0).Reverse().Json();
  ASSERT_TRUE(Parse(BodyJson({reversed})).ok());
  EXPECT_EQ(body_.events[0].json, reversed);
  EXPECT_EQ(body_.events[0].trace_id, testing::TraceIdFor(0));
}

TEST_F(ValidatorTest, AcceptsEveryOptionalField) {
  JsonFields e = SpanFields(3);
  e.Set("kind", "\"server\"")
      .Set("trace_state", "\"vendor=x\"")
      .Set("links", StrCat(R"([{"trace_id":")", testing::TraceIdFor(9), R"(","span_id":")",
                           testing::SpanIdFor(9), R"(","trace_state":"","attributes":{"a":1}}])"))
      .Set("resource", R"({"service.name":"checkout","host.cpus":8,"tags":["a","b"]})")
      .Set("scope", R"({"name":"io.otel","version":"1.2.3","attributes":{}})")
      .Set("dropped", R"({"attributes":0,"events":2,"links":1})");
  ASSERT_TRUE(Parse(BodyJson({e.Json()})).ok()) << Parse(BodyJson({e.Json()})).ToString();
  for (const char* kind :
       {"unspecified", "internal", "server", "client", "producer", "consumer"}) {
    e.Set("kind", StrCat("\"", kind, "\""));
    EXPECT_TRUE(Parse(BodyJson({e.Json()})).ok()) << kind;
  }
}

TEST_F(ValidatorTest, AcceptsEdgeCaseValues) {
  JsonFields e = SpanFields(0);
  e.Set("operation", "\"\"")
      .Set("service", R"("caf\u00e9 \ud83d\ude00 \"quoted\" \\ \/ \b\f\n\r\t \u0000")")
      .Set("status_message", "\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x9a\x80\"")
      .Set("duration_ms", "0")
      .Set("start_time_ms", "0")
      .Set("attributes",
           R"({"":"","max":9223372036854775807,"min":-9223372036854775808,"nan":null,)"
           R"("d1":1.7976931348623157e308,"d2":5e-324,"d3":-0.0,"d4":1E+2,"b":true,)"
           R"("arr":[null,1,"x",[],{}],"kv":{"nested":{"deep":[1.5,{"k":null}]}},"empty":{},)"
           R"("dup":1,"dup":2,"key with \"quotes\"":"v"})")
      .Set("events", "[]");
  const std::string body = BodyJson({e.Json()});
  ASSERT_TRUE(Parse(body).ok()) << Parse(body).ToString();
  EXPECT_EQ(body_.events[0].name, "");
  EXPECT_EQ(body_.events[0].service,
            std::string("caf\xc3\xa9 \xf0\x9f\x98\x80 \"quoted\" \\ / \b\f\n\r\t ") + '\0');
}

TEST_F(ValidatorTest, AcceptsManyAttributes) {
  std::string attributes = "{";
  for (int i = 0; i < 150; ++i) StrAppend(&attributes, i ? "," : "", "\"attr.", i, "\":", i);
  attributes += "}";
  ASSERT_TRUE(Parse(BodyJson({SpanFields(0).Set("attributes", attributes).Json()})).ok());
}

TEST_F(ValidatorTest, RefusesBadIdsWithTheirPath) {
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("trace_id", "\"ABC00000000000000000000000000000\"")),
            "events[0].trace_id: expected 32 lowercase hex digits");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("trace_id", "\"abc0000000000000000000000000000\"")),
            "events[0].trace_id: expected 32 lowercase hex digits");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("trace_id", "12")),
            "events[0].trace_id: expected 32 lowercase hex digits");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("span_id", "\"10000000000000g0\"")),
            "events[0].span_id: expected 16 lowercase hex digits");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("span_id", "\"100000000000000\"")),
            "events[0].span_id: expected 16 lowercase hex digits");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("parent_span_id", "\"0000000000000000\"")),
            "events[0].parent_span_id: a root span's parent must be null");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("parent_span_id", "\"ABCDEF0000000000\"")),
            "events[0].parent_span_id: expected 16 lowercase hex digits or null");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("parent_span_id", "false")),
            "events[0].parent_span_id: expected 16 lowercase hex digits or null");
}

TEST_F(ValidatorTest, NamesTheIndexOfTheFirstBadEvent) {
  std::vector<std::string> events = {SpanJson(0), SpanJson(1), SpanJson(2),
                                     SpanFields(3).Set("trace_id", "\"x\"").Json(),
                                     SpanFields(4).Set("span_id", "\"x\"").Json()};
  EXPECT_EQ(ErrorFor(events), "events[3].trace_id: expected 32 lowercase hex digits");
}

TEST_F(ValidatorTest, RefusesMissingUnknownDuplicateAndMistypedFields) {
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Remove("service")), "events[0].service: missing");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Remove("events")), "events[0].events: missing");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("foo", "1")), "events[0].foo: unknown field");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Add("span_id", "\"1000000000000000\"")),
            "events[0].span_id: duplicate field");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("operation", "5")),
            "events[0].operation: expected string");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("service", "null")),
            "events[0].service: expected string");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("status", "\"warn\"")),
            "events[0].status: expected \"ok\" or \"error\"");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("status_message", "[]")),
            "events[0].status_message: expected string");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("attributes", "[]")),
            "events[0].attributes: expected object");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("events", "{}")), "events[0].events: expected array");
  EXPECT_EQ(ErrorFor({"[]"}), "events[0]: expected object");
}

TEST_F(ValidatorTest, TheTypeChoosesTheSchemaWhereverItIs) {
  // "type" last: the event is still checked as a span.
  JsonFields last = SpanFields(0);
  last.Remove("type").Set("type", "\"span\"");
  ASSERT_TRUE(Parse(BodyJson({last.Json()})).ok());
  EXPECT_EQ(body_.events[0].type, EventType::kSpan);
  EXPECT_EQ(body_.events[0].trace_id, testing::TraceIdFor(0));
  // Escaped keys are keys like any other.
  ASSERT_TRUE(Parse(BodyJson({testing::LogFields(0).Remove("type").Add("t\\u0079pe", "\"log\"").Json()}))
                  .ok());
  EXPECT_EQ(body_.events[0].type, EventType::kLog);

  EXPECT_EQ(ErrorForEvent(SpanFields(0).Remove("type")), "events[0].type: missing");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("type", "\"trace\"")),
            "events[0].type: expected \"span\", \"log\" or \"metric\"");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("type", "\"Span\"")),
            "events[0].type: expected \"span\", \"log\" or \"metric\"");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("type", "null")),
            "events[0].type: expected \"span\", \"log\" or \"metric\"");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Add("type", "\"span\"")), "events[0].type: duplicate field");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Reverse().Add("type", "\"log\"")),
            "events[0].type: duplicate field");
  // A field of another type is named as such; a span with "type": "log" is
  // a log with a span's fields.
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("severity", "\"INFO\"")),
            "events[0].severity: not a field of a span event");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("type", "\"log\"")),
            "events[0].parent_span_id: not a field of a log event");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("type", "\"metric\"")),
            "events[0].trace_id: not a field of a metric event");
}

TEST_F(ValidatorTest, ALateTypeIsReadAgainNotSkipped) {
  // Found by ingest_fuzz: with "type" last, the walk that checks the fields
  // once skipped its value, and simdjson's skipping takes `"log":` for a
  // key, so the stray ":}" below passed as JSON.
  std::string event = testing::LogFields(0).Remove("type").Json();
  event.pop_back();
  event += R"(,"type":"log":}})";
  Status s = Parse(BodyJson({event}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("malformed JSON at events[0]"), std::string_view::npos)
      << s.ToString();
  // The same "type" is checked like any field when it is not first.
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Remove("type").Add("type", "\"span\"").Add("type", "1")),
            "events[0].type: duplicate field");
  ExpectAccepted({SpanFields(0).Remove("type").Add("type", "\"span\"").Json()});
}

TEST_F(ValidatorTest, AcceptsABodyMixingTypes) {
  const std::vector<std::string> events = {testing::LogJson(0), SpanJson(1),
                                           testing::MetricJson("sum"), testing::LogJson(3),
                                           testing::MetricJson("gauge")};
  ASSERT_TRUE(Parse(BodyJson(events)).ok()) << Parse(BodyJson(events)).ToString();
  ASSERT_EQ(body_.events.size(), events.size());
  const EventType types[] = {EventType::kLog, EventType::kSpan, EventType::kMetric,
                             EventType::kLog, EventType::kMetric};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(body_.events[i].type, types[i]) << i;
    EXPECT_EQ(body_.events[i].json, events[i]);
  }
  const EventCounts counts = CountByType(body_.events);
  EXPECT_EQ(counts, (EventCounts{1, 2, 2}));
  // The first bad event is named whatever its type.
  std::vector<std::string> bad = events;
  bad[3] = testing::LogFields(3).Set("severity_number", "\"17\"").Json();
  EXPECT_EQ(ErrorFor(bad), "events[3].severity_number: expected integer");
}

TEST_F(ValidatorTest, RefusesBadNumbers) {
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("start_time_ms", "1.5")),
            "events[0].start_time_ms: expected integer");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("start_time_ms", "1e3")),
            "events[0].start_time_ms: expected integer");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("start_time_ms", "\"1\"")),
            "events[0].start_time_ms: expected integer");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("start_time_ms", "-1")),
            "events[0].start_time_ms: expected a non-negative integer");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("start_time_ms", "9223372036854775808")),
            "events[0].start_time_ms: integer out of range");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("duration_ms", "\"12\"")),
            "events[0].duration_ms: expected number");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("duration_ms", "-0.5")),
            "events[0].duration_ms: expected a non-negative number");
}

TEST_F(ValidatorTest, RefusesBadSpanEventsWithNestedPath) {
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set(
                "events", R"([{"name":"a","timestamp_ms":1,"attributes":{}},)"
                          R"({"name":"b","timestamp_ms":1.5,"attributes":{}}])")),
            "events[0].events[1].timestamp_ms: expected integer");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("events", R"([{"timestamp_ms":1,"attributes":{}}])")),
            "events[0].events[0].name: missing");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set(
                "events", R"([{"name":"a","timestamp_ms":1,"attributes":{},"x":1}])")),
            "events[0].events[0].x: unknown field");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set(
                "events", R"([{"name":"a","timestamp_ms":1,"attributes":[1]}])")),
            "events[0].events[0].attributes: expected object");
}

TEST_F(ValidatorTest, RefusesBadNestedAttributes) {
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("attributes",
                                            R"({"a":{"b":[1,18446744073709551615]}})")),
            "events[0].attributes.a.b[1]: integer out of int64 range");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("attributes", R"({"http.url":[true,9223372036854775808]})")),
            "events[0].attributes[\"http.url\"][1]: integer out of int64 range");
  // A key that is not printable ASCII is shown escaped and never raw.
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("attributes", R"({"a\nb":18446744073709551616})")),
            "events[0].attributes[\"a?b\"]: integer out of int64 range");
  const std::string message =
      ErrorForEvent(SpanFields(0).Set("attributes", R"({"x":[1,2,tru]})"));
  EXPECT_EQ(message.rfind("malformed JSON at events[0].attributes.x[2]", 0), 0u) << message;
}

TEST_F(ValidatorTest, RefusesBadOptionalFields) {
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("kind", "\"SERVER\"")),
            "events[0].kind: expected unspecified, internal, server, client, producer or "
            "consumer");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("trace_state", "1")),
            "events[0].trace_state: expected string");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set(
                "links", R"([{"trace_id":"00","span_id":"","trace_state":"","attributes":{}}])")),
            "events[0].links[0].trace_id: expected 32 lowercase hex digits");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("links", StrCat(R"([{"trace_id":")",
                                                              testing::TraceIdFor(1),
                                                              R"(","span_id":"1000000000000000"}])"))),
            "events[0].links[0].trace_state: missing");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("resource", "\"svc\"")),
            "events[0].resource: expected object");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("scope", R"({"name":"x","attributes":{}})")),
            "events[0].scope.version: missing");
  EXPECT_EQ(ErrorForEvent(SpanFields(0).Set("dropped", R"({"attributes":0,"events":-1,"links":0})")),
            "events[0].dropped.events: expected a non-negative integer");
}

TEST_F(ValidatorTest, RefusesBadBodies) {
  auto error = [&](const std::string& text) {
    Status s = Parse(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << text;
    return std::string(s.message());
  };
  EXPECT_EQ(error(R"({"events":[],"sent_at":1})"), "project_id: missing");
  EXPECT_EQ(error(R"({"project_id":"demo","events":[]})"), "sent_at: missing");
  EXPECT_EQ(error(R"({"project_id":"demo","sent_at":1})"), "events: missing");
  EXPECT_EQ(error(R"({"project_id":"demo","events":{},"sent_at":1})"), "events: expected array");
  EXPECT_EQ(error(R"({"project_id":7,"events":[],"sent_at":1})"), "project_id: expected string");
  EXPECT_EQ(error(R"({"project_id":"demo","events":[],"sent_at":1.5})"),
            "sent_at: expected integer");
  EXPECT_EQ(error(R"({"project_id":"demo","events":[],"sent_at":1,"extra":0})"),
            "extra: unknown field");
  EXPECT_EQ(error("[]"), "body: expected a JSON object");
}

TEST_F(ValidatorTest, RefusesMalformedJson) {
  const std::string valid = BodyJson({SpanJson(0)});
  for (const std::string& text : {
           std::string(""), std::string("   "), std::string("{"),
           valid.substr(0, valid.size() - 1),                       // truncated
           valid + "}", valid + " x", valid + " {}",                  // trailing content
           std::string(R"({"project_id":"demo","events":[],"sent_at":1,})"),
           std::string(R"({"project_id":"demo" "events":[],"sent_at":1})"),
           std::string(R"({"project_id":"de\qmo","events":[],"sent_at":1})"),   // bad escape
           std::string(R"({"project_id":"\ud800","events":[],"sent_at":1})"),   // lone surrogate
           std::string("{\"project_id\":\"de\x01mo\",\"events\":[],\"sent_at\":1}"),  // control
           std::string("{\"project_id\":\"de\xc3mo\",\"events\":[],\"sent_at\":1}"),  // bad UTF-8
           std::string("{\"project_id\":\"\xed\xa0\x80\",\"events\":[],\"sent_at\":1}"),  // surrogate
           std::string(R"({"project_id":"demo","events":[],"sent_at":01})"),
           std::string(R"({"project_id":"demo","events":[],"sent_at":1e999})"),
       }) {
    Status s = Parse(text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << text;
  }
  Status s = Parse(valid.substr(0, valid.size() / 2));
  EXPECT_NE(s.message().find("malformed JSON"), std::string_view::npos) << s.ToString();
}

// Nesting `levels` arrays inside an attribute: the body is depth 1, the event
// 3, "attributes" 4, so the deepest array is at depth 4 + levels.
std::string NestedAttribute(int levels) {
  return SpanFields(0)
      .Set("attributes", StrCat("{\"deep\":", std::string(static_cast<std::size_t>(levels), '['),
                                std::string(static_cast<std::size_t>(levels), ']'), "}"))
      .Json();
}

TEST_F(ValidatorTest, EnforcesTheNestingLimit) {
  EXPECT_TRUE(Parse(BodyJson({NestedAttribute(60)})).ok());  // depth 64
  Status s = Parse(BodyJson({NestedAttribute(61)}));         // depth 65
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("JSON nesting deeper than 64"), std::string_view::npos)
      << s.ToString();
  // Far deeper input is refused just the same, without exhausting the stack.
  EXPECT_EQ(Parse(BodyJson({NestedAttribute(100000)})).code(), StatusCode::kInvalidArgument);
  BodyLimits shallow;
  shallow.max_depth = 10;
  EXPECT_EQ(Parse(BodyJson({NestedAttribute(7)}), shallow).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Parse(BodyJson({NestedAttribute(6)}), shallow).ok());
}

TEST_F(ValidatorTest, RefusesTooManyEventsAsTooLarge) {
  BodyLimits limits;
  limits.max_events = 2;
  EXPECT_TRUE(Parse(BodyJson({SpanJson(0), SpanJson(1)}), limits).ok());
  Status s = Parse(BodyJson({SpanJson(0), SpanJson(1), SpanJson(2)}), limits);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
}

TEST_F(ValidatorTest, EveryTruncationIsRefused) {
  JsonFields e = SpanFields(1);
  e.Set("links", StrCat(R"([{"trace_id":")", testing::TraceIdFor(2), R"(","span_id":")",
                        testing::SpanIdFor(2), R"(","trace_state":"","attributes":{"x":[1,{}]}}])"))
      .Set("scope", R"({"name":"s","version":"v","attributes":{"k":"\u00e9"}})");
  const std::string valid =
      BodyJson({SpanJson(0), e.Json(), testing::LogFields(1).Set("body", R"({"k":[1,{"x":null}]})").Json(),
                testing::MetricJson("exponential_histogram"), testing::MetricJson("histogram"),
                testing::MetricJson("summary")});
  ASSERT_TRUE(Parse(valid).ok());
  for (std::size_t n = 0; n < valid.size(); ++n) {
    Status s = Parse(valid.substr(0, n));
    ASSERT_FALSE(s.ok()) << "prefix of " << n << " bytes accepted";
  }
}

TEST_F(ValidatorTest, SurvivesRandomMutations) {
  const std::string valid = BodyJson({SpanJson(0), SpanJson(1), testing::LogJson(2),
                                      testing::MetricJson("histogram"),
                                      testing::MetricJson("exponential_histogram")});
  static constexpr char kBytes[] = "{}[],:\"\\01-.eEtrufalsn \x80\xff";
  std::mt19937_64 rng(12345);
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = valid;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < edits; ++i) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = kBytes[rng() % (sizeof(kBytes) - 1)]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, kBytes[rng() % (sizeof(kBytes) - 1)]); break;
      }
    }
    Status s = Parse(text);
    if (s.ok()) {
      ++accepted;
      // What was accepted is consistent: every event's text is inside the body.
      for (const EventRecord& r : body_.events) {
        EXPECT_NE(text.find(r.json), std::string::npos);
        if (r.type == EventType::kSpan) {
          EXPECT_TRUE(IsLowerHex(r.trace_id, 32));
        }
      }
    } else {
      EXPECT_TRUE(s.code() == StatusCode::kInvalidArgument) << s.ToString();
    }
  }
  EXPECT_LT(accepted, 3000);
}

TEST_F(ValidatorTest, ParserIsReusable) {
  ASSERT_TRUE(Parse(BodyJson({SpanJson(5)})).ok());
  EXPECT_EQ(body_.events.size(), 1u);
  ASSERT_FALSE(Parse("{").ok());
  ASSERT_TRUE(Parse(testing::BodyOf(20)).ok());
  EXPECT_EQ(body_.events.size(), 20u);
  EXPECT_EQ(body_.events[19].span_id, testing::SpanIdFor(19));
}

TEST(IsLowerHexTest, ChecksLengthAndAlphabet) {
  EXPECT_TRUE(IsLowerHex("0123456789abcdef", 16));
  EXPECT_FALSE(IsLowerHex("0123456789abcdeF", 16));
  EXPECT_FALSE(IsLowerHex("0123456789abcde", 16));
  EXPECT_FALSE(IsLowerHex("0123456789abcdefg", 16));
  EXPECT_TRUE(IsLowerHex("", 0));
}

}  // namespace
}  // namespace otelpack::sink
