// The hand-written protobuf logs decoder: round trips through the encoder,
// every field, ids, the limits on bodies and attributes, error paths and the
// budget. (crosscheck_logs_test.cc checks it against libprotobuf.)
#include <gtest/gtest.h>

#include <string>

#include "otlp/decode.h"
#include "otlp/testing/proto_bytes.h"
#include "otlp/wire.h"

namespace otelpack::otlp {
namespace {

using testing::RequestWithRecords;

// Records in one scope of one resource; Encode() gives the request.
struct Logs {
  std::vector<LogRecord> records;
  ScopeLogs scope;
  ResourceLogs resource;

  std::string Encode() {
    scope.log_records = records;
    resource.scope_logs = {&scope, 1};
    std::string out;
    EncodeLogsProto({&resource, 1}, &out);
    return out;
  }
};

std::string Reencode(LogsView logs) {
  std::string out;
  EncodeLogsProto(logs, &out);
  return out;
}

TEST(ProtoLogsDecoder, RoundTripsEveryField) {
  const AnyValue numbers[] = {AnyValue::Int(-1), AnyValue::Double(2.5), AnyValue::Bool(true),
                              AnyValue::Bytes(std::string_view("\x00\xff", 2))};
  const KeyValue body_fields[] = {{"message", AnyValue::String("payment failed")},
                                  {"numbers", AnyValue::Array(numbers)}};
  const KeyValue attributes[] = {{"http.route", AnyValue::String("/pay")}, {"retry", AnyValue::Int(3)}};
  LogRecord r;
  r.time_unix_nano = 1'700'000'000'000'000'001;
  r.observed_time_unix_nano = 1'700'000'000'000'000'002;
  r.severity_number = 17;
  r.severity_text = "ERROR";
  r.body = AnyValue::KvList(body_fields);
  r.attributes = attributes;
  r.dropped_attributes_count = 4;
  r.flags = 1;
  for (int i = 0; i < 16; ++i) r.trace_id.bytes[i] = static_cast<std::uint8_t>(i + 1);
  for (int i = 0; i < 8; ++i) r.span_id.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
  r.event_name = "payment.failure";
  Logs logs;
  logs.records = {r, LogRecord(), r};
  logs.records[1].body = AnyValue::String("plain text");
  logs.scope.scope = {.name = "io.opentelemetry.pay", .version = "1.2.0", .attributes = attributes};
  logs.scope.schema_url = "https://opentelemetry.io/schemas/1.26.0";
  logs.resource.resource.attributes = attributes;
  logs.resource.schema_url = "https://opentelemetry.io/schemas/1.25.0";
  const std::string body = logs.Encode();

  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(body, arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 3u);
  EXPECT_EQ(decoded->rejected, 0u);
  EXPECT_TRUE(Reencode(decoded->data) == body) << "a field was lost or changed";
  const LogRecord& got = decoded->data[0].scope_logs[0].log_records[2];
  EXPECT_EQ(got.time_unix_nano, r.time_unix_nano);
  EXPECT_EQ(got.observed_time_unix_nano, r.observed_time_unix_nano);
  EXPECT_EQ(got.severity_number, 17);
  EXPECT_EQ(got.severity_text, "ERROR");
  ASSERT_EQ(got.body.type(), ValueType::kKvList);
  EXPECT_EQ(got.body.kvlist_value()[1].value.array_value()[3].string_value(), std::string_view("\x00\xff", 2));
  EXPECT_EQ(got.attributes.size(), 2u);
  EXPECT_EQ(got.dropped_attributes_count, 4u);
  EXPECT_EQ(got.flags, 1u);
  EXPECT_EQ(got.trace_id.bytes, r.trace_id.bytes);
  EXPECT_EQ(got.span_id.bytes, r.span_id.bytes);
  EXPECT_EQ(got.event_name, "payment.failure");
  EXPECT_EQ(decoded->data[0].scope_logs[0].log_records[1].body.string_value(), "plain text");
  // Strings are views into the request.
  EXPECT_GE(got.event_name.data(), body.data());
  EXPECT_LT(got.event_name.data(), body.data() + body.size());
  EXPECT_EQ(decoded->data[0].scope_logs[0].schema_url, "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(decoded->data[0].scope_logs[0].scope.version, "1.2.0");
}

TEST(ProtoLogsDecoder, KeepsZeroAndAbsentIdsAndSeveritiesItDoesNotKnow) {
  std::string zero_ids, absent_ids, negative;
  wire::PutVarintField(2, 99, &zero_ids);  // no such severity: kept as sent
  wire::PutBytes(9, std::string(16, '\0'), &zero_ids);
  wire::PutBytes(10, std::string(8, '\0'), &zero_ids);
  wire::PutBytes(9, "", &absent_ids);  // written, yet empty
  wire::PutVarintField(2, static_cast<std::uint64_t>(-5), &negative);
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(RequestWithRecords({zero_ids, absent_ids, negative}), arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->records, 3u);
  std::span<const LogRecord> records = decoded->data[0].scope_logs[0].log_records;
  EXPECT_EQ(records[0].severity_number, 99);
  EXPECT_FALSE(records[0].trace_id.valid());
  EXPECT_FALSE(records[1].trace_id.valid());
  EXPECT_EQ(records[2].severity_number, -5);
}

TEST(ProtoLogsDecoder, LeavesOutRecordsWithIdsOfAWrongLengthAndSaysWhy) {
  std::string good, bad_trace, bad_span;
  wire::PutBytes(5, std::string("\x0a\x02ok", 4), &good);  // body: "ok"
  wire::PutBytes(5, std::string("\x0a\x0c" "disk is full", 14), &bad_trace);
  wire::PutBytes(9, std::string(15, '\x01'), &bad_trace);
  wire::PutBytes(10, std::string(9, '\x01'), &bad_span);
  wire::PutBytes(12, "gc.pause", &bad_span);
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(RequestWithRecords({good, bad_trace, bad_span, good}), arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 2u);
  EXPECT_EQ(decoded->rejected, 2u);
  EXPECT_EQ(decoded->rejection, "log record 1 (disk is full): trace_id must be empty or 16 bytes");
  Result<DecodedLogs> span_only = DecodeLogsProto(RequestWithRecords({bad_span}), arena);
  ASSERT_TRUE(span_only.ok()) << span_only.status().ToString();
  EXPECT_EQ(span_only->rejection, "log record 0 (gc.pause): span_id must be empty or 8 bytes");
  EXPECT_EQ(span_only->data[0].scope_logs[0].log_records.size(), 0u);
}

TEST(ProtoLogsDecoder, TheBodyAndTheAttributesKeepTheLimits) {
  // A body "aé€" (6 bytes) cut at 4 bytes keeps "aé"; [[["deep"]]] at
  // max_depth 2 keeps two levels; 5 attributes at max_attributes 3.
  const AnyValue leaf = AnyValue::String("deep");
  const AnyValue level3 = AnyValue::Array({&leaf, 1});
  const AnyValue level2 = AnyValue::Array({&level3, 1});
  KeyValue kvs[5];
  for (int i = 0; i < 5; ++i) kvs[i] = {"k", AnyValue::Int(i)};
  Logs logs;
  logs.records.resize(2);
  logs.records[0].body = AnyValue::String("a\xC3\xA9\xE2\x82\xAC");
  logs.records[0].attributes = kvs;
  logs.records[0].dropped_attributes_count = 10;
  logs.records[1].body = AnyValue::Array({&level2, 1});
  const std::string body = logs.Encode();
  Arena arena;
  Result<DecodedLogs> decoded =
      DecodeLogsProto(body, arena, {.max_attributes = 3, .max_value_bytes = 4, .max_depth = 2});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  std::span<const LogRecord> records = decoded->data[0].scope_logs[0].log_records;
  EXPECT_EQ(records[0].body.string_value(), "a\xC3\xA9");
  EXPECT_EQ(records[0].attributes.size(), 3u);
  EXPECT_EQ(records[0].dropped_attributes_count, 12u);
  const AnyValue& v = records[1].body;
  ASSERT_EQ(v.type(), ValueType::kArray);
  ASSERT_EQ(v.array_value()[0].type(), ValueType::kArray);
  EXPECT_EQ(v.array_value()[0].array_value()[0].type(), ValueType::kEmpty);
}

TEST(ProtoLogsDecoder, ErrorsNameTheFieldAndItsPlace) {
  std::string good, wrong_type, cut_body;
  wire::PutBytes(3, "INFO", &good);
  wire::PutVarintField(3, 1, &wrong_type);  // severity_text as a varint
  // A body whose string_value claims 9 bytes and has 2.
  wire::PutBytes(5, std::string("\x0a\x09hi", 4), &cut_body);
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(RequestWithRecords({good, wrong_type}), arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(),
            "invalid OTLP protobuf: resource_logs[0].scope_logs[0].log_records[1]: severity_text (field 3): "
            "wrong wire type 0");
  decoded = DecodeLogsProto(RequestWithRecords({good, good, cut_body}), arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(),
            "invalid OTLP protobuf: resource_logs[0].scope_logs[0].log_records[2].body: field 1: length runs "
            "past the end of the message");
}

TEST(ProtoLogsDecoder, RefusesARequestBuiltToAmplifyMemory) {
  // 1 M empty log records: 2 bytes each on the wire, over 100 decoded.
  std::string scope;
  for (int i = 0; i < 1'000'000; ++i) scope.append("\x12\x00", 2);
  std::string resource, body;
  wire::PutBytes(2, scope, &resource);
  wire::PutBytes(1, resource, &body);
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(body, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  EXPECT_LT(arena.bytes_reserved(), 20u << 20);
}

TEST(ProtoLogsDecoder, AnEmptyRequestIsValidAndEmpty) {
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto("", arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->records, 0u);
  EXPECT_TRUE(decoded->data.empty());
}

}  // namespace
}  // namespace otelpack::otlp
