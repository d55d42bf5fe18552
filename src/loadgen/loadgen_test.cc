// Tests for the span generator: counts, determinism, trace structure and the
// statistical shape the benchmarks rely on.
#include "loadgen/loadgen.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "format/service_name.h"

namespace otelpack::loadgen {
namespace {

std::string Hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::uint8_t b : bytes) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

std::vector<const Span*> AllSpans(TracesView traces) {
  std::vector<const Span*> out;
  for (const ResourceSpans& rs : traces)
    for (const ScopeSpans& ss : rs.scope_spans)
      for (const Span& s : ss.spans) out.push_back(&s);
  return out;
}

bool SameValue(const AnyValue& a, const AnyValue& b);

bool SameAttributes(Attributes a, Attributes b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || !SameValue(a[i].value, b[i].value)) return false;
  }
  return true;
}

bool SameValue(const AnyValue& a, const AnyValue& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case ValueType::kEmpty: return true;
    case ValueType::kString:
    case ValueType::kBytes: return a.string_value() == b.string_value();
    case ValueType::kBool: return a.bool_value() == b.bool_value();
    case ValueType::kInt: return a.int_value() == b.int_value();
    case ValueType::kDouble: {
      double x = a.double_value(), y = b.double_value();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case ValueType::kArray: {
      auto x = a.array_value(), y = b.array_value();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!SameValue(x[i], y[i])) return false;
      return true;
    }
    case ValueType::kKvList: return SameAttributes(a.kvlist_value(), b.kvlist_value());
  }
  return false;
}

bool SameSpan(const Span& a, const Span& b) {
  if (a.trace_id.bytes != b.trace_id.bytes || a.span_id.bytes != b.span_id.bytes ||
      a.parent_span_id.bytes != b.parent_span_id.bytes || a.name != b.name || a.kind != b.kind ||
      a.start_time_unix_nano != b.start_time_unix_nano || a.end_time_unix_nano != b.end_time_unix_nano ||
      a.status_code != b.status_code || a.status_message != b.status_message ||
      a.trace_state != b.trace_state || !SameAttributes(a.attributes, b.attributes) ||
      a.events.size() != b.events.size() || a.links.size() != b.links.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    if (a.events[i].name != b.events[i].name || a.events[i].time_unix_nano != b.events[i].time_unix_nano ||
        !SameAttributes(a.events[i].attributes, b.events[i].attributes)) {
      return false;
    }
  }
  return true;
}

const AnyValue* Find(Attributes attrs, std::string_view key) {
  for (const KeyValue& kv : attrs)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

TEST(SpanGeneratorTest, GivesExactlyNSpans) {
  SpanGenerator gen;
  for (std::size_t n : {0u, 1u, 7u, 500u, 2001u}) {
    TracesView v = gen.Next(n);
    EXPECT_EQ(CountSpans(v), n);
    EXPECT_EQ(AllSpans(v).size(), n);
  }
}

TEST(SpanGeneratorTest, IsDeterministicForASeed) {
  for (bool exotic : {false, true}) {
    GeneratorOptions o;
    o.all_value_types = exotic;
    SpanGenerator a(o), b(o);
    o.seed = 43;
    SpanGenerator c(o);
    for (int batch = 0; batch < 3; ++batch) {
      auto sa = AllSpans(a.Next(300));
      auto sb = AllSpans(b.Next(300));
      auto sc = AllSpans(c.Next(300));
      ASSERT_EQ(sa.size(), sb.size());
      for (std::size_t i = 0; i < sa.size(); ++i) ASSERT_TRUE(SameSpan(*sa[i], *sb[i])) << "span " << i;
      std::size_t same = 0;
      for (std::size_t i = 0; i < sa.size(); ++i) same += SameSpan(*sa[i], *sc[i]);
      EXPECT_LT(same, sa.size() / 10) << "another seed should give other spans";
    }
  }
}

TEST(SpanGeneratorTest, ParentsComeFirstAndBelongToTheSameTrace) {
  GeneratorOptions o;
  o.interleaved_traces = 12;
  SpanGenerator gen(o);
  struct Seen {
    std::string trace;
    std::uint64_t start, end;
  };
  std::map<std::string, Seen> seen;  // span id -> what we know about it
  std::size_t roots = 0, children = 0, same_batch_children = 0;
  for (int batch = 0; batch < 20; ++batch) {
    auto spans = AllSpans(gen.Next(100));
    std::set<std::string> this_batch;
    for (const Span* s : spans) {
      std::string id = Hex(s->span_id.bytes);
      ASSERT_TRUE(s->span_id.valid());
      ASSERT_TRUE(s->trace_id.valid());
      ASSERT_EQ(seen.count(id), 0u) << "span ids are unique";
      seen[id] = {Hex(s->trace_id.bytes), s->start_time_unix_nano, s->end_time_unix_nano};
      this_batch.insert(id);
    }
    for (const Span* s : spans) {
      if (!s->parent_span_id.valid()) {
        ++roots;
        EXPECT_EQ(s->kind, SpanKind::kServer);
        continue;
      }
      ++children;
      std::string parent = Hex(s->parent_span_id.bytes);
      auto it = seen.find(parent);
      ASSERT_NE(it, seen.end()) << "a parent is generated no later than its child";
      EXPECT_EQ(it->second.trace, Hex(s->trace_id.bytes));
      EXPECT_GE(s->start_time_unix_nano, it->second.start);
      EXPECT_LE(s->end_time_unix_nano, it->second.end);
      same_batch_children += this_batch.count(parent);
    }
  }
  EXPECT_GT(roots, 100u);
  EXPECT_GT(children, 1000u);
  EXPECT_LT(same_batch_children, children) << "some traces continue into the next batch";
}

TEST(SpanGeneratorTest, TraceIdsRepeatWithinABatch) {
  SpanGenerator gen;
  auto spans = AllSpans(gen.Next(500));
  std::set<std::string> traces;
  for (const Span* s : spans) traces.insert(Hex(s->trace_id.bytes));
  EXPECT_LT(traces.size(), 150u);
  EXPECT_GT(traces.size(), 30u);
}

TEST(SpanGeneratorTest, GroupsByServiceAndScope) {
  SpanGenerator gen;
  TracesView v = gen.Next(2000);
  std::set<std::string_view> services;
  for (const ResourceSpans& rs : v) {
    std::string_view name = ServiceName(rs.resource);
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(services.insert(name).second) << "one ResourceSpans per service";
    std::set<std::string_view> scopes;
    for (const ScopeSpans& ss : rs.scope_spans) {
      EXPECT_FALSE(ss.spans.empty());
      EXPECT_TRUE(scopes.insert(ss.scope.name).second);
    }
  }
  EXPECT_EQ(services.size(), 20u);
}

TEST(SpanGeneratorTest, HasTheRealisticShape) {
  SpanGenerator gen;
  std::size_t spans = 0, with_events = 0, errors = 0, attrs = 0;
  std::set<std::string> ops;  // copies: the views die with the batch
  for (int batch = 0; batch < 20; ++batch) {
    for (const Span* s : AllSpans(gen.Next(500))) {
      ++spans;
      attrs += s->attributes.size();
      EXPECT_GE(s->attributes.size(), 5u);
      EXPECT_LE(s->attributes.size(), 15u);
      with_events += !s->events.empty();
      ops.emplace(s->name);
      EXPECT_GE(s->start_time_unix_nano, 1732480000000000000ULL);
      EXPECT_GE(s->end_time_unix_nano, s->start_time_unix_nano);
      EXPECT_LT(s->end_time_unix_nano - s->start_time_unix_nano, 5'000'000'000ULL);
      if (s->status_code == SpanStatusCode::kError) {
        ++errors;
        ASSERT_FALSE(s->events.empty());
        const SpanEvent& e = s->events.back();
        EXPECT_EQ(e.name, "exception");
        ASSERT_NE(Find(e.attributes, "exception.type"), nullptr);
        ASSERT_NE(Find(e.attributes, "exception.message"), nullptr);
        const AnyValue* st = Find(e.attributes, "exception.stacktrace");
        ASSERT_NE(st, nullptr);
        EXPECT_GE(st->string_value().size(), 1050u);
        EXPECT_LE(st->string_value().size(), 2200u);
        EXPECT_FALSE(s->status_message.empty());
      }
    }
  }
  const double n = static_cast<double>(spans);
  EXPECT_NEAR(with_events / n, 0.21, 0.02);
  EXPECT_NEAR(errors / n, 0.02, 0.006);
  EXPECT_NEAR(attrs / n, 10.0, 0.3);
  EXPECT_GT(ops.size(), 180u);
  EXPECT_LE(ops.size(), 200u);
}

void CollectTypes(const AnyValue& v, std::set<ValueType>* types, int depth, int* max_depth) {
  types->insert(v.type());
  *max_depth = std::max(*max_depth, depth);
  if (v.type() == ValueType::kArray)
    for (const AnyValue& x : v.array_value()) CollectTypes(x, types, depth + 1, max_depth);
  if (v.type() == ValueType::kKvList)
    for (const KeyValue& kv : v.kvlist_value()) CollectTypes(kv.value, types, depth + 1, max_depth);
}

TEST(SpanGeneratorTest, AllValueTypesCoversEveryType) {
  GeneratorOptions o;
  o.all_value_types = true;
  SpanGenerator gen(o);
  std::set<ValueType> types;
  int max_depth = 0;
  bool nan = false, inf = false, bad_utf8 = false;
  for (const Span* s : AllSpans(gen.Next(3000))) {
    for (const KeyValue& kv : s->attributes) {
      CollectTypes(kv.value, &types, 0, &max_depth);
      if (kv.value.type() == ValueType::kDouble) {
        nan |= kv.value.double_value() != kv.value.double_value();
        inf |= kv.value.double_value() > 1e308;
      }
      if (kv.value.type() == ValueType::kString) bad_utf8 |= kv.value.string_value().find('\xED') != std::string_view::npos;
    }
  }
  EXPECT_EQ(types.size(), 8u);
  EXPECT_GT(max_depth, 32);
  EXPECT_TRUE(nan);
  EXPECT_TRUE(inf);
  EXPECT_TRUE(bad_utf8);
}

TEST(SpanGeneratorTest, SmallCatalogsStillWork) {
  GeneratorOptions o;
  o.services = 1;
  o.operations = 3;
  o.interleaved_traces = 1;
  SpanGenerator gen(o);
  auto spans = AllSpans(gen.Next(200));
  EXPECT_EQ(spans.size(), 200u);
  o.services = 40;
  o.operations = 500;
  SpanGenerator big(o);
  std::set<std::string_view> services;
  for (const ResourceSpans& rs : big.Next(4000)) services.insert(ServiceName(rs.resource));
  EXPECT_GT(services.size(), 20u);
}

}  // namespace
}  // namespace otelpack::loadgen
