// Tests of the log event's schema (docs/wire-protocol.md, "Log event"): the
// document's example and every field are accepted, in any order, and each
// way to break a field is refused with the field's path and the event's index.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/str_cat.h"
#include "sink/test_util.h"
#include "sink/validator.h"
#include "sink/validator_test_base.h"

namespace otelpack::sink {
namespace {

using testing::BodyJson;
using testing::JsonFields;
using testing::LogFields;
using testing::LogJson;
using testing::ValidatorTest;

using LogValidatorTest = ValidatorTest;

TEST_F(LogValidatorTest, AcceptsTheDocumentsExample) {
  ASSERT_TRUE(Parse(BodyJson({testing::kDocLogExample})).ok())
      << Parse(BodyJson({testing::kDocLogExample})).ToString();
  ASSERT_EQ(body_.events.size(), 1u);
  const EventRecord& e = body_.events[0];
  EXPECT_EQ(e.json, testing::kDocLogExample);
  EXPECT_EQ(e.type, EventType::kLog);
  EXPECT_EQ(e.service, "checkout");
  EXPECT_EQ(e.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(e.span_id, "00f067aa0ba902b7");
  EXPECT_EQ(e.name, "");  // no event_name
  EXPECT_EQ(e.time_ms, 1732480000123);
}

TEST_F(LogValidatorTest, AcceptsEveryFieldInAnyOrder) {
  JsonFields e = LogFields(4);
  e.Set("event_name", "\"browser.page_view\"")
      .Set("resource", R"({"service.name":"checkout","host.cpus":8,"tags":["a","b"]})")
      .Set("scope", R"({"name":"io.otel","version":"1.2.3","attributes":{"x":1}})");
  ExpectAccepted({e.Json()});
  EXPECT_EQ(body_.events[0].name, "browser.page_view");
  EXPECT_EQ(body_.events[0].time_ms, 1732480000004);
  const std::string reversed = e.Reverse().Json();
  ExpectAccepted({reversed});
  EXPECT_EQ(body_.events[0].json, reversed);
  EXPECT_EQ(body_.events[0].type, EventType::kLog);
  EXPECT_EQ(body_.events[0].name, "browser.page_view");
  EXPECT_EQ(body_.events[0].trace_id, testing::TraceIdFor(4));
}

TEST_F(LogValidatorTest, AcceptsAnyBody) {
  for (const char* body :
       {R"("")", R"("line\nwith \"escapes\" \u00e9")", "null", "true", "0", "-9223372036854775808",
        "9223372036854775807", "1.5", "-0.0", "5e-324", "[]", R"([1,"two",[3.0],{"four":null}])",
        "{}", R"({"message":"declined","card":{"brand":"visa","last4":"4242"},"codes":[51,5]})"}) {
    ExpectAccepted({LogFields(0).Set("body", body).Json()});
  }
}

TEST_F(LogValidatorTest, AcceptsNullIdsAndEdgeValues) {
  ExpectAccepted({LogFields(0)
                      .Set("trace_id", "null")
                      .Set("span_id", "null")
                      .Set("timestamp_ms", "0")
                      .Set("severity", "\"UNSPECIFIED\"")
                      .Set("severity_number", "0")
                      .Set("attributes", "{}")
                      .Json()});
  EXPECT_EQ(body_.events[0].trace_id, "");
  EXPECT_EQ(body_.events[0].span_id, "");
  EXPECT_EQ(body_.events[0].time_ms, 0);
  // A trace id without a span id, and severity numbers outside OTLP's range
  // (kept as sent).
  ExpectAccepted({LogFields(1).Set("span_id", "null").Json(),
                  LogFields(2).Set("severity_number", "-2147483648").Json(),
                  LogFields(3).Set("severity_number", "2147483647").Json()});
  EXPECT_EQ(body_.events[0].trace_id, testing::TraceIdFor(1));
  EXPECT_EQ(body_.events[0].span_id, "");
}

TEST_F(LogValidatorTest, RefusesAMissingField) {
  for (const char* field : {"type", "service", "timestamp_ms", "severity", "severity_number",
                            "body", "trace_id", "span_id", "attributes"}) {
    EXPECT_EQ(ErrorFor({LogJson(0), LogFields(1).Remove(field).Json()}),
              StrCat("events[1].", field, ": missing"));
  }
}

TEST_F(LogValidatorTest, RefusesUnknownDuplicateAndForeignFields) {
  EXPECT_EQ(ErrorForEvent(LogFields(0).Set("message", "\"x\"")),
            "events[0].message: unknown field");
  EXPECT_EQ(ErrorForEvent(LogFields(0).Add("severity", "\"WARN\"")),
            "events[0].severity: duplicate field");
  // The span's optional fields other than resource and scope are not a log's.
  for (const char* field : {"parent_span_id", "operation", "kind", "dropped", "links", "name",
                            "value"}) {
    EXPECT_EQ(ErrorForEvent(LogFields(0).Set(field, "1")),
              StrCat("events[0].", field, ": not a field of a log event"));
  }
}

TEST_F(LogValidatorTest, RefusesBadValues) {
  struct Case {
    const char* field;
    const char* value;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"service", "null", "expected string"},
           {"service", "1", "expected string"},
           {"timestamp_ms", "1.5", "expected integer"},
           {"timestamp_ms", "\"1732480000123\"", "expected integer"},
           {"timestamp_ms", "-1", "expected a non-negative integer"},
           {"timestamp_ms", "null", "expected integer"},
           {"timestamp_ms", "9223372036854775808", "integer out of range"},
           {"severity", "17", "expected string"},
           {"severity", "null", "expected string"},
           {"severity", "\"\"", "expected a non-empty string"},
           {"severity_number", "\"17\"", "expected integer"},
           {"severity_number", "17.0", "expected integer"},
           {"severity_number", "null", "expected integer"},
           {"severity_number", "2147483648", "integer out of int32 range"},
           {"severity_number", "-2147483649", "integer out of int32 range"},
           {"body", "18446744073709551615", "integer out of int64 range"},
           {"trace_id", "\"4BF92F3577B34DA6A3CE929D0E0E4736\"",
            "expected 32 lowercase hex digits or null"},
           {"trace_id", "\"4bf92f3577b34da6\"", "expected 32 lowercase hex digits or null"},
           {"trace_id", "12", "expected 32 lowercase hex digits or null"},
           {"trace_id", "\"00000000000000000000000000000000\"", "an absent id must be null"},
           {"span_id", "\"00f067aa0ba902b\"", "expected 16 lowercase hex digits or null"},
           {"span_id", "false", "expected 16 lowercase hex digits or null"},
           {"span_id", "\"0000000000000000\"", "an absent id must be null"},
           {"attributes", "[]", "expected object"},
           {"attributes", "null", "expected object"},
           {"event_name", "\"\"", "expected a non-empty string"},
           {"event_name", "null", "expected string"},
           {"resource", "\"checkout\"", "expected object"},
       }) {
    EXPECT_EQ(ErrorForEvent(LogFields(0).Set(c.field, c.value)),
              StrCat("events[0].", c.field, ": ", c.error))
        << c.field << " = " << c.value;
  }
}

TEST_F(LogValidatorTest, RefusesBadNestedValuesWithTheirPath) {
  EXPECT_EQ(ErrorForEvent(LogFields(0).Set("body", R"({"a":[1,{"b":18446744073709551616}]})")),
            "events[0].body.a[1].b: integer out of int64 range");
  EXPECT_EQ(ErrorForEvent(LogFields(0).Set("attributes", R"({"k":[9223372036854775808]})")),
            "events[0].attributes.k[0]: integer out of int64 range");
  EXPECT_EQ(ErrorForEvent(LogFields(0).Set("scope", R"({"name":"s","version":1,"attributes":{}})")),
            "events[0].scope.version: expected string");
  EXPECT_EQ(ErrorForEvent(LogFields(0).Set("scope", R"({"name":"s","attributes":{}})")),
            "events[0].scope.version: missing");
  const std::string message = ErrorForEvent(LogFields(0).Set("body", R"([1,tru])"));
  EXPECT_EQ(message.rfind("malformed JSON at events[0].body[1]", 0), 0u) << message;
}

TEST_F(LogValidatorTest, EnforcesTheNestingLimitInTheBody) {
  // The body value is at depth 4, as the attributes object is: 61 nested
  // arrays reach depth 64.
  auto nested = [](int levels) {
    return LogFields(0)
        .Set("body", StrCat(std::string(static_cast<std::size_t>(levels), '['),
                            std::string(static_cast<std::size_t>(levels), ']')))
        .Json();
  };
  ExpectAccepted({nested(61)});
  Status s = Parse(BodyJson({nested(62)}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("events[0].body"), std::string_view::npos) << s.ToString();
  EXPECT_NE(s.message().find("JSON nesting deeper than 64"), std::string_view::npos);
  EXPECT_EQ(Parse(BodyJson({nested(100000)})).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace otelpack::sink
