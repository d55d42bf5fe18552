// Tests for SpanEncoder: every field of docs/wire-protocol.md's span event,
// read back with simdjson, for ordinary and hostile input.
#include "format/span_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "common/base64.h"
#include "format/service_name.h"
#include "format/testing/whole_body.h"
#include "loadgen/loadgen.h"

namespace otelpack {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

const std::vector<std::string> kArticleKeys = {
    "type",          "trace_id", "span_id", "parent_span_id", "service",    "operation",
    "start_time_ms", "duration_ms", "status", "status_message", "attributes", "events"};

std::vector<std::string> Keys(object o) {
  std::vector<std::string> keys;
  for (simdjson::dom::key_value_pair kv : o) keys.emplace_back(kv.key);
  return keys;
}

std::vector<std::string> With(std::initializer_list<const char*> extra) {
  std::vector<std::string> keys = kArticleKeys;
  for (const char* k : extra) keys.emplace_back(k);
  return keys;
}

std::string Str(element e) { return std::string(e.get_string().value()); }

int Depth(element e) {
  int d = 0;
  if (e.type() == element_type::ARRAY) {
    array a = e.get_array().value();
    for (element x : a) d = std::max(d, Depth(x));
    return d + 1;
  }
  if (e.type() == element_type::OBJECT) {
    object o = e.get_object().value();
    for (simdjson::dom::key_value_pair kv : o) d = std::max(d, Depth(kv.value));
    return d + 1;
  }
  return 0;
}

class SpanEncoderTest : public ::testing::Test {
 protected:
  SpanEncoderTest() {
    service_attrs_ = {{"service.name", AnyValue::String("checkout")},
                      {"host.name", AnyValue::String("ip-10-0-0-1")}};
    resource_.attributes = service_attrs_;
    for (int i = 0; i < 16; ++i) span_.trace_id.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
    for (int i = 0; i < 8; ++i) span_.span_id.bytes[i] = static_cast<std::uint8_t>(0x10 + i);
    for (int i = 0; i < 8; ++i) span_.parent_span_id.bytes[i] = static_cast<std::uint8_t>(0xf0 + i);
    span_.name = "GET /orders/{id}";
    span_.kind = SpanKind::kServer;
    span_.start_time_unix_nano = 1'732'480'000'123'999'999ULL;
    span_.end_time_unix_nano = span_.start_time_unix_nano + 12'345'678;
    attrs_ = {{"http.method", AnyValue::String("GET")},
              {"http.status_code", AnyValue::Int(200)},
              {"cache.hit", AnyValue::Bool(true)},
              {"db.wait_ms", AnyValue::Double(1.25)}};
    span_.attributes = attrs_;
    event_attrs_ = {{"attempt", AnyValue::Int(2)}};
    events_ = {{"retry", 1'732'480'000'125'500'000ULL, event_attrs_, 0}};
    span_.events = events_;
  }

  // One event as JSON, encoded with a fresh encoder.
  std::string Encode(const Span& s, ExtraFields extra = {}) {
    SpanEncoder enc(extra);
    enc.BeginResource(resource_);
    enc.BeginScope(scope_);
    Buffer out;
    enc.AppendSpan(s, &out);
    return std::string(out.view());
  }

  object Parse(const std::string& json) {
    EXPECT_TRUE(simdjson::validate_utf8(json.data(), json.size())) << json;
    object o;
    auto err = parser_.parse(json).get_object().get(o);
    EXPECT_EQ(err, simdjson::SUCCESS) << json;
    return o;
  }

  object Attrs(const std::string& json) { return Parse(json)["attributes"].get_object().value(); }

  simdjson::dom::parser parser_;
  std::vector<KeyValue> service_attrs_, attrs_, event_attrs_;
  std::vector<SpanEvent> events_;
  Resource resource_;
  InstrumentationScope scope_{"io.opentelemetry.tomcat", "1.32.0", {}, 0};
  Span span_;
};

TEST_F(SpanEncoderTest, WritesTheArticleSchemaInOrder) {
  const std::string json = Encode(span_);
  object o = Parse(json);
  EXPECT_EQ(Keys(o), kArticleKeys);
  EXPECT_EQ(Str(o["type"]), "span");
  EXPECT_EQ(Str(o["trace_id"]), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(Str(o["span_id"]), "1011121314151617");
  EXPECT_EQ(Str(o["parent_span_id"]), "f0f1f2f3f4f5f6f7");
  EXPECT_EQ(Str(o["service"]), "checkout");
  EXPECT_EQ(Str(o["operation"]), "GET /orders/{id}");
  EXPECT_EQ(o["start_time_ms"].get_int64().value(), 1'732'480'000'123);
  EXPECT_NE(json.find("\"duration_ms\":12.346,"), std::string::npos) << json;
  EXPECT_EQ(Str(o["status"]), "ok");
  EXPECT_EQ(Str(o["status_message"]), "");
  object a = o["attributes"].get_object().value();
  EXPECT_EQ(Keys(a), (std::vector<std::string>{"http.method", "http.status_code", "cache.hit", "db.wait_ms"}));
  EXPECT_EQ(Str(a["http.method"]), "GET");
  EXPECT_EQ(a["http.status_code"].get_int64().value(), 200);
  EXPECT_TRUE(a["cache.hit"].get_bool().value());
  EXPECT_EQ(a["db.wait_ms"].get_double().value(), 1.25);
  array events = o["events"].get_array().value();
  ASSERT_EQ(events.size(), 1u);
  object e = events.at(0).get_object().value();
  EXPECT_EQ(Keys(e), (std::vector<std::string>{"name", "timestamp_ms", "attributes"}));
  EXPECT_EQ(Str(e["name"]), "retry");
  EXPECT_EQ(e["timestamp_ms"].get_int64().value(), 1'732'480'000'125);
  EXPECT_EQ(e["attributes"]["attempt"].get_int64().value(), 2);
}

TEST_F(SpanEncoderTest, RootSpanHasNullParent) {
  span_.parent_span_id = SpanId{};
  object o = Parse(Encode(span_));
  EXPECT_TRUE(o["parent_span_id"].is_null());
  EXPECT_EQ(Keys(o), kArticleKeys);
  // Any nonzero byte makes the parent valid.
  span_.parent_span_id.bytes[7] = 1;
  EXPECT_EQ(Str(Parse(Encode(span_))["parent_span_id"]), "0000000000000001");
}

TEST_F(SpanEncoderTest, StatusIsErrorOnlyForError) {
  span_.status_code = SpanStatusCode::kError;
  span_.status_message = "boom: \"x\"";
  object o = Parse(Encode(span_));
  EXPECT_EQ(Str(o["status"]), "error");
  EXPECT_EQ(Str(o["status_message"]), "boom: \"x\"");
  span_.status_code = SpanStatusCode::kOk;
  EXPECT_EQ(Str(Parse(Encode(span_))["status"]), "ok");
  span_.status_code = SpanStatusCode::kUnset;
  EXPECT_EQ(Str(Parse(Encode(span_))["status"]), "ok");
}

TEST_F(SpanEncoderTest, DurationAndStartTime) {
  span_.start_time_unix_nano = 1'999'999;
  span_.end_time_unix_nano = 1'999'999 + 5'000'000;
  std::string json = Encode(span_);
  EXPECT_EQ(Parse(json)["start_time_ms"].get_int64().value(), 1);
  EXPECT_NE(json.find("\"duration_ms\":5.0,"), std::string::npos) << json;
  span_.end_time_unix_nano = 0;  // before the start
  json = Encode(span_);
  EXPECT_NE(json.find("\"duration_ms\":0.0,"), std::string::npos) << json;
  EXPECT_EQ(Parse(json)["duration_ms"].get_double().value(), 0.0);
}

TEST_F(SpanEncoderTest, ServiceComesFromTheResource) {
  SpanEncoder enc;
  Buffer out;
  enc.AppendSpan(span_, &out);  // before any BeginResource
  EXPECT_EQ(Str(Parse(std::string(out.view()))["service"]), "unknown");

  std::vector<KeyValue> not_string = {{"service.name", AnyValue::Int(3)}};
  enc.BeginResource(Resource{not_string, 0});
  out.Clear();
  enc.AppendSpan(span_, &out);
  EXPECT_EQ(Str(Parse(std::string(out.view()))["service"]), "unknown");

  const std::string odd = "we\"ird\\svc\n\x01\xFF";
  std::vector<KeyValue> odd_attrs = {{"service.name", AnyValue::String(odd)}};
  enc.BeginResource(Resource{odd_attrs, 0});
  out.Clear();
  enc.AppendSpan(span_, &out);
  EXPECT_EQ(Str(Parse(std::string(out.view()))["service"]), "we\"ird\\svc\n\x01\xEF\xBF\xBD");

  enc.BeginResource(resource_);
  out.Clear();
  enc.AppendSpan(span_, &out);
  EXPECT_EQ(Str(Parse(std::string(out.view()))["service"]), "checkout");
}

TEST_F(SpanEncoderTest, WritesEveryValueType) {
  const std::string binary = [] {
    std::string b;
    for (int i = 0; i < 256; ++i) b.push_back(static_cast<char>(i));
    return b;
  }();
  std::vector<AnyValue> items = {AnyValue::Int(1), AnyValue::String("two"), AnyValue::Bool(false), AnyValue(),
                                 AnyValue::Double(2.5)};
  std::vector<KeyValue> inner = {{"a", AnyValue::Int(1)}, {"b", AnyValue::String("x")}};
  std::vector<KeyValue> attrs = {
      {"s", AnyValue::String("str")},      {"t", AnyValue::Bool(true)},
      {"f", AnyValue::Bool(false)},        {"i", AnyValue::Int(-42)},
      {"d", AnyValue::Double(3.25)},       {"bytes", AnyValue::Bytes("hello")},
      {"no.bytes", AnyValue::Bytes("")},   {"bin", AnyValue::Bytes(binary)},
      {"empty", AnyValue()},               {"arr", AnyValue::Array(items)},
      {"kv", AnyValue::KvList(inner)},     {"no.arr", AnyValue::Array({})},
      {"no.kv", AnyValue::KvList({})},
  };
  span_.attributes = attrs;
  object a = Attrs(Encode(span_));
  EXPECT_EQ(Str(a["s"]), "str");
  EXPECT_TRUE(a["t"].get_bool().value());
  EXPECT_FALSE(a["f"].get_bool().value());
  EXPECT_EQ(a["i"].get_int64().value(), -42);
  EXPECT_EQ(a["d"].get_double().value(), 3.25);
  EXPECT_EQ(Str(a["bytes"]), "aGVsbG8=");
  EXPECT_EQ(Str(a["no.bytes"]), "");
  EXPECT_EQ(Str(a["bin"]), Base64Encode(binary));
  EXPECT_TRUE(a["empty"].is_null());
  array arr = a["arr"].get_array().value();
  ASSERT_EQ(arr.size(), 5u);
  EXPECT_EQ(arr.at(0).get_int64().value(), 1);
  EXPECT_EQ(Str(arr.at(1)), "two");
  EXPECT_FALSE(arr.at(2).get_bool().value());
  EXPECT_TRUE(arr.at(3).is_null());
  EXPECT_EQ(arr.at(4).get_double().value(), 2.5);
  object kv = a["kv"].get_object().value();
  EXPECT_EQ(Keys(kv), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(kv["a"].get_int64().value(), 1);
  EXPECT_EQ(a["no.arr"].get_array().value().size(), 0u);
  EXPECT_EQ(a["no.kv"].get_object().value().size(), 0u);
}

TEST_F(SpanEncoderTest, DoublesAndIntegersAtTheEdges) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::vector<KeyValue> attrs = {
      {"nan", AnyValue::Double(kNaN)},          {"inf", AnyValue::Double(kInf)},
      {"-inf", AnyValue::Double(-kInf)},        {"-0", AnyValue::Double(-0.0)},
      {"big", AnyValue::Double(1e300)},         {"tiny", AnyValue::Double(5e-324)},
      {"max", AnyValue::Double(std::numeric_limits<double>::max())},
      {"tenth", AnyValue::Double(0.1)},         {"third", AnyValue::Double(1.0 / 3)},
      {"int.min", AnyValue::Int(kMin)},         {"int.max", AnyValue::Int(kMax)},
      {"zero", AnyValue::Int(0)},
  };
  span_.attributes = attrs;
  const std::string json = Encode(span_);
  object a = Attrs(json);
  EXPECT_TRUE(a["nan"].is_null());
  EXPECT_TRUE(a["inf"].is_null());
  EXPECT_TRUE(a["-inf"].is_null());
  // Integral doubles keep a ".0" so integer-first readers still see a double.
  EXPECT_NE(json.find("\"-0\":-0.0,"), std::string::npos);
  EXPECT_TRUE(a["-0"].is_double());
  EXPECT_TRUE(std::signbit(a["-0"].get_double().value()));
  EXPECT_EQ(a["big"].get_double().value(), 1e300);
  EXPECT_EQ(a["tiny"].get_double().value(), 5e-324);
  EXPECT_EQ(a["max"].get_double().value(), std::numeric_limits<double>::max());
  EXPECT_NE(json.find("\"tenth\":0.1,"), std::string::npos);
  EXPECT_EQ(a["third"].get_double().value(), 1.0 / 3);
  EXPECT_EQ(a["int.min"].get_int64().value(), kMin);
  EXPECT_EQ(a["int.max"].get_int64().value(), kMax);
  EXPECT_NE(json.find("\"int.min\":-9223372036854775808,"), std::string::npos);
  EXPECT_EQ(a["zero"].get_int64().value(), 0);
}

TEST_F(SpanEncoderTest, NestedValuesAndTheDepthCap) {
  // {"n": [[1, [2, {"a": [3, "x"]}]], {}]}
  std::vector<AnyValue> a3 = {AnyValue::Int(3), AnyValue::String("x")};
  std::vector<KeyValue> kv = {{"a", AnyValue::Array(a3)}};
  std::vector<AnyValue> a2 = {AnyValue::Int(2), AnyValue::KvList(kv)};
  std::vector<AnyValue> a1 = {AnyValue::Int(1), AnyValue::Array(a2)};
  std::vector<AnyValue> top = {AnyValue::Array(a1), AnyValue::KvList({})};

  // 40 nested levels, alternating arrays and lists, around 7.
  std::vector<AnyValue> arrays(40);
  std::vector<KeyValue> lists(40);
  AnyValue deep = AnyValue::Int(7);
  for (int i = 0; i < 40; ++i) {
    if (i % 2 == 0) {
      arrays[i] = deep;
      deep = AnyValue::Array(std::span(&arrays[i], 1));
    } else {
      lists[i] = {"k", deep};
      deep = AnyValue::KvList(std::span(&lists[i], 1));
    }
  }
  std::vector<KeyValue> attrs = {{"n", AnyValue::Array(top)}, {"deep", deep}};
  span_.attributes = attrs;
  object o = Attrs(Encode(span_));
  element n = o["n"];
  EXPECT_EQ(n.at(0).at(0).get_int64().value(), 1);
  EXPECT_EQ(n.at(0).at(1).at(0).get_int64().value(), 2);
  EXPECT_EQ(n.at(0).at(1).at(1)["a"].at(0).get_int64().value(), 3);
  EXPECT_EQ(Str(n.at(0).at(1).at(1)["a"].at(1)), "x");
  EXPECT_EQ(n.at(1).get_object().value().size(), 0u);

  // Exactly kMaxValueDepth containers, then null.
  element e = o["deep"];
  int containers = 0;
  while (e.type() == element_type::ARRAY || e.type() == element_type::OBJECT) {
    e = e.type() == element_type::ARRAY ? element(e.at(0)) : element(e["k"]);
    ++containers;
  }
  EXPECT_EQ(containers, SpanEncoder::kMaxValueDepth);
  EXPECT_TRUE(e.is_null());
}

TEST_F(SpanEncoderTest, EmptyNamesAndLists) {
  std::vector<KeyValue> attrs = {{"", AnyValue::String("")}};
  std::vector<SpanEvent> events = {{"", 0, {}, 0}};
  span_.name = "";
  span_.attributes = attrs;
  span_.events = events;
  object o = Parse(Encode(span_));
  EXPECT_EQ(Str(o["operation"]), "");
  EXPECT_EQ(Str(o["attributes"][""]), "");
  EXPECT_EQ(Str(o["events"].at(0)["name"]), "");
  EXPECT_EQ(o["events"].at(0)["attributes"].get_object().value().size(), 0u);

  span_.attributes = {};
  span_.events = {};
  std::string json = Encode(span_);
  EXPECT_NE(json.find("\"attributes\":{},\"events\":[]}"), std::string::npos) << json;
}

TEST_F(SpanEncoderTest, ManyAttributesKeepTheirOrder) {
  std::vector<std::string> keys;
  for (int i = 0; i < 150; ++i) keys.push_back("attribute.number." + std::to_string(i));
  std::vector<KeyValue> attrs;
  for (int i = 0; i < 150; ++i) attrs.push_back({keys[i], AnyValue::Int(i * 1000)});
  span_.attributes = attrs;
  object a = Attrs(Encode(span_));
  EXPECT_EQ(Keys(a), keys);
  for (int i = 0; i < 150; ++i) EXPECT_EQ(a[keys[i]].get_int64().value(), i * 1000);
}

TEST_F(SpanEncoderTest, UnicodeControlsAndInvalidUtf8InEveryString) {
  const std::string hostile = std::string("\"q\" \\ \n\t\x01 h\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x8E\x89 bad:\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82");
  const std::string repaired = std::string("\"q\" \\ \n\t\x01 h\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x8E\x89 bad:") +
                               "\xEF\xBF\xBD\xEF\xBF\xBD" + "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" +
                               "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" + "\xEF\xBF\xBD";
  std::vector<KeyValue> ev_attrs = {{hostile, AnyValue::String(hostile)}};
  std::vector<SpanEvent> events = {{hostile, 5'000'000, ev_attrs, 0}};
  std::vector<AnyValue> arr = {AnyValue::String(hostile)};
  std::vector<KeyValue> attrs = {{hostile, AnyValue::String(hostile)}, {"arr", AnyValue::Array(arr)}};
  span_.name = hostile;
  span_.status_message = hostile;
  span_.attributes = attrs;
  span_.events = events;
  object o = Parse(Encode(span_));
  EXPECT_EQ(Str(o["operation"]), repaired);
  EXPECT_EQ(Str(o["status_message"]), repaired);
  EXPECT_EQ(Keys(o["attributes"].get_object().value()), (std::vector<std::string>{repaired, "arr"}));
  EXPECT_EQ(Str(o["attributes"][repaired]), repaired);
  EXPECT_EQ(Str(o["attributes"]["arr"].at(0)), repaired);
  EXPECT_EQ(Str(o["events"].at(0)["name"]), repaired);
  EXPECT_EQ(Str(o["events"].at(0)["attributes"][repaired]), repaired);
}

TEST_F(SpanEncoderTest, EachExtraFieldOnlyWhenEnabled) {
  std::vector<KeyValue> link_attrs = {{"messaging.operation", AnyValue::String("publish")}};
  std::vector<SpanLink> links(1);
  links[0].trace_id = span_.trace_id;
  links[0].span_id.bytes = {1, 2, 3, 4, 5, 6, 7, 8};
  links[0].trace_state = "k=v";
  links[0].attributes = link_attrs;
  span_.links = links;
  span_.trace_state = "congo=t61rcWkgMzE";
  span_.dropped_attributes_count = 1;
  span_.dropped_events_count = 2;
  span_.dropped_links_count = 3;
  std::vector<KeyValue> scope_attrs = {{"lib", AnyValue::Bool(true)}};
  scope_.attributes = scope_attrs;

  EXPECT_EQ(Keys(Parse(Encode(span_))), kArticleKeys);

  ExtraFields e;
  e.kind = true;
  object o = Parse(Encode(span_, e));
  EXPECT_EQ(Keys(o), With({"kind"}));
  EXPECT_EQ(Str(o["kind"]), "server");

  e = {};
  e.trace_state = true;
  o = Parse(Encode(span_, e));
  EXPECT_EQ(Keys(o), With({"trace_state"}));
  EXPECT_EQ(Str(o["trace_state"]), "congo=t61rcWkgMzE");

  e = {};
  e.links = true;
  o = Parse(Encode(span_, e));
  EXPECT_EQ(Keys(o), With({"links"}));
  object link = o["links"].at(0).get_object().value();
  EXPECT_EQ(Keys(link), (std::vector<std::string>{"trace_id", "span_id", "trace_state", "attributes"}));
  EXPECT_EQ(Str(link["trace_id"]), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(Str(link["span_id"]), "0102030405060708");
  EXPECT_EQ(Str(link["trace_state"]), "k=v");
  EXPECT_EQ(Str(link["attributes"]["messaging.operation"]), "publish");

  e = {};
  e.resource = true;
  o = Parse(Encode(span_, e));
  EXPECT_EQ(Keys(o), With({"resource"}));
  EXPECT_EQ(Keys(o["resource"].get_object().value()), (std::vector<std::string>{"service.name", "host.name"}));
  EXPECT_EQ(Str(o["resource"]["host.name"]), "ip-10-0-0-1");

  e = {};
  e.scope = true;
  o = Parse(Encode(span_, e));
  EXPECT_EQ(Keys(o), With({"scope"}));
  EXPECT_EQ(Keys(o["scope"].get_object().value()), (std::vector<std::string>{"name", "version", "attributes"}));
  EXPECT_EQ(Str(o["scope"]["name"]), "io.opentelemetry.tomcat");
  EXPECT_EQ(Str(o["scope"]["version"]), "1.32.0");
  EXPECT_TRUE(o["scope"]["attributes"]["lib"].get_bool().value());

  e = {};
  e.dropped_counts = true;
  o = Parse(Encode(span_, e));
  EXPECT_EQ(Keys(o), With({"dropped"}));
  EXPECT_EQ(Keys(o["dropped"].get_object().value()), (std::vector<std::string>{"attributes", "events", "links"}));
  EXPECT_EQ(o["dropped"]["attributes"].get_int64().value(), 1);
  EXPECT_EQ(o["dropped"]["events"].get_int64().value(), 2);
  EXPECT_EQ(o["dropped"]["links"].get_int64().value(), 3);
}

TEST_F(SpanEncoderTest, AllExtraFieldsInDocumentOrder) {
  ExtraFields all{true, true, true, true, true, true};
  span_.kind = SpanKind::kUnspecified;
  object o = Parse(Encode(span_, all));
  EXPECT_EQ(Keys(o), With({"kind", "trace_state", "links", "resource", "scope", "dropped"}));
  EXPECT_EQ(Str(o["kind"]), "unspecified");
  EXPECT_EQ(Str(o["trace_state"]), "");
  EXPECT_EQ(o["links"].get_array().value().size(), 0u);
  EXPECT_EQ(o["scope"]["attributes"].get_object().value().size(), 0u);
}

TEST_F(SpanEncoderTest, ReusesTheEncoderAndGrowsTheBuffer) {
  SpanEncoder enc;
  enc.BeginResource(resource_);
  Buffer a, b;
  enc.AppendSpan(span_, &a);
  enc.AppendSpan(span_, &b);
  EXPECT_EQ(a.view(), b.view());

  // A 1 MB string starting from an empty buffer, then appended after it.
  std::string big(1 << 20, 'x');
  big[12345] = '\n';
  std::vector<KeyValue> attrs = {{"big", AnyValue::String(big)}};
  span_.attributes = attrs;
  Buffer c;
  enc.AppendSpan(span_, &c);
  c.Append(',');
  enc.AppendSpan(span_, &c);
  std::string json = "[" + std::string(c.view()) + "]";
  simdjson::dom::array arr;
  ASSERT_EQ(parser_.parse(json).get_array().get(arr), simdjson::SUCCESS);
  ASSERT_EQ(arr.size(), 2u);
  big[12345] = '\n';
  EXPECT_EQ(Str(arr.at(1)["attributes"]["big"]), big);
}

// Encodes a whole batch the way the exporter does.
std::string EncodeBody(TracesView traces, ExtraFields extra) {
  SpanEncoder enc(extra);
  Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  Buffer body;
  whole.Encode(enc, traces, &body);
  return std::string(body.view());
}

TEST(SpanEncoderBatchTest, LoadgenBatchWithEveryValueTypeParses) {
  loadgen::GeneratorOptions opts;
  opts.all_value_types = true;
  loadgen::SpanGenerator gen(opts);
  TracesView traces = gen.Next(10000);
  simdjson::dom::parser parser;
  for (bool extras : {false, true}) {
    ExtraFields extra;
    if (extras) extra = {true, true, true, true, true, true};
    const std::string body = EncodeBody(traces, extra);
    ASSERT_TRUE(simdjson::validate_utf8(body.data(), body.size()));
    element root;
    ASSERT_EQ(parser.parse(body).get(root), simdjson::SUCCESS);
    array events = root["events"].get_array().value();
    ASSERT_EQ(events.size(), 10000u);
    EXPECT_LE(Depth(root), 64) << "the sink refuses deeper bodies";
    if (!extras) {
      for (element e : events) ASSERT_EQ(Keys(e.get_object().value()), kArticleKeys);
    }
  }
}

TEST(SpanEncoderBatchTest, DefaultLoadgenSpansAverageAbout700Bytes) {
  loadgen::SpanGenerator gen;
  std::size_t bytes = 0;
  for (int i = 0; i < 10; ++i) bytes += EncodeBody(gen.Next(500), {}).size();
  const double per_span = static_cast<double>(bytes) / 5000;
  EXPECT_GT(per_span, 600);
  EXPECT_LT(per_span, 800);
}

}  // namespace
TEST(ServiceNameTest, ServiceNameFallsBackToUnknown) {
  KeyValue attrs[] = {{"host.name", AnyValue::String("h1")}, {"service.name", AnyValue::String("checkout")}};
  Resource r{attrs};
  EXPECT_EQ(ServiceName(r), "checkout");
  KeyValue not_string[] = {{"service.name", AnyValue::Int(3)}};
  EXPECT_EQ(ServiceName(Resource{not_string}), "unknown");
  EXPECT_EQ(ServiceName(Resource{}), "unknown");
}

}  // namespace otelpack
