// DecodeLogsJson: what the OpenTelemetry SDKs' JSON log exporters send, both
// key spellings, integers as strings or numbers, severity names, nulls and
// unknown fields, every rejection, every limit (the body's among them), and
// malformed input named by its path.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/testing/json_test_util.h"
#include "otlp/testing/model_diff.h"

namespace otelpack::otlp {
namespace {

using namespace std::string_view_literals;
using testing::Hex;
using testing::RenameKeys;

std::unique_ptr<testing::DecodedBox<DecodedLogs>> Decode(std::string_view json, const DecodeLimits& limits = {}) {
  return testing::DecodeCopy(&DecodeLogsJson, json, limits);
}

// A request with one log record, `fields` spliced into it.
std::string OneRecord(std::string_view fields) {
  return R"({"resourceLogs":[{"resource":{},"scopeLogs":[{"scope":{},"logRecords":[{)" + std::string(fields) +
         "}]}]}]}";
}

const LogRecord& OnlyRecord(const DecodedLogs& d) {
  static const LogRecord kNone;
  if (d.data.empty() || d.data[0].scope_logs.empty() || d.data[0].scope_logs[0].log_records.empty()) {
    ADD_FAILURE() << "no log record decoded; rejection: " << d.rejection;
    return kNone;
  }
  return d.data[0].scope_logs[0].log_records[0];
}

// What the JS SDK's JSON exporter (@opentelemetry/exporter-logs-otlp-http)
// sends, with every field filled in.
constexpr std::string_view kJsLogs = R"json({
  "resourceLogs": [{
    "resource": {
      "attributes": [
        {"key": "service.name", "value": {"stringValue": "checkout"}},
        {"key": "process.pid", "value": {"intValue": 4242}}
      ],
      "droppedAttributesCount": 1
    },
    "scopeLogs": [{
      "scope": {
        "name": "@shop/logger",
        "version": "2.1.0",
        "attributes": [{"key": "scope.attr", "value": {"boolValue": true}}],
        "droppedAttributesCount": 2
      },
      "logRecords": [
        {
          "timeUnixNano": "1732480000123456789",
          "observedTimeUnixNano": "1732480000123999999",
          "severityNumber": 9,
          "severityText": "INFO",
          "body": {"stringValue": "order 1234 placed"},
          "attributes": [
            {"key": "order.id", "value": {"intValue": "1234"}},
            {"key": "amount", "value": {"doubleValue": 99.5}}
          ],
          "droppedAttributesCount": 3,
          "flags": 1,
          "traceId": "5b8efff798038103d269b633813fc60c",
          "spanId": "eee19b7ec3c1b174",
          "eventName": "order.placed"
        },
        {
          "timeUnixNano": 1732480000200000000,
          "observedTimeUnixNano": 1732480000200000001,
          "severityNumber": "SEVERITY_NUMBER_ERROR",
          "severityText": "error",
          "body": {"kvlistValue": {"values": [
            {"key": "message", "value": {"stringValue": "payment failed"}},
            {"key": "codes", "value": {"arrayValue": {"values": [{"intValue": 402}, {"intValue": "500"}]}}}
          ]}},
          "attributes": [],
          "droppedAttributesCount": 0,
          "flags": 0
        }
      ],
      "schemaUrl": "https://opentelemetry.io/schemas/1.24.0"
    }],
    "schemaUrl": "https://opentelemetry.io/schemas/1.25.0"
  }]
})json";

void ExpectJsLogs(const DecodedLogs& d) {
  EXPECT_EQ(d.records, 2u);
  EXPECT_EQ(d.rejected, 0u);
  EXPECT_EQ(d.rejection, "");
  ASSERT_EQ(d.data.size(), 1u);
  const ResourceLogs& rl = d.data[0];
  EXPECT_EQ(rl.schema_url, "https://opentelemetry.io/schemas/1.25.0");
  ASSERT_EQ(rl.resource.attributes.size(), 2u);
  EXPECT_EQ(rl.resource.attributes[0].value.string_value(), "checkout");
  EXPECT_EQ(rl.resource.attributes[1].value.int_value(), 4242);
  EXPECT_EQ(rl.resource.dropped_attributes_count, 1u);
  ASSERT_EQ(rl.scope_logs.size(), 1u);
  const ScopeLogs& sl = rl.scope_logs[0];
  EXPECT_EQ(sl.schema_url, "https://opentelemetry.io/schemas/1.24.0");
  EXPECT_EQ(sl.scope.name, "@shop/logger");
  EXPECT_EQ(sl.scope.version, "2.1.0");
  ASSERT_EQ(sl.scope.attributes.size(), 1u);
  EXPECT_TRUE(sl.scope.attributes[0].value.bool_value());
  EXPECT_EQ(sl.scope.dropped_attributes_count, 2u);

  ASSERT_EQ(sl.log_records.size(), 2u);
  const LogRecord& r = sl.log_records[0];
  EXPECT_EQ(r.time_unix_nano, 1732480000123456789u);
  EXPECT_EQ(r.observed_time_unix_nano, 1732480000123999999u);
  EXPECT_EQ(r.severity_number, 9);
  EXPECT_EQ(r.severity_text, "INFO");
  ASSERT_EQ(r.body.type(), ValueType::kString);
  EXPECT_EQ(r.body.string_value(), "order 1234 placed");
  ASSERT_EQ(r.attributes.size(), 2u);
  EXPECT_EQ(r.attributes[0].key, "order.id");
  EXPECT_EQ(r.attributes[0].value.int_value(), 1234);
  EXPECT_EQ(r.attributes[1].value.double_value(), 99.5);
  EXPECT_EQ(r.dropped_attributes_count, 3u);
  EXPECT_EQ(r.flags, 1u);
  EXPECT_EQ(Hex(r.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(Hex(r.span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_EQ(r.event_name, "order.placed");

  const LogRecord& e = sl.log_records[1];
  EXPECT_EQ(e.time_unix_nano, 1732480000200000000u);
  EXPECT_EQ(e.observed_time_unix_nano, 1732480000200000001u);
  EXPECT_EQ(e.severity_number, 17);
  EXPECT_EQ(e.severity_text, "error");
  ASSERT_EQ(e.body.type(), ValueType::kKvList);
  ASSERT_EQ(e.body.kvlist_value().size(), 2u);
  EXPECT_EQ(e.body.kvlist_value()[0].value.string_value(), "payment failed");
  const AnyValue& codes = e.body.kvlist_value()[1].value;
  ASSERT_EQ(codes.type(), ValueType::kArray);
  ASSERT_EQ(codes.array_value().size(), 2u);
  EXPECT_EQ(codes.array_value()[1].int_value(), 500);
  EXPECT_TRUE(e.attributes.empty());
  EXPECT_FALSE(e.trace_id.valid());
  EXPECT_FALSE(e.span_id.valid());
  EXPECT_EQ(e.event_name, "");
}

TEST(JsonLogs, JsSdkRequestGivesEveryField) {
  auto d = Decode(kJsLogs);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ExpectJsLogs(*d->result);
}

TEST(JsonLogs, ProtoFieldNamesAreAccepted) {
  const std::string json = RenameKeys(
      kJsLogs, {{"resourceLogs", "resource_logs"}, {"scopeLogs", "scope_logs"}, {"logRecords", "log_records"},
                {"schemaUrl", "schema_url"}, {"droppedAttributesCount", "dropped_attributes_count"},
                {"timeUnixNano", "time_unix_nano"}, {"observedTimeUnixNano", "observed_time_unix_nano"},
                {"severityNumber", "severity_number"}, {"severityText", "severity_text"},
                {"traceId", "trace_id"}, {"spanId", "span_id"}, {"eventName", "event_name"},
                {"stringValue", "string_value"}, {"intValue", "int_value"}, {"doubleValue", "double_value"},
                {"boolValue", "bool_value"}, {"arrayValue", "array_value"}, {"kvlistValue", "kvlist_value"}});
  ASSERT_EQ(json.find("Value\""), std::string::npos);
  ASSERT_EQ(json.find("Id\""), std::string::npos);
  auto d = Decode(json);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ExpectJsLogs(*d->result);
  auto camel = Decode(kJsLogs);
  ASSERT_TRUE(camel->result.ok());
  EXPECT_EQ(testing::DiffLogs(d->result->data, camel->result->data), "");
}

// Decoding many requests reuses the scratch: the results stay independent,
// and DiffLogs (model_diff.h) tells them apart by path.
TEST(JsonLogs, RepeatedDecodesAreIndependent) {
  auto first = Decode(kJsLogs);
  auto other = Decode(OneRecord(R"("body":{"stringValue":"other"},"severityNumber":5)"));
  auto failed = Decode(OneRecord(R"("body":{"arrayValue":{"values":[{"intValue":1},{"intValue":[]}]}})"));
  auto third = Decode(kJsLogs);
  ASSERT_TRUE(first->result.ok() && other->result.ok() && third->result.ok());
  EXPECT_FALSE(failed->result.ok());
  EXPECT_EQ(testing::DiffLogs(first->result->data, third->result->data), "");
  ExpectJsLogs(*third->result);
  EXPECT_EQ(OnlyRecord(*other->result).body.string_value(), "other");
  auto changed = Decode(testing::RenameKeys(kJsLogs, {{"order.placed", "order.paid"}}));
  ASSERT_TRUE(changed->result.ok());
  EXPECT_EQ(testing::DiffLogs(first->result->data, changed->result->data),
            "resource_logs[0].scope_logs[0].log_records[0].event_name: \"order.placed\" != \"order.paid\"");
}

TEST(JsonLogs, UnknownFieldsAreIgnoredAndNullIsAbsent) {
  auto d = Decode(R"({"future": [1, {"x": null}], "resourceLogs": [{"resource": null, "schemaUrl": null,
      "scopeLogs": [{"scope": null, "extra": {}, "logRecords": [{
        "timeUnixNano": null, "observedTimeUnixNano": null, "severityNumber": null, "severityText": null,
        "body": null, "attributes": null, "droppedAttributesCount": null, "flags": null, "traceId": null,
        "spanId": null, "eventName": null, "newField": {"deep": [[[]]]}, "name": "not a log field"}]}]}]})");
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ASSERT_EQ(d->result->records, 1u);
  const LogRecord& r = OnlyRecord(*d->result);
  EXPECT_EQ(r.time_unix_nano, 0u);
  EXPECT_EQ(r.severity_number, 0);
  EXPECT_EQ(r.body.type(), ValueType::kEmpty);
  EXPECT_TRUE(r.attributes.empty());
  EXPECT_FALSE(r.trace_id.valid());
  EXPECT_EQ(r.event_name, "");
}

TEST(JsonLogs, EmptyRequestsAreValid) {
  for (std::string_view json : {"{}"sv, R"({"resourceLogs": []})"sv, R"({"resourceLogs": null})"sv,
                                R"({"resourceLogs": [{"scopeLogs": [{"logRecords": []}]}]})"sv}) {
    auto d = Decode(json);
    ASSERT_TRUE(d->result.ok()) << json << ": " << d->result.status().ToString();
    EXPECT_EQ(d->result->records, 0u);
  }
}

TEST(JsonLogs, IntegersAsStringsOrNumbers) {
  auto d = Decode(OneRecord(R"("timeUnixNano": 18446744073709551615,
      "observedTimeUnixNano": "18446744073709551615", "droppedAttributesCount": "4294967295",
      "flags": "257", "severityNumber": 24)"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const LogRecord& r = OnlyRecord(*d->result);
  EXPECT_EQ(r.time_unix_nano, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(r.observed_time_unix_nano, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(r.dropped_attributes_count, std::numeric_limits<std::uint32_t>::max());
  EXPECT_EQ(r.flags, 257u);
  EXPECT_EQ(r.severity_number, 24);
}

// A record keeps the severity number it was sent with, even one outside
// OTLP's range; names are those of the .proto enum.
TEST(JsonLogs, SeverityByNumberOrName) {
  const std::pair<std::string_view, int> cases[] = {
      {"0", 0}, {"1", 1}, {"13", 13}, {"-3", -3}, {"99", 99}, {"2147483647", 2147483647},
      {"\"SEVERITY_NUMBER_UNSPECIFIED\"", 0}, {"\"SEVERITY_NUMBER_TRACE\"", 1}, {"\"SEVERITY_NUMBER_DEBUG4\"", 8},
      {"\"SEVERITY_NUMBER_INFO\"", 9}, {"\"SEVERITY_NUMBER_WARN\"", 13}, {"\"SEVERITY_NUMBER_ERROR3\"", 19},
      {"\"SEVERITY_NUMBER_FATAL4\"", 24}};
  for (const auto& [json, want] : cases) {
    auto d = Decode(OneRecord(R"("severityNumber":)" + std::string(json)));
    ASSERT_TRUE(d->result.ok()) << json << ": " << d->result.status().ToString();
    EXPECT_EQ(OnlyRecord(*d->result).severity_number, want) << json;
  }
}

constexpr std::string_view kTraceId = "5b8efff798038103d269b633813fc60c";
constexpr std::string_view kSpanId = "eee19b7ec3c1b174";

// Ids that are neither empty nor of the right length in hex leave the record
// out; all-zero ids, like empty ones, mean "not in a trace" and are kept.
TEST(JsonLogs, InvalidIdsLeaveTheRecordOut) {
  struct Case {
    std::string ids;
    std::string_view why;  // empty: kept
  };
  const std::string trace = R"("traceId":")" + std::string(kTraceId) + R"(")";
  const std::string span = R"("spanId":")" + std::string(kSpanId) + R"(")";
  const Case cases[] = {
      {trace + "," + span, ""},
      {"", ""},
      {R"("traceId":"","spanId":"")", ""},
      {R"("traceId":"00000000000000000000000000000000","spanId":"0000000000000000")", ""},
      {trace, ""},
      {span, ""},  // a span id without a trace id: kept as sent
      {R"("traceId":"5B8EFFF798038103D269B633813FC60C",)" + span, ""},
      {R"("traceId":"5b8efff798038103d269b633813fc60",)" + span, "traceId must be empty or 32 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60cc",)" + span, "traceId must be empty or 32 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60g",)" + span, "traceId must be empty or 32 hex digits"},
      {R"("traceId":"W47/95gDgQPSabYzgT/GDA==",)" + span, "traceId must be empty or 32 hex digits"},
      {trace + R"(,"spanId":"eee19b7ec3c1b17")", "spanId must be empty or 16 hex digits"},
      {trace + R"(,"spanId":"7uGbfsPBsXQ=")", "spanId must be empty or 16 hex digits"},
      {trace + R"(,"span_id":"eee19b7ec3c1b17z")", "spanId must be empty or 16 hex digits"},
  };
  for (const Case& c : cases) {
    // Resource 1, scope 0, record 3 is the one tried; those around it are kept.
    const std::string good = R"({"body":{"stringValue":"good"}})";
    const std::string json = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[)" + good +
                             R"(]}]},{"scopeLogs":[{"logRecords":[)" + good + "," + good + "," + good +
                             R"(,{"body":{"stringValue":"tried"})" + (c.ids.empty() ? "" : ",") + c.ids + "}," + good +
                             "]}]}]}";
    auto d = Decode(json);
    ASSERT_TRUE(d->result.ok()) << c.ids << ": " << d->result.status().ToString();
    const auto& records = d->result->data[1].scope_logs[0].log_records;
    if (c.why.empty()) {
      EXPECT_EQ(d->result->records, 6u) << c.ids;
      EXPECT_EQ(d->result->rejected, 0u) << c.ids;
      ASSERT_EQ(records.size(), 5u);
      EXPECT_EQ(records[3].body.string_value(), "tried");
      continue;
    }
    EXPECT_EQ(d->result->records, 5u) << c.ids;
    EXPECT_EQ(d->result->rejected, 1u) << c.ids;
    EXPECT_EQ(d->result->rejection, "log record 3 of scope 0 of resource 1: " + std::string(c.why)) << c.ids;
    ASSERT_EQ(records.size(), 4u);
    for (const LogRecord& r : records) EXPECT_EQ(r.body.string_value(), "good");
  }
}

TEST(JsonLogs, FirstRejectionIsExplainedAndAllAreCounted) {
  auto d = Decode(OneRecord(R"("spanId":"12"},{"traceId":"x"},{"severityText":"kept")"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  EXPECT_EQ(d->result->records, 1u);
  EXPECT_EQ(d->result->rejected, 2u);
  EXPECT_EQ(d->result->rejection, "log record 0 of scope 0 of resource 0: spanId must be empty or 16 hex digits");
  EXPECT_EQ(OnlyRecord(*d->result).severity_text, "kept");
}

// ---------------------------------------------------------------------------
// Limits: the record's attributes and body as a span's attributes.

TEST(JsonLogs, AttributesOverTheLimitAreDroppedAndCounted) {
  DecodeLimits limits;
  limits.max_attributes = 2;
  auto d = Decode(OneRecord(R"("droppedAttributesCount": 5, "attributes": [
      {"key":"a","value":{"intValue":1}},{"key":"b","value":{"intValue":2}},
      {"key":"c","value":{"intValue":3}},{"key":"d","value":{"intValue":4}}])"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const LogRecord& r = OnlyRecord(*d->result);
  ASSERT_EQ(r.attributes.size(), 2u);
  EXPECT_EQ(r.attributes[1].key, "b");
  EXPECT_EQ(r.dropped_attributes_count, 7u);
}

TEST(JsonLogs, LongBodiesAreTruncated) {
  DecodeLimits limits;
  limits.max_value_bytes = 5;
  auto d = Decode(OneRecord(R"("body":{"stringValue":"a\u00e9\u20ac\ud83c\udf89"}},
      {"body":{"bytesValue":"AAECAwQFBgcICQ=="}},
      {"body":{"arrayValue":{"values":[{"stringValue":"0123456789"}]}}},
      {"body":{"stringValue":"abcde"})"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const auto& records = d->result->data[0].scope_logs[0].log_records;
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].body.string_value(), "a\xC3\xA9");  // cut before the 3-byte euro sign
  EXPECT_EQ(records[1].body.type(), ValueType::kBytes);
  EXPECT_EQ(records[1].body.string_value(), "\x00\x01\x02\x03\x04"sv);
  EXPECT_EQ(records[2].body.array_value()[0].string_value(), "01234");
  EXPECT_EQ(records[3].body.string_value(), "abcde");
}

// The body is a value at the attributes' level: max_depth counts its arrays
// and key-value lists the same way.
TEST(JsonLogs, BodiesNestedTooDeepBecomeEmpty) {
  DecodeLimits limits;
  limits.max_depth = 2;
  auto d = Decode(OneRecord(R"("body":{"arrayValue":{"values":[{"kvlistValue":{"values":[
      {"key":"deep","value":{"arrayValue":{"values":[{"intValue":1}]}}},
      {"key":"flat","value":{"intValue":2}}]}}]}})"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const AnyValue& body = OnlyRecord(*d->result).body;
  ASSERT_EQ(body.type(), ValueType::kArray);
  const AnyValue& list = body.array_value()[0];
  ASSERT_EQ(list.type(), ValueType::kKvList);
  EXPECT_EQ(list.kvlist_value()[0].value.type(), ValueType::kEmpty);  // a third level
  EXPECT_EQ(list.kvlist_value()[1].value.int_value(), 2);

  limits.max_depth = 0;
  d = Decode(OneRecord(R"("body":{"kvlistValue":{"values":[]}})"), limits);
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(OnlyRecord(*d->result).body.type(), ValueType::kEmpty);
}

TEST(JsonLogs, RefusesARequestBuiltToAmplifyMemory) {
  // A body whose array holds 1 M empty values: 3 bytes each in the request,
  // 24 each decoded.
  std::string items;
  for (int i = 0; i < 1'000'000; ++i) items += i == 0 ? "{}" : ",{}";
  const std::string json = OneRecord(R"("body":{"arrayValue":{"values":[)" + items + "]}}");
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsJson(json, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("8x its size"), std::string_view::npos);
  EXPECT_LT(arena.bytes_reserved(), 8 * json.size());

  DecodeLimits limits;
  limits.max_decoded_bytes = 4 * json.size();  // not even room to parse
  decoded = DecodeLogsJson(json, arena, limits);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(decoded.status().message().find("to parse"), std::string_view::npos);

  auto after = Decode(kJsLogs);  // the next request decodes as usual
  ASSERT_TRUE(after->result.ok());
  ExpectJsLogs(*after->result);
}

// ---------------------------------------------------------------------------
// Malformed requests: refused whole, the message naming the place.

TEST(JsonLogs, MalformedRequestsNameThePlace) {
  const std::string rec = R"({"resourceLogs":[{},{"scopeLogs":[{"logRecords":[{},{)";
  const std::string end = "}]}]}]}";
  const std::string at = "resourceLogs[1].scopeLogs[0].logRecords[1].";
  const std::pair<std::string, std::string> cases[] = {
      {"[]", "body: expected a JSON object"},
      {R"({"resourceLogs": {}})", "resourceLogs: expected an array"},
      {R"({"resourceLogs": [{"scopeLogs": [1]}]})", "resourceLogs[0].scopeLogs[0]: expected an object"},
      {R"({"resource_logs": [{"scope_logs": [{"log_records": {}}]}]})",
       "resource_logs[0].scope_logs[0].log_records: expected an array"},
      {R"({"resourceLogs": [{"resource": {"attributes": [{"key": 3}]}}]})",
       "resourceLogs[0].resource.attributes[0].key: expected a string"},
      {rec + R"("timeUnixNano": 1.5)" + end, at + "timeUnixNano: expected an integer or a string of digits"},
      {rec + R"("observedTimeUnixNano": -1)" + end, at + "observedTimeUnixNano: -1 is negative"},
      {rec + R"("severityNumber": "INFO")" + end,
       at + "severityNumber: expected a severity number or name (SEVERITY_NUMBER_UNSPECIFIED...)"},
      {rec + R"("severityNumber": 2147483648)" + end, at + "severityNumber: 2147483648 is out of the int32 range"},
      {rec + R"("severityNumber": 9.5)" + end, at + "severityNumber: expected a severity number or name"},
      {rec + R"("severityText": 3)" + end, at + "severityText: expected a string"},
      {rec + R"("body": "text")" + end, at + "body: expected an object"},
      {rec + R"("body": {"stringValue": "a", "intValue": 1})" + end,
       at + "body.intValue: a second value in one AnyValue"},
      {rec + R"("body": {"kvlistValue": {"values": [{"key": "k", "value": {"doubleValue": "x"}}]}})" + end,
       at + "body.kvlistValue.values[0].value.doubleValue: expected a number or \"NaN\", \"Infinity\", \"-Infinity\""},
      {rec + R"("flags": 4294967296)" + end, at + "flags: 4294967296 is out of range (at most 4294967295)"},
      {rec + R"("traceId": 7)" + end, at + "traceId: expected a string"},
      {rec + R"("spanId": ["a"])" + end, at + "spanId: expected a string"},
      {rec + R"("eventName": {})" + end, at + "eventName: expected a string"},
      {rec + R"("newField": tru)" + end, "malformed JSON*"},
      {R"({"resourceLogs": []} x)", "malformed JSON: content after the request object"},
  };
  for (const auto& [json, message] : cases) testing::ExpectInvalid(&DecodeLogsJson, json, message);
}

}  // namespace
}  // namespace otelpack::otlp
