// End-to-end tests of the sink over real loopback HTTP: ingest, compression,
// deduplication, schema errors, routing, read endpoints, persistence and
// concurrent clients (limits: sink_limits_test.cc).
#include "sink/sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/str_cat.h"
#include "http/testing/test_client.h"
#include "sink/sink_test_base.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using testing::BodyJson;
using testing::BodyOf;
using testing::IngestHeaderOptions;
using testing::IngestHeaders;
using testing::IngestHeadersWithBatch;
using testing::SpanFields;
using testing::SpanJson;
using testing::TestClient;
using testing::SinkTest;
using testing::TestResponse;

TEST_F(SinkTest, StoresAValidBatch) {
  EXPECT_EQ(sink_->endpoint(), StrCat("http://127.0.0.1:", sink_->port()));
  TestResponse r = Post(BodyOf(3), IngestHeaders());
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"accepted":3,"duplicate":false})");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(Count(), 3u);
  auto all = sink_->AllEvents();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<std::string>{SpanJson(0), SpanJson(1), SpanJson(2)}));
  // An empty batch is fine too.
  EXPECT_EQ(Post(BodyJson({}), IngestHeaders()).body, R"({"accepted":0,"duplicate":false})");
  // Content-Type parameters and case do not matter.
  IngestHeaderOptions o;
  o.content_type = "Application/JSON; charset=utf-8";
  EXPECT_EQ(Post(BodyOf(1, 10), IngestHeaders(o)).status, 200);
  EXPECT_EQ(Count(), 4u);
  EXPECT_EQ(client_->connects(), 1) << "keep-alive must hold across requests";
}

TEST_F(SinkTest, AcceptsEveryCompression) {
  int first = 0;
  for (auto [c, name] : {std::pair{Compression::kGzip, "gzip"}, {Compression::kZstd, "zstd"},
                         {Compression::kLz4, "lz4"}, {Compression::kNone, "identity"}}) {
    IngestHeaderOptions o;
    o.encoding = name;
    TestResponse r = Post(testing::Compress(c, BodyOf(50, first)), IngestHeaders(o));
    EXPECT_EQ(r.status, 200) << name << ": " << r.body;
    first += 50;
  }
  EXPECT_EQ(Count(), 200u);
  // Corrupt compressed data is a bad request, not a server error.
  IngestHeaderOptions o;
  o.encoding = "zstd";
  std::string corrupt = testing::Compress(Compression::kZstd, BodyOf(5));
  corrupt.resize(corrupt.size() / 2);
  EXPECT_EQ(Post(corrupt, IngestHeaders(o)).status, 400);
  o.encoding = "gzip";
  EXPECT_EQ(Post(BodyOf(1), IngestHeaders(o)).status, 400);  // not gzip at all
  EXPECT_EQ(Count(), 200u);
}

TEST_F(SinkTest, DuplicateBatchIdIsAcknowledgedButNotStoredTwice) {
  const std::string body = testing::Compress(Compression::kZstd, BodyOf(7));
  IngestHeaderOptions o;
  o.batch_id = "0123456789abcdef0123456789abcdef";
  o.encoding = "zstd";
  TestResponse first = Post(body, IngestHeaders(o));
  EXPECT_EQ(first.body, R"({"accepted":7,"duplicate":false})");
  TestResponse again = Post(body, IngestHeaders(o));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"accepted":7,"duplicate":true})");
  EXPECT_EQ(Count(), 7u);
  SinkStats stats = sink_->Stats();
  EXPECT_EQ(stats.duplicates, 1u);
  EXPECT_EQ(stats.batches, 1u);
  EXPECT_EQ(stats.events, 7u);
  EXPECT_EQ(stats.requests_by_status[200], 2u);
  // Batch ids are checked.
  for (std::string bad : {std::string(129, 'a'), std::string("a b"), std::string("ü"),
                          std::string("a/b")}) {
    TestResponse r = Post(BodyOf(1), IngestHeadersWithBatch(bad));
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.body, R"({"error":"X-Batch-ID: expected 1 to 128 characters of [A-Za-z0-9._-]"})");
  }
  EXPECT_EQ(Post(BodyOf(1, 100), IngestHeadersWithBatch(std::string(128, 'Z'))).status, 200);
  EXPECT_EQ(Post(BodyOf(1, 101), IngestHeadersWithBatch("A.b_c-9")).status, 200);
}

TEST_F(SinkTest, RefusesWrongContentTypeAndEncoding) {
  IngestHeaderOptions o;
  o.content_type = "text/plain";
  TestResponse r = Post(BodyOf(1), IngestHeaders(o));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.body, R"({"error":"Content-Type: expected application/json"})");
  o.content_type = "application/jsonx";
  EXPECT_EQ(Post(BodyOf(1), IngestHeaders(o)).status, 415);
  o = {};
  o.encoding = "br";
  EXPECT_EQ(Post(BodyOf(1), IngestHeaders(o)).status, 415);
  o.encoding = "gzip, zstd";
  EXPECT_EQ(Post(BodyOf(1), IngestHeaders(o)).status, 415);
  std::vector<std::string> no_type = {"X-Project-ID: demo",
                                      StrCat("Authorization: ApiKey ", testing::kApiKey)};
  EXPECT_EQ(Post(BodyOf(1), no_type).status, 415);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(SinkTest, RefusesSchemaViolationsNamingTheField) {
  std::vector<std::string> events = {SpanJson(0), SpanJson(1), SpanJson(2),
                                     SpanFields(3).Set("trace_id", "\"ABC\"").Json()};
  TestResponse r = Post(BodyJson(events), IngestHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"events[3].trace_id: expected 32 lowercase hex digits"})");
  r = Post(BodyJson({SpanFields(0).Set("attributes", R"({"a":{"b":[18446744073709551615]}})").Json()}),
           IngestHeaders());
  EXPECT_EQ(r.body, R"({"error":"events[0].attributes.a.b[0]: integer out of int64 range"})");
  r = Post(BodyJson({SpanFields(0).Set("events", R"([{"name":"x","timestamp_ms":"1","attributes":{}}])").Json()}),
           IngestHeaders());
  EXPECT_EQ(r.body, R"({"error":"events[0].events[0].timestamp_ms: expected integer"})");
  r = Post(BodyJson({SpanFields(0).Set("color", "\"red\"").Json()}), IngestHeaders());
  EXPECT_EQ(r.body, R"({"error":"events[0].color: unknown field"})");
  r = Post(BodyJson({SpanFields(0).Remove("status").Json()}), IngestHeaders());
  EXPECT_EQ(r.body, R"({"error":"events[0].status: missing"})");
  // Malformed and truncated JSON.
  const std::string body = BodyOf(2);
  r = Post(body.substr(0, body.size() - 10), IngestHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.rfind(R"({"error":"malformed JSON)", 0), 0u) << r.body;
  EXPECT_EQ(Post("not json", IngestHeaders()).status, 400);
  EXPECT_EQ(Post("", IngestHeaders()).status, 400);
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(sink_->Stats().requests_by_status[400], 8u);
}

TEST_F(SinkTest, AcceptsEdgeCaseEventsVerbatim) {
  std::string attributes = R"({"max":9223372036854775807,"min":-9223372036854775808,)"
                           R"("nan":null,"pi":3.141592653589793,"tiny":5e-324,)"
                           "\"text\":\"\\u00e9\\n\\\"\xf0\x9f\x8c\x8d\xe4\xb8\xad\",\"arr\":[[],{}],";
  for (int i = 0; i < 150; ++i) StrAppend(&attributes, "\"a", i, "\":", i, ",");
  attributes += R"("":""})";
  const std::string event =
      SpanFields(0).Set("operation", "\"\"").Set("status_message", "\"\"").Set("attributes", attributes).Json();
  TestResponse r = Post(BodyJson({event}), IngestHeaders());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*sink_->AllEvents(), std::vector<std::string>{event});
}

TEST_F(SinkTest, RoutesUnknownPathsAndMethods) {
  auto r = client_->Get("/v1/nothing", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, R"({"error":"not found"})");
  r = client_->Get("/v1/ingest", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->headers["allow"], "POST");
  r = client_->Send("PUT", "/v1/ingest", BodyOf(1), IngestHeaders());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
  r = client_->Post("/v1/stats", "{}", IngestHeaders());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->headers["allow"], "GET");
  EXPECT_EQ(client_->Post("/v1/ingest/", BodyOf(1), IngestHeaders())->status, 404);
  EXPECT_EQ(client_->Get("/v1/traces/", {})->status, 404);
  EXPECT_EQ(client_->connects(), 1) << "refusals keep the connection alive";
}

TEST_F(SinkTest, ReadEndpoints) {
  const std::string trace = testing::TraceIdFor(42);
  std::vector<std::string> events = {
      SpanFields(1, trace).Set("start_time_ms", "300").Json(),
      SpanFields(2, trace).Set("start_time_ms", "100").Json(),
      SpanFields(3).Json(),
      SpanFields(4, trace).Set("start_time_ms", "200").Json()};
  ASSERT_EQ(Post(BodyJson(events), IngestHeadersWithBatch("b1")).status, 200);
  ASSERT_EQ(Post(BodyJson(events), IngestHeadersWithBatch("b1")).status, 200);

  TestResponse t = Get(StrCat("/v1/traces/", trace));
  EXPECT_EQ(t.status, 200);
  const std::string expected = StrCat(R"({"trace_id":")", trace, R"(","events":[)", events[1], ",",
                                      events[3], ",", events[0], "]}");
  EXPECT_EQ(t.body, expected);
  EXPECT_EQ(*sink_->TraceJson(trace), expected);
  EXPECT_EQ(Get(StrCat("/v1/traces/", testing::TraceIdFor(7))).body,
            StrCat(R"({"trace_id":")", testing::TraceIdFor(7), R"(","events":[]})"));
  EXPECT_EQ(Get("/v1/traces/ABC").status, 400);
  EXPECT_FALSE(sink_->TraceJson("xyz").ok());

  TestResponse s = Get("/v1/stats");
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.body,
            R"({"events":4,"by_type":{"span":4,"log":0,"metric":0},"batches":1,"duplicates":1,)"
            R"("requests":{"200":2}})");

  // Read endpoints are authenticated like ingest.
  auto anonymous = client_->Get("/v1/stats", {});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->status, 401);
  auto wrong = client_->Get(StrCat("/v1/traces/", trace), {"Authorization: ApiKey nope"});
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  // ...and for this sink's project only.
  auto other = client_->Get("/v1/stats", {StrCat("Authorization: ApiKey ", testing::kApiKey),
                                          "X-Project-ID: other"});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 403);
}

TEST_F(SinkTest, PersistsAcrossRestartWithTheSameFile) {
  testing::TempDir dir;
  SinkOptions options = testing::TestSinkOptions();
  options.db_path = dir.File("sink.db");
  StartSink(options);
  ASSERT_EQ(Post(BodyOf(5), IngestHeadersWithBatch("persist-1")).status, 200);
  sink_->Stop();
  sink_->Stop();  // idempotent
  EXPECT_EQ(Count(), 5u) << "the store stays readable after Stop";
  auto refused = client_->Post("/v1/ingest", BodyOf(1), IngestHeaders());
  EXPECT_FALSE(refused.ok());

  StartSink(options);
  EXPECT_EQ(Count(), 5u);
  EXPECT_EQ(sink_->Stats().events, 5u);
  EXPECT_EQ(sink_->Stats().batches, 1u);
  // The batch id survived the restart too.
  EXPECT_EQ(Post(BodyOf(5), IngestHeadersWithBatch("persist-1")).body,
            R"({"accepted":5,"duplicate":true})");
  EXPECT_EQ(Count(), 5u);
}

TEST_F(SinkTest, ConcurrentClientsAreAllStoredExactlyOnce) {
  constexpr int kThreads = 4;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      TestClient client(sink_->endpoint());
      for (int i = 0; i < kRequests; ++i) {
        IngestHeaderOptions o;
        o.batch_id = StrCat("t", t, "-r", i);
        o.encoding = "zstd";
        const std::string body =
            testing::Compress(Compression::kZstd, BodyOf(10, (t * kRequests + i) * 10));
        // Each batch is sent twice, as after a lost answer.
        for (int attempt = 0; attempt < 2; ++attempt) {
          auto r = client.Post("/v1/ingest", body, IngestHeaders(o));
          if (r.ok() && r->status == 200) ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests * 2);
  EXPECT_EQ(Count(), static_cast<std::uint64_t>(kThreads * kRequests * 10));
  SinkStats stats = sink_->Stats();
  EXPECT_EQ(stats.batches, static_cast<std::uint64_t>(kThreads * kRequests));
  EXPECT_EQ(stats.duplicates, static_cast<std::uint64_t>(kThreads * kRequests));
  // Every span is there once.
  auto all = sink_->AllEvents();
  ASSERT_TRUE(all.ok());
  std::sort(all->begin(), all->end());
  EXPECT_EQ(std::adjacent_find(all->begin(), all->end()), all->end());
}

TEST(SinkStartTest, RefusesBadOptions) {
  SinkOptions o = testing::TestSinkOptions();
  o.listen = "127.0.0.1";
  EXPECT_EQ(Sink::Start(o).status().code(), StatusCode::kInvalidArgument);
  o.listen = "127.0.0.1:99999";
  EXPECT_EQ(Sink::Start(o).status().code(), StatusCode::kInvalidArgument);
  o = testing::TestSinkOptions();
  o.auth.api_key.clear();
  EXPECT_EQ(Sink::Start(o).status().code(), StatusCode::kInvalidArgument);
  o = testing::TestSinkOptions();
  o.faults.fail_ratio = 1.5;
  EXPECT_EQ(Sink::Start(o).status().code(), StatusCode::kInvalidArgument);
  o = testing::TestSinkOptions();
  o.threads = 0;
  EXPECT_EQ(Sink::Start(o).status().code(), StatusCode::kInvalidArgument);
  // A port already in use.
  auto first = Sink::Start(testing::TestSinkOptions());
  ASSERT_TRUE(first.ok());
  o = testing::TestSinkOptions();
  o.listen = StrCat("127.0.0.1:", (*first)->port());
  EXPECT_EQ(Sink::Start(o).status().code(), StatusCode::kUnavailable);
}

TEST(SinkStartTest, ListensOnIpv6Loopback) {
  SinkOptions o = testing::TestSinkOptions();
  o.listen = "[::1]:0";
  o.threads = 1;
  auto sink = Sink::Start(o);
  if (!sink.ok()) GTEST_SKIP() << "no IPv6 loopback: " << sink.status().ToString();
  EXPECT_EQ((*sink)->endpoint(), StrCat("http://[::1]:", (*sink)->port()));
  TestClient client((*sink)->endpoint());
  auto r = client.Post("/v1/ingest", BodyOf(1), IngestHeaders());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace otelpack::sink
