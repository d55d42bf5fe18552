// Logs and metrics through the agent end to end, over real sockets: OTLP/HTTP
// (protobuf and JSON) and OTLP/gRPC requests -> the agent -> the real sink,
// and what the sink stored; the per-signal answers, counters and refusals.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent.h"
#include "exporter/testing/test_sink.h"
#include "http/testing/test_client.h"
#include "loadgen/otlp_load.h"
#include "loadgen/signals.h"
#include "otlp/decode.h"
#include "sink/sink.h"

namespace otelpack::agent {
namespace {

using http::testing::TestClient;
using http::testing::TestResponse;
using namespace std::chrono_literals;

const std::vector<std::string> kProtobuf = {"Content-Type: application/x-protobuf"};
const std::vector<std::string> kJson = {"Content-Type: application/json"};

class AgentSignalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = otelpack::testing::StartTestSink();
    ASSERT_NE(sink_, nullptr);
    options_.http.listen = "127.0.0.1:0";
    // gRPC only where a test needs it: Debian's gRPC is not built for
    // ThreadSanitizer, which runs this suite (scripts/test.sh).
    options_.grpc.enabled = false;
    options_.grpc.listen = "127.0.0.1:0";
    options_.metrics.listen = "127.0.0.1:0";
    options_.exporter = otelpack::testing::ExporterOptionsFor(*sink_);
    options_.exporter.flush_interval = 20ms;
    options_.exporter.retry.initial_interval = 50ms;
    options_.exporter.retry.max_interval = 200ms;
  }

  void StartAgent() {
    auto agent = Agent::Start(options_);
    ASSERT_TRUE(agent.ok()) << agent.status().ToString();
    agent_ = std::move(*agent);
  }

  std::vector<std::string> Stored(sink::EventType type) {
    sink::EventFilter filter;
    filter.type = type;
    filter.limit = sink::kMaxEventsLimit;
    Result<std::vector<std::string>> events = sink_->FindEvents(filter);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *events : std::vector<std::string>();
  }

  AgentOptions options_;
  std::unique_ptr<sink::Sink> sink_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(AgentSignalsTest, LogsAndMetricsOverProtobufArriveAsTheirEvents) {
  StartAgent();
  loadgen::LogGenerator logs;
  loadgen::MetricGenerator metrics;
  TestClient client(agent_->http_endpoint());
  for (int i = 0; i < 3; ++i) {
    std::string body;
    otlp::EncodeLogsProto(logs.Next(200), &body);
    Result<TestResponse> r = client.Post("/v1/logs", body, kProtobuf);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body, "");  // an empty ExportLogsServiceResponse: full success
    body.clear();
    otlp::EncodeMetricsProto(metrics.Next(150), &body);
    r = client.Post("/v1/metrics", body, kProtobuf);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200) << r->body;
  }
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(sink::EventType::kLog).size(), 600u);
  EXPECT_EQ(Stored(sink::EventType::kMetric).size(), 450u);
  EXPECT_EQ(Stored(sink::EventType::kSpan).size(), 0u);
  const ExporterStats st = agent_->exporter_stats();
  EXPECT_EQ(st.logs.sent, 600u);
  EXPECT_EQ(st.metrics.sent, 450u);
  EXPECT_EQ(st.traces.received, 0u);
  EXPECT_EQ(agent_->http_counters()[Signal::kLogs].records_accepted, 600u);
  EXPECT_EQ(agent_->http_counters()[Signal::kMetrics].records_accepted, 450u);
  // A batch holds one signal: every request the sink took carried one type.
  EXPECT_GE(sink_->Stats().batches, 2u);
}

// The OTLP JSON mapping, as SDKs write it, and the events the document
// promises for it, field by field.
TEST_F(AgentSignalsTest, JsonLogsAndMetricsBecomeTheDocumentedEvents) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  const std::string logs = R"({"resourceLogs":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"checkout"}}]},
    "scopeLogs":[{"scope":{"name":"checkout.payments"},"logRecords":[
      {"timeUnixNano":"1732480000123456789","observedTimeUnixNano":"1732480000200000000",
       "severityNumber":17,"severityText":"ERROR","body":{"stringValue":"payment declined"},
       "attributes":[{"key":"retry","value":{"boolValue":false}}],
       "traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"},
      {"observedTimeUnixNano":"1732480000999000000","severityNumber":10,
       "body":{"kvlistValue":{"values":[{"key":"user","value":{"intValue":"42"}}]}},
       "eventName":"session.start"}]}]}]})";
  Result<TestResponse> r = client.Post("/v1/logs", logs, kJson);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, "{}");

  const std::string metrics = R"({"resourceMetrics":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"checkout"}}]},
    "scopeMetrics":[{"metrics":[
      {"name":"orders","unit":"{order}","sum":{"aggregationTemporality":1,"isMonotonic":true,
        "dataPoints":[{"startTimeUnixNano":"1732480000000000000","timeUnixNano":"1732480010000000000",
                       "asInt":"7","attributes":[{"key":"method","value":{"stringValue":"card"}}]}]}},
      {"name":"latency","unit":"s","histogram":{"aggregationTemporality":2,
        "dataPoints":[{"timeUnixNano":"1732480010000000000","count":"3","sum":0.5,
                       "bucketCounts":["1","2","0"],"explicitBounds":[0.1,1]}]}}]}]}]})";
  r = client.Post("/v1/metrics", metrics, kJson);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(agent_->Shutdown().ok());

  const std::vector<std::string> stored_logs = Stored(sink::EventType::kLog);
  ASSERT_EQ(stored_logs.size(), 2u);
  EXPECT_EQ(stored_logs[0],
            R"({"type":"log","service":"checkout","timestamp_ms":1732480000123,"severity":"ERROR",)"
            R"("severity_number":17,"body":"payment declined","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",)"
            R"("span_id":"00f067aa0ba902b7","attributes":{"retry":false}})");
  EXPECT_EQ(stored_logs[1],
            R"({"type":"log","service":"checkout","timestamp_ms":1732480000999,"severity":"INFO",)"
            R"("severity_number":10,"body":{"user":42},"trace_id":null,"span_id":null,"attributes":{},)"
            R"("event_name":"session.start"})");
  const std::vector<std::string> stored_metrics = Stored(sink::EventType::kMetric);
  ASSERT_EQ(stored_metrics.size(), 2u);
  EXPECT_EQ(stored_metrics[0],
            R"({"type":"metric","service":"checkout","name":"orders","unit":"{order}","kind":"sum",)"
            R"("timestamp_ms":1732480010000,"start_time_ms":1732480000000,"attributes":{"method":"card"},)"
            R"("value":7,"monotonic":true,"temporality":"delta"})");
  EXPECT_EQ(stored_metrics[1],
            R"({"type":"metric","service":"checkout","name":"latency","unit":"s","kind":"histogram",)"
            R"("timestamp_ms":1732480010000,"start_time_ms":null,"attributes":{},"temporality":"cumulative",)"
            R"("count":3,"sum":0.5,"min":null,"max":null,"buckets":[{"le":0.1,"count":1},{"le":1.0,"count":2},)"
            R"({"le":null,"count":0}]})");
}

TEST_F(AgentSignalsTest, LogsAndMetricsOverGrpcArriveExactlyOnce) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "gRPC is not instrumented for ThreadSanitizer (its receiver is covered by the other passes)";
#endif
  options_.http.enabled = false;
  options_.grpc.enabled = true;
  StartAgent();
  for (Signal signal : {Signal::kLogs, Signal::kMetrics}) {
    loadgen::OtlpLoadOptions o;
    o.protocol = loadgen::OtlpProtocol::kGrpc;
    o.signal = signal;
    o.url = agent_->grpc_address();
    o.connections = 1;
    o.records_per_request = 100;
    o.records_per_second = 5000;
    o.compression = Compression::kGzip;
    auto load = loadgen::OtlpLoad::Start(o);
    ASSERT_TRUE(load.ok()) << load.status().ToString();
    std::this_thread::sleep_for(300ms);
    (*load)->Stop();
    const loadgen::OtlpLoadStats st = (*load)->Stats();
    EXPECT_GT(st.records_ok, 0u) << st.last_error;
    EXPECT_EQ(st.requests_failed, 0u) << st.last_error;
    EXPECT_EQ(agent_->grpc_counters()[signal].records_accepted, st.records_ok);
  }
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(sink::EventType::kLog).size(), agent_->grpc_counters()[Signal::kLogs].records_accepted);
  EXPECT_EQ(Stored(sink::EventType::kMetric).size(), agent_->grpc_counters()[Signal::kMetrics].records_accepted);
}

// Points that cannot become the documented event are left out with OTLP
// partial success naming why; the rest of the request is accepted; nothing
// accepted is lost; the agent keeps serving.
TEST_F(AgentSignalsTest, BadDataPointsAreLeftOutAndTheRestAccepted) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  const std::string request = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
      {"name":"mismatched","histogram":{"aggregationTemporality":2,"dataPoints":[
        {"timeUnixNano":"1","count":"3","bucketCounts":["1","2"],"explicitBounds":[1,2,3]},
        {"timeUnixNano":"1","count":"1","bucketCounts":["1","0"],"explicitBounds":[1]}]}},
      {"name":"valueless","gauge":{"dataPoints":[{"timeUnixNano":"1"},{"timeUnixNano":"1","asDouble":1.5}]}}
    ]}]}]})";
  Result<TestResponse> r = client.Post("/v1/metrics", request, kJson);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find(R"("rejectedDataPoints":"2")"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("2 bucket counts for 3 explicit bounds"), std::string::npos) << r->body;

  // Half a million exponential buckets in JSON: every element is read onto
  // the scratch stack, which the decode budget stops long before: 413.
  std::string huge = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x","exponentialHistogram":{)"
                     R"("dataPoints":[{"positive":{"bucketCounts":[)";
  for (int i = 0; i < 500'000; ++i) huge += i == 0 ? "1" : ",1";
  huge += "]}}]}}]}]}]}";
  r = client.Post("/v1/metrics", huge, kJson);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413) << r->body.substr(0, 200);

  std::string proto;
  {
    std::vector<std::uint64_t> counts(10'000'000, 1);
    ExponentialHistogramDataPoint p;
    p.positive.bucket_counts = counts;
    Metric m;
    m.name = "huge";
    m.kind = MetricKind::kExponentialHistogram;
    m.exponential_histogram_points = {&p, 1};
    ScopeMetrics sm;
    sm.metrics = {&m, 1};
    ResourceMetrics rm;
    rm.scope_metrics = {&sm, 1};
    otlp::EncodeMetricsProto({&rm, 1}, &proto);
  }
  // Ten million in protobuf: the packed counts are counted, not stored,
  // so the point alone is left out, naming the limit, for no memory.
  r = client.Post("/v1/metrics", proto, kProtobuf);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("10000000 entries"), std::string::npos);
  EXPECT_NE(r->body.find("max_buckets"), std::string::npos);

  // Still serving, and what was accepted arrives.
  r = client.Post("/v1/logs", R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"ok"}}]}]}]})",
                  kJson);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(sink::EventType::kMetric).size(), 2u);
  EXPECT_EQ(Stored(sink::EventType::kLog).size(), 1u);
  EXPECT_EQ(agent_->http_counters()[Signal::kMetrics].records_rejected, 3u);
}

TEST_F(AgentSignalsTest, MetricsEndpointCountsEverySignal) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  std::string body;
  otlp::EncodeLogsProto(loadgen::LogGenerator().Next(30), &body);
  ASSERT_EQ(client.Post("/v1/logs", body, kProtobuf)->status, 200);
  body.clear();
  otlp::EncodeMetricsProto(loadgen::MetricGenerator().Next(20), &body);
  ASSERT_EQ(client.Post("/v1/metrics", body, kProtobuf)->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  const std::string text = agent_->PrometheusText();
  for (const char* line :
       {R"(otelpack_receiver_records_total{signal="logs",transport="http",outcome="accepted"} 30)",
        R"(otelpack_receiver_records_total{signal="metrics",transport="http",outcome="accepted"} 20)",
        R"(otelpack_receiver_records_total{signal="traces",transport="http",outcome="accepted"} 0)",
        R"(otelpack_receiver_requests_total{signal="logs",transport="http",outcome="ok"} 1)",
        R"(otelpack_exporter_records_total{signal="logs",outcome="sent"} 30)",
        R"(otelpack_exporter_records_total{signal="metrics",outcome="sent"} 20)",
        R"(otelpack_exporter_spans_total{signal="traces",outcome="sent"} 0)"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

// A full queue refuses every signal the same way: 429 with Retry-After, the
// records counted as refused for that signal, none accepted.
TEST_F(AgentSignalsTest, AFullQueueRefusesLogsAndMetricsWithRetryAfter) {
  sink_->RefuseConnectionsFor(60s);
  options_.exporter.queue.memory_max_bytes = 1 << 20;
  options_.exporter.max_batch_bytes = 1 << 20;
  options_.exporter.max_batch_events = 50;
  options_.exporter.compression = Compression::kNone;
  options_.exporter.queue.when_full = WhenFull::kDropNewest;
  options_.shutdown_timeout = 100ms;
  StartAgent();
  TestClient client(agent_->http_endpoint());
  loadgen::LogGenerator logs;
  loadgen::MetricGenerator metrics;
  int throttled = 0;
  for (int i = 0; i < 400 && throttled < 2; ++i) {
    std::string body;
    const bool log = i % 2 == 0;
    if (log) {
      otlp::EncodeLogsProto(logs.Next(200), &body);
    } else {
      otlp::EncodeMetricsProto(metrics.Next(200), &body);
    }
    Result<TestResponse> r = client.Post(log ? "/v1/logs" : "/v1/metrics", body, kProtobuf);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (r->status == 429) {
      ++throttled;
      EXPECT_EQ(r->headers["retry-after"], "1");
    } else {
      ASSERT_EQ(r->status, 200) << r->body;
    }
  }
  EXPECT_EQ(throttled, 2);
  const std::uint64_t refused = agent_->http_counters()[Signal::kLogs].records_refused +
                                agent_->http_counters()[Signal::kMetrics].records_refused;
  EXPECT_EQ(refused, 400u);
  agent_->Shutdown();
  const ExporterStats st = agent_->exporter_stats();
  EXPECT_EQ(st.logs.received, st.logs.refused + st.logs.sent + st.logs.dropped() + st.logs.left_on_disk);
  EXPECT_EQ(st.metrics.received,
            st.metrics.refused + st.metrics.sent + st.metrics.dropped() + st.metrics.left_on_disk);
}

}  // namespace
}  // namespace otelpack::agent
