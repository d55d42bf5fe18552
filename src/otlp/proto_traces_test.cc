// The hand-written protobuf decoder: round trips through the encoder, every
// limit, every rejection, and malformed input at every byte.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "loadgen/loadgen.h"
#include "otlp/decode.h"
#include "otlp/testing/model_diff.h"

namespace otelpack::otlp {
namespace {

DecodeLimits Unlimited() {
  DecodeLimits l;
  l.max_attributes = 1 << 20;
  l.max_events_per_span = 1 << 20;
  l.max_links_per_span = 1 << 20;
  l.max_value_bytes = 1 << 30;
  l.max_depth = 200;
  return l;
}

TEST(ProtoDecoder, RoundTripsRealisticSpans) {
  loadgen::SpanGenerator gen;
  TracesView traces = gen.Next(2000);
  std::string body;
  EncodeTracesProto(traces, &body);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena, Unlimited());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 2000u);
  EXPECT_EQ(decoded->rejected, 0u);
  EXPECT_EQ(testing::DiffTraces(traces, decoded->data), "");
}

TEST(ProtoDecoder, RoundTripsEveryValueType) {
  loadgen::GeneratorOptions options;
  options.all_value_types = true;
  loadgen::SpanGenerator gen(options);
  TracesView traces = gen.Next(3000);
  std::string body;
  EncodeTracesProto(traces, &body);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena, Unlimited());
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(testing::DiffTraces(traces, decoded->data), "");
}

TEST(ProtoDecoder, StringsAreViewsIntoTheBody) {
  loadgen::SpanGenerator gen;
  std::string body;
  EncodeTracesProto(gen.Next(10), &body);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_TRUE(decoded.ok());
  const Span& span = decoded->data[0].scope_spans[0].spans[0];
  EXPECT_GE(span.name.data(), body.data());
  EXPECT_LE(span.name.data() + span.name.size(), body.data() + body.size());
  const KeyValue& kv = span.attributes[0];
  EXPECT_GE(kv.key.data(), body.data());
  EXPECT_LE(kv.key.data(), body.data() + body.size());
}

// One span with the given ids, in one resource and scope.
struct OneSpan {
  Span span;
  ScopeSpans scope;
  ResourceSpans resource;
  OneSpan() {
    span.trace_id.bytes[15] = 1;
    span.span_id.bytes[7] = 2;
    span.name = "op";
    scope.spans = {&span, 1};
    resource.scope_spans = {&scope, 1};
  }
  std::string Encode() const {
    std::string out;
    EncodeTracesProto({&resource, 1}, &out);
    return out;
  }
};

TEST(ProtoDecoder, AppliesTheAttributeEventAndLinkLimits) {
  KeyValue kvs[5];
  for (int i = 0; i < 5; ++i) kvs[i] = {"k", AnyValue::Int(i)};
  SpanEvent events[4];
  SpanLink links[3];
  for (auto& e : events) e.attributes = {kvs, 5};
  for (auto& l : links) {
    l.trace_id.bytes[0] = 9;
    l.span_id.bytes[0] = 9;
  }
  OneSpan one;
  one.span.attributes = {kvs, 5};
  one.span.dropped_attributes_count = 10;  // already dropped by the SDK: added to
  one.span.events = {events, 4};
  one.span.links = {links, 3};
  one.resource.resource.attributes = {kvs, 5};
  const std::string body = one.Encode();

  DecodeLimits limits;
  limits.max_attributes = 3;
  limits.max_events_per_span = 2;
  limits.max_links_per_span = 1;
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena, limits);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const Span& span = decoded->data[0].scope_spans[0].spans[0];
  ASSERT_EQ(span.attributes.size(), 3u);
  EXPECT_EQ(span.attributes[2].value.int_value(), 2);
  EXPECT_EQ(span.dropped_attributes_count, 12u);
  ASSERT_EQ(span.events.size(), 2u);
  EXPECT_EQ(span.dropped_events_count, 2u);
  EXPECT_EQ(span.events[0].attributes.size(), 3u);
  EXPECT_EQ(span.events[0].dropped_attributes_count, 2u);
  EXPECT_EQ(span.links.size(), 1u);
  EXPECT_EQ(span.dropped_links_count, 2u);
  EXPECT_EQ(decoded->data[0].resource.attributes.size(), 3u);
  EXPECT_EQ(decoded->data[0].resource.dropped_attributes_count, 2u);
}

TEST(ProtoDecoder, TruncatesLongValuesAtACharacterBoundary) {
  // "aé€" is 1 + 2 + 3 bytes: a cut at 4 would split the euro sign.
  KeyValue kvs[] = {{"s", AnyValue::String("a\xC3\xA9\xE2\x82\xAC")},
                    {"b", AnyValue::Bytes(std::string_view("\x01\x02\x03\x04\x05\x06", 6))}};
  OneSpan one;
  one.span.attributes = kvs;
  const std::string body = one.Encode();
  DecodeLimits limits;
  limits.max_value_bytes = 4;
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena, limits);
  ASSERT_TRUE(decoded.ok());
  const Span& span = decoded->data[0].scope_spans[0].spans[0];
  EXPECT_EQ(span.attributes[0].value.string_value(), "a\xC3\xA9");
  EXPECT_EQ(span.attributes[1].value.string_value().size(), 4u);
}

TEST(ProtoDecoder, ValuesNestedTooDeepBecomeEmpty) {
  // [[["deep"]]]: depth 1 is the attribute's array, 3 the innermost.
  AnyValue leaf = AnyValue::String("deep");
  AnyValue level3 = AnyValue::Array({&leaf, 1});
  AnyValue level2 = AnyValue::Array({&level3, 1});
  KeyValue kv{"nested", AnyValue::Array({&level2, 1})};
  OneSpan one;
  one.span.attributes = {&kv, 1};
  const std::string body = one.Encode();
  DecodeLimits limits;
  limits.max_depth = 2;
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena, limits);
  ASSERT_TRUE(decoded.ok());
  const AnyValue& v = decoded->data[0].scope_spans[0].spans[0].attributes[0].value;
  ASSERT_EQ(v.type(), ValueType::kArray);
  ASSERT_EQ(v.array_value()[0].type(), ValueType::kArray);
  EXPECT_EQ(v.array_value()[0].array_value()[0].type(), ValueType::kEmpty);
}

TEST(ProtoDecoder, LeavesOutSpansWithInvalidIdsAndSaysWhy) {
  Span spans[4];
  for (int i = 0; i < 4; ++i) {
    spans[i].trace_id.bytes[0] = 1;
    spans[i].span_id.bytes[0] = static_cast<std::uint8_t>(i + 1);
    spans[i].name = "good";
  }
  spans[1].trace_id = TraceId();  // all zero
  spans[1].name = "zero-trace";
  spans[3].span_id = SpanId();
  ScopeSpans scope;
  scope.spans = spans;
  ResourceSpans resource;
  resource.scope_spans = {&scope, 1};
  std::string body;
  EncodeTracesProto({&resource, 1}, &body);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->records, 2u);
  EXPECT_EQ(decoded->rejected, 2u);
  EXPECT_EQ(decoded->data[0].scope_spans[0].spans.size(), 2u);
  EXPECT_NE(decoded->rejection.find("span 1 (zero-trace): trace_id"), std::string::npos)
      << decoded->rejection;
}

TEST(ProtoDecoder, RejectsAParentIdOfTheWrongLength) {
  // span: trace_id, span_id, parent_span_id of 3 bytes.
  std::string span = std::string("\x0a\x10", 2) + std::string(15, '\0') + "\x01" +
                     std::string("\x12\x08", 2) + std::string(7, '\0') + "\x01" +
                     std::string("\x22\x03" "abc", 5);
  std::string scope = "\x12" + std::string(1, static_cast<char>(span.size())) + span;
  std::string rs = "\x12" + std::string(1, static_cast<char>(scope.size())) + scope;
  std::string body = "\x0a" + std::string(1, static_cast<char>(rs.size())) + rs;
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 1u);
  EXPECT_NE(decoded->rejection.find("parent_span_id"), std::string::npos);
}

TEST(ProtoDecoder, SkipsUnknownFields) {
  OneSpan one;
  std::string body = one.Encode();
  // An unknown varint field 99 and an unknown fixed32 field 100 at the top level.
  body += std::string("\x98\x06\x07\xa5\x06\x01\x02\x03\x04", 9);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 1u);
}

TEST(ProtoDecoder, NamesTheFieldOfAWrongWireType) {
  OneSpan one;
  std::string body = one.Encode();
  // Replace the span's name tag (field 5, len) with field 5 as a varint.
  const std::size_t at = body.find("\x2a\x02op");
  ASSERT_NE(at, std::string::npos);
  body[at] = '\x28';
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(decoded.status().message().find("resource_spans[0].scope_spans[0].spans[0]: name"),
            std::string::npos)
      << decoded.status().message();
}

TEST(ProtoDecoder, EveryTruncationIsAnErrorOrAValidPrefix) {
  loadgen::GeneratorOptions options;
  options.all_value_types = true;
  loadgen::SpanGenerator gen(options);
  std::string body;
  EncodeTracesProto(gen.Next(20), &body);
  Arena arena;
  int errors = 0;
  for (std::size_t n = 0; n < body.size(); ++n) {
    arena.Reset();
    Result<DecodedTraces> decoded = DecodeTracesProto(std::string_view(body).substr(0, n), arena);
    if (!decoded.ok()) {
      ++errors;
      EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(decoded.status().message().find("invalid OTLP protobuf"), std::string::npos);
    }
  }
  EXPECT_GT(errors, static_cast<int>(body.size()) / 2);
}

TEST(ProtoDecoder, RefusesGroupsAndBadTags) {
  Arena arena;
  for (std::string_view bad : {std::string_view("\x0b", 1),        // field 1, start group
                               std::string_view("\x00\x01", 2),    // field number 0
                               std::string_view("\x0a\x05\x01", 3),  // length past the end
                               std::string_view("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)}) {
    Result<DecodedTraces> decoded = DecodeTracesProto(bad, arena);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  }
}

std::string Varint(std::size_t n) {
  std::string v;
  while (n >= 0x80) {
    v.push_back(static_cast<char>(n | 0x80));
    n >>= 7;
  }
  v.push_back(static_cast<char>(n));
  return v;
}

// A request whose one resource attribute "k" is an array of `count` copies
// of the AnyValue message `item`.
std::string RequestWithOneArray(std::string_view item, int count) {
  std::string array;
  for (int i = 0; i < count; ++i) array += "\x0a" + Varint(item.size()) + std::string(item);
  std::string any = "\x2a" + Varint(array.size()) + array;
  std::string kv = std::string("\x0a\x01k", 3) + "\x12" + Varint(any.size()) + any;
  std::string resource = "\x0a" + Varint(kv.size()) + kv;
  std::string rs = "\x0a" + Varint(resource.size()) + resource;
  return "\x0a" + Varint(rs.size()) + rs;
}

TEST(ProtoDecoder, RefusesARequestBuiltToAmplifyMemory) {
  // 1 M empty values: 2 bytes each on the wire, 24 bytes each decoded.
  std::string body = RequestWithOneArray("", 1'000'000);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  EXPECT_NE(decoded.status().message().find("8x its size"), std::string_view::npos);
  EXPECT_LT(arena.bytes_reserved(), 20u << 20);
}

TEST(ProtoDecoder, TheBudgetCountsTheScratchStacksToo) {
  // 1 M values {int_value: 1}: 4 bytes each on the wire, 24 decoded (6x).
  // The items alone fit in 8x the body; with the stack they are gathered on
  // (as large again before they reach the arena) they do not.
  static_assert(sizeof(AnyValue) == 24);
  std::string body = RequestWithOneArray(std::string("\x18\x01", 2), 1'000'000);
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge) << decoded.status().ToString();
  // 10,000 of them fit in the smallest budget (1 MiB): 240 KB of items on a
  // stack grown to 16,384 items (393 KB).
  Result<DecodedTraces> fewer = DecodeTracesProto(RequestWithOneArray(std::string("\x18\x01", 2), 10'000), arena);
  ASSERT_TRUE(fewer.ok()) << fewer.status().ToString();
  EXPECT_EQ(fewer->data[0].resource.attributes[0].value.array_value().size(), 10'000u);
}

TEST(ProtoDecoder, MaxDecodedBytesCapsARequestWhateverItsSize) {
  loadgen::SpanGenerator gen;
  std::string body;
  EncodeTracesProto(gen.Next(4000), &body);  // about 2.2 MB, 3.3 MB decoded
  Arena arena;
  DecodeLimits limits;
  ASSERT_TRUE(DecodeTracesProto(body, arena, limits).ok());
  limits.max_decoded_bytes = 2u << 20;
  Result<DecodedTraces> decoded = DecodeTracesProto(body, arena, limits);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(decoded.status().message().find("more than 2097152 bytes (max_decoded_size)"), std::string_view::npos)
      << decoded.status().message();
  limits.max_decoded_bytes = 8u << 20;
  EXPECT_TRUE(DecodeTracesProto(body, arena, limits).ok());
}

TEST(ProtoDecoder, AnEmptyRequestIsValidAndEmpty) {
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto("", arena);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->records, 0u);
  EXPECT_TRUE(decoded->data.empty());
}

}  // namespace
}  // namespace otelpack::otlp
