// The agent end to end over real sockets: OTLP/HTTP requests from a real
// client -> the agent -> the real sink. Every answer the OTLP/HTTP
// specification prescribes, every refusal, and the accounting that proves
// nothing accepted is lost.
#include "agent/agent.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "exporter/testing/test_sink.h"
#include "http/testing/test_client.h"
#include "loadgen/loadgen.h"
#include "otelpack/compression.h"
#include "otlp/decode.h"
#include "sink/sink.h"

namespace otelpack::agent {
namespace {

using http::testing::RequestFraming;
using http::testing::TestClient;
using http::testing::TestResponse;
using otelpack::testing::kTestApiKey;
using namespace std::chrono_literals;

const std::vector<std::string> kProtobuf = {"Content-Type: application/x-protobuf"};

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = otelpack::testing::StartTestSink();
    ASSERT_NE(sink_, nullptr);

    options_.http.listen = "127.0.0.1:0";
    options_.http.max_body_bytes = 1 << 20;
    options_.http.max_decompressed_bytes = 4 << 20;
    options_.grpc.enabled = false;
    options_.metrics.listen = "127.0.0.1:0";
    options_.exporter.endpoint = sink_->endpoint();
    options_.exporter.project_id = otelpack::testing::kTestProject;
    options_.exporter.auth.api_key = kTestApiKey;
    options_.exporter.flush_interval = 20ms;
    options_.exporter.retry.initial_interval = 50ms;
    options_.exporter.retry.max_interval = 200ms;
    options_.exporter.queue.when_full = WhenFull::kDropNewest;
  }

  void StartAgent() {
    auto agent = Agent::Start(options_);
    ASSERT_TRUE(agent.ok()) << agent.status().ToString();
    agent_ = std::move(*agent);
  }

  // `n` realistic spans as an ExportTraceServiceRequest.
  std::string Request(std::size_t n) {
    std::string body;
    otlp::EncodeTracesProto(generator_.Next(n), &body);
    return body;
  }

  // A request whose one resource attribute is an array of `n` empty values:
  // 2 bytes each on the wire, 24 bytes each decoded.
  static std::string AmplifyingRequest(std::size_t n) {
    const std::vector<AnyValue> empty(n);
    const KeyValue kv{"k", AnyValue::Array(empty)};
    ResourceSpans rs;
    rs.resource.attributes = {&kv, 1};
    std::string body;
    otlp::EncodeTracesProto({&rs, 1}, &body);
    return body;
  }

  std::uint64_t Stored() {
    Result<std::uint64_t> n = sink_->CountEvents();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  }

  AgentOptions options_;
  std::unique_ptr<sink::Sink> sink_;
  std::unique_ptr<Agent> agent_;
  loadgen::SpanGenerator generator_;
};

TEST_F(AgentTest, ProtobufSpansArriveInTheSinkOverOneKeepAliveConnection) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  for (int i = 0; i < 3; ++i) {
    Result<TestResponse> r = client.Post("/v1/traces", Request(100), kProtobuf);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers["content-type"], "application/x-protobuf");
    EXPECT_EQ(r->body, "");  // an empty ExportTraceServiceResponse: full success
  }
  EXPECT_EQ(client.connects(), 1);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), 300u);
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].records_accepted, 300u);
  EXPECT_EQ(agent_->exporter_stats().spans_sent, 300u);
}

TEST_F(AgentTest, TheStoredEventIsTheSpanItWasSentAs) {
  StartAgent();
  Span span;
  for (int i = 0; i < 16; ++i) span.trace_id.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
  span.span_id.bytes = {1, 2, 3, 4, 5, 6, 7, 8};
  span.name = "GET /checkout \"quoted\" \xE2\x9C\x93";
  span.kind = SpanKind::kServer;
  span.start_time_unix_nano = 1'700'000'000'000'000'000;
  span.end_time_unix_nano = 1'700'000'000'250'000'000;
  span.status_code = SpanStatusCode::kError;
  span.status_message = "card declined";
  KeyValue attrs[] = {{"http.status_code", AnyValue::Int(402)}, {"retry", AnyValue::Bool(false)}};
  span.attributes = attrs;
  KeyValue service{"service.name", AnyValue::String("checkout")};
  ScopeSpans scope;
  scope.spans = {&span, 1};
  ResourceSpans resource;
  resource.resource.attributes = {&service, 1};
  resource.scope_spans = {&scope, 1};
  std::string body;
  otlp::EncodeTracesProto({&resource, 1}, &body);

  TestClient client(agent_->http_endpoint());
  Result<TestResponse> r = client.Post("/v1/traces", body, kProtobuf);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  Result<std::vector<std::string>> events = sink_->AllEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const std::string& e = (*events)[0];
  EXPECT_NE(e.find(R"("trace_id":"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("span_id":"0102030405060708")"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("parent_span_id":null)"), std::string::npos) << e;
  EXPECT_NE(e.find("\"operation\":\"GET /checkout \\\"quoted\\\" \xE2\x9C\x93\""), std::string::npos) << e;
  EXPECT_NE(e.find(R"("service":"checkout")"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("status":"error")"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("duration_ms":250.0)"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("attributes":{"http.status_code":402,"retry":false})"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("status_message":"card declined")"), std::string::npos) << e;
  EXPECT_NE(e.find(R"("start_time_ms":1700000000000)"), std::string::npos) << e;
}

TEST_F(AgentTest, AcceptsCompressedAndChunkedBodies) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  std::uint64_t sent = 0;
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    auto compressor = NewCompressor(c);
    ASSERT_TRUE(compressor.ok());
    Buffer compressed;
    ASSERT_TRUE((*compressor)->Compress(Request(50), &compressed).ok());
    for (bool chunked : {false, true}) {
      RequestFraming framing;
      framing.chunked = chunked;
      Result<TestResponse> r = client.Post(
          "/v1/traces", std::string_view(compressed.data(), compressed.size()),
          {"Content-Type: application/x-protobuf",
           "Content-Encoding: " + std::string(ContentEncoding(c))},
          framing);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->status, 200) << CompressionName(c) << " chunked=" << chunked << ": " << r->body;
      sent += 50;
    }
  }
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), sent);
}

// Three spans, the second with an all-zero (invalid) span id.
std::string RequestWithAnInvalidSpan() {
  Span spans[3];
  for (int i = 0; i < 3; ++i) {
    spans[i].trace_id.bytes[0] = 7;
    spans[i].span_id.bytes[0] = static_cast<std::uint8_t>(i + 1);
    spans[i].name = "op";
  }
  spans[1].span_id = SpanId();
  ScopeSpans scope;
  scope.spans = spans;
  ResourceSpans resource;
  resource.scope_spans = {&scope, 1};
  std::string body;
  otlp::EncodeTracesProto({&resource, 1}, &body);
  return body;
}

TEST_F(AgentTest, ReportsSpansWithInvalidIdsAsPartialSuccess) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  Result<TestResponse> r = client.Post("/v1/traces", RequestWithAnInvalidSpan(), kProtobuf);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  // ExportTraceServiceResponse{partial_success(1){rejected_spans(1)=1, error_message(2)}}
  ASSERT_GE(r->body.size(), 4u);
  EXPECT_EQ(r->body[0], '\x0a');
  EXPECT_EQ(r->body.substr(2, 2), std::string("\x08\x01", 2));
  EXPECT_NE(r->body.find("span_id must be 8 bytes"), std::string::npos);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), 2u);
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].records_rejected, 1u);
}

TEST_F(AgentTest, AcceptsTheOtlpJsonEncoding) {
  StartAgent();
  const std::string json = R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"json-svc"}}]},
    "scopeSpans":[{"scope":{"name":"t"},"spans":[
      {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
       "name":"json-span","kind":2,"startTimeUnixNano":"1544712660000000000",
       "endTimeUnixNano":1544712661000000000,
       "attributes":[{"key":"n","value":{"intValue":"42"}}]},
      {"traceId":"00000000000000000000000000000000","spanId":"EEE19B7EC3C1B175","name":"bad"}]}]}]})";
  TestClient client(agent_->http_endpoint());
  Result<TestResponse> r = client.Post("/v1/traces", json, {"Content-Type: application/json"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->headers["content-type"], "application/json");
  EXPECT_NE(r->body.find(R"("rejectedSpans":"1")"), std::string::npos) << r->body;
  ASSERT_TRUE(agent_->Shutdown().ok());
  Result<std::vector<std::string>> events = sink_->AllEvents();
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_NE((*events)[0].find(R"("trace_id":"5b8efff798038103d269b633813fc60c")"), std::string::npos);
  EXPECT_NE((*events)[0].find(R"("service":"json-svc")"), std::string::npos);
}

struct BadRequest {
  const char* what;
  std::string method;
  std::string path;
  std::vector<std::string> headers;
  std::string body;
  RequestFraming framing;
  long status;
  std::string message;  // expected inside the google.rpc.Status body
};

TEST_F(AgentTest, RefusesBadRequestsWithAReasonAndKeepsServing) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  // Accepted before the bad requests: must all arrive.
  ASSERT_EQ(client.Post("/v1/traces", Request(40), kProtobuf)->status, 200);

  auto gzip = [](std::string_view data) {
    Buffer out;
    (*NewCompressor(Compression::kGzip))->Compress(data, &out);
    return std::string(out.data(), out.size());
  };
  std::string valid = Request(5);
  std::string bomb = gzip(std::string(64 << 20, '\0'));  // 64 MiB of zeros in ~64 KiB
  std::string corrupt_gzip = gzip(valid);
  corrupt_gzip[corrupt_gzip.size() / 2] ^= 0x55;
  RequestFraming chunked;
  chunked.chunked = true;

  const BadRequest cases[] = {
      {"unknown path", "POST", "/v1/trace", kProtobuf, valid, {}, 404, "no such path"},
      {"profiles", "POST", "/v1/profiles", kProtobuf, valid, {}, 404, "traces, logs and metrics only"},
      {"GET", "GET", "/v1/traces", kProtobuf, "", {}, 405, "use POST"},
      {"text/plain", "POST", "/v1/traces", {"Content-Type: text/plain"}, valid, {}, 415, "unsupported Content-Type"},
      {"no type", "POST", "/v1/traces", {"Content-Type:"}, valid, {}, 415, "unsupported Content-Type"},
      {"brotli", "POST", "/v1/traces", {"Content-Type: application/x-protobuf", "Content-Encoding: br"}, valid, {}, 415,
       "unsupported Content-Encoding"},
      {"garbage", "POST", "/v1/traces", kProtobuf, "\x0a\x7f garbage", {}, 400, "invalid OTLP protobuf"},
      {"truncated", "POST", "/v1/traces", kProtobuf, valid.substr(0, valid.size() - 7), {}, 400, "invalid OTLP protobuf"},
      {"corrupt gzip", "POST", "/v1/traces", {"Content-Type: application/x-protobuf", "Content-Encoding: gzip"},
       corrupt_gzip, {}, 400, "not valid gzip"},
      {"gzip bomb", "POST", "/v1/traces", {"Content-Type: application/x-protobuf", "Content-Encoding: gzip"},
       bomb, {}, 413, "inflates past"},
      {"too large", "POST", "/v1/traces", kProtobuf, std::string(2 << 20, 'x'), {}, 413, "larger than"},
      {"too large, chunked", "POST", "/v1/traces", kProtobuf, std::string(2 << 20, 'x'), chunked, 413, "larger than"},
      {"bad json", "POST", "/v1/traces", {"Content-Type: application/json"}, "{\"resourceSpans\":[{]}", {}, 400, ""},
      {"amplifying", "POST", "/v1/traces", kProtobuf, AmplifyingRequest(300'000), {}, 413, "8x its size"},
  };
  for (const BadRequest& c : cases) {
    TestClient fresh(agent_->http_endpoint());  // a refused body may close the connection
    Result<TestResponse> r = fresh.Send(c.method, c.path, c.body, c.headers, c.framing);
    ASSERT_TRUE(r.ok()) << c.what << ": " << r.status().ToString();
    EXPECT_EQ(r->status, c.status) << c.what << ": " << r->body;
    EXPECT_NE(r->body.find(c.message), std::string::npos) << c.what << ": " << r->body;
  }
  // Still serving, and nothing accepted was lost.
  ASSERT_EQ(client.Post("/v1/traces", Request(60), kProtobuf)->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), 100u);
  EXPECT_GE(agent_->http_counters()[Signal::kTraces].requests_invalid, 10u);
}

TEST_F(AgentTest, DemandsTheBearerTokenWhenOneIsSet) {
  options_.http.bearer_token = "s3cret-token";
  StartAgent();
  TestClient client(agent_->http_endpoint());
  Result<TestResponse> none = client.Post("/v1/traces", Request(1), kProtobuf);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->headers["www-authenticate"], "Bearer");
  std::vector<std::string> wrong = kProtobuf;
  wrong.push_back("Authorization: Bearer s3cret-tokem");
  Result<TestResponse> bad = client.Post("/v1/traces", Request(1), wrong);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(bad->body.find("s3cret"), std::string::npos);
  std::vector<std::string> right = kProtobuf;
  right.push_back("Authorization: Bearer s3cret-token");
  EXPECT_EQ(client.Post("/v1/traces", Request(3), right)->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), 3u);
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].requests_unauthenticated, 2u);
}

TEST_F(AgentTest, AnswersRetryAfterWhenTheQueueIsFullAndLosesNothingAccepted) {
  options_.exporter.queue.memory_max_bytes = 64 * 1024;
  options_.exporter.max_batch_bytes = 64 * 1024;
  StartAgent();
  sink_->RefuseConnectionsFor(3s);
  TestClient client(agent_->http_endpoint());
  std::uint64_t accepted = 0;
  bool refused = false;
  for (int i = 0; i < 400 && !refused; ++i) {
    Result<TestResponse> r = client.Post("/v1/traces", Request(50), kProtobuf);
    ASSERT_TRUE(r.ok());
    if (r->status == 200) {
      accepted += 50;
    } else {
      EXPECT_EQ(r->status, 429) << r->body;
      EXPECT_EQ(r->headers["retry-after"], "1");
      EXPECT_NE(r->body.find("queue is full"), std::string::npos);
      refused = true;
    }
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(refused) << "the queue never filled";
  EXPECT_GT(accepted, 0u);
  // A refused request counts none of its spans, rejected ones included: the
  // client sends it again, and it is counted then.
  Result<TestResponse> again = client.Post("/v1/traces", RequestWithAnInvalidSpan(), kProtobuf);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 429) << again->body;
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].records_rejected, 0u);
  TestClient metrics(agent_->metrics_endpoint());
  Result<TestResponse> m = metrics.Get("/metrics", {});
  ASSERT_TRUE(m.ok());
  EXPECT_NE(m->body.find(R"(otelpack_receiver_requests_total{signal="traces",transport="http",outcome="refused"} 2)"),
            std::string::npos)
      << m->body;
  // The backend comes back: everything accepted is delivered.
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), accepted);
}

TEST_F(AgentTest, ServesMetricsAndHealth) {
  StartAgent();
  TestClient client(agent_->http_endpoint());
  ASSERT_EQ(client.Post("/v1/traces", Request(25), kProtobuf)->status, 200);
  TestClient metrics(agent_->metrics_endpoint());
  Result<TestResponse> health = metrics.Get("/healthz", {});
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  Result<TestResponse> m = metrics.Get("/metrics", {});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->status, 200);
  EXPECT_EQ(m->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m->body.find("# TYPE otelpack_receiver_spans_total counter"), std::string::npos);
  EXPECT_NE(m->body.find(R"(otelpack_receiver_spans_total{signal="traces",transport="http",outcome="accepted"} 25)"),
            std::string::npos)
      << m->body;
  EXPECT_NE(m->body.find("otelpack_exporter_queue_capacity_bytes "), std::string::npos);
  EXPECT_NE(m->body.find("\notelpack_exporter_redirects_total 0\n"), std::string::npos) << m->body;
  EXPECT_EQ(m->body.find("grpc"), std::string::npos);  // disabled: not reported
  EXPECT_EQ(m->body.find(kTestApiKey), std::string::npos);
  EXPECT_EQ(metrics.Get("/nope", {})->status, 404);
}

TEST_F(AgentTest, RefusesToStartOnAnAddressInUse) {
  StartAgent();
  AgentOptions second = options_;
  second.http.listen = agent_->http_endpoint().substr(std::string("http://").size());
  auto other = Agent::Start(second);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(other.status().message().find("otlp/http receiver"), std::string::npos)
      << other.status().message();
}

}  // namespace
}  // namespace otelpack::agent
