// The hand-written protobuf decoder and encoder (otlp/decode.h) checked
// against libprotobuf, compiled from the OTLP .proto files: an independent
// implementation of the same schema.
//
//   our encoder   -> libprotobuf parser : every field as in the model
//   libprotobuf   -> our decoder        : every field as libprotobuf set it
//   cut requests  -> our decoder        : no crash; accepted exactly when
//                                         libprotobuf accepts, and equal then
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "loadgen/loadgen.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/proto/crosscheck_util.h"
#include "otlp/proto/testing/model_proto.h"
#include "otlp/proto/testing/random_proto.h"

namespace otelpack::otlp {
namespace {

using testing::DiffProtoAndModel;
using testing::ExportRequest;
using testing::ModelToProto;
using testing::ParseRequest;
namespace pb = testing::pb;

using crosscheck::kKeepAll;

// --- A copy of loadgen's model with valid UTF-8 ------------------------------
//
// loadgen's all_value_types emits invalid UTF-8 on purpose (for the JSON
// encoder). proto3 `string` fields must be UTF-8 and libprotobuf refuses a
// message that breaks the rule, so the checks against it use a copy with each
// invalid byte replaced by '?'.

std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
  if (overlong || surrogate || cp > 0x10ffff) return 0;
  return n;
}

class Utf8Copier {
 public:
  explicit Utf8Copier(Arena* arena) : arena_(arena) {}

  TracesView Copy(TracesView traces) {
    std::span<ResourceSpans> out = arena_->Make<ResourceSpans>(traces.size());
    for (std::size_t r = 0; r < traces.size(); ++r) {
      out[r] = traces[r];
      out[r].resource.attributes = Attrs(traces[r].resource.attributes);
      out[r].schema_url = Str(traces[r].schema_url);
      std::span<ScopeSpans> scopes = arena_->Make<ScopeSpans>(traces[r].scope_spans.size());
      for (std::size_t s = 0; s < scopes.size(); ++s) {
        const ScopeSpans& in = traces[r].scope_spans[s];
        scopes[s] = in;
        scopes[s].scope.name = Str(in.scope.name);
        scopes[s].scope.version = Str(in.scope.version);
        scopes[s].scope.attributes = Attrs(in.scope.attributes);
        scopes[s].schema_url = Str(in.schema_url);
        std::span<Span> spans = arena_->Make<Span>(in.spans.size());
        for (std::size_t i = 0; i < spans.size(); ++i) spans[i] = SpanCopy(in.spans[i]);
        scopes[s].spans = spans;
      }
      out[r].scope_spans = scopes;
    }
    return out;
  }

  int replaced() const { return replaced_; }

 private:
  Span SpanCopy(const Span& in) {
    Span s = in;
    s.trace_state = Str(in.trace_state);
    s.name = Str(in.name);
    s.status_message = Str(in.status_message);
    s.attributes = Attrs(in.attributes);
    std::span<SpanEvent> events = arena_->Make<SpanEvent>(in.events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      events[i] = in.events[i];
      events[i].name = Str(in.events[i].name);
      events[i].attributes = Attrs(in.events[i].attributes);
    }
    s.events = events;
    std::span<SpanLink> links = arena_->Make<SpanLink>(in.links.size());
    for (std::size_t i = 0; i < links.size(); ++i) {
      links[i] = in.links[i];
      links[i].trace_state = Str(in.links[i].trace_state);
      links[i].attributes = Attrs(in.links[i].attributes);
    }
    s.links = links;
    return s;
  }

  Attributes Attrs(Attributes in) {
    std::span<KeyValue> out = arena_->Make<KeyValue>(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = {Str(in[i].key), Value(in[i].value)};
    return out;
  }

  AnyValue Value(const AnyValue& v) {
    switch (v.type()) {
      case ValueType::kString:
        return AnyValue::String(Str(v.string_value()));
      case ValueType::kArray: {
        std::span<AnyValue> out = arena_->Make<AnyValue>(v.array_value().size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = Value(v.array_value()[i]);
        return AnyValue::Array(out);
      }
      case ValueType::kKvList:
        return AnyValue::KvList(Attrs(v.kvlist_value()));
      default:
        return v;  // bytes may be anything
    }
  }

  std::string_view Str(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out.push_back('?');
        ++replaced_;
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
    }
    return arena_->Copy(out);
  }

  Arena* arena_;
  int replaced_ = 0;
};

// --- Requests built with libprotobuf, every field set --------------------------

class RandomRequest : public testing::RandomProto {
 public:
  using RandomProto::RandomProto;

  ExportRequest Make() {
    ExportRequest req;
    Groups(
        &req, [](ExportRequest* r) { return r->add_resource_spans(); },
        [](pb::trace::v1::ResourceSpans* g) { return g->add_scope_spans(); },
        [&](pb::trace::v1::ScopeSpans* ss) {
          for (int i = Between(0, 6); i > 0; --i) SpanInto(ss->add_spans());
        });
    return req;
  }

 private:
  void SpanInto(pb::trace::v1::Span* s) {
    s->set_trace_id(Id(16));
    s->set_span_id(Id(8));
    if (Chance(0.7)) s->set_parent_span_id(Id(8));
    if (Chance(0.5)) s->set_trace_state("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    s->set_flags(static_cast<std::uint32_t>(Bits()));
    s->set_name(Text());
    s->set_kind(static_cast<pb::trace::v1::Span::SpanKind>(Below(6)));
    s->set_start_time_unix_nano(Bits());
    s->set_end_time_unix_nano(Bits());
    Attributes(s->mutable_attributes(), 0);
    s->set_dropped_attributes_count(Below(1000));
    for (int i = Between(0, 3); i > 0; --i) {
      pb::trace::v1::Span::Event* e = s->add_events();
      e->set_time_unix_nano(Bits());
      e->set_name(Text());
      Attributes(e->mutable_attributes(), 0);
      e->set_dropped_attributes_count(Below(5));
      Unknown(e);
    }
    s->set_dropped_events_count(Below(5));
    for (int i = Between(0, 2); i > 0; --i) {
      pb::trace::v1::Span::Link* l = s->add_links();
      l->set_trace_id(Id(16));
      l->set_span_id(Id(8));
      if (Chance(0.5)) l->set_trace_state("k=v");
      Attributes(l->mutable_attributes(), 0);
      l->set_dropped_attributes_count(Below(5));
      l->set_flags(static_cast<std::uint32_t>(Bits()));
      Unknown(l);
    }
    s->set_dropped_links_count(Below(5));
    if (Chance(0.6)) {
      s->mutable_status()->set_code(static_cast<pb::trace::v1::Status::StatusCode>(Below(3)));
      if (Chance(0.5)) s->mutable_status()->set_message(Text());
      Unknown(s->mutable_status());
    }
    Unknown(s);
  }
};

// --- The checker itself ------------------------------------------------------

TEST(CrossCheckTest, TheComparisonFindsAOneFieldDifference) {
  loadgen::SpanGenerator gen({.seed = 2, .all_value_types = true});
  Arena arena;
  TracesView model = Utf8Copier(&arena).Copy(gen.Next(50));
  ExportRequest request;
  ModelToProto(model, &request);
  ASSERT_EQ(DiffProtoAndModel(request, model), "");
  ExportRequest changed = request;
  auto* span = changed.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0);
  span->set_end_time_unix_nano(span->end_time_unix_nano() + 1);
  EXPECT_NE(DiffProtoAndModel(changed, model).find("spans[0].end_time_unix_nano"), std::string::npos);
  changed = request;
  changed.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->set_parent_span_id(std::string(8, '\x7f'));
  EXPECT_NE(DiffProtoAndModel(changed, model), "");
  changed = request;
  changed.mutable_resource_spans(0)->mutable_resource()->mutable_attributes(0)->mutable_value()->set_int_value(7);
  EXPECT_NE(DiffProtoAndModel(changed, model).find("resource.attributes[0].value"), std::string::npos);
  // Deeper than max_depth: decoded as empty, which the comparison sees.
  std::string bytes;
  ASSERT_TRUE(request.SerializeToString(&bytes));
  Arena decode_arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(bytes, decode_arena, {.max_depth = 8});
  ASSERT_TRUE(decoded.ok());
  EXPECT_NE(DiffProtoAndModel(request, decoded->data), "");
}

// --- (a) our encoder -> libprotobuf ------------------------------------------

TEST(CrossCheckTest, OurEncodingParsesInLibprotobufToTheSameModel) {
  int replaced = 0;
  for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
    loadgen::SpanGenerator gen({.seed = seed, .all_value_types = true});
    Arena arena;
    Utf8Copier copier(&arena);
    TracesView model = copier.Copy(gen.Next(500));
    std::string bytes;
    EncodeTracesProto(model, &bytes);
    ExportRequest parsed;
    ASSERT_TRUE(ParseRequest(bytes, &parsed)) << "seed " << seed << ": libprotobuf refuses our encoding";
    EXPECT_EQ(DiffProtoAndModel(parsed, model), "") << "seed " << seed;
    // Field for field, byte for byte: the same bytes libprotobuf writes (both
    // write fields in number order and leave proto3 defaults out).
    EXPECT_EQ(parsed.ByteSizeLong(), bytes.size()) << "seed " << seed;
    replaced += copier.replaced();
  }
  EXPECT_GT(replaced, 0) << "loadgen's invalid UTF-8 was met and replaced";
}

TEST(CrossCheckTest, DefaultLoadgenSpansEncodeExactlyAsLibprotobuf) {
  loadgen::SpanGenerator gen;
  TracesView model = gen.Next(512);
  std::string ours;
  EncodeTracesProto(model, &ours);
  ExportRequest request;
  ModelToProto(model, &request);
  std::string theirs;
  ASSERT_TRUE(request.SerializeToString(&theirs));
  EXPECT_EQ(ours.size(), theirs.size());
  EXPECT_TRUE(ours == theirs) << "the two encodings differ";
}

// --- (b) libprotobuf -> our decoder ------------------------------------------

TEST(CrossCheckTest, LibprotobufRequestsDecodeToTheSameModel) {
  Arena arena;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    for (bool unknown_fields : {false, true}) {
      ExportRequest request = RandomRequest(seed, unknown_fields).Make();
      std::string bytes;
      ASSERT_TRUE(request.SerializeToString(&bytes));
      arena.Reset();
      Result<DecodedTraces> decoded = DecodeTracesProto(bytes, arena, kKeepAll);
      ASSERT_TRUE(decoded.ok()) << "seed " << seed << ": " << decoded.status().ToString();
      EXPECT_EQ(decoded->rejected, 0u);
      EXPECT_EQ(decoded->records, CountSpans(decoded->data));
      ASSERT_EQ(DiffProtoAndModel(request, decoded->data), "")
          << "seed " << seed << (unknown_fields ? " with unknown fields" : "");
    }
  }
}

TEST(CrossCheckTest, LoadgenSpansThroughLibprotobufDecodeToTheSameModel) {
  loadgen::SpanGenerator gen({.seed = 11, .all_value_types = true});
  Arena copy_arena;
  TracesView model = Utf8Copier(&copy_arena).Copy(gen.Next(1000));
  ExportRequest request;
  ModelToProto(model, &request);
  std::string bytes;
  ASSERT_TRUE(request.SerializeToString(&bytes));
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(bytes, arena, kKeepAll);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 1000u);
  EXPECT_EQ(DiffProtoAndModel(request, decoded->data), "");
}

TEST(CrossCheckTest, ConcatenatedRequestsDecodeAsLibprotobufMergesThem) {
  Arena arena;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    ExportRequest first = RandomRequest(seed, true).Make();
    ExportRequest second = RandomRequest(seed + 1000, true).Make();
    std::string bytes = first.SerializeAsString() + second.SerializeAsString();
    ExportRequest merged;
    ASSERT_TRUE(ParseRequest(bytes, &merged));
    arena.Reset();
    Result<DecodedTraces> decoded = DecodeTracesProto(bytes, arena, kKeepAll);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(DiffProtoAndModel(merged, decoded->data), "") << "seed " << seed;
  }
}

TEST(CrossCheckTest, ASpanSplitAcrossTwoOccurrencesMergesLikeLibprotobuf) {
  // protobuf merges a message field that occurs twice; for scalars the last
  // occurrence wins. Status is written twice here: code first, then message.
  pb::trace::v1::Span span;
  span.set_trace_id(std::string(16, '\x01'));
  span.set_span_id(std::string(8, '\x02'));
  span.set_name("first");
  std::string span_bytes = span.SerializeAsString();
  pb::trace::v1::Span more;
  more.set_name("second");
  more.mutable_status()->set_code(pb::trace::v1::Status::STATUS_CODE_ERROR);
  span_bytes += more.SerializeAsString();
  pb::trace::v1::Span last;
  last.mutable_status()->set_message("boom");
  span_bytes += last.SerializeAsString();

  pb::trace::v1::ScopeSpans ss;
  ASSERT_TRUE(ss.add_spans()->ParseFromString(span_bytes));
  ExportRequest request;
  *request.add_resource_spans()->add_scope_spans() = ss;
  ASSERT_EQ(request.resource_spans(0).scope_spans(0).spans(0).name(), "second");

  // The same request with the span's bytes as written, not re-serialized.
  std::string scope_bytes;
  scope_bytes += '\x12';  // ScopeSpans.spans, length-delimited
  scope_bytes += static_cast<char>(span_bytes.size());
  scope_bytes += span_bytes;
  ASSERT_LT(span_bytes.size(), 128u);
  std::string rs_bytes = std::string("\x12", 1) + static_cast<char>(scope_bytes.size()) + scope_bytes;
  std::string bytes = std::string("\x0a", 1) + static_cast<char>(rs_bytes.size()) + rs_bytes;
  ExportRequest parsed;
  ASSERT_TRUE(ParseRequest(bytes, &parsed));
  Arena arena;
  Result<DecodedTraces> decoded = DecodeTracesProto(bytes, arena, kKeepAll);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(DiffProtoAndModel(parsed, decoded->data), "");
}

// --- (c) cut and damaged requests --------------------------------------------

TEST(CrossCheckTest, CutRequestsAreRefusedOrDecodedExactlyAsLibprotobufDoes) {
  loadgen::SpanGenerator gen({.seed = 5, .all_value_types = true});
  Arena copy_arena;
  TracesView model = Utf8Copier(&copy_arena).Copy(gen.Next(10));
  std::string bytes;
  EncodeTracesProto(model, &bytes);
  crosscheck::ExpectEveryCutAsLibprotobuf<ExportRequest>(bytes, DecodeTracesProto);
}

TEST(CrossCheckTest, DamagedRequestsNeverCrashTheDecoder) {
  loadgen::SpanGenerator gen({.seed = 9, .all_value_types = true});
  std::string valid;
  EncodeTracesProto(gen.Next(40), &valid);
  crosscheck::ExpectDamageNeverCrashes<TracesView>(valid, 99, DecodeTracesProto, CountSpans);
}

}  // namespace
}  // namespace otelpack::otlp
