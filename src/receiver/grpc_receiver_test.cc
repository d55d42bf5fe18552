// The OTLP/gRPC receiver end to end: a real gRPC client (the generated stub,
// or a generic stub for raw bytes) calls a real GrpcReceiver whose consumer
// hands the spans to a real Exporter, which delivers them to the reference
// backend (the sink) over loopback.
#include "receiver/grpc_receiver.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "loadgen/loadgen.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otelpack/exporter.h"
#include "otelpack/testing/rpc_status.pb.h"
#include "otlp/proto/testing/model_proto.h"
#include "sink/sink.h"

namespace otelpack::receiver {
namespace {

using namespace std::chrono_literals;
using ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using ::opentelemetry::proto::collector::trace::v1::TraceService;
using otlp::testing::ExportRequest;
using otlp::testing::ModelToProto;

constexpr char kMethod[] = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

// What the agent does with received spans: hand them to the exporter.
class ExportingConsumer : public Consumer {
 public:
  explicit ExportingConsumer(Exporter* exporter) : exporter_(exporter) {}
  Status ConsumeTraces(TracesView traces) override { return Consume(traces); }
  Status ConsumeLogs(LogsView logs) override { return Consume(logs); }
  Status ConsumeMetrics(MetricsView metrics) override { return Consume(metrics); }
  std::atomic<int> calls{0};
  std::chrono::milliseconds delay{0};  // set before any call
  std::atomic<bool> entered{false};

 private:
  template <typename View>
  Status Consume(View data) {
    calls.fetch_add(1);
    if (delay.count() > 0) {
      entered.store(true);
      std::this_thread::sleep_for(delay);
    }
    return exporter_->Export(data);
  }

  Exporter* exporter_;
};

// Sink <- exporter <- consumer <- receiver <- client. Members are destroyed
// in reverse: the receiver stops before the exporter, the exporter before
// the sink.
struct Agent {
  std::unique_ptr<sink::Sink> sink;
  std::unique_ptr<Exporter> exporter;
  std::unique_ptr<ExportingConsumer> consumer;
  TransportCounters all_counters;
  ReceiverCounters& counters = all_counters[Signal::kTraces];
  std::unique_ptr<GrpcReceiver> receiver;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<TraceService::Stub> stub;
};

struct AgentSetup {
  GrpcReceiverOptions grpc;
  otlp::DecodeLimits limits;
  std::function<void(ExporterOptions&)> exporter_options;
};

std::unique_ptr<Agent> StartAgent(AgentSetup setup = {}) {
  auto a = std::make_unique<Agent>();
  a->sink = otelpack::testing::StartTestSink();
  if (a->sink == nullptr) return nullptr;

  ExporterOptions eo = otelpack::testing::ExporterOptionsFor(*a->sink);
  if (setup.exporter_options) setup.exporter_options(eo);
  auto exporter = Exporter::Create(eo);
  EXPECT_TRUE(exporter.ok()) << exporter.status().ToString();
  if (!exporter.ok()) return nullptr;
  a->exporter = std::move(exporter).value();
  a->consumer = std::make_unique<ExportingConsumer>(a->exporter.get());

  setup.grpc.listen = "127.0.0.1:0";
  auto receiver = GrpcReceiver::Start(setup.grpc, setup.limits, a->consumer.get(), &a->all_counters);
  EXPECT_TRUE(receiver.ok()) << receiver.status().ToString();
  if (!receiver.ok()) return nullptr;
  a->receiver = std::move(receiver).value();
  EXPECT_NE(a->receiver->port(), 0);
  a->channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(a->receiver->port()),
                                   grpc::InsecureChannelCredentials());
  a->stub = TraceService::NewStub(a->channel);
  return a;
}

struct CallOptions {
  bool gzip = false;
  bool deflate = false;       // gRPC's "deflate": the zlib format
  std::string authorization;  // the metadata value; empty: none
};

grpc::Status Export(Agent& a, const ExportRequest& request, ExportTraceServiceResponse* response,
                    const CallOptions& options = {}) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 20s);
  if (options.gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  if (options.deflate) context.set_compression_algorithm(GRPC_COMPRESS_DEFLATE);
  if (!options.authorization.empty()) context.AddMetadata("authorization", options.authorization);
  return a.stub->Export(&context, request, response);
}

// Sends `bytes` as the request message, whatever they are.
grpc::Status ExportRawBytes(Agent& a, const std::string& bytes) {
  grpc::GenericStub generic(a.channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 20s);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, kMethod, grpc::StubOptions(), &request, &response,
                    [&done](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

std::string Id(int first, int n) {
  std::string id;
  for (int i = 0; i < n; ++i) id.push_back(static_cast<char>(first + i));
  return id;
}

// Three spans of service "checkout", built with libprotobuf (not our encoder).
ExportRequest ThreeSpans() {
  ExportRequest request;
  auto* rs = request.add_resource_spans();
  auto* service = rs->mutable_resource()->add_attributes();
  service->set_key("service.name");
  service->mutable_value()->set_string_value("checkout");
  auto* ss = rs->add_scope_spans();
  ss->mutable_scope()->set_name("io.opentelemetry.test");
  ss->mutable_scope()->set_version("1.2.3");
  for (int i = 0; i < 3; ++i) {
    auto* span = ss->add_spans();
    span->set_trace_id(Id(0xa0, 16));
    std::string span_id = Id(0x10, 8);
    span_id[7] = static_cast<char>(i + 1);
    span->set_span_id(span_id);
    if (i > 0) span->set_parent_span_id(Id(0x10, 7) + std::string(1, '\x01'));
    span->set_name("op-" + std::to_string(i));
    span->set_kind(::opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
    span->set_start_time_unix_nano(1'700'000'000'000'000'000ull + static_cast<std::uint64_t>(i) * 1'000'000);
    span->set_end_time_unix_nano(span->start_time_unix_nano() + 2'500'000);
    auto* method = span->add_attributes();
    method->set_key("http.method");
    method->mutable_value()->set_string_value("POST");
    auto* code = span->add_attributes();
    code->set_key("http.status_code");
    code->mutable_value()->set_int_value(200 + i);
    if (i == 2) {
      span->mutable_status()->set_code(::opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR);
      span->mutable_status()->set_message("payment declined");
    }
  }
  return request;
}

ExportRequest LoadgenRequest(loadgen::SpanGenerator& gen, std::size_t spans) {
  ExportRequest request;
  ModelToProto(gen.Next(spans), &request);
  return request;
}

std::uint64_t StoredEvents(Agent& a) {
  EXPECT_TRUE(a.exporter->ForceFlush(20s).ok());
  auto n = a.sink->CountEvents();
  EXPECT_TRUE(n.ok());
  return n.ok() ? *n : 0;
}

TEST(GrpcReceiverTest, SpansArriveInTheSinkWithTheirContent) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  ExportTraceServiceResponse response;
  grpc::Status s = Export(*a, ThreeSpans(), &response);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_FALSE(response.has_partial_success()) << "every span was accepted";
  ASSERT_TRUE(a->exporter->ForceFlush(20s).ok());

  auto stored = a->sink->AllEvents();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 3u);
  simdjson::dom::parser parser;
  std::map<std::string, std::string> by_operation;  // operation -> event JSON
  for (const std::string& json : *stored) {
    simdjson::dom::element e = parser.parse(simdjson::padded_string(json));
    by_operation[std::string(std::string_view(e["operation"]))] = json;
  }
  ASSERT_EQ(by_operation.size(), 3u);
  simdjson::dom::element e = parser.parse(simdjson::padded_string(by_operation["op-2"]));
  EXPECT_EQ(std::string_view(e["trace_id"]), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(std::string_view(e["span_id"]), "1011121314151603");
  EXPECT_EQ(std::string_view(e["parent_span_id"]), "1011121314151601");
  EXPECT_EQ(std::string_view(e["service"]), "checkout");
  EXPECT_EQ(int64_t(e["start_time_ms"]), 1'700'000'000'002);
  EXPECT_DOUBLE_EQ(double(e["duration_ms"]), 2.5);
  EXPECT_EQ(std::string_view(e["status"]), "error");
  EXPECT_EQ(std::string_view(e["status_message"]), "payment declined");
  EXPECT_EQ(std::string_view(e["attributes"]["http.method"]), "POST");
  EXPECT_EQ(int64_t(e["attributes"]["http.status_code"]), 202);

  EXPECT_EQ(a->counters.requests.load(), 1u);
  EXPECT_EQ(a->counters.records_accepted.load(), 3u);
  EXPECT_EQ(a->counters.records_rejected.load(), 0u);
  EXPECT_EQ(a->counters.bytes_received.load(), ThreeSpans().ByteSizeLong());
}

TEST(GrpcReceiverTest, ManyConcurrentCallsAndLargeRequestsArriveWhole) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  // A few MB per call: gRPC hands such a message over in several slices.
  loadgen::SpanGenerator gen;
  ExportRequest big = LoadgenRequest(gen, 3000);
  ASSERT_GT(big.ByteSizeLong(), 1u << 20);
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        ExportTraceServiceResponse response;
        if (!Export(*a, big, &response).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(StoredEvents(*a), 12u * 3000u);
  EXPECT_EQ(a->counters.requests.load(), 12u);
  EXPECT_EQ(a->counters.records_accepted.load(), 12u * 3000u);
}

TEST(GrpcReceiverTest, CompressedCallsAreAccepted) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  loadgen::SpanGenerator gen({.seed = 3});
  ExportRequest request = LoadgenRequest(gen, 500);
  for (grpc_compression_algorithm algorithm : {GRPC_COMPRESS_GZIP, GRPC_COMPRESS_DEFLATE}) {
    grpc::ClientContext context;
    context.set_compression_algorithm(algorithm);
    ExportTraceServiceResponse response;
    grpc::Status s = a->stub->Export(&context, request, &response);
    ASSERT_TRUE(s.ok()) << algorithm << ": " << s.error_code() << " " << s.error_message();
  }
  EXPECT_EQ(StoredEvents(*a), 1000u);
  // Counted as received, compressed: well under the message's size.
  EXPECT_LT(a->counters.bytes_received.load(), request.ByteSizeLong());
}

// The process's peak memory (VmHWM).
struct Hwm {
  // Starts measuring the peak from the current size (Linux: clear_refs 5).
  static void Reset() {
    if (FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
      std::fputs("5", f);
      std::fclose(f);
    }
  }
  static long KiB() {
    long v = -1;
    if (FILE* f = std::fopen("/proc/self/status", "r")) {
      char line[256];
      while (std::fgets(line, sizeof line, f) != nullptr) {
        if (std::sscanf(line, "VmHWM: %ld", &v) == 1) break;
      }
      std::fclose(f);
    }
    return v;
  }
};

// Sends `message` as the request message, compressed by the client.
grpc::Status ExportCompressedBytes(Agent& a, const grpc::Slice& message,
                                   grpc_compression_algorithm algorithm = GRPC_COMPRESS_GZIP) {
  grpc::GenericStub generic(a.channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 60s);
  context.set_compression_algorithm(algorithm);
  grpc::ByteBuffer request(&message, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, kMethod, grpc::StubOptions(), &request, &response,
                    [&done](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

TEST(GrpcReceiverTest, TheSizeLimitAppliesAsReceivedAndAfterDecompression) {
  auto a = StartAgent({.grpc = {.max_message_bytes = 256 * 1024}});
  ASSERT_NE(a, nullptr);
  ExportRequest big = ThreeSpans();
  auto* attr = big.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->add_attributes();
  attr->set_key("blob");
  attr->mutable_value()->set_string_value(std::string(1 << 20, 'x'));  // ~1 KB gzipped

  ExportTraceServiceResponse response;
  grpc::Status plain = Export(*a, big, &response);
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << plain.error_message();
  EXPECT_EQ(a->counters.requests.load(), 0u) << "gRPC refuses it before the handler";

  grpc::Status gzipped = Export(*a, big, &response, {.gzip = true});
  EXPECT_EQ(gzipped.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << gzipped.error_message();
  EXPECT_NE(gzipped.error_message().find("262144"), std::string::npos) << gzipped.error_message();
  EXPECT_TRUE(gzipped.error_details().empty()) << "not retryable: no RetryInfo";
  EXPECT_EQ(a->counters.requests_invalid.load(), 1u);
  grpc::Status deflated = Export(*a, big, &response, {.deflate = true});
  EXPECT_EQ(deflated.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << deflated.error_message();
  EXPECT_NE(deflated.error_message().find("262144"), std::string::npos) << deflated.error_message();
  EXPECT_EQ(a->counters.requests_invalid.load(), 2u);

  // Exactly at the limit is fine, compressed or not.
  ExportRequest at_limit = ThreeSpans();
  auto* fill = at_limit.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->add_attributes();
  fill->set_key("fill");
  fill->mutable_value()->set_string_value(std::string(256 * 1024 - at_limit.ByteSizeLong() - 16, 'y'));
  ASSERT_LE(at_limit.ByteSizeLong(), 256u * 1024u);
  fill->mutable_value()->mutable_string_value()->append(256 * 1024 - at_limit.ByteSizeLong(), 'y');
  ASSERT_EQ(at_limit.ByteSizeLong(), 256u * 1024u);
  EXPECT_TRUE(Export(*a, at_limit, &response).ok());
  EXPECT_TRUE(Export(*a, at_limit, &response, {.gzip = true}).ok());
  EXPECT_TRUE(Export(*a, at_limit, &response, {.deflate = true}).ok());
  EXPECT_TRUE(Export(*a, ThreeSpans(), &response, {.gzip = true}).ok());
  EXPECT_EQ(StoredEvents(*a), 12u);
}

TEST(GrpcReceiverTest, ARequestTooLargeOnceDecodedIsRefusedForGood) {
  auto a = StartAgent({.limits = {.max_decoded_bytes = 1 << 20}});
  ASSERT_NE(a, nullptr);
  ExportRequest big = ThreeSpans();
  // An array of 40,000 small ints: 160 KB, about 1 MB decoded and as much
  // again on the stack it is gathered on.
  auto* array = big.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(0)->add_attributes();
  array->set_key("a");
  for (int i = 0; i < 40'000; ++i) array->mutable_value()->mutable_array_value()->add_values()->set_int_value(i % 100);
  ExportTraceServiceResponse response;
  grpc::Status s = Export(*a, big, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_NE(s.error_message().find("max_decoded_size"), std::string::npos) << s.error_message();
  EXPECT_TRUE(s.error_details().empty()) << "not retryable: no RetryInfo";
  EXPECT_EQ(a->counters.requests_invalid.load(), 1u);
  EXPECT_TRUE(Export(*a, ThreeSpans(), &response).ok());
  EXPECT_EQ(StoredEvents(*a), 3u);
}

TEST(GrpcReceiverTest, AGzipOrDeflateBombIsRefusedWithoutInflatingIt) {
  auto a = StartAgent({.grpc = {.max_message_bytes = 1 << 20}});
  ASSERT_NE(a, nullptr);
  // 128 MiB of zeros: about 128 KB on the wire. gRPC 1.51's own
  // decompression would inflate all of it before checking the limit.
  const std::size_t size = 128u << 20;
  grpc::Slice zeros(size);
  std::memset(const_cast<std::uint8_t*>(zeros.begin()), 0, size);
  for (grpc_compression_algorithm algorithm : {GRPC_COMPRESS_GZIP, GRPC_COMPRESS_DEFLATE}) {
    const char* name = algorithm == GRPC_COMPRESS_GZIP ? "gzip" : "deflate";
    Hwm::Reset();
    const long before = Hwm::KiB();
    grpc::Status s = ExportCompressedBytes(*a, zeros, algorithm);
    const long growth_kib = Hwm::KiB() - before;
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << name << ": " << s.error_message();
    EXPECT_NE(s.error_message().find("inflates past the limit"), std::string::npos) << s.error_message();
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    EXPECT_LT(growth_kib, 48 * 1024) << name << ": peak memory grew by " << growth_kib << " KiB";
#endif
    std::printf("peak memory growth during a 128 MiB %s bomb: %ld KiB\n", name, growth_kib);
  }
  EXPECT_EQ(a->counters.requests_invalid.load(), 2u);
}

TEST(GrpcReceiverTest, ASpanWithABadIdIsReportedAsPartialSuccess) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  ExportRequest request = ThreeSpans();
  request.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(1)->set_span_id("\x01\x02\x03\x04\x05");
  ExportTraceServiceResponse response;
  grpc::Status s = Export(*a, request, &response);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  ASSERT_TRUE(response.has_partial_success());
  EXPECT_EQ(response.partial_success().rejected_spans(), 1);
  EXPECT_FALSE(response.partial_success().error_message().empty());
  EXPECT_EQ(StoredEvents(*a), 2u);
  EXPECT_EQ(a->counters.records_accepted.load(), 2u);
  EXPECT_EQ(a->counters.records_rejected.load(), 1u);
}

TEST(GrpcReceiverTest, MalformedBytesAreInvalidArgumentAndTheReceiverKeepsServing) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  const std::string valid = ThreeSpans().SerializeAsString();
  const std::vector<std::string> malformed = {
      std::string("\x0a\xff\xff\xff\xff\x0f", 6),  // resource_spans longer than the message
      valid.substr(0, valid.size() - 3),           // cut short
      std::string("\x0a\x02\x0a", 3),              // a nested length past its parent's end
  };
  for (const std::string& bytes : malformed) {
    grpc::Status s = ExportRawBytes(*a, bytes);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_FALSE(s.error_message().empty());
  }
  EXPECT_EQ(a->counters.requests_invalid.load(), malformed.size());
  EXPECT_EQ(a->consumer->calls.load(), 0);

  grpc::Status s = ExportRawBytes(*a, valid);
  EXPECT_TRUE(s.ok()) << s.error_message();
  grpc::Status empty = ExportRawBytes(*a, "");  // an empty request is valid: no spans
  EXPECT_TRUE(empty.ok()) << empty.error_message();
  EXPECT_EQ(StoredEvents(*a), 3u);
}

TEST(GrpcReceiverTest, AFullQueueIsResourceExhaustedWithRetryInfo) {
  auto a = StartAgent({.exporter_options = [](ExporterOptions& o) {
    o.max_batch_events = 50;
    o.max_batch_bytes = 64 * 1024;
    o.queue.memory_max_bytes = 64 * 1024;
    o.queue.when_full = WhenFull::kDropNewest;
  }});
  ASSERT_NE(a, nullptr);
  a->sink->RefuseConnectionsFor(60s);  // nothing leaves the queue
  loadgen::SpanGenerator gen;
  grpc::Status refused;
  int accepted_calls = 0;
  for (int i = 0; i < 100 && refused.ok(); ++i) {
    ExportTraceServiceResponse response;
    grpc::Status s = Export(*a, LoadgenRequest(gen, 200), &response);
    if (s.ok()) {
      ++accepted_calls;
    } else {
      refused = s;
    }
  }
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_GT(accepted_calls, 0);

  otelpack::testing::RpcStatus details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details())) << "grpc-status-details-bin";
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_EQ(details.message(), refused.error_message());
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.RetryInfo");
  otelpack::testing::RetryInfo retry;
  ASSERT_TRUE(retry.ParseFromString(details.details(0).value()));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 0);

  EXPECT_EQ(a->counters.requests_refused.load(), 1u);
  EXPECT_EQ(a->counters.records_refused.load(), 200u);
  EXPECT_EQ(a->counters.records_accepted.load(), static_cast<std::uint64_t>(accepted_calls) * 200u);
  a->exporter->Shutdown(200ms);
}

TEST(GrpcReceiverTest, AnExporterShuttingDownMakesCallsUnavailable) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->exporter->Shutdown(5s).ok());
  ExportTraceServiceResponse response;
  grpc::Status s = Export(*a, ThreeSpans(), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(s.error_details().empty());
  EXPECT_EQ(a->counters.requests_refused.load(), 1u);
  EXPECT_EQ(a->counters.records_refused.load(), 3u);
}

TEST(GrpcReceiverTest, ABearerTokenIsRequiredWhenConfigured) {
  const std::string token = "tok-3f9a1c77d2";
  auto a = StartAgent({.grpc = {.bearer_token = token}});
  ASSERT_NE(a, nullptr);
  const std::vector<std::string> wrong = {"", "Bearer wrong", "bearer " + token, token,
                                          "Bearer " + token + " ", "Basic " + token};
  for (const std::string& authorization : wrong) {
    ExportTraceServiceResponse response;
    grpc::Status s = Export(*a, ThreeSpans(), &response, {.authorization = authorization});
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << "\"" << authorization << "\"";
    EXPECT_EQ(s.error_message().find(token), std::string::npos) << "never echo the token";
  }
  EXPECT_EQ(a->counters.requests_unauthenticated.load(), wrong.size());
  EXPECT_EQ(a->consumer->calls.load(), 0);

  ExportTraceServiceResponse response;
  grpc::Status s = Export(*a, ThreeSpans(), &response, {.authorization = "Bearer " + token});
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(StoredEvents(*a), 3u);
}

TEST(GrpcReceiverTest, ShutdownFinishesTheCallInProgressThenRefuses) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  a->consumer->delay = 500ms;
  std::promise<grpc::Status> result;
  std::thread client([&] {
    ExportTraceServiceResponse response;
    result.set_value(Export(*a, ThreeSpans(), &response));
  });
  while (!a->consumer->entered.load()) std::this_thread::sleep_for(5ms);
  const auto t0 = std::chrono::steady_clock::now();
  a->receiver->Shutdown(5s);
  const auto took = std::chrono::steady_clock::now() - t0;
  client.join();
  grpc::Status s = result.get_future().get();
  EXPECT_TRUE(s.ok()) << "the call in progress completes: " << s.error_message();
  EXPECT_GE(took, 300ms) << "Shutdown waited for it";
  EXPECT_LT(took, 4s);

  ExportTraceServiceResponse response;
  grpc::Status after = Export(*a, ThreeSpans(), &response);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAVAILABLE) << after.error_message();
  EXPECT_EQ(a->consumer->calls.load(), 1);
  a->receiver->Shutdown(5s);  // idempotent
  EXPECT_EQ(StoredEvents(*a), 3u);
}

TEST(GrpcReceiverTest, ShutdownCancelsACallPastTheDeadline) {
  auto a = StartAgent();
  ASSERT_NE(a, nullptr);
  a->consumer->delay = 1500ms;
  std::promise<grpc::Status> result;
  std::thread client([&] {
    ExportTraceServiceResponse response;
    result.set_value(Export(*a, ThreeSpans(), &response));
  });
  while (!a->consumer->entered.load()) std::this_thread::sleep_for(5ms);
  a->receiver->Shutdown(100ms);
  client.join();
  grpc::Status s = result.get_future().get();
  EXPECT_FALSE(s.ok()) << "cancelled at the deadline";
}

TEST(GrpcReceiverTest, BadOptionsAreRefusedAndAPortInUseIsUnavailable) {
  ExportingConsumer consumer(nullptr);
  TransportCounters counters;
  for (const char* listen : {"", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000", ":"}) {
    auto r = GrpcReceiver::Start({.listen = listen}, {}, &consumer, &counters);
    ASSERT_FALSE(r.ok()) << listen;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << listen;
  }
  auto zero = GrpcReceiver::Start({.listen = "127.0.0.1:0", .max_message_bytes = 0}, {}, &consumer, &counters);
  EXPECT_EQ(zero.status().code(), StatusCode::kInvalidArgument);

  auto first = GrpcReceiver::Start({.listen = "127.0.0.1:0"}, {}, &consumer, &counters);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = GrpcReceiver::Start({.listen = taken}, {}, &consumer, &counters);
  ASSERT_FALSE(second.ok()) << "SO_REUSEPORT must be off: two agents may not share a port";
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(taken), std::string_view::npos);
}

}  // namespace
}  // namespace otelpack::receiver
