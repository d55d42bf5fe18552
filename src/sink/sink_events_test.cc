// End-to-end tests of log and metric events over real loopback HTTP: ingest
// (alone and mixed with spans), schema errors, GET /v1/events with its
// filters, limit and parameter errors, "by_type" in GET /v1/stats (also
// after a restart and without event rows), and the trace endpoint keeping to
// spans.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/str_cat.h"
#include "sink/sink.h"
#include "sink/sink_test_base.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using testing::JsonFields;
using testing::BodyJson;
using testing::IngestHeaders;
using testing::IngestHeadersWithBatch;
using testing::LogFields;
using testing::LogJson;
using testing::MetricFields;
using testing::MetricJson;
using testing::SpanFields;
using testing::SpanJson;
using testing::TestResponse;

using SinkEventsTest = testing::SinkTest;

// {"events":[...]} of `events` in this order.
std::string EventsBody(const std::vector<std::string>& events) {
  std::string out = "{\"events\":[";
  for (std::size_t i = 0; i < events.size(); ++i) StrAppend(&out, i ? "," : "", events[i]);
  return out + "]}";
}

// A log of `service` with `event_name` ("" for none).
std::string ServiceLog(int i, std::string_view service, std::string_view event_name = "") {
  JsonFields f = LogFields(i);
  f.Set("service", StrCat("\"", service, "\""));
  if (!event_name.empty()) f.Set("event_name", StrCat("\"", event_name, "\""));
  return f.Json();
}

TEST_F(SinkEventsTest, StoresAndFindsLogsAndMetrics) {
  const std::vector<std::string> logs = {testing::kDocLogExample, ServiceLog(1, "my service"),
                                         ServiceLog(2, "checkout", "browser.click"),
                                         ServiceLog(3, "checkout")};
  const std::vector<std::string> metrics = {
      testing::kDocMetricExample, MetricJson("gauge", 1), MetricJson("sum", 2),
      MetricJson("exponential_histogram", 3), MetricJson("summary", 4)};
  const std::vector<std::string> spans = {SpanJson(5), SpanJson(6)};
  TestResponse r = Post(BodyJson(logs), IngestHeadersWithBatch("logs-1"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"accepted":4,"duplicate":false})");
  ASSERT_EQ(Post(BodyJson(metrics), IngestHeadersWithBatch("metrics-1")).status, 200);
  ASSERT_EQ(Post(BodyJson(spans), IngestHeadersWithBatch("spans-1")).status, 200);
  // A retried batch of logs is stored once.
  EXPECT_EQ(Post(BodyJson(logs), IngestHeadersWithBatch("logs-1")).body,
            R"({"accepted":4,"duplicate":true})");

  EXPECT_EQ(Get("/v1/events?type=log").body, EventsBody(logs));
  EXPECT_EQ(Get("/v1/events?type=metric").body, EventsBody(metrics));
  EXPECT_EQ(Get("/v1/events?type=span").body, EventsBody(spans));
  EXPECT_EQ(Get("/v1/events?type=log&service=checkout").body,
            EventsBody({logs[0], logs[2], logs[3]}));
  EXPECT_EQ(Get("/v1/events?service=checkout&type=log&name=browser.click&limit=100").body,
            EventsBody({logs[2]}));
  // A log without an event name has the name "".
  EXPECT_EQ(Get("/v1/events?type=log&name=").body, EventsBody({logs[0], logs[1], logs[3]}));
  EXPECT_EQ(Get("/v1/events?type=metric&name=http.server.request.duration").body,
            EventsBody({metrics[0]}));
  EXPECT_EQ(Get("/v1/events?name=app.gauge").body, EventsBody({metrics[1]}));
  // Percent-encoding, and '+' for a space.
  EXPECT_EQ(Get("/v1/events?service=my+service").body, EventsBody({logs[1]}));
  EXPECT_EQ(Get("/v1/events?service=my%20service&type=log").body, EventsBody({logs[1]}));
  EXPECT_EQ(Get("/v1/events?type=span&name=GET%20%2Fcart%2F6").body, EventsBody({spans[1]}));
  EXPECT_EQ(Get("/v1/events?service=nobody").body, R"({"events":[]})");
  // Everything, in the order stored; the limit keeps the oldest.
  std::vector<std::string> all = logs;
  all.insert(all.end(), metrics.begin(), metrics.end());
  all.insert(all.end(), spans.begin(), spans.end());
  EXPECT_EQ(Get("/v1/events").body, EventsBody(all));
  EXPECT_EQ(Get("/v1/events?limit=3").body, EventsBody({logs[0], logs[1], logs[2]}));
  EXPECT_EQ(Get("/v1/events?limit=1&type=metric").body, EventsBody({metrics[0]}));
  EXPECT_EQ(Get("/v1/events?limit=10000").body, EventsBody(all));
  EXPECT_EQ(*sink_->FindEvents({.type = EventType::kMetric, .name = "app.sum"}),
            std::vector<std::string>{metrics[2]});

  EXPECT_EQ(Get("/v1/stats").body,
            R"({"events":11,"by_type":{"span":2,"log":4,"metric":5},"batches":3,"duplicates":1,)"
            R"("requests":{"200":4}})");
  EXPECT_EQ(sink_->Stats().by_type, (EventCounts{2, 4, 5}));
  EXPECT_EQ(client_->connects(), 1);
}

TEST_F(SinkEventsTest, AcceptsARequestMixingTypes) {
  const std::vector<std::string> events = {MetricJson("histogram"), SpanJson(1), LogJson(2),
                                           MetricJson("gauge", 3), LogJson(4)};
  TestResponse r = Post(BodyJson(events), IngestHeaders());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"accepted":5,"duplicate":false})");
  EXPECT_EQ(*sink_->AllEvents(), events);
  EXPECT_EQ(sink_->Stats().by_type, (EventCounts{1, 2, 2}));
  EXPECT_EQ(Get("/v1/events?type=log").body, EventsBody({events[2], events[4]}));
}

TEST_F(SinkEventsTest, RefusesBadLogsAndMetricsNamingTheField) {
  TestResponse r = Post(BodyJson({LogJson(0), SpanJson(1),
                                  LogFields(2).Set("trace_id", "\"ABC\"").Json()}),
                        IngestHeaders());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":"events[2].trace_id: expected 32 lowercase hex digits or null"})");
  r = Post(BodyJson({MetricFields("histogram")
                         .Set("buckets", R"([{"le":1.0,"count":3}])")
                         .Json()}),
           IngestHeaders());
  EXPECT_EQ(r.body,
            R"x({"error":"events[0].buckets[0].le: the last bucket's bound must be null (+Inf)"})x");
  r = Post(BodyJson({MetricFields("gauge").Set("monotonic", "true").Json()}), IngestHeaders());
  EXPECT_EQ(r.body, R"({"error":"events[0].monotonic: not a field of a gauge metric"})");
  r = Post(BodyJson({MetricFields("sum").Set("type", "\"metrics\"").Json()}), IngestHeaders());
  EXPECT_EQ(r.body, R"({"error":"events[0].type: expected \"span\", \"log\" or \"metric\""})");
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(sink_->Stats().by_type, EventCounts{});
}

TEST_F(SinkEventsTest, RefusesBadQueryParameters) {
  ASSERT_EQ(Post(BodyJson({LogJson(0)}), IngestHeaders()).status, 200);
  struct Case {
    const char* query;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"type=trace", "type: expected span, log or metric"},
           {"type=", "type: expected span, log or metric"},
           {"type=LOG", "type: expected span, log or metric"},
           {"limit=0", "limit: expected an integer from 1 to 10000"},
           {"limit=10001", "limit: expected an integer from 1 to 10000"},
           {"limit=-1", "limit: expected an integer from 1 to 10000"},
           {"limit=1.5", "limit: expected an integer from 1 to 10000"},
           {"limit=", "limit: expected an integer from 1 to 10000"},
           {"limit=99999999999999999999", "limit: expected an integer from 1 to 10000"},
           {"type=log&limit=ten", "limit: expected an integer from 1 to 10000"},
           {"servce=checkout", "servce: unknown parameter"},
           {"type=log&trace_id=abc", "trace_id: unknown parameter"},
           {"type=log&type=span", "type: given more than once"},
           {"service=a&service=b", "service: given more than once"},
       }) {
    TestResponse r = Get(StrCat("/v1/events?", c.query));
    EXPECT_EQ(r.status, 400) << c.query;
    EXPECT_EQ(r.body, StrCat(R"({"error":")", c.error, R"("})")) << c.query;
  }
  EXPECT_EQ(Get("/v1/events?limit=0001").body, EventsBody({LogJson(0)}));
}

TEST_F(SinkEventsTest, TheEventsEndpointIsAuthenticatedAndGetOnly) {
  auto anonymous = client_->Get("/v1/events?type=log", {});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->status, 401);
  auto wrong = client_->Get("/v1/events", {"Authorization: ApiKey nope"});
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  auto other = client_->Get("/v1/events", {StrCat("Authorization: ApiKey ", testing::kApiKey),
                                           "X-Project-ID: other"});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 403);
  auto post = client_->Post("/v1/events", "{}", IngestHeaders());
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->headers["allow"], "GET");
  EXPECT_EQ(client_->Get("/v1/events/", {})->status, 404);
}

TEST_F(SinkEventsTest, ATraceIsItsSpansOnly) {
  const std::string trace = testing::TraceIdFor(7);
  const std::string span = SpanFields(7, trace).Json();
  const std::string log = LogFields(7).Json();  // the same trace id
  ASSERT_EQ(Post(BodyJson({log, span}), IngestHeaders()).status, 200);
  EXPECT_EQ(Get(StrCat("/v1/traces/", trace)).body,
            StrCat(R"({"trace_id":")", trace, R"(","events":[)", span, "]}"));
}

TEST_F(SinkEventsTest, CountsByTypeAcrossRestartsAndWithoutEventRows) {
  testing::TempDir dir;
  for (bool keep_events : {true, false}) {
    SinkOptions options = testing::TestSinkOptions();
    options.db_path = dir.File(keep_events ? "kept.db" : "counted.db");
    options.keep_events = keep_events;
    StartSink(options);
    ASSERT_EQ(Post(BodyJson({LogJson(0), LogJson(1), MetricJson("sum")}),
                   IngestHeadersWithBatch("b1"))
                  .status,
              200);
    ASSERT_EQ(Post(BodyJson({SpanJson(2)}), IngestHeadersWithBatch("b2")).status, 200);
    StartSink(options);
    EXPECT_EQ(sink_->Stats().by_type, (EventCounts{1, 2, 1})) << keep_events;
    EXPECT_EQ(sink_->Stats().events, 4u);
    ASSERT_EQ(Post(BodyJson({MetricJson("gauge")}), IngestHeadersWithBatch("b3")).status, 200);
    EXPECT_EQ(Get("/v1/stats").body,
              R"({"events":5,"by_type":{"span":1,"log":2,"metric":2},"batches":3,)"
              R"("duplicates":0,"requests":{"200":1}})")
        << keep_events;
    EXPECT_EQ(Get("/v1/events?type=metric").body,
              keep_events ? EventsBody({MetricJson("sum"), MetricJson("gauge")})
                          : EventsBody({}));
  }
}

}  // namespace
}  // namespace otelpack::sink
