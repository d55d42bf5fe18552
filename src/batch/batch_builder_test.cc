#include "batch/batch_builder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "format/span_encoder.h"

namespace otelpack {
namespace {

// A builder of span batches for project "proj", with the real span encoder.
struct SpanBatches {
  explicit SpanBatches(BatchLimits limits) : builder(limits, envelope, Signal::kTraces) {}
  AddStats Add(TracesView traces, std::vector<EncodedBatch>* closed) { return builder.Add(encoder, traces, closed); }
  void Flush(std::vector<EncodedBatch>* closed) { builder.Flush(closed); }
  std::size_t open_events() const { return builder.open_events(); }

  Envelope envelope = Envelope::ForProject("proj");
  SpanEncoder encoder;
  BatchBuilder builder;
};

std::size_t EnvelopeBytes() { return Envelope::ForProject("proj").overhead_bytes(); }

// A resource with `n` spans whose names make each event about `name_bytes` long.
struct Fixture {
  std::vector<Span> spans;
  std::vector<std::string> names;
  ScopeSpans scope;
  ResourceSpans resource;
  KeyValue service[1] = {{"service.name", AnyValue::String("checkout")}};

  Fixture(std::size_t n, std::size_t name_bytes) {
    names.reserve(n);
    for (std::size_t i = 0; i < n; ++i) names.push_back(std::string(name_bytes, 'a' + i % 26));
    spans.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      spans[i].trace_id.bytes[0] = 1;
      spans[i].span_id.bytes[7] = static_cast<std::uint8_t>(i + 1);
      spans[i].name = names[i];
      spans[i].start_time_unix_nano = 1'700'000'000'000'000'000ull;
      spans[i].end_time_unix_nano = spans[i].start_time_unix_nano + 1'500'000;
    }
    scope.spans = spans;
    resource.resource.attributes = service;
    resource.scope_spans = {&scope, 1};
  }
  TracesView view() const { return {&resource, 1}; }
};

// Parses a body and returns the operations of its events, in order.
std::vector<std::string> Operations(const EncodedBatch& batch) {
  simdjson::dom::parser parser;
  simdjson::padded_string json(batch.body.view());
  simdjson::dom::element doc = parser.parse(json);
  EXPECT_EQ(std::string_view(doc["project_id"]), "proj");
  EXPECT_EQ(int64_t(doc["sent_at"]), batch.sent_at_ms);
  std::vector<std::string> ops;
  for (simdjson::dom::element e : doc["events"].get_array()) ops.emplace_back(std::string_view(e["operation"]));
  EXPECT_EQ(ops.size(), batch.events);
  return ops;
}

TEST(BatchBuilderTest, SplitsAtTheEventCount) {
  Fixture f(1201, 10);
  SpanBatches builder({.max_events = 500, .max_bytes = 5 << 20});
  std::vector<EncodedBatch> closed;
  AddStats stats = builder.Add(f.view(), &closed);
  EXPECT_EQ(stats.added, 1201u);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(builder.open_events(), 201u);
  builder.Flush(&closed);
  ASSERT_EQ(closed.size(), 3u);
  std::vector<std::string> all;
  for (const EncodedBatch& b : closed) {
    for (auto& op : Operations(b)) all.push_back(op);
    EXPECT_EQ(b.batch_id.size(), 32u);
  }
  ASSERT_EQ(all.size(), 1201u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], f.names[i]) << i;
  EXPECT_NE(closed[0].batch_id, closed[1].batch_id);
}

TEST(BatchBuilderTest, SplitsAtTheByteLimitWithoutSplittingAnEvent) {
  Fixture f(100, 1000);  // events of ~1.3 KB
  const std::size_t limit = 16 * 1024;
  SpanBatches builder({.max_events = 500, .max_bytes = limit});
  std::vector<EncodedBatch> closed;
  builder.Add(f.view(), &closed);
  builder.Flush(&closed);
  ASSERT_GT(closed.size(), 5u);
  std::size_t events = 0;
  for (const EncodedBatch& b : closed) {
    EXPECT_LE(b.body.size(), limit);
    // Full batches leave less than one event of room.
    events += Operations(b).size();
  }
  EXPECT_EQ(events, 100u);
  EXPECT_GT(closed[0].body.size(), limit - 1400);
}

TEST(BatchBuilderTest, DropsAndCountsAnEventLargerThanTheLimit) {
  Fixture f(3, 100);
  f.names[1] = std::string(20000, 'x');
  f.spans[1].name = f.names[1];
  SpanBatches builder({.max_events = 500, .max_bytes = 8 * 1024});
  std::vector<EncodedBatch> closed;
  AddStats stats = builder.Add(f.view(), &closed);
  EXPECT_EQ(stats.added, 2u);
  EXPECT_EQ(stats.dropped_oversized, 1u);
  builder.Flush(&closed);
  ASSERT_EQ(closed.size(), 1u);
  std::vector<std::string> ops = Operations(closed[0]);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0], f.names[0]);
  EXPECT_EQ(ops[1], f.names[2]);
}

TEST(BatchBuilderTest, EmptyFlushProducesNothing) {
  SpanBatches builder({});
  std::vector<EncodedBatch> closed;
  builder.Flush(&closed);
  EXPECT_TRUE(closed.empty());
}

TEST(BatchBuilderTest, EveryBatchKnowsItsSignal) {
  Fixture f(3, 10);
  Envelope envelope = Envelope::ForProject("proj");
  SpanEncoder encoder;
  BatchBuilder builder({}, envelope, Signal::kLogs);  // any encoder: the builder does not look
  std::vector<EncodedBatch> closed;
  builder.Add(encoder, f.view(), &closed);
  builder.Flush(&closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].signal, Signal::kLogs);
}

TEST(BatchBuilderTest, WritesBodiesInAnyEnvelope) {
  // One event a line, nothing around: the envelope decides, the builder does not.
  Fixture f(5, 10);
  Envelope ndjson("", "\n", "", false, "\n");
  EXPECT_EQ(ndjson.overhead_bytes(), 1u);
  SpanEncoder encoder;
  BatchBuilder builder({.max_events = 3, .max_bytes = 1 << 20}, ndjson, Signal::kTraces);
  std::vector<EncodedBatch> closed;
  builder.Add(encoder, f.view(), &closed);
  builder.Flush(&closed);
  ASSERT_EQ(closed.size(), 2u);
  for (const EncodedBatch& b : closed) {
    std::string_view body = b.body.view();
    ASSERT_EQ(body.back(), '\n');
    std::size_t lines = 0;
    simdjson::dom::parser parser;
    for (std::size_t start = 0; start < body.size();) {
      std::size_t end = body.find('\n', start);
      simdjson::padded_string line(body.substr(start, end - start));
      EXPECT_EQ(std::string_view(parser.parse(line)["type"]), "span");
      ++lines;
      start = end + 1;
    }
    EXPECT_EQ(lines, b.events);
  }
  EXPECT_EQ(closed[0].events, 3u);
}

TEST(BatchBuilderTest, AnEventExactlyAtTheLimitFits) {
  Fixture f(1, 10);
  SpanBatches probe({});
  std::vector<EncodedBatch> closed;
  probe.Add(f.view(), &closed);
  probe.Flush(&closed);
  const std::size_t event_bytes = closed[0].body.size() - (EnvelopeBytes() - 33) -
                                  std::string_view(R"(],"sent_at":1700000000000})").size();
  closed.clear();
  SpanBatches exact({.max_events = 500, .max_bytes = EnvelopeBytes() + event_bytes});
  AddStats stats = exact.Add(f.view(), &closed);
  EXPECT_EQ(stats.added, 1u);
  EXPECT_EQ(stats.dropped_oversized, 0u);
  SpanBatches short_by_one({.max_events = 500, .max_bytes = EnvelopeBytes() + event_bytes - 1});
  stats = short_by_one.Add(f.view(), &closed);
  EXPECT_EQ(stats.dropped_oversized, 1u);
}

}  // namespace
}  // namespace otelpack

namespace otelpack {
namespace {

// The body an open batch's parts make in the envelope, as recovery joins them.
std::string JoinParts(const std::vector<BatchPart>& parts, const std::string& batch_id, std::int64_t sent_at_ms) {
  const Envelope envelope = Envelope::ForProject("proj");
  Buffer body;
  envelope.AppendPrefix(&body);
  bool first = true;
  for (const BatchPart& p : parts) {
    if (p.batch_id != batch_id) continue;
    if (!first) envelope.AppendSeparator(&body);
    body.Append(p.events_bytes.view());
    first = false;
  }
  envelope.AppendSuffix(sent_at_ms, &body);
  return std::string(body.view());
}

TEST(BatchBuilderTest, PartsJoinedAreTheBatchWhereverItFilledUp) {
  Fixture f(200, 10);
  SpanBatches b({.max_events = 500, .max_bytes = 5 << 20});
  std::vector<EncodedBatch> closed;
  std::vector<BatchPart> parts;
  // 200 + 200 + 200: the third Add fills the batch at 100 and opens the next.
  for (int i = 0; i < 3; ++i) b.builder.Add(b.encoder, f.view(), &closed, &parts);
  ASSERT_EQ(closed.size(), 1u);
  ASSERT_EQ(parts.size(), 4u) << "one part per Add and batch it touched";
  EXPECT_EQ(closed[0].parts, 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(parts[i].batch_id, closed[0].batch_id);
  EXPECT_EQ(parts[2].events, 100u);
  EXPECT_EQ(JoinParts(parts, closed[0].batch_id, closed[0].sent_at_ms), closed[0].body.view());
  // The rest of the third Add is the open batch's first part, under the id it will close with.
  EXPECT_NE(parts[3].batch_id, closed[0].batch_id);
  EXPECT_EQ(parts[3].events, 100u);
  b.Flush(&closed);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[1].batch_id, parts[3].batch_id);
  EXPECT_EQ(closed[1].parts, 1u);
  EXPECT_EQ(JoinParts(parts, closed[1].batch_id, closed[1].sent_at_ms), closed[1].body.view());
  EXPECT_EQ(Operations(closed[1]).size(), 100u);
}

TEST(BatchBuilderTest, PartsJoinedAreTheBatchWhenItFillsUpByBytes) {
  Fixture f(30, 200);
  SpanBatches b({.max_events = 500, .max_bytes = 8 << 10});  // about 20 events a body
  std::vector<EncodedBatch> closed;
  std::vector<BatchPart> parts;
  for (int i = 0; i < 4; ++i) b.builder.Add(b.encoder, f.view(), &closed, &parts);
  b.Flush(&closed);
  ASSERT_GT(closed.size(), 4u);
  std::size_t events = 0;
  for (const EncodedBatch& batch : closed) {
    EXPECT_EQ(JoinParts(parts, batch.batch_id, batch.sent_at_ms), batch.body.view()) << batch.batch_id;
    events += Operations(batch).size();
  }
  EXPECT_EQ(events, 120u);
}

TEST(BatchBuilderTest, WithoutPartsNothingIsCopiedAndNoneCounted) {
  Fixture f(10, 10);
  SpanBatches b({.max_events = 500, .max_bytes = 5 << 20});
  std::vector<EncodedBatch> closed;
  b.Add(f.view(), &closed);
  b.Flush(&closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].parts, 0u);
}

}  // namespace
}  // namespace otelpack
