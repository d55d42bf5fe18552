// DecodeTracesJson: what the OpenTelemetry SDKs' JSON exporters send, both key
// spellings, every limit, every rejection, malformed input, and a round trip
// of loadgen's spans through a small OTLP JSON writer.
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/base64.h"
#include "loadgen/loadgen.h"
#include "format/service_name.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/testing/model_diff.h"

namespace otelpack::otlp {
namespace {

using namespace std::string_view_literals;

// ---------------------------------------------------------------------------
// A test-only OTLP JSON writer (protobuf's JSON mapping with OTLP's hex ids),
// with switches for the spellings a receiver must accept.

struct JsonStyle {
  bool snake_case = false;       // proto field names instead of lowerCamelCase
  bool ints_as_numbers = false;  // 64-bit integers as JSON numbers, not strings
  bool upper_hex = false;        // ids in uppercase hex
  bool enum_names = false;       // "SPAN_KIND_SERVER" instead of 2
};

// Valid UTF-8 for `s`: each byte that does not start a well-formed sequence
// becomes U+FFFD. JSON can carry only valid UTF-8, so the writer repairs and
// the round trip expects the repaired text.
std::string RepairUtf8(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4, min = 0x10000;
    }
    bool ok = n > 0 && i + n <= s.size();
    std::uint32_t cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) ok = false;
      cp = cp << 6 | (d & 0x3F);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

class OtlpJsonWriter {
 public:
  explicit OtlpJsonWriter(JsonStyle style) : style_(style) {}

  std::string Write(TracesView traces) {
    out_.clear();
    out_ += '{';
    Key("resourceSpans", "resource_spans");
    List(traces, [&](const ResourceSpans& rs) {
      out_ += '{';
      Key("resource", "resource");
      out_ += '{';
      Key("attributes", "attributes");
      Attrs(rs.resource.attributes);
      out_ += ',';
      Key("droppedAttributesCount", "dropped_attributes_count");
      Number(rs.resource.dropped_attributes_count);
      out_ += "},";
      Key("scopeSpans", "scope_spans");
      List(rs.scope_spans, [&](const ScopeSpans& ss) { Scope(ss); });
      out_ += ',';
      Key("schemaUrl", "schema_url");
      String(rs.schema_url);
      out_ += '}';
    });
    out_ += '}';
    return out_;
  }

 private:
  template <typename T, typename Fn>
  void List(std::span<const T> items, Fn fn) {
    out_ += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out_ += ',';
      fn(items[i]);
    }
    out_ += ']';
  }

  void Key(std::string_view camel, std::string_view snake) {
    out_ += '"';
    out_ += style_.snake_case ? snake : camel;
    out_ += "\":";
  }

  void String(std::string_view s) {
    const std::string valid = RepairUtf8(s);
    out_ += '"';
    for (char ch : valid) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += ch;
      } else if (c == '\n') {
        out_ += "\\n";
      } else if (c < 0x20 || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out_ += buf;
      } else {
        out_ += ch;
      }
    }
    out_ += '"';
  }

  template <typename T>
  void Number(T v) {
    char buf[32];
    out_.append(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
  }

  // 64-bit integers: strings in protobuf JSON, numbers accepted.
  template <typename T>
  void Int64(T v) {
    if (!style_.ints_as_numbers) out_ += '"';
    Number(v);
    if (!style_.ints_as_numbers) out_ += '"';
  }

  void Double(double d) {
    if (std::isnan(d)) {
      out_ += "\"NaN\"";
    } else if (std::isinf(d)) {
      out_ += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    } else {
      Number(d);
    }
  }

  template <std::size_t N>
  void Hex(const std::array<std::uint8_t, N>& id) {
    const char* digits = style_.upper_hex ? "0123456789ABCDEF" : "0123456789abcdef";
    out_ += '"';
    for (std::uint8_t b : id) {
      out_ += digits[b >> 4];
      out_ += digits[b & 15];
    }
    out_ += '"';
  }

  void Value(const AnyValue& v) {
    out_ += '{';
    switch (v.type()) {
      case ValueType::kEmpty: break;
      case ValueType::kString: Key("stringValue", "string_value"); String(v.string_value()); break;
      case ValueType::kBool: Key("boolValue", "bool_value"); out_ += v.bool_value() ? "true" : "false"; break;
      case ValueType::kInt: Key("intValue", "int_value"); Int64(v.int_value()); break;
      case ValueType::kDouble: Key("doubleValue", "double_value"); Double(v.double_value()); break;
      case ValueType::kBytes:
        Key("bytesValue", "bytes_value");
        out_ += '"' + Base64Encode(v.string_value()) + '"';
        break;
      case ValueType::kArray:
        Key("arrayValue", "array_value");
        out_ += '{';
        Key("values", "values");
        List(v.array_value(), [&](const AnyValue& item) { Value(item); });
        out_ += '}';
        break;
      case ValueType::kKvList:
        Key("kvlistValue", "kvlist_value");
        out_ += '{';
        Key("values", "values");
        Attrs(v.kvlist_value());
        out_ += '}';
        break;
    }
    out_ += '}';
  }

  void Attrs(Attributes attrs) {
    List(attrs, [&](const KeyValue& kv) {
      out_ += '{';
      Key("key", "key");
      String(kv.key);
      out_ += ',';
      Key("value", "value");
      Value(kv.value);
      out_ += '}';
    });
  }

  void Scope(const ScopeSpans& ss) {
    out_ += '{';
    Key("scope", "scope");
    out_ += '{';
    Key("name", "name");
    String(ss.scope.name);
    out_ += ',';
    Key("version", "version");
    String(ss.scope.version);
    out_ += ',';
    Key("attributes", "attributes");
    Attrs(ss.scope.attributes);
    out_ += ',';
    Key("droppedAttributesCount", "dropped_attributes_count");
    Number(ss.scope.dropped_attributes_count);
    out_ += "},";
    Key("spans", "spans");
    List(ss.spans, [&](const Span& s) { SpanJson(s); });
    out_ += ',';
    Key("schemaUrl", "schema_url");
    String(ss.schema_url);
    out_ += '}';
  }

  void SpanJson(const Span& s) {
    static constexpr std::string_view kKinds[] = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL",
                                                  "SPAN_KIND_SERVER",      "SPAN_KIND_CLIENT",
                                                  "SPAN_KIND_PRODUCER",    "SPAN_KIND_CONSUMER"};
    static constexpr std::string_view kCodes[] = {"STATUS_CODE_UNSET", "STATUS_CODE_OK",
                                                  "STATUS_CODE_ERROR"};
    out_ += '{';
    Key("traceId", "trace_id");
    Hex(s.trace_id.bytes);
    out_ += ',';
    Key("spanId", "span_id");
    Hex(s.span_id.bytes);
    if (s.parent_span_id.valid()) {  // a root span: no parentSpanId, as the JS SDK
      out_ += ',';
      Key("parentSpanId", "parent_span_id");
      Hex(s.parent_span_id.bytes);
    }
    out_ += ',';
    Key("traceState", "trace_state");
    String(s.trace_state);
    out_ += ',';
    Key("flags", "flags");
    Number(s.flags);
    out_ += ',';
    Key("name", "name");
    String(s.name);
    out_ += ',';
    Key("kind", "kind");
    if (style_.enum_names) {
      String(kKinds[static_cast<int>(s.kind)]);
    } else {
      Number(static_cast<int>(s.kind));
    }
    out_ += ',';
    Key("startTimeUnixNano", "start_time_unix_nano");
    Int64(s.start_time_unix_nano);
    out_ += ',';
    Key("endTimeUnixNano", "end_time_unix_nano");
    Int64(s.end_time_unix_nano);
    out_ += ',';
    Key("attributes", "attributes");
    Attrs(s.attributes);
    out_ += ',';
    Key("droppedAttributesCount", "dropped_attributes_count");
    Number(s.dropped_attributes_count);
    out_ += ',';
    Key("events", "events");
    List(s.events, [&](const SpanEvent& e) {
      out_ += '{';
      Key("timeUnixNano", "time_unix_nano");
      Int64(e.time_unix_nano);
      out_ += ',';
      Key("name", "name");
      String(e.name);
      out_ += ',';
      Key("attributes", "attributes");
      Attrs(e.attributes);
      out_ += ',';
      Key("droppedAttributesCount", "dropped_attributes_count");
      Number(e.dropped_attributes_count);
      out_ += '}';
    });
    out_ += ',';
    Key("droppedEventsCount", "dropped_events_count");
    Number(s.dropped_events_count);
    out_ += ',';
    Key("links", "links");
    List(s.links, [&](const SpanLink& l) {
      out_ += '{';
      Key("traceId", "trace_id");
      Hex(l.trace_id.bytes);
      out_ += ',';
      Key("spanId", "span_id");
      Hex(l.span_id.bytes);
      out_ += ',';
      Key("traceState", "trace_state");
      String(l.trace_state);
      out_ += ',';
      Key("attributes", "attributes");
      Attrs(l.attributes);
      out_ += ',';
      Key("droppedAttributesCount", "dropped_attributes_count");
      Number(l.dropped_attributes_count);
      out_ += ',';
      Key("flags", "flags");
      Number(l.flags);
      out_ += '}';
    });
    out_ += ',';
    Key("droppedLinksCount", "dropped_links_count");
    Number(s.dropped_links_count);
    out_ += ',';
    Key("status", "status");
    out_ += '{';
    Key("message", "message");
    String(s.status_message);
    out_ += ',';
    Key("code", "code");
    if (style_.enum_names) {
      String(kCodes[static_cast<int>(s.status_code)]);
    } else {
      Number(static_cast<int>(s.status_code));
    }
    out_ += "}}";
  }

  JsonStyle style_;
  std::string out_;
};

// The model the decoder must give for `traces` written by OtlpJsonWriter and
// decoded with `max_depth`: text repaired to valid UTF-8, arrays and key-value
// lists deeper than max_depth empty. Built in `arena`.
class Expectation {
 public:
  Expectation(Arena* arena, int max_depth) : arena_(arena), max_depth_(max_depth) {}

  TracesView Of(TracesView traces) {
    return Map<ResourceSpans>(traces, [&](const ResourceSpans& in) {
      ResourceSpans out = in;
      out.resource.attributes = Attrs(in.resource.attributes, 1);
      out.schema_url = Text(in.schema_url);
      out.scope_spans = Map<ScopeSpans>(in.scope_spans, [&](const ScopeSpans& ss) {
        ScopeSpans o = ss;
        o.scope.name = Text(ss.scope.name);
        o.scope.version = Text(ss.scope.version);
        o.scope.attributes = Attrs(ss.scope.attributes, 1);
        o.schema_url = Text(ss.schema_url);
        o.spans = Map<Span>(ss.spans, [&](const Span& s) { return SpanOf(s); });
        return o;
      });
      return out;
    });
  }

 private:
  template <typename T, typename U, typename Fn>
  std::span<const T> Map(std::span<const U> in, Fn fn) {
    std::span<T> out = arena_->Make<T>(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = fn(in[i]);
    return out;
  }

  std::string_view Text(std::string_view s) { return arena_->Copy(RepairUtf8(s)); }

  AnyValue Value(const AnyValue& v, int level) {
    switch (v.type()) {
      case ValueType::kString: return AnyValue::String(Text(v.string_value()));
      case ValueType::kArray:
        if (level > max_depth_) return AnyValue();
        return AnyValue::Array(Map<AnyValue>(v.array_value(),
                                             [&](const AnyValue& x) { return Value(x, level + 1); }));
      case ValueType::kKvList:
        if (level > max_depth_) return AnyValue();
        return AnyValue::KvList(Attrs(v.kvlist_value(), level + 1));
      default: return v;
    }
  }

  Attributes Attrs(Attributes in, int level) {
    return Map<KeyValue>(in, [&](const KeyValue& kv) {
      return KeyValue{Text(kv.key), Value(kv.value, level)};
    });
  }

  Span SpanOf(const Span& s) {
    Span o = s;
    o.trace_state = Text(s.trace_state);
    o.name = Text(s.name);
    o.status_message = Text(s.status_message);
    o.attributes = Attrs(s.attributes, 1);
    o.events = Map<SpanEvent>(s.events, [&](const SpanEvent& e) {
      SpanEvent x = e;
      x.name = Text(e.name);
      x.attributes = Attrs(e.attributes, 1);
      return x;
    });
    o.links = Map<SpanLink>(s.links, [&](const SpanLink& l) {
      SpanLink x = l;
      x.trace_state = Text(l.trace_state);
      x.attributes = Attrs(l.attributes, 1);
      return x;
    });
    return o;
  }

  Arena* arena_;
  int max_depth_;
};

// ---------------------------------------------------------------------------
// Helpers.

struct Decoded {
  Arena arena;
  Result<DecodedTraces> result = Status::Internal("not decoded");
};

// Decodes a copy of `json` that is destroyed before the result is looked at,
// so that every view must point into the arena.
std::unique_ptr<Decoded> Decode(std::string_view json, const DecodeLimits& limits = {}) {
  auto d = std::make_unique<Decoded>();
  std::string copy(json);
  d->result = DecodeTracesJson(copy, d->arena, limits);
  std::fill(copy.begin(), copy.end(), 'X');
  return d;
}

std::string Hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (std::uint8_t b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

const AnyValue* Find(Attributes attrs, std::string_view key) {
  for (const KeyValue& kv : attrs) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

// A request with one span, `span_fields` spliced into it.
std::string OneSpan(std::string_view span_fields) {
  return R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{},"spans":[{)" +
         std::string(span_fields) + "}]}]}]}";
}

constexpr std::string_view kIds =
    R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174")";

// A request with one valid span carrying `attributes` (a JSON array).
std::string SpanWithAttributes(std::string_view attributes) {
  return OneSpan(std::string(kIds) + R"(,"attributes":)" + std::string(attributes));
}

// The first span of the first scope of the first resource (a failure, and an
// empty span, when there is none).
const Span& OnlySpan(const DecodedTraces& d) {
  static const Span kNone;
  if (d.data.empty() || d.data[0].scope_spans.empty() || d.data[0].scope_spans[0].spans.empty()) {
    ADD_FAILURE() << "no span decoded; rejection: " << d.rejection;
    return kNone;
  }
  return d.data[0].scope_spans[0].spans[0];
}

// ---------------------------------------------------------------------------
// What the JS SDK's JSON exporter (@opentelemetry/exporter-trace-otlp-http)
// sends, with every field and value type filled in.

constexpr std::string_view kJsRequest = R"json({
  "resourceSpans": [{
    "resource": {
      "attributes": [
        {"key": "service.name", "value": {"stringValue": "checkout"}},
        {"key": "process.pid", "value": {"intValue": 4242}},
        {"key": "host.load", "value": {"doubleValue": 0.75}},
        {"key": "host.ip", "value": {"arrayValue": {"values": [{"stringValue": "10.0.0.1"}, {"stringValue": "fe80::1"}]}}}
      ],
      "droppedAttributesCount": 1
    },
    "scopeSpans": [{
      "scope": {
        "name": "@shop/checkout",
        "version": "1.4.0",
        "attributes": [{"key": "scope.attr", "value": {"boolValue": false}}],
        "droppedAttributesCount": 2
      },
      "spans": [
        {
          "traceId": "5b8efff798038103d269b633813fc60c",
          "spanId": "eee19b7ec3c1b174",
          "traceState": "vendor=abc,other=1",
          "name": "POST /checkout",
          "kind": 2,
          "startTimeUnixNano": "1732480000123456789",
          "endTimeUnixNano": "1732480000246913578",
          "attributes": [
            {"key": "http.method", "value": {"stringValue": "POST"}},
            {"key": "http.status_code", "value": {"intValue": 500}},
            {"key": "big", "value": {"intValue": "-9223372036854775808"}},
            {"key": "ratio", "value": {"doubleValue": 0.5}},
            {"key": "nan", "value": {"doubleValue": "NaN"}},
            {"key": "inf", "value": {"doubleValue": "Infinity"}},
            {"key": "ninf", "value": {"doubleValue": "-Infinity"}},
            {"key": "whole", "value": {"doubleValue": 3}},
            {"key": "ok", "value": {"boolValue": true}},
            {"key": "raw", "value": {"bytesValue": "AAEC/w=="}},
            {"key": "ints", "value": {"arrayValue": {"values": [{"intValue": 1}, {"intValue": "2"}]}}},
            {"key": "ctx", "value": {"kvlistValue": {"values": [
              {"key": "user", "value": {"stringValue": "\u00e9\ud83c\udf89\n\"q\""}},
              {"key": "none", "value": {}}
            ]}}},
            {"key": "empty.array", "value": {"arrayValue": {}}},
            {"key": "null.value", "value": null}
          ],
          "droppedAttributesCount": 3,
          "events": [{
            "attributes": [{"key": "exception.type", "value": {"stringValue": "TimeoutError"}}],
            "name": "exception",
            "timeUnixNano": "1732480000200000000",
            "droppedAttributesCount": 4
          }],
          "droppedEventsCount": 5,
          "status": {"code": 2, "message": "payment timed out"},
          "links": [{
            "attributes": [{"key": "link.kind", "value": {"stringValue": "follows"}}],
            "spanId": "00f067aa0ba902b7",
            "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
            "traceState": "k=v",
            "droppedAttributesCount": 6,
            "flags": 257
          }],
          "droppedLinksCount": 7,
          "flags": 257
        },
        {
          "traceId": "5b8efff798038103d269b633813fc60c",
          "spanId": "1a2b3c4d5e6f7081",
          "parentSpanId": "eee19b7ec3c1b174",
          "name": "SELECT orders",
          "kind": 3,
          "startTimeUnixNano": 1732480000130000000,
          "endTimeUnixNano": 1732480000140000000,
          "attributes": [],
          "droppedAttributesCount": 0,
          "events": [],
          "droppedEventsCount": 0,
          "status": {"code": 1},
          "links": [],
          "droppedLinksCount": 0,
          "flags": 1
        }
      ],
      "schemaUrl": "https://opentelemetry.io/schemas/1.24.0"
    }],
    "schemaUrl": "https://opentelemetry.io/schemas/1.25.0"
  }]
})json";

void ExpectJsRequest(const DecodedTraces& d) {
  EXPECT_EQ(d.records, 2u);
  EXPECT_EQ(d.rejected, 0u);
  EXPECT_EQ(d.rejection, "");
  ASSERT_EQ(d.data.size(), 1u);
  const ResourceSpans& rs = d.data[0];
  EXPECT_EQ(rs.schema_url, "https://opentelemetry.io/schemas/1.25.0");
  ASSERT_EQ(rs.resource.attributes.size(), 4u);
  EXPECT_EQ(ServiceName(rs.resource), "checkout");
  EXPECT_EQ(rs.resource.attributes[1].value.int_value(), 4242);
  EXPECT_EQ(rs.resource.attributes[2].value.double_value(), 0.75);
  ASSERT_EQ(rs.resource.attributes[3].value.type(), ValueType::kArray);
  ASSERT_EQ(rs.resource.attributes[3].value.array_value().size(), 2u);
  EXPECT_EQ(rs.resource.attributes[3].value.array_value()[1].string_value(), "fe80::1");
  EXPECT_EQ(rs.resource.dropped_attributes_count, 1u);

  ASSERT_EQ(rs.scope_spans.size(), 1u);
  const ScopeSpans& ss = rs.scope_spans[0];
  EXPECT_EQ(ss.schema_url, "https://opentelemetry.io/schemas/1.24.0");
  EXPECT_EQ(ss.scope.name, "@shop/checkout");
  EXPECT_EQ(ss.scope.version, "1.4.0");
  ASSERT_EQ(ss.scope.attributes.size(), 1u);
  EXPECT_EQ(ss.scope.attributes[0].key, "scope.attr");
  EXPECT_EQ(ss.scope.attributes[0].value.type(), ValueType::kBool);
  EXPECT_FALSE(ss.scope.attributes[0].value.bool_value());
  EXPECT_EQ(ss.scope.dropped_attributes_count, 2u);

  ASSERT_EQ(ss.spans.size(), 2u);
  const Span& s = ss.spans[0];
  EXPECT_EQ(Hex(s.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(Hex(s.span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_FALSE(s.parent_span_id.valid());
  EXPECT_EQ(s.trace_state, "vendor=abc,other=1");
  EXPECT_EQ(s.flags, 257u);
  EXPECT_EQ(s.name, "POST /checkout");
  EXPECT_EQ(s.kind, SpanKind::kServer);
  EXPECT_EQ(s.start_time_unix_nano, 1732480000123456789u);
  EXPECT_EQ(s.end_time_unix_nano, 1732480000246913578u);
  EXPECT_EQ(s.status_code, SpanStatusCode::kError);
  EXPECT_EQ(s.status_message, "payment timed out");
  EXPECT_EQ(s.dropped_attributes_count, 3u);
  EXPECT_EQ(s.dropped_events_count, 5u);
  EXPECT_EQ(s.dropped_links_count, 7u);

  ASSERT_EQ(s.attributes.size(), 14u);
  EXPECT_EQ(Find(s.attributes, "http.method")->string_value(), "POST");
  EXPECT_EQ(Find(s.attributes, "http.status_code")->int_value(), 500);
  EXPECT_EQ(Find(s.attributes, "big")->int_value(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Find(s.attributes, "ratio")->double_value(), 0.5);
  EXPECT_TRUE(std::isnan(Find(s.attributes, "nan")->double_value()));
  EXPECT_EQ(Find(s.attributes, "inf")->double_value(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(Find(s.attributes, "ninf")->double_value(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Find(s.attributes, "whole")->type(), ValueType::kDouble);
  EXPECT_EQ(Find(s.attributes, "whole")->double_value(), 3.0);
  EXPECT_TRUE(Find(s.attributes, "ok")->bool_value());
  EXPECT_EQ(Find(s.attributes, "raw")->type(), ValueType::kBytes);
  EXPECT_EQ(Find(s.attributes, "raw")->string_value(), "\x00\x01\x02\xff"sv);
  const AnyValue* ints = Find(s.attributes, "ints");
  ASSERT_EQ(ints->type(), ValueType::kArray);
  ASSERT_EQ(ints->array_value().size(), 2u);
  EXPECT_EQ(ints->array_value()[0].int_value(), 1);
  EXPECT_EQ(ints->array_value()[1].int_value(), 2);
  const AnyValue* ctx = Find(s.attributes, "ctx");
  ASSERT_EQ(ctx->type(), ValueType::kKvList);
  ASSERT_EQ(ctx->kvlist_value().size(), 2u);
  EXPECT_EQ(ctx->kvlist_value()[0].key, "user");
  EXPECT_EQ(ctx->kvlist_value()[0].value.string_value(), "\xC3\xA9\xF0\x9F\x8E\x89\n\"q\"");
  EXPECT_EQ(ctx->kvlist_value()[1].value.type(), ValueType::kEmpty);
  EXPECT_EQ(Find(s.attributes, "empty.array")->type(), ValueType::kArray);
  EXPECT_TRUE(Find(s.attributes, "empty.array")->array_value().empty());
  EXPECT_EQ(Find(s.attributes, "null.value")->type(), ValueType::kEmpty);

  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].name, "exception");
  EXPECT_EQ(s.events[0].time_unix_nano, 1732480000200000000u);
  ASSERT_EQ(s.events[0].attributes.size(), 1u);
  EXPECT_EQ(s.events[0].attributes[0].key, "exception.type");
  EXPECT_EQ(s.events[0].attributes[0].value.string_value(), "TimeoutError");
  EXPECT_EQ(s.events[0].dropped_attributes_count, 4u);

  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(Hex(s.links[0].trace_id.bytes), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(Hex(s.links[0].span_id.bytes), "00f067aa0ba902b7");
  EXPECT_EQ(s.links[0].trace_state, "k=v");
  ASSERT_EQ(s.links[0].attributes.size(), 1u);
  EXPECT_EQ(s.links[0].attributes[0].value.string_value(), "follows");
  EXPECT_EQ(s.links[0].dropped_attributes_count, 6u);
  EXPECT_EQ(s.links[0].flags, 257u);

  const Span& child = ss.spans[1];
  EXPECT_EQ(Hex(child.span_id.bytes), "1a2b3c4d5e6f7081");
  EXPECT_EQ(Hex(child.parent_span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_EQ(child.kind, SpanKind::kClient);
  EXPECT_EQ(child.start_time_unix_nano, 1732480000130000000u);
  EXPECT_EQ(child.end_time_unix_nano, 1732480000140000000u);
  EXPECT_EQ(child.status_code, SpanStatusCode::kOk);
  EXPECT_EQ(child.status_message, "");
  EXPECT_TRUE(child.attributes.empty());
  EXPECT_TRUE(child.events.empty());
  EXPECT_TRUE(child.links.empty());
  EXPECT_EQ(child.flags, 1u);
}

TEST(JsonDecoder, JsSdkRequestGivesEveryField) {
  auto d = Decode(kJsRequest);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ExpectJsRequest(*d->result);
}

// The same request with every key in its .proto spelling.
TEST(JsonDecoder, ProtoFieldNamesAreAccepted) {
  std::string json(kJsRequest);
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"resourceSpans", "resource_spans"}, {"scopeSpans", "scope_spans"},
      {"schemaUrl", "schema_url"}, {"droppedAttributesCount", "dropped_attributes_count"},
      {"traceId", "trace_id"}, {"spanId", "span_id"}, {"parentSpanId", "parent_span_id"},
      {"traceState", "trace_state"}, {"startTimeUnixNano", "start_time_unix_nano"},
      {"endTimeUnixNano", "end_time_unix_nano"}, {"droppedEventsCount", "dropped_events_count"},
      {"droppedLinksCount", "dropped_links_count"}, {"timeUnixNano", "time_unix_nano"},
      {"stringValue", "string_value"}, {"intValue", "int_value"}, {"doubleValue", "double_value"},
      {"boolValue", "bool_value"}, {"bytesValue", "bytes_value"}, {"arrayValue", "array_value"},
      {"kvlistValue", "kvlist_value"}};
  for (auto [camel, snake] : kNames) {
    const std::string from = "\"" + std::string(camel) + "\"";
    const std::string to = "\"" + std::string(snake) + "\"";
    for (std::size_t at = json.find(from); at != std::string::npos; at = json.find(from, at)) {
      json.replace(at, from.size(), to);
    }
  }
  ASSERT_EQ(json.find("Value\""), std::string::npos);  // every value key was renamed
  auto d = Decode(json);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ExpectJsRequest(*d->result);
}

TEST(JsonDecoder, UnknownFieldsAreIgnoredAndNullIsAbsent) {
  const std::string json = R"({"future": {"a": [1, {"b": null}]}, "resourceSpans": [{
      "resource": null, "unknown": 1, "schemaUrl": null,
      "scopeSpans": [{"scope": null, "x": [], "spans": [{
        "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
        "parentSpanId": null, "name": null, "kind": null, "startTimeUnixNano": null,
        "attributes": null, "events": null, "links": null, "status": null, "flags": null,
        "newField": {"deep": [[[[]]]]}, "traceState": null}]}]}], "extra": "x"})";
  auto d = Decode(json);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  ASSERT_EQ(d->result->records, 1u);
  const Span& s = OnlySpan(*d->result);
  EXPECT_FALSE(s.parent_span_id.valid());
  EXPECT_EQ(s.name, "");
  EXPECT_EQ(s.kind, SpanKind::kUnspecified);
  EXPECT_EQ(s.start_time_unix_nano, 0u);
  EXPECT_TRUE(s.attributes.empty());
  EXPECT_EQ(s.status_code, SpanStatusCode::kUnset);
}

TEST(JsonDecoder, EmptyRequestsAreValid) {
  for (std::string_view json : {"{}"sv, R"({"resourceSpans": []})"sv, R"({"resourceSpans": null})"sv,
                                " \n{ } \t"sv}) {
    auto d = Decode(json);
    ASSERT_TRUE(d->result.ok()) << json << ": " << d->result.status().ToString();
    EXPECT_TRUE(d->result->data.empty());
    EXPECT_EQ(d->result->records, 0u);
  }
}

TEST(JsonDecoder, IntegersAsStringsOrNumbers) {
  auto d = Decode(OneSpan(std::string(kIds) + R"(,
      "startTimeUnixNano": "18446744073709551615", "endTimeUnixNano": 18446744073709551615,
      "droppedAttributesCount": "4294967295", "flags": 7, "attributes": [
        {"key": "a", "value": {"intValue": "9223372036854775807"}},
        {"key": "b", "value": {"intValue": -9223372036854775808}},
        {"key": "c", "value": {"intValue": "-1"}},
        {"key": "d", "value": {"intValue": 0}},
        {"key": "e", "value": {"doubleValue": "2.5"}},
        {"key": "f", "value": {"doubleValue": -0.0}},
        {"key": "g", "value": {"doubleValue": 1e300}}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(s.start_time_unix_nano, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(s.end_time_unix_nano, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(s.dropped_attributes_count, std::numeric_limits<std::uint32_t>::max());
  EXPECT_EQ(s.flags, 7u);
  ASSERT_EQ(s.attributes.size(), 7u);
  EXPECT_EQ(s.attributes[0].value.int_value(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(s.attributes[1].value.int_value(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(s.attributes[2].value.int_value(), -1);
  EXPECT_EQ(s.attributes[3].value.type(), ValueType::kInt);
  EXPECT_EQ(s.attributes[4].value.double_value(), 2.5);
  EXPECT_TRUE(std::signbit(s.attributes[5].value.double_value()));
  EXPECT_EQ(s.attributes[6].value.double_value(), 1e300);
}

// JavaScript's JSON exporter writes every integral number as intValue, also
// those beyond int64 (where its protobuf exporter sends doubleValue): such a
// number is kept as the double it is, as is any other non-int64 number.
TEST(JsonDecoder, IntValueNumbersBeyondInt64AreDoubles) {
  auto d = Decode(SpanWithAttributes(R"([
      {"key":"a","value":{"intValue":1.7976931348623157e+308}},
      {"key":"b","value":{"intValue":1e+21}},
      {"key":"c","value":{"intValue":9223372036854775808}},
      {"key":"d","value":{"intValue":-9223372036854775809}},
      {"key":"e","value":{"intValue":1.5}},
      {"key":"f","value":{"intValue":1e3}},
      {"key":"g","value":{"intValue":-9.2233720368547758e18}},
      {"key":"h","value":{"intValue":99999999999999999999999}}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  ASSERT_EQ(s.attributes.size(), 8u);
  auto expect_double = [&](std::size_t i, double want) {
    EXPECT_EQ(s.attributes[i].value.type(), ValueType::kDouble) << s.attributes[i].key;
    if (s.attributes[i].value.type() == ValueType::kDouble) {
      EXPECT_EQ(s.attributes[i].value.double_value(), want);
    }
  };
  expect_double(0, 1.7976931348623157e308);
  expect_double(1, 1e21);
  expect_double(2, 9223372036854775808.0);
  expect_double(4, 1.5);
  // Integral and within int64 once read as a double, however written: an int
  // (as the JS protobuf exporter decides for the same JavaScript number).
  EXPECT_EQ(s.attributes[3].value.type(), ValueType::kInt);
  EXPECT_EQ(s.attributes[3].value.int_value(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(s.attributes[5].value.type(), ValueType::kInt);
  EXPECT_EQ(s.attributes[5].value.int_value(), 1000);
  EXPECT_EQ(s.attributes[6].value.type(), ValueType::kInt);
  EXPECT_EQ(s.attributes[6].value.int_value(), std::numeric_limits<std::int64_t>::min());
  expect_double(7, 1e23);
}

TEST(JsonDecoder, EnumsAsNumbersOrNames) {
  struct Case {
    std::string_view kind;
    SpanKind want;
  };
  for (const Case& c : {Case{"0", SpanKind::kUnspecified}, Case{"1", SpanKind::kInternal},
                        Case{"5", SpanKind::kConsumer}, Case{"\"SPAN_KIND_SERVER\"", SpanKind::kServer},
                        Case{"\"SPAN_KIND_PRODUCER\"", SpanKind::kProducer},
                        Case{"\"SPAN_KIND_INTERNAL\"", SpanKind::kInternal},
                        Case{"\"SPAN_KIND_UNSPECIFIED\"", SpanKind::kUnspecified},
                        // A number this version does not know: unspecified.
                        Case{"9", SpanKind::kUnspecified}, Case{"-1", SpanKind::kUnspecified}}) {
    auto d = Decode(OneSpan(std::string(kIds) + R"(,"kind":)" + std::string(c.kind)));
    ASSERT_TRUE(d->result.ok()) << c.kind << ": " << d->result.status().ToString();
    EXPECT_EQ(OnlySpan(*d->result).kind, c.want) << c.kind;
  }
  struct StatusCase {
    std::string_view code;
    SpanStatusCode want;
  };
  for (const StatusCase& c : {StatusCase{"\"STATUS_CODE_ERROR\"", SpanStatusCode::kError},
                              StatusCase{"\"STATUS_CODE_OK\"", SpanStatusCode::kOk},
                              StatusCase{"\"STATUS_CODE_UNSET\"", SpanStatusCode::kUnset},
                              StatusCase{"2", SpanStatusCode::kError},
                              StatusCase{"3", SpanStatusCode::kUnset}}) {
    auto d = Decode(OneSpan(std::string(kIds) + R"(,"status":{"code":)" + std::string(c.code) + "}"));
    ASSERT_TRUE(d->result.ok()) << c.code << ": " << d->result.status().ToString();
    EXPECT_EQ(OnlySpan(*d->result).status_code, c.want) << c.code;
  }
}

TEST(JsonDecoder, IdsInEitherCase) {
  auto d = Decode(OneSpan(R"("traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EeE19b7eC3C1B174",
      "parentSpanId":"ABCDEF0123456789","links":[{"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00F067AA0BA902B7"}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(Hex(s.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(Hex(s.span_id.bytes), "eee19b7ec3c1b174");
  EXPECT_EQ(Hex(s.parent_span_id.bytes), "abcdef0123456789");
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(Hex(s.links[0].trace_id.bytes), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(Hex(s.links[0].span_id.bytes), "00f067aa0ba902b7");
}

TEST(JsonDecoder, EmptyOrZeroParentMeansRoot) {
  for (std::string_view parent : {R"("parentSpanId":"")"sv, R"("parentSpanId":"0000000000000000")"sv}) {
    auto d = Decode(OneSpan(std::string(kIds) + "," + std::string(parent)));
    ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
    EXPECT_EQ(d->result->records, 1u);
    EXPECT_FALSE(OnlySpan(*d->result).parent_span_id.valid());
  }
}

// ---------------------------------------------------------------------------
// Rejected spans: left out, counted, the first one explained.

TEST(JsonDecoder, InvalidIdsLeaveTheSpanOut) {
  struct Case {
    std::string_view ids;
    std::string_view why;
  };
  const Case cases[] = {
      {R"("spanId":"eee19b7ec3c1b174")", "traceId must be 32 hex digits"},
      {R"("traceId":"","spanId":"eee19b7ec3c1b174")", "traceId must be 32 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60","spanId":"eee19b7ec3c1b174")",
       "traceId must be 32 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60cc","spanId":"eee19b7ec3c1b174")",
       "traceId must be 32 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60g","spanId":"eee19b7ec3c1b174")",
       "traceId must be 32 hex digits"},
      // base64 of 16 bytes, as protobuf JSON would write bytes: not OTLP's hex.
      {R"("traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"eee19b7ec3c1b174")",
       "traceId must be 32 hex digits"},
      {R"("traceId":"00000000000000000000000000000000","spanId":"eee19b7ec3c1b174")",
       "traceId must not be all zero"},
      {R"("traceId":"5b8efff798038103d269b633813fc60c")", "spanId must be 16 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b17")",
       "spanId must be 16 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"7uGbfsPBsXQ=")",
       "spanId must be 16 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000000")",
       "spanId must not be all zero"},
      {R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"abc")",
       "parentSpanId must be empty or 16 hex digits"},
      {R"("traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b17x")",
       "parentSpanId must be empty or 16 hex digits"},
  };
  for (const Case& c : cases) {
    // Resource 1, scope 0, span 3 is the bad one; the spans around it are kept.
    const std::string good = "{" + std::string(kIds) + R"(,"name":"good"})";
    const std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + good +
                             R"(]}]},{"scopeSpans":[{"spans":[)" + good + "," + good + "," + good +
                             ",{" + std::string(c.ids) + R"(,"name":"bad"},)" + good + "]}]}]}";
    auto d = Decode(json);
    ASSERT_TRUE(d->result.ok()) << c.ids << ": " << d->result.status().ToString();
    EXPECT_EQ(d->result->records, 5u) << c.ids;
    EXPECT_EQ(d->result->rejected, 1u) << c.ids;
    EXPECT_EQ(d->result->rejection, "span 3 of scope 0 of resource 1: " + std::string(c.why)) << c.ids;
    ASSERT_EQ(d->result->data[1].scope_spans[0].spans.size(), 4u);
    for (const Span& s : d->result->data[1].scope_spans[0].spans) EXPECT_EQ(s.name, "good");
  }
}

TEST(JsonDecoder, FirstRejectionIsExplainedAndAllAreCounted) {
  const std::string json = OneSpan(R"("traceId":"00000000000000000000000000000000","spanId":"eee19b7ec3c1b174"},
      {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"12"},
      {)" + std::string(kIds));
  auto d = Decode(json);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  EXPECT_EQ(d->result->records, 1u);
  EXPECT_EQ(d->result->rejected, 2u);
  EXPECT_EQ(d->result->rejection, "span 0 of scope 0 of resource 0: traceId must not be all zero");
}

// A link to no valid span is dropped and counted in dropped_links_count.
TEST(JsonDecoder, InvalidLinksAreDroppedAndCounted) {
  auto d = Decode(OneSpan(std::string(kIds) + R"(,"droppedLinksCount":1,"links":[
      {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"},
      {"traceId":"00000000000000000000000000000000","spanId":"00f067aa0ba902b7"},
      {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"xyz"},
      {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.dropped_links_count, 4u);
}

// ---------------------------------------------------------------------------
// Limits.

std::string ManyAttributes(int n, std::string_view prefix = "k") {
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    out += R"({"key":")" + std::string(prefix) + std::to_string(i) + R"(","value":{"intValue":)" +
           std::to_string(i) + "}}";
  }
  return out + "]";
}

TEST(JsonDecoder, AttributesOverTheLimitAreDroppedAndCounted) {
  DecodeLimits limits;
  limits.max_attributes = 3;
  const std::string attrs = ManyAttributes(5);
  const std::string json = R"({"resourceSpans":[{"resource":{"attributes":)" + attrs +
                           R"(,"droppedAttributesCount":10},"scopeSpans":[{"scope":{"attributes":)" + attrs +
                           R"(},"spans":[{)" + std::string(kIds) + R"(,"attributes":)" + attrs +
                           R"(,"droppedAttributesCount":1,"events":[{"attributes":)" + attrs +
                           R"(,"droppedAttributesCount":2}],"links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","attributes":)" +
                           attrs + "}]}]}]}]}";
  auto d = Decode(json, limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const ResourceSpans& rs = d->result->data[0];
  auto expect_first_three = [](Attributes a, const char* where) {
    ASSERT_EQ(a.size(), 3u) << where;
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(a[static_cast<std::size_t>(i)].key, "k" + std::to_string(i)) << where;
      EXPECT_EQ(a[static_cast<std::size_t>(i)].value.int_value(), i) << where;
    }
  };
  expect_first_three(rs.resource.attributes, "resource");
  EXPECT_EQ(rs.resource.dropped_attributes_count, 12u);
  expect_first_three(rs.scope_spans[0].scope.attributes, "scope");
  EXPECT_EQ(rs.scope_spans[0].scope.dropped_attributes_count, 2u);
  const Span& s = OnlySpan(*d->result);
  expect_first_three(s.attributes, "span");
  EXPECT_EQ(s.dropped_attributes_count, 3u);
  expect_first_three(s.events[0].attributes, "event");
  EXPECT_EQ(s.events[0].dropped_attributes_count, 4u);
  expect_first_three(s.links[0].attributes, "link");
  EXPECT_EQ(s.links[0].dropped_attributes_count, 2u);
}

TEST(JsonDecoder, DroppedCountsSaturate) {
  DecodeLimits limits;
  limits.max_attributes = 0;
  auto d = Decode(SpanWithAttributes(ManyAttributes(2)) + "", limits);
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(OnlySpan(*d->result).dropped_attributes_count, 2u);
  d = Decode(OneSpan(std::string(kIds) + R"(,"droppedAttributesCount":4294967295,"attributes":)" +
                     ManyAttributes(2)),
             limits);
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(OnlySpan(*d->result).dropped_attributes_count, 4294967295u);
}

TEST(JsonDecoder, EventsAndLinksOverTheLimitAreDroppedAndCounted) {
  DecodeLimits limits;
  limits.max_events_per_span = 2;
  limits.max_links_per_span = 1;
  std::string events, links;
  for (int i = 0; i < 5; ++i) {
    events += std::string(i ? "," : "") + R"({"name":"e)" + std::to_string(i) + R"(","attributes":)" +
              ManyAttributes(2) + "}";
    links += std::string(i ? "," : "") + std::string(R"({"traceId":"4bf92f3577b34da6a3ce929d0e0e473)") +
             std::to_string(i) + R"(","spanId":"00f067aa0ba902b7"})";
  }
  auto d = Decode(OneSpan(std::string(kIds) + R"(,"droppedEventsCount":1,"events":[)" + events +
                          R"(],"links":[)" + links + R"(],"droppedLinksCount":2)"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].name, "e0");
  EXPECT_EQ(s.events[1].name, "e1");
  EXPECT_EQ(s.events[1].attributes.size(), 2u);
  EXPECT_EQ(s.dropped_events_count, 4u);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(Hex(s.links[0].trace_id.bytes), "4bf92f3577b34da6a3ce929d0e0e4730");
  EXPECT_EQ(s.dropped_links_count, 6u);
}

TEST(JsonDecoder, LongValuesAreTruncated) {
  DecodeLimits limits;
  limits.max_value_bytes = 5;
  // "aé€🎉" is 1 + 2 + 3 + 4 bytes: 5 bytes end inside "€", so 3 are kept.
  auto d = Decode(SpanWithAttributes(R"([
      {"key":"s","value":{"stringValue":"a\u00e9\u20ac\ud83c\udf89"}},
      {"key":"ascii","value":{"stringValue":"abcdefghij"}},
      {"key":"exact","value":{"stringValue":"abc\u00e9\u00e9"}},
      {"key":"b","value":{"bytesValue":"AAECAwQFBgcICQ=="}},
      {"key":"nested","value":{"arrayValue":{"values":[{"stringValue":"0123456789"}]}}},
      {"key":"long.key.is.not.a.value","value":{"stringValue":"ok"}}])"),
                  limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(Find(s.attributes, "s")->string_value(), "a\xC3\xA9");
  EXPECT_EQ(Find(s.attributes, "ascii")->string_value(), "abcde");
  EXPECT_EQ(Find(s.attributes, "exact")->string_value(), "abc\xC3\xA9");
  EXPECT_EQ(Find(s.attributes, "b")->string_value(), "\x00\x01\x02\x03\x04"sv);
  EXPECT_EQ(Find(s.attributes, "nested")->array_value()[0].string_value(), "01234");
  EXPECT_EQ(Find(s.attributes, "long.key.is.not.a.value")->string_value(), "ok");

  limits.max_value_bytes = 2;  // "a" then "é" fits; a 4-byte emoji alone does not
  d = Decode(SpanWithAttributes(R"([{"key":"e","value":{"stringValue":"\ud83c\udf89"}},
      {"key":"a","value":{"stringValue":"\u00e9x"}}])"), limits);
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(Find(OnlySpan(*d->result).attributes, "e")->string_value(), "");
  EXPECT_EQ(Find(OnlySpan(*d->result).attributes, "a")->string_value(), "\xC3\xA9");
}

// `levels` arrays nested in an attribute value, the innermost holding an int.
std::string NestedArrays(int levels) {
  std::string v;
  for (int i = 0; i < levels; ++i) v += R"({"arrayValue":{"values":[)";
  v += R"({"intValue":7})";
  for (int i = 0; i < levels; ++i) v += "]}}";
  return v;
}

// The nesting level of the deepest array kept, and whether the int survived.
int KeptLevels(const AnyValue& v, bool* reached_int) {
  int levels = 0;
  const AnyValue* p = &v;
  while (p->type() == ValueType::kArray) {
    ++levels;
    if (p->array_value().empty()) return levels;
    p = &p->array_value()[0];
  }
  *reached_int = p->type() == ValueType::kInt;
  return levels;
}

TEST(JsonDecoder, ValuesNestedTooDeepBecomeEmpty) {
  DecodeLimits limits;
  limits.max_depth = 3;
  for (int levels : {1, 3, 4, 10}) {
    auto d = Decode(SpanWithAttributes(R"([{"key":"v","value":)" + NestedArrays(levels) + "}]"), limits);
    ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
    bool reached = false;
    EXPECT_EQ(KeptLevels(OnlySpan(*d->result).attributes[0].value, &reached), std::min(levels, 3));
    EXPECT_EQ(reached, levels <= 3) << levels;
  }
  // A key-value list counts as a level too: kvlist > array > kvlist at max_depth 2.
  limits.max_depth = 2;
  auto d = Decode(SpanWithAttributes(R"([{"key":"m","value":{"kvlistValue":{"values":[
      {"key":"a","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[]}},{"intValue":1}]}}}]}}}])"),
                  limits);
  ASSERT_TRUE(d->result.ok());
  const AnyValue& m = OnlySpan(*d->result).attributes[0].value;
  ASSERT_EQ(m.type(), ValueType::kKvList);
  const AnyValue& a = m.kvlist_value()[0].value;
  ASSERT_EQ(a.type(), ValueType::kArray);
  EXPECT_EQ(a.array_value()[0].type(), ValueType::kEmpty);
  EXPECT_EQ(a.array_value()[1].int_value(), 1);
  // max_depth 0: no arrays or lists at all; scalars and bytes stay.
  limits.max_depth = 0;
  d = Decode(SpanWithAttributes(R"([{"key":"a","value":{"arrayValue":{"values":[]}}},
      {"key":"b","value":{"bytesValue":"AA=="}}])"), limits);
  ASSERT_TRUE(d->result.ok());
  EXPECT_EQ(OnlySpan(*d->result).attributes[0].value.type(), ValueType::kEmpty);
  EXPECT_EQ(OnlySpan(*d->result).attributes[1].value.type(), ValueType::kBytes);
}

// However deep the JSON, the decoder does not recurse with it.
TEST(JsonDecoder, DeepNestingCannotOverflowTheStack) {
  DecodeLimits limits;
  limits.max_depth = std::numeric_limits<int>::max();
  auto d = Decode(SpanWithAttributes(R"([{"key":"v","value":)" + NestedArrays(20000) + "}]"), limits);
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  bool reached = false;
  EXPECT_EQ(KeptLevels(OnlySpan(*d->result).attributes[0].value, &reached), 128);
  EXPECT_FALSE(reached);

  std::string unknown(100000, '[');
  unknown += std::string(100000, ']');
  d = Decode(R"({"x":)" + unknown + R"(,"resourceSpans":[{"unknown":)" + unknown + "}]}");
  EXPECT_TRUE(d->result.ok()) << d->result.status().ToString();

  std::string objects;
  for (int i = 0; i < 50000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(50000, '}');
  d = Decode(SpanWithAttributes(R"([{"key":"v","value":{"kvlistValue":)" + objects + "}}]"));
  EXPECT_TRUE(d->result.ok()) << d->result.status().ToString();
}

// ---------------------------------------------------------------------------
// Malformed requests: refused whole, the message naming the place.

TEST(JsonDecoder, MalformedRequestsNameThePlace) {
  struct Case {
    std::string json;
    std::string message;  // the whole message, or its start when it ends with '*'
  };
  const std::string span = R"({"resourceSpans":[{},{"scopeSpans":[{},{"spans":[{},{},{},{},{)";
  const std::string end = "}]}]}]}";
  const std::string at = "resourceSpans[1].scopeSpans[1].spans[4].";
  const Case cases[] = {
      {"", "malformed JSON: *"},
      {"   ", "malformed JSON: *"},
      {"[]", "body: expected a JSON object"},
      {"42", "body: expected a JSON object"},
      {R"({"resourceSpans": {}})", "resourceSpans: expected an array"},
      {R"({"resourceSpans": [1]})", "resourceSpans[0]: expected an object"},
      {R"({"resourceSpans": [{"resource": []}]})", "resourceSpans[0].resource: expected an object"},
      {R"({"resource_spans": [{"scope_spans": "x"}]})", "resource_spans[0].scope_spans: expected an array"},
      {span + R"("startTimeUnixNano": 1.5)" + end, at + "startTimeUnixNano: expected an integer or a string of digits"},
      {span + R"("startTimeUnixNano": "12x")" + end, at + "startTimeUnixNano: expected an integer or a string of digits"},
      {span + R"("startTimeUnixNano": "")" + end, at + "startTimeUnixNano: expected an integer or a string of digits"},
      {span + R"("startTimeUnixNano": "+1")" + end, at + "startTimeUnixNano: expected an integer or a string of digits"},
      {span + R"("startTimeUnixNano": true)" + end, at + "startTimeUnixNano: expected an integer or a string of digits"},
      {span + R"("start_time_unix_nano": -1)" + end, at + "start_time_unix_nano: -1 is negative"},
      {span + R"("endTimeUnixNano": "18446744073709551616")" + end,
       at + "endTimeUnixNano: 18446744073709551616 is out of range (at most 18446744073709551615)"},
      {span + R"("endTimeUnixNano": 18446744073709551616)" + end, at + "endTimeUnixNano: integer out of the 64-bit range"},
      {span + R"("droppedAttributesCount": 4294967296)" + end,
       at + "droppedAttributesCount: 4294967296 is out of range (at most 4294967295)"},
      {span + R"("flags": "x")" + end, at + "flags: expected an integer or a string of digits"},
      {span + R"("traceId": 5)" + end, at + "traceId: expected a string"},
      {span + R"("name": {})" + end, at + "name: expected a string"},
      {span + R"("kind": "SERVER")" + end, at + "kind: expected a span kind number or name (SPAN_KIND_UNSPECIFIED...)"},
      {span + R"("kind": 1.0)" + end, at + "kind: expected a span kind number or name"},
      {span + R"("status": {"code": "ERROR"})" + end,
       at + "status.code: expected a status code number or name (STATUS_CODE_UNSET...)"},
      {span + R"("status": [])" + end, at + "status: expected an object"},
      {span + R"("events": [{"timeUnixNano": {}}])" + end,
       at + "events[0].timeUnixNano: expected an integer or a string of digits"},
      {span + R"("links": [{}, {"flags": -2}])" + end, at + "links[1].flags: -2 is negative"},
      {span + R"("attributes": [{"key": 1}])" + end, at + "attributes[0].key: expected a string"},
      {span + R"("attributes": [{"key": "a", "value": {"intValue": "1.5"}}])" + end,
       at + "attributes[0].value.intValue: expected an integer or a string of digits"},
      {span + R"("attributes": [{"key": "a", "value": {"intValue": true}}])" + end,
       at + "attributes[0].value.intValue: expected an integer or a string of digits"},
      {span + R"("attributes": [{"key": "a", "value": {"intValue": "9223372036854775808"}}])" + end,
       at + "attributes[0].value.intValue: 9223372036854775808 is out of the int64 range"},
      {span + R"("attributes": [{"key": "a", "value": {"boolValue": "true"}}])" + end,
       at + "attributes[0].value.boolValue: expected true or false"},
      {span + R"("attributes": [{"key": "a", "value": {"doubleValue": "nan"}}])" + end,
       at + "attributes[0].value.doubleValue: expected a number or \"NaN\", \"Infinity\", \"-Infinity\""},
      {span + R"("attributes": [{"key": "a", "value": {"doubleValue": true}}])" + end,
       at + "attributes[0].value.doubleValue: expected a number"},
      {span + R"("attributes": [{"key": "a", "value": {"bytesValue": "A"}}])" + end,
       at + "attributes[0].value.bytesValue: expected base64"},
      {span + R"("attributes": [{"key": "a", "value": {"bytesValue": "AB=="}}])" + end,
       at + "attributes[0].value.bytesValue: expected base64"},
      {span + R"("attributes": [{"key": "a", "value": {"bytesValue": "a b="}}])" + end,
       at + "attributes[0].value.bytesValue: expected base64"},
      {span + R"("attributes": [{"key": "a", "value": {"stringValue": "x", "intValue": 1}}])" + end,
       at + "attributes[0].value.intValue: a second value in one AnyValue"},
      {span + R"("attributes": [{"key": "a", "value": {"arrayValue": {"values": [{"kvlistValue": {"values": [{"key": "k", "value": {"intValue": []}}]}}]}}}])" + end,
       at + "attributes[0].value.arrayValue.values[0].kvlistValue.values[0].value.intValue: expected an integer or a string of digits"},
      {span + R"("attributes": [{"key": "a", "value": {"arrayValue": {"values": {}}}}])" + end,
       at + "attributes[0].value.arrayValue.values: expected an array"},
      {span + R"("name": nul)" + end, "malformed JSON at " + at + "name: *"},
      {span + R"("name": "x",)" + end, "malformed JSON at *"},
      {span + R"("name" "x")" + end, "malformed JSON at *"},
      {R"({"x": tru, "resourceSpans": []})", "malformed JSON: *"},
      {R"({"resourceSpans": [{"x": {"y": [1, nul]}}]})", "malformed JSON at resourceSpans[0]: *"},
      {R"({"resourceSpans": [{"x": -}]})", "malformed JSON at resourceSpans[0]: *"},
      {R"({"resourceSpans": [{"x": "\q"}]})", "malformed JSON at resourceSpans[0]: *"},
      {R"({"resourceSpans": [})", "malformed JSON*"},
      {R"({"resourceSpans": [)", "malformed JSON*"},
      {R"({"resourceSpans": []} {})", "malformed JSON: content after the request object"},
      {R"({"resourceSpans": []}])", "malformed JSON*"},
      {"{\"resourceSpans\": [{\"schemaUrl\": \"\xff\"}]}", "malformed JSON: *"},
      {R"({"resourceSpans": [{"schemaUrl": "a\qb"}]})", "malformed JSON at resourceSpans[0].schemaUrl: *"},
      {R"({"resourceSpans": [{"schemaUrl": "\u12"}]})", "malformed JSON at resourceSpans[0].schemaUrl: *"},
      {R"({"resourceSpans": [{"schemaUrl": "\uZZZZ"}]})", "malformed JSON at resourceSpans[0].schemaUrl: *"},
      {span + R"("traceId": "\x")" + end, "malformed JSON at " + at + "traceId: *"},
      {"{\"resourceSpans\": [{\"schemaUrl\": \"a\nb\"}]}", "malformed JSON*"},
  };
  for (const Case& c : cases) {
    auto d = Decode(c.json);
    ASSERT_FALSE(d->result.ok()) << c.json;
    EXPECT_EQ(d->result.status().code(), StatusCode::kInvalidArgument) << c.json;
    const std::string_view message = d->result.status().message();
    if (!c.message.empty() && c.message.back() == '*') {
      EXPECT_EQ(message.substr(0, c.message.size() - 1), c.message.substr(0, c.message.size() - 1))
          << c.json << "\n  gave: " << message;
    } else {
      EXPECT_EQ(message, c.message) << c.json;
    }
  }
}

TEST(JsonDecoder, EscapesAreDecoded) {
  auto d = Decode(OneSpan(R"("traceId":"5b8efff798038103d269b633813fc60\u0063","spanId":"eee19b7ec3c1b174",
      "n\u0061me":"q\"b\\s\/b\bf\fn\nr\rt\tz\u0000e\u00e9c\u4e2dp\ud83c\udf89",
      "attributes":[{"key":"k\"\u00e9","value":{"stringValue":"\\"}}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(Hex(s.trace_id.bytes), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(s.name, "q\"b\\s/b\bf\fn\nr\rt\tz\0e\xC3\xA9" "c\xE4\xB8\xADp\xF0\x9F\x8E\x89"sv);
  EXPECT_EQ(s.attributes[0].key, "k\"\xC3\xA9");
  EXPECT_EQ(s.attributes[0].value.string_value(), "\\");
}

// JavaScript strings may hold lone surrogates, which JSON.stringify writes as
// escapes: each becomes U+FFFD instead of costing the whole request.
TEST(JsonDecoder, LoneSurrogatesBecomeReplacementCharacters) {
  auto d = Decode(SpanWithAttributes(R"([
      {"key":"high","value":{"stringValue":"a\ud800b"}},
      {"key":"low","value":{"stringValue":"\udc00"}},
      {"key":"reversed","value":{"stringValue":"\udc00\ud800"}},
      {"key":"high.then.escape","value":{"stringValue":"\ud83c\u0041"}},
      {"key":"high.at.end","value":{"stringValue":"\ud83c"}}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(s.attributes[0].value.string_value(), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(s.attributes[1].value.string_value(), "\xEF\xBF\xBD");
  EXPECT_EQ(s.attributes[2].value.string_value(), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(s.attributes[3].value.string_value(), "\xEF\xBF\xBD" "A");
  EXPECT_EQ(s.attributes[4].value.string_value(), "\xEF\xBF\xBD");
}

TEST(JsonDecoder, Base64InEitherAlphabetWithOrWithoutPadding) {
  auto d = Decode(SpanWithAttributes(R"([
      {"key":"std","value":{"bytesValue":"+/8="}},
      {"key":"url","value":{"bytesValue":"-_8"}},
      {"key":"empty","value":{"bytesValue":""}},
      {"key":"two","value":{"bytesValue":"AAE"}}])"));
  ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
  const Span& s = OnlySpan(*d->result);
  EXPECT_EQ(s.attributes[0].value.string_value(), "\xfb\xff");
  EXPECT_EQ(s.attributes[1].value.string_value(), "\xfb\xff");
  EXPECT_EQ(s.attributes[2].value.type(), ValueType::kBytes);
  EXPECT_EQ(s.attributes[2].value.string_value(), "");
  EXPECT_EQ(s.attributes[3].value.string_value(), "\x00\x01"sv);
}

// ---------------------------------------------------------------------------
// Round trip: loadgen's spans (every value type, awkward strings, deep
// values) -> OTLP JSON in each accepted spelling -> the decoder -> the same
// model.

TEST(JsonDecoder, RoundTripsLoadgenSpansInEverySpelling) {
  loadgen::GeneratorOptions options;
  options.all_value_types = true;
  options.error_ratio = 0.2;
  options.event_ratio = 0.5;
  loadgen::SpanGenerator generator(options);
  const TracesView traces = generator.Next(600);
  ASSERT_EQ(CountSpans(traces), 600u);

  for (int style_bits = 0; style_bits < 16; ++style_bits) {
    JsonStyle style;
    style.snake_case = style_bits & 1;
    style.ints_as_numbers = style_bits & 2;
    style.upper_hex = style_bits & 4;
    style.enum_names = style_bits & 8;
    const std::string json = OtlpJsonWriter(style).Write(traces);

    // Limits high enough that nothing is trimmed: the decoder must give back
    // exactly what was written.
    DecodeLimits wide;
    wide.max_attributes = 1000;
    wide.max_depth = 64;
    auto d = Decode(json, wide);
    ASSERT_TRUE(d->result.ok()) << style_bits << ": " << d->result.status().ToString();
    EXPECT_EQ(d->result->records, 600u);
    EXPECT_EQ(d->result->rejected, 0u);
    Arena expected_arena;
    const TracesView expected = Expectation(&expected_arena, 64).Of(traces);
    EXPECT_EQ(testing::DiffTraces(d->result->data, expected), "") << "style " << style_bits;

    // The default limits: loadgen's 40-deep values are cut at 32.
    d = Decode(json);
    ASSERT_TRUE(d->result.ok()) << d->result.status().ToString();
    Arena cut_arena;
    const TracesView cut = Expectation(&cut_arena, DecodeLimits().max_depth).Of(traces);
    EXPECT_EQ(testing::DiffTraces(d->result->data, cut), "") << "style " << style_bits;
  }
}

// Decoding the same request many times over reuses the scratch: the results
// stay independent of each other.
TEST(JsonDecoder, RepeatedDecodesAreIndependent) {
  auto first = Decode(kJsRequest);
  auto second = Decode(SpanWithAttributes(ManyAttributes(300)));
  auto third = Decode(kJsRequest);
  ASSERT_TRUE(first->result.ok() && second->result.ok() && third->result.ok());
  ExpectJsRequest(*first->result);
  ExpectJsRequest(*third->result);
  EXPECT_EQ(OnlySpan(*second->result).attributes.size(), 128u);
  EXPECT_EQ(OnlySpan(*second->result).dropped_attributes_count, 172u);
  // A failed decode leaves nothing behind for the next one.
  EXPECT_FALSE(Decode(SpanWithAttributes(R"([{"key":"a","value":{"arrayValue":{"values":[{"intValue":1},{"intValue":[]}]}}}])"))
                   ->result.ok());
  auto after = Decode(kJsRequest);
  ASSERT_TRUE(after->result.ok());
  ExpectJsRequest(*after->result);
}

TEST(JsonDecoder, MaxDecodedBytesCapsARequestWhateverItsSize) {
  loadgen::SpanGenerator generator;
  const std::string json = OtlpJsonWriter(JsonStyle()).Write(generator.Next(3000));  // 3.6 MB
  DecodeLimits limits;
  ASSERT_TRUE(Decode(json, limits)->result.ok());
  // Parsing alone takes 5 bytes a byte (simdjson's index and padded copy):
  // below that the body is refused before it is parsed.
  limits.max_decoded_bytes = 4 * json.size();
  auto unparsed = Decode(json, limits);
  ASSERT_FALSE(unparsed->result.ok());
  EXPECT_EQ(unparsed->result.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(unparsed->result.status().message().find("to parse, more than max_decoded_size"), std::string_view::npos)
      << unparsed->result.status().message();
  // Room to parse, not to decode (the model takes about 0.7 bytes a byte).
  limits.max_decoded_bytes = 5 * json.size() + json.size() / 2;
  auto undecoded = Decode(json, limits);
  ASSERT_FALSE(undecoded->result.ok());
  EXPECT_EQ(undecoded->result.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(undecoded->result.status().message().find("(max_decoded_size): refused"), std::string_view::npos)
      << undecoded->result.status().message();
  limits.max_decoded_bytes = 7 * json.size();
  EXPECT_TRUE(Decode(json, limits)->result.ok());
}

TEST(JsonDecoder, RefusesARequestBuiltToAmplifyMemory) {
  // One attribute whose key-value list holds 1 M empty items: 3 bytes each
  // in the body, 40 bytes each decoded (13x, over the 8x budget).
  std::string items;
  for (int i = 0; i < 1'000'000; ++i) items += i == 0 ? "{}" : ",{}";
  const std::string body =
      R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"kvlistValue":{"values":[)" +
      items + "]}}}]}}]}";
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesJson(body, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("8x its size"), std::string_view::npos);
  EXPECT_LT(arena.bytes_reserved(), 8 * body.size());
  // The next request decodes as usual.
  auto after = Decode(kJsRequest);
  ASSERT_TRUE(after->result.ok());
  ExpectJsRequest(*after->result);
}

}  // namespace
}  // namespace otelpack::otlp
