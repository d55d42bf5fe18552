// Tests for LogEncoder: every field of docs/wire-protocol.md's log event,
// read back with simdjson, for ordinary and hostile input, one record at a
// time and as whole batches.
#include "format/log_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "format/envelope.h"
#include "format/testing/event_checks.h"
#include "format/testing/sample_signals.h"
#include "format/testing/whole_body.h"
#include "format/value_writer.h"

namespace otelpack {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
using testing::Contains;
using testing::Keys;
using testing::Str;

const std::vector<std::string> kLogKeys = {"type",     "service", "timestamp_ms", "severity",  "severity_number",
                                           "body",     "trace_id", "span_id",     "attributes"};

std::vector<std::string> With(std::initializer_list<const char*> extra) {
  std::vector<std::string> keys = kLogKeys;
  for (const char* k : extra) keys.emplace_back(k);
  return keys;
}

class LogEncoderTest : public ::testing::Test {
 protected:
  LogEncoderTest() {
    resource_attrs_ = {{"service.name", AnyValue::String("checkout")}, {"host.name", AnyValue::String("ip-1")}};
    resource_.attributes = resource_attrs_;
    record_.time_unix_nano = 1'732'480'000'123'999'999ULL;
    record_.observed_time_unix_nano = 1'732'480'000'200'000'000ULL;
    record_.severity_number = 17;
    record_.severity_text = "ERROR";
    record_.body = AnyValue::String("payment declined: card expired");
    for (int i = 0; i < 16; ++i) record_.trace_id.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
    for (int i = 0; i < 8; ++i) record_.span_id.bytes[i] = static_cast<std::uint8_t>(0x10 + i);
    attrs_ = {{"http.route", AnyValue::String("/api/pay")}, {"retry", AnyValue::Bool(false)}};
    record_.attributes = attrs_;
  }

  std::string Encode(const LogRecord& r, ExtraFields extra = {}) {
    LogEncoder enc(extra);
    enc.BeginResource(resource_);
    enc.BeginScope(scope_);
    Buffer out;
    enc.AppendLogRecord(r, &out);
    return std::string(out.view());
  }

  object Parse(const std::string& json) { return testing::ParseObject(parser_, json); }

  simdjson::dom::parser parser_;
  std::vector<KeyValue> resource_attrs_, attrs_;
  Resource resource_;
  InstrumentationScope scope_{"com.example.checkout", "2.14.1", {}, 0};
  LogRecord record_;
};

TEST_F(LogEncoderTest, WritesEveryFieldInOrder) {
  const std::string json = Encode(record_);
  EXPECT_EQ(json,
            "{\"type\":\"log\",\"service\":\"checkout\",\"timestamp_ms\":1732480000123,\"severity\":\"ERROR\","
            "\"severity_number\":17,\"body\":\"payment declined: card expired\","
            "\"trace_id\":\"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\",\"span_id\":\"1011121314151617\","
            "\"attributes\":{\"http.route\":\"/api/pay\",\"retry\":false}}");
  object o = Parse(json);
  EXPECT_EQ(Keys(o), kLogKeys);
  EXPECT_EQ(o["timestamp_ms"].get_int64().value(), 1'732'480'000'123);
}

TEST_F(LogEncoderTest, EventNameOnlyWhenSet) {
  record_.event_name = "session.start";
  object o = Parse(Encode(record_));
  EXPECT_EQ(Keys(o), With({"event_name"}));
  EXPECT_EQ(Str(o["event_name"]), "session.start");
  record_.event_name = "";
  EXPECT_EQ(Keys(Parse(Encode(record_))), kLogKeys);
}

TEST_F(LogEncoderTest, SeverityNameByRangeWhenNoText) {
  record_.severity_text = "";
  const auto expected = [](int n) -> std::string {
    if (n >= 1 && n <= 4) return "TRACE";
    if (n >= 5 && n <= 8) return "DEBUG";
    if (n >= 9 && n <= 12) return "INFO";
    if (n >= 13 && n <= 16) return "WARN";
    if (n >= 17 && n <= 20) return "ERROR";
    if (n >= 21 && n <= 24) return "FATAL";
    return "UNSPECIFIED";
  };
  std::vector<int> numbers = {std::numeric_limits<int>::min(), -1, std::numeric_limits<int>::max(), 1000};
  for (int n = 0; n <= 26; ++n) numbers.push_back(n);
  for (int n : numbers) {
    record_.severity_number = n;
    const std::string json = Encode(record_);
    object o = Parse(json);
    EXPECT_EQ(Str(o["severity"]), expected(n)) << n;
    EXPECT_EQ(o["severity_number"].get_int64().value(), n) << json;
    EXPECT_EQ(LogEncoder::SeverityName(n), expected(n));
  }
  // Every range's edges, spelled out.
  EXPECT_EQ(LogEncoder::SeverityName(0), "UNSPECIFIED");
  EXPECT_EQ(LogEncoder::SeverityName(1), "TRACE");
  EXPECT_EQ(LogEncoder::SeverityName(4), "TRACE");
  EXPECT_EQ(LogEncoder::SeverityName(5), "DEBUG");
  EXPECT_EQ(LogEncoder::SeverityName(12), "INFO");
  EXPECT_EQ(LogEncoder::SeverityName(13), "WARN");
  EXPECT_EQ(LogEncoder::SeverityName(20), "ERROR");
  EXPECT_EQ(LogEncoder::SeverityName(24), "FATAL");
  EXPECT_EQ(LogEncoder::SeverityName(25), "UNSPECIFIED");
}

TEST_F(LogEncoderTest, SeverityTextWinsAsSent) {
  record_.severity_number = 13;
  record_.severity_text = "WARNING";
  EXPECT_EQ(Str(Parse(Encode(record_))["severity"]), "WARNING");
  record_.severity_text = "E";
  record_.severity_number = 0;
  object o = Parse(Encode(record_));
  EXPECT_EQ(Str(o["severity"]), "E");
  EXPECT_EQ(o["severity_number"].get_int64().value(), 0);
  // Longer than the padded names.
  record_.severity_text = "A VERY LONG SEVERITY TEXT, LONGER THAN SIXTEEN";
  EXPECT_EQ(Str(Parse(Encode(record_))["severity"]), "A VERY LONG SEVERITY TEXT, LONGER THAN SIXTEEN");
}

TEST_F(LogEncoderTest, TimestampFallsBackToTheObservedTime) {
  record_.time_unix_nano = 0;
  EXPECT_EQ(Parse(Encode(record_))["timestamp_ms"].get_int64().value(), 1'732'480'000'200);
  record_.observed_time_unix_nano = 0;
  EXPECT_EQ(Parse(Encode(record_))["timestamp_ms"].get_int64().value(), 0);
  record_.time_unix_nano = 999'999;  // floors
  record_.observed_time_unix_nano = 5'000'000;
  EXPECT_EQ(Parse(Encode(record_))["timestamp_ms"].get_int64().value(), 0);
  record_.time_unix_nano = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(Parse(Encode(record_))["timestamp_ms"].get_uint64().value(),
            std::numeric_limits<std::uint64_t>::max() / 1'000'000);
}

TEST_F(LogEncoderTest, IdsAreNullWhenAllZero) {
  record_.trace_id = TraceId{};
  record_.span_id = SpanId{};
  object o = Parse(Encode(record_));
  EXPECT_EQ(Keys(o), kLogKeys);
  EXPECT_TRUE(o["trace_id"].is_null());
  EXPECT_TRUE(o["span_id"].is_null());
  // Any nonzero byte, in either half of the trace id, makes it an id.
  record_.trace_id.bytes[15] = 1;
  record_.span_id.bytes[7] = 2;
  o = Parse(Encode(record_));
  EXPECT_EQ(Str(o["trace_id"]), "00000000000000000000000000000001");
  EXPECT_EQ(Str(o["span_id"]), "0000000000000002");
  record_.trace_id = TraceId{};
  record_.trace_id.bytes[0] = 0xff;
  o = Parse(Encode(record_));
  EXPECT_EQ(Str(o["trace_id"]), "ff000000000000000000000000000000");
}

TEST_F(LogEncoderTest, BodyIsAnyValue) {
  const auto body = [&](AnyValue v) {
    record_.body = v;
    const std::string json = Encode(record_);
    EXPECT_EQ(Keys(Parse(json)), kLogKeys) << json;
    return json;
  };
  EXPECT_TRUE(Contains(body(AnyValue()), "\"body\":null,"));
  EXPECT_TRUE(Contains(body(AnyValue::String("")), "\"body\":\"\","));
  EXPECT_TRUE(Contains(body(AnyValue::Int(-42)), "\"body\":-42,"));
  EXPECT_TRUE(Contains(body(AnyValue::Double(3.0)), "\"body\":3.0,"));
  EXPECT_TRUE(Contains(body(AnyValue::Double(std::nan(""))), "\"body\":null,"));
  EXPECT_TRUE(Contains(body(AnyValue::Double(-INFINITY)), "\"body\":null,"));
  EXPECT_TRUE(Contains(body(AnyValue::Bool(true)), "\"body\":true,"));
  EXPECT_TRUE(Contains(body(AnyValue::Bytes("hello")), "\"body\":\"aGVsbG8=\","));
  EXPECT_TRUE(Contains(body(AnyValue::Array({})), "\"body\":[],"));
  EXPECT_TRUE(Contains(body(AnyValue::KvList({})), "\"body\":{},"));

  std::vector<AnyValue> items = {AnyValue::Int(1), AnyValue::String("two"), AnyValue()};
  std::vector<KeyValue> map = {{"event", AnyValue::String("order.created")},
                               {"amount", AnyValue::Double(12.5)},
                               {"items", AnyValue::Array(items)}};
  object o = Parse(body(AnyValue::KvList(map)));
  object b = o["body"].get_object().value();
  EXPECT_EQ(Keys(b), (std::vector<std::string>{"event", "amount", "items"}));
  EXPECT_EQ(Str(b["event"]), "order.created");
  EXPECT_EQ(b["amount"].get_double().value(), 12.5);
  EXPECT_EQ(b["items"].at(0).get_int64().value(), 1);
  EXPECT_EQ(Str(b["items"].at(1)), "two");
  EXPECT_TRUE(b["items"].at(2).is_null());
}

TEST_F(LogEncoderTest, DeepBodiesAreCappedAtTheValueDepth) {
  std::vector<AnyValue> arrays(50);
  std::vector<KeyValue> lists(50);
  AnyValue deep = AnyValue::String("bottom");
  for (int i = 0; i < 50; ++i) {
    if (i % 2 == 0) {
      arrays[i] = deep;
      deep = AnyValue::Array(std::span(&arrays[i], 1));
    } else {
      lists[i] = {"k", deep};
      deep = AnyValue::KvList(std::span(&lists[i], 1));
    }
  }
  record_.body = deep;
  object o = Parse(Encode(record_));
  element e = o["body"];
  int containers = 0;
  while (e.is_array() || e.is_object()) {
    e = e.is_array() ? element(e.at(0)) : element(e["k"]);
    ++containers;
  }
  EXPECT_EQ(containers, format::kMaxValueDepth);
  EXPECT_TRUE(e.is_null());
}

TEST_F(LogEncoderTest, EmptyRecord) {
  const std::string json = Encode(LogRecord{});
  EXPECT_EQ(json,
            "{\"type\":\"log\",\"service\":\"checkout\",\"timestamp_ms\":0,\"severity\":\"UNSPECIFIED\","
            "\"severity_number\":0,\"body\":null,\"trace_id\":null,\"span_id\":null,\"attributes\":{}}");
  Parse(json);
}

TEST_F(LogEncoderTest, UnicodeControlsAndInvalidUtf8InEveryString) {
  const std::string& bad = testing::kHostile;
  const std::string& good = testing::kHostileRepaired;
  std::vector<KeyValue> res = {{"service.name", AnyValue::String(bad)}, {bad, AnyValue::String(bad)}};
  std::vector<KeyValue> body_map = {{bad, AnyValue::String(bad)}};
  std::vector<AnyValue> arr = {AnyValue::String(bad)};
  std::vector<KeyValue> attrs = {{bad, AnyValue::String(bad)}, {"arr", AnyValue::Array(arr)}};
  std::vector<KeyValue> scope_attrs = {{bad, AnyValue::String(bad)}};
  record_.severity_text = bad;
  record_.body = AnyValue::KvList(body_map);
  record_.attributes = attrs;
  record_.event_name = bad;
  LogEncoder enc(ExtraFields{.resource = true, .scope = true});
  enc.BeginResource(Resource{res, 0});
  enc.BeginScope(InstrumentationScope{bad, bad, scope_attrs, 0});
  Buffer out;
  enc.AppendLogRecord(record_, &out);
  object o = Parse(std::string(out.view()));
  EXPECT_EQ(Keys(o), With({"event_name", "resource", "scope"}));
  EXPECT_EQ(Str(o["service"]), good);
  EXPECT_EQ(Str(o["severity"]), good);
  EXPECT_EQ(Keys(o["body"].get_object().value()), std::vector<std::string>{good});
  EXPECT_EQ(Str(o["body"][good]), good);
  EXPECT_EQ(Str(o["attributes"][good]), good);
  EXPECT_EQ(Str(o["attributes"]["arr"].at(0)), good);
  EXPECT_EQ(Str(o["event_name"]), good);
  EXPECT_EQ(Str(o["resource"][good]), good);
  EXPECT_EQ(Str(o["scope"]["name"]), good);
  EXPECT_EQ(Str(o["scope"]["version"]), good);
  EXPECT_EQ(Str(o["scope"]["attributes"][good]), good);
}

TEST_F(LogEncoderTest, OnlyResourceAndScopeExtraFieldsApply) {
  std::vector<KeyValue> scope_attrs = {{"lib", AnyValue::Bool(true)}};
  scope_.attributes = scope_attrs;
  ExtraFields e;
  e.resource = true;
  object o = Parse(Encode(record_, e));
  EXPECT_EQ(Keys(o), With({"resource"}));
  EXPECT_EQ(Keys(o["resource"].get_object().value()), (std::vector<std::string>{"service.name", "host.name"}));

  e = {};
  e.scope = true;
  o = Parse(Encode(record_, e));
  EXPECT_EQ(Keys(o), With({"scope"}));
  EXPECT_EQ(Keys(o["scope"].get_object().value()), (std::vector<std::string>{"name", "version", "attributes"}));
  EXPECT_EQ(Str(o["scope"]["name"]), "com.example.checkout");
  EXPECT_EQ(Str(o["scope"]["version"]), "2.14.1");
  EXPECT_TRUE(o["scope"]["attributes"]["lib"].get_bool().value());

  // The span-only flags change nothing; with all of them, resource then scope.
  e = {.kind = true, .trace_state = true, .links = true, .dropped_counts = true};
  EXPECT_EQ(Keys(Parse(Encode(record_, e))), kLogKeys);
  record_.event_name = "e";
  o = Parse(Encode(record_, ExtraFields{true, true, true, true, true, true}));
  EXPECT_EQ(Keys(o), With({"event_name", "resource", "scope"}));
}

TEST_F(LogEncoderTest, ServiceFollowsTheResource) {
  LogEncoder enc;
  const auto service = [&] {
    Buffer out;
    enc.AppendLogRecord(record_, &out);
    return Str(Parse(std::string(out.view()))["service"]);
  };
  EXPECT_EQ(service(), "unknown");  // before any BeginResource
  std::vector<KeyValue> not_string = {{"service.name", AnyValue::Int(3)}};
  enc.BeginResource(Resource{not_string, 0});
  EXPECT_EQ(service(), "unknown");
  enc.BeginResource(resource_);
  EXPECT_EQ(service(), "checkout");
  std::vector<KeyValue> other = {{"service.name", AnyValue::String("a-much-longer-service-name-than-before")}};
  enc.BeginResource(Resource{other, 0});
  EXPECT_EQ(service(), "a-much-longer-service-name-than-before");
}

TEST_F(LogEncoderTest, RecordNameIsTheEventNameElseTheSeverity) {
  EXPECT_EQ(LogEncoder::RecordName(record_), "ERROR");
  record_.event_name = "session.start";
  EXPECT_EQ(LogEncoder::RecordName(record_), "session.start");
  record_.event_name = "";
  record_.severity_text = "";
  record_.severity_number = 10;
  EXPECT_EQ(LogEncoder::RecordName(record_), "INFO");
}

TEST_F(LogEncoderTest, EncodeWritesEveryRecordInOrderWithItsName) {
  std::vector<LogRecord> first(3, record_), second(2, record_);
  first[1].event_name = "evt";
  second[0].severity_text = "";
  second[0].severity_number = 2;
  std::vector<KeyValue> other = {{"service.name", AnyValue::String("billing")}};
  std::vector<ScopeLogs> scopes_a = {{scope_, first, ""}, {scope_, {}, ""}};
  std::vector<ScopeLogs> scopes_b = {{scope_, second, ""}};
  std::vector<ResourceLogs> logs = {
      {resource_, scopes_a, ""}, {Resource{}, {}, ""}, {Resource{other, 0}, scopes_b, ""}};
  LogEncoder enc;
  testing::EventList sink;
  enc.Encode(logs, sink);
  ASSERT_EQ(sink.events.size(), 5u);
  EXPECT_EQ(sink.names, (std::vector<std::string>{"ERROR", "evt", "ERROR", "TRACE", "ERROR"}));
  const std::vector<std::string> services = {"checkout", "checkout", "checkout", "billing", "billing"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(Str(Parse(sink.events[i])["service"]), services[i]);
}

TEST_F(LogEncoderTest, AHugeBodyGrowsTheBuffer) {
  std::string big(1 << 20, 'x');
  big[12345] = '\n';
  record_.body = AnyValue::String(big);
  Buffer out;
  LogEncoder enc;
  enc.AppendLogRecord(record_, &out);
  out.Append(',');
  enc.AppendLogRecord(record_, &out);
  const std::string json = "[" + std::string(out.view()) + "]";
  array events;
  ASSERT_EQ(parser_.parse(json).get_array().get(events), simdjson::SUCCESS);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(Str(events.at(1)["body"]), big);
}

// A whole batch of sample logs, the way the exporter writes it.
TEST(LogEncoderBatchTest, ManyRecordsParseAndReuseGivesTheSameBytes) {
  testing::SampleLogs sample;
  const Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  LogEncoder enc;
  simdjson::dom::parser parser;
  Buffer body, again;
  for (int batch = 0; batch < 3; ++batch) {
    LogsView logs = sample.Next(5000);
    whole.Encode(enc, logs, &body);
    ASSERT_EQ(whole.events(), 5000u);
    ASSERT_TRUE(simdjson::validate_utf8(body.data(), body.size()));
    element root;
    ASSERT_EQ(parser.parse(body.data(), body.size()).get(root), simdjson::SUCCESS);
    array events = root["events"].get_array().value();
    ASSERT_EQ(events.size(), 5000u);
    EXPECT_LE(testing::Depth(root), 64);
    std::size_t with_trace = 0, map_bodies = 0, named = 0;
    for (element e : events) {
      object o = e.get_object().value();
      std::vector<std::string> keys = Keys(o);
      if (keys.size() == kLogKeys.size() + 1) {
        EXPECT_EQ(keys.back(), "event_name");
        keys.pop_back();
        ++named;
      }
      ASSERT_EQ(keys, kLogKeys);
      with_trace += o["trace_id"].is_string();
      map_bodies += o["body"].is_object();
    }
    // The sample's shape: 60% in a trace, a few map bodies and events.
    EXPECT_GT(with_trace, 2700u);
    EXPECT_LT(with_trace, 3300u);
    EXPECT_GT(map_bodies, 50u);
    EXPECT_GT(named, 50u);
    // The same encoder on the same records writes the same bytes.
    whole.Encode(enc, logs, &again);
    EXPECT_EQ(body.view(), again.view());
  }
}

}  // namespace
}  // namespace otelpack
