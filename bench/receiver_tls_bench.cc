// What TLS costs the receivers: the same OTLP request (512 loadgen spans,
// protobuf) sent again and again to an in-process receiver, plain against
// TLS, over OTLP/HTTP (libcurl, one keep-alive connection) and OTLP/gRPC
// (one channel). The receiver hands the decoded spans to a consumer that only
// counts them, so what is left is the receiver's own work (framing, TLS,
// decoding) and the client's. Client and server share the process and its
// two cores: the figures are spans/s through the pair, real time.
// The *_new_connection cases open a connection for every request (with TLS a
// full handshake, ECDSA P-256): the worst case, a client that never keeps
// its connection alive.
// Certificates are made at start by the tests' CA (http/testing/test_certs.h).
// Run in Release: --benchmark_repetitions=3 --benchmark_min_time=2
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "http/testing/test_certs.h"
#include "http/testing/test_client.h"
#include "loadgen/loadgen.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otelpack/log.h"
#include "otlp/decode.h"
#include "receiver/grpc_receiver.h"
#include "receiver/http_receiver.h"

namespace otelpack {
namespace {

using ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using ::opentelemetry::proto::collector::trace::v1::TraceService;

constexpr std::size_t kSpansPerRequest = 512;

class CountingConsumer : public receiver::Consumer {
 public:
  Status ConsumeTraces(TracesView traces) override {
    spans.fetch_add(CountSpans(traces), std::memory_order_relaxed);
    return Status::Ok();
  }
  Status ConsumeLogs(LogsView) override { return Status::Ok(); }
  Status ConsumeMetrics(MetricsView) override { return Status::Ok(); }
  std::atomic<std::uint64_t> spans{0};
};

// Made once: the certificates and the request body.
struct Fixture {
  Fixture() {
    SetLogLevel(LogLevel::kWarn);  // not a "listening on" line per run
    pki = std::move(http::testing::TestPki::Create("receiver-tls-bench")).value();
    loadgen::SpanGenerator generator;
    otlp::EncodeTracesProto(generator.Next(kSpansPerRequest), &body);
  }
  std::unique_ptr<http::testing::TestPki> pki;
  std::string body;
};

Fixture& TheFixture() {
  static Fixture fixture;
  return fixture;
}

// A receiver of either kind on a free port, plain or with the test server
// certificate, handing spans to `consumer`.
template <typename Receiver, typename Options>
std::unique_ptr<Receiver> StartReceiver(bool tls, CountingConsumer* consumer,
                                        receiver::TransportCounters* counters) {
  Options options;
  options.listen = "127.0.0.1:0";
  if (tls) {
    options.tls.cert_file = TheFixture().pki->server.cert;
    options.tls.key_file = TheFixture().pki->server.key;
  }
  return std::move(Receiver::Start(options, otlp::DecodeLimits{}, consumer, counters)).value();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_Http(benchmark::State& state, bool tls, bool new_connection) {
  Fixture& f = TheFixture();
  CountingConsumer consumer;
  receiver::TransportCounters counters;
  auto server = StartReceiver<receiver::HttpReceiver, receiver::HttpReceiverOptions>(tls, &consumer, &counters);
  const http::testing::ClientTls client_tls{.ca_file = tls ? f.pki->ca->cert_file() : std::string()};
  auto client = std::make_unique<http::testing::TestClient>(server->endpoint());
  client->set_tls(client_tls);
  for (auto _ : state) {
    if (new_connection) {
      client = std::make_unique<http::testing::TestClient>(server->endpoint());
      client->set_tls(client_tls);
    }
    Result<http::testing::TestResponse> r =
        client->Post("/v1/traces", f.body, {"Content-Type: application/x-protobuf"});
    if (!r.ok() || r->status != 200) state.SkipWithError("request failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(consumer.spans.load()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(f.body.size()));
  client.reset();
  server->Shutdown();
}

void BM_Grpc(benchmark::State& state, bool tls) {
  Fixture& f = TheFixture();
  CountingConsumer consumer;
  receiver::TransportCounters counters;
  auto server = StartReceiver<receiver::GrpcReceiver, receiver::GrpcReceiverOptions>(tls, &consumer, &counters);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(f.pki->ca->cert_file());
    credentials = grpc::SslCredentials(ssl);
  }
  auto stub = TraceService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()), credentials));
  ExportTraceServiceRequest request;
  request.ParseFromString(f.body);
  for (auto _ : state) {
    grpc::ClientContext context;
    ExportTraceServiceResponse response;
    if (!stub->Export(&context, request, &response).ok()) state.SkipWithError("Export failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(consumer.spans.load()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(f.body.size()));
  stub.reset();
  server->Shutdown();
}

BENCHMARK_CAPTURE(BM_Http, plain, false, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Http, tls, true, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Http, plain_new_connection, false, true)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Http, tls_new_connection, true, true)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Grpc, plain, false)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Grpc, tls, true)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
