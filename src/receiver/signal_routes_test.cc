// The signal table: each row's HTTP path and gRPC method are the ones the
// OTLP .proto files define (checked against libprotobuf's descriptors), and
// a row's export_request decodes real protobuf and JSON requests, hands the
// records to the consumer and answers with the outcome.
#include "receiver/signal_routes.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace otelpack::receiver {
namespace {

using ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

// Keeps the names of the spans it is handed, and answers `status`.
class RecordingConsumer final : public Consumer {
 public:
  Status ConsumeTraces(TracesView traces) override {
    for (const ResourceSpans& rs : traces) {
      for (const ScopeSpans& ss : rs.scope_spans) {
        for (const Span& span : ss.spans) names.emplace_back(span.name);
      }
    }
    ++calls;
    return status;
  }
  Status ConsumeLogs(LogsView logs) override {
    records += CountLogRecords(logs);
    ++calls;
    return status;
  }
  Status ConsumeMetrics(MetricsView metrics) override {
    records += CountDataPoints(metrics);
    ++calls;
    return status;
  }
  std::vector<std::string> names;
  std::size_t records = 0;  // log records and data points
  int calls = 0;
  Status status;
};

// Two spans built by libprotobuf; the second with a 5-byte span id.
std::string TwoSpansOneInvalid() {
  ExportTraceServiceRequest request;
  auto* ss = request.add_resource_spans()->add_scope_spans();
  for (int i = 0; i < 2; ++i) {
    auto* span = ss->add_spans();
    span->set_trace_id(std::string(16, '\x0a'));
    span->set_span_id(i == 0 ? std::string(8, '\x0b') : std::string(5, '\x0b'));
    span->set_name("op-" + std::to_string(i));
  }
  return request.SerializeAsString();
}

struct Fixture {
  Arena arena;
  otlp::DecodeLimits limits;
  RecordingConsumer consumer;
  ReceiverCounters counters;

  Outcome Export(const SignalRoute& route, std::string_view body, BodyFormat format) {
    return route.export_request({.body = body,
                                 .format = format,
                                 .arena = &arena,
                                 .limits = &limits,
                                 .consumer = &consumer,
                                 .counters = &counters});
  }
};

TEST(SignalRoutesTest, EveryRowIsTheSignalsOtlpPathAndGrpcMethod) {
  ASSERT_FALSE(SignalRoutes().empty());
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const SignalRoute& route : SignalRoutes()) {
    SCOPED_TRACE(SignalName(route.signal));
    EXPECT_EQ(route.http_path, "/v1/" + std::string(SignalName(route.signal)));
    EXPECT_EQ(RouteForHttpPath(route.http_path), &route);
    // "/package.Service/Method" is the method "package.Service.Method".
    std::string method = route.grpc_method;
    ASSERT_EQ(method.front(), '/');
    const std::size_t slash = method.rfind('/');
    method = method.substr(1, slash - 1) + "." + method.substr(slash + 1);
    const google::protobuf::MethodDescriptor* m = pool->FindMethodByName(method);
    ASSERT_NE(m, nullptr) << route.grpc_method;
    EXPECT_EQ(m->name(), "Export");
    // The service's request type is the signal's: ExportTraceServiceRequest...
    const std::string signal(SignalName(route.signal));
    EXPECT_NE(m->input_type()->full_name().find("collector." + (signal == "traces" ? "trace" : signal)),
              std::string::npos)
        << m->input_type()->full_name();
  }
}

TEST(SignalRoutesTest, EverySignalIsServedAtItsExactPathOnly) {
  struct Expected {
    std::string_view path;
    Signal signal;
    const char* method;
  };
  for (const Expected& e : {Expected{"/v1/traces", Signal::kTraces,
                                     "/opentelemetry.proto.collector.trace.v1.TraceService/Export"},
                            Expected{"/v1/logs", Signal::kLogs,
                                     "/opentelemetry.proto.collector.logs.v1.LogsService/Export"},
                            Expected{"/v1/metrics", Signal::kMetrics,
                                     "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"}}) {
    const SignalRoute* route = RouteForHttpPath(e.path);
    ASSERT_NE(route, nullptr) << e.path;
    EXPECT_EQ(route->signal, e.signal);
    EXPECT_STREQ(route->grpc_method, e.method);
  }
  EXPECT_EQ(SignalRoutes().size(), kSignalCount);
  for (std::string_view path : {"/v1/traces/", "/v1/Traces", "/v1/trace", "v1/traces", "/v1/traces?x=1", "",
                                "/v1/log", "/v1/metrics/", "/v1/profiles"}) {
    EXPECT_EQ(RouteForHttpPath(path), nullptr) << path;
  }
}

TEST(SignalRoutesTest, TheTracesRowDecodesProtobufAndHandsTheSpansOver) {
  Fixture f;
  const std::string body = TwoSpansOneInvalid();
  Outcome o = f.Export(*RouteForHttpPath("/v1/traces"), body, BodyFormat::kProtobuf);
  ASSERT_TRUE(o.accepted()) << o.message;
  EXPECT_EQ(f.consumer.names, std::vector<std::string>{"op-0"});
  EXPECT_EQ(o.records_accepted, 1u);
  EXPECT_EQ(o.records_rejected, 1u);
  EXPECT_NE(o.message.find("1 span(s) left out: "), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("span_id"), std::string::npos) << o.message;
  EXPECT_EQ(f.counters.records_accepted.load(), 1u);
  EXPECT_EQ(f.counters.records_rejected.load(), 1u);
}

TEST(SignalRoutesTest, TheTracesRowDecodesJson) {
  Fixture f;
  const std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","name":"json-span"}]}]}]})";
  Outcome o = f.Export(*RouteForHttpPath("/v1/traces"), json, BodyFormat::kJson);
  ASSERT_TRUE(o.accepted()) << o.message;
  EXPECT_EQ(o.message, "");
  EXPECT_EQ(f.consumer.names, std::vector<std::string>{"json-span"});
  // The same bytes read as protobuf are not a request.
  Outcome as_protobuf = f.Export(*RouteForHttpPath("/v1/traces"), json, BodyFormat::kProtobuf);
  EXPECT_EQ(as_protobuf.kind, OutcomeKind::kInvalid);
  EXPECT_EQ(f.counters.requests_invalid.load(), 1u);
  EXPECT_EQ(f.consumer.calls, 1);
}

TEST(SignalRoutesTest, TheConsumersStatusDecidesTheOutcome) {
  Fixture f;
  const SignalRoute& traces = *RouteForHttpPath("/v1/traces");
  f.consumer.status = Status::ResourceExhausted("queue full");
  Outcome o = f.Export(traces, TwoSpansOneInvalid(), BodyFormat::kProtobuf);
  EXPECT_EQ(o.kind, OutcomeKind::kThrottled);
  EXPECT_EQ(o.records_refused, 1u);
  EXPECT_EQ(f.counters.records_refused.load(), 1u);
  EXPECT_EQ(f.counters.records_rejected.load(), 0u) << "counted when the request comes again";
}

// An empty request is valid and has nothing to hand over: the consumer is
// not called (a full queue cannot refuse nothing).
TEST(SignalRoutesTest, AnEmptyRequestIsAcceptedWithoutCallingTheConsumer) {
  Fixture f;
  f.consumer.status = Status::ResourceExhausted("queue full");
  Outcome o = f.Export(*RouteForHttpPath("/v1/traces"), "", BodyFormat::kProtobuf);
  EXPECT_TRUE(o.accepted());
  EXPECT_EQ(f.consumer.calls, 0);
}

TEST(SignalRoutesTest, ATooLargeRequestIsRefusedBeforeTheConsumer) {
  Fixture f;
  f.limits.max_decoded_bytes = 1 << 20;
  ExportTraceServiceRequest request;
  auto* array = request.add_resource_spans()->mutable_resource()->add_attributes();
  array->set_key("a");
  for (int i = 0; i < 300'000; ++i) array->mutable_value()->mutable_array_value()->add_values();
  Outcome o = f.Export(*RouteForHttpPath("/v1/traces"), request.SerializeAsString(), BodyFormat::kProtobuf);
  EXPECT_EQ(o.kind, OutcomeKind::kTooLarge);
  EXPECT_EQ(o.http_status, 413);
  EXPECT_EQ(f.consumer.calls, 0);
  EXPECT_EQ(f.counters.requests_invalid.load(), 1u);
}

}  // namespace
}  // namespace otelpack::receiver
