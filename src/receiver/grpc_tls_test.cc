// The OTLP/gRPC receiver over TLS: a real gRPC client with
// grpc::SslCredentials calls a GrpcReceiver whose spans go through a real
// Exporter to the sink; certificates are made by the test
// (http/testing/test_certs.h). A client trusting the CA is served; one that
// does not, or (under mTLS) one without a certificate or with an untrusted
// one, never completes its handshake and gets UNAVAILABLE.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "exporter/testing/test_sink.h"
#include "http/testing/test_certs.h"
#include "loadgen/loadgen.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otelpack/exporter.h"
#include "otlp/proto/testing/model_proto.h"
#include "receiver/grpc_receiver.h"
#include "sink/sink.h"

namespace otelpack::receiver {
namespace {

using namespace std::chrono_literals;
using ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using ::opentelemetry::proto::collector::trace::v1::TraceService;
using http::testing::CertFiles;
using http::testing::TestCa;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The agent's route for spans: hand them to the exporter.
class ExportingConsumer : public Consumer {
 public:
  explicit ExportingConsumer(Exporter* exporter) : exporter_(exporter) {}
  Status ConsumeTraces(TracesView traces) override { return exporter_->Export(traces); }
  Status ConsumeLogs(LogsView logs) override { return exporter_->Export(logs); }
  Status ConsumeMetrics(MetricsView metrics) override { return exporter_->Export(metrics); }

 private:
  Exporter* exporter_;
};

class GrpcTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = http::testing::TestPki::Create("grpc-tls");  // a directory per process
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_ = std::move(*pki);
    ca_ = pki_->ca.get();
    other_ca_ = pki_->other_ca.get();
    server_ = pki_->server;
    client_ = pki_->client;
    rogue_ = pki_->rogue;
    options_.listen = "127.0.0.1:0";
    options_.tls.cert_file = server_.cert;
    options_.tls.key_file = server_.key;

    sink_ = otelpack::testing::StartTestSink();
    ASSERT_NE(sink_, nullptr);
    ExporterOptions eo = otelpack::testing::ExporterOptionsFor(*sink_);
    eo.flush_interval = 20ms;
    auto exporter = Exporter::Create(eo);
    ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
    exporter_ = std::move(*exporter);
    consumer_ = std::make_unique<ExportingConsumer>(exporter_.get());
  }
  void TearDown() override { receiver_.reset(); }

  void Start() {
    auto receiver = GrpcReceiver::Start(options_, limits_, consumer_.get(), &counters_);
    ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
    receiver_ = std::move(*receiver);
  }

  // One Export of `spans` spans over a new TLS channel trusting `ca_file`,
  // presenting `client` when it has a certificate.
  grpc::Status Export(const std::string& ca_file, const CertFiles& client = {}, std::size_t spans = 5) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Slurp(ca_file);
    if (!client.cert.empty()) {
      ssl.pem_cert_chain = Slurp(client.cert);
      ssl.pem_private_key = Slurp(client.key);
    }
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a fresh connection, a fresh handshake
    auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(receiver_->port()),
                                             grpc::SslCredentials(ssl), args);
    auto stub = TraceService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    otlp::testing::ExportRequest request;
    otlp::testing::ModelToProto(generator_.Next(spans), &request);
    ExportTraceServiceResponse response;
    return stub->Export(&context, request, &response);
  }

  std::uint64_t Stored() {
    Result<std::uint64_t> n = sink_->CountEvents();
    return n.ok() ? *n : 0;
  }

  std::unique_ptr<http::testing::TestPki> pki_;
  TestCa* ca_ = nullptr;
  TestCa* other_ca_ = nullptr;
  CertFiles server_, client_, rogue_;
  GrpcReceiverOptions options_;
  otlp::DecodeLimits limits_;
  TransportCounters counters_;
  std::unique_ptr<sink::Sink> sink_;
  std::unique_ptr<Exporter> exporter_;
  std::unique_ptr<ExportingConsumer> consumer_;
  std::unique_ptr<GrpcReceiver> receiver_;
  loadgen::SpanGenerator generator_;
};

TEST_F(GrpcTlsTest, AClientTrustingTheCaIsServedAndItsSpansReachTheSink) {
  Start();
  grpc::Status s = Export(ca_->cert_file(), {}, 12);
  ASSERT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  receiver_->Shutdown();
  ASSERT_TRUE(exporter_->Shutdown().ok());
  EXPECT_EQ(Stored(), 12u);
}

TEST_F(GrpcTlsTest, AClientThatDoesNotTrustTheServerCertificateFails) {
  Start();
  grpc::Status s = Export(other_ca_->cert_file());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(GrpcTlsTest, MutualTlsRefusesClientsWithoutATrustedCertificate) {
  options_.tls.client_ca_file = ca_->cert_file();
  Start();
  EXPECT_EQ(Export(ca_->cert_file()).error_code(), grpc::StatusCode::UNAVAILABLE) << "no client certificate";
  EXPECT_EQ(Export(ca_->cert_file(), rogue_).error_code(), grpc::StatusCode::UNAVAILABLE)
      << "a certificate from another CA";
  grpc::Status trusted = Export(ca_->cert_file(), client_, 4);
  ASSERT_TRUE(trusted.ok()) << trusted.error_code() << " " << trusted.error_message();
  receiver_->Shutdown();
  ASSERT_TRUE(exporter_->Shutdown().ok());
  EXPECT_EQ(Stored(), 4u);
}

TEST_F(GrpcTlsTest, MinimumVersionThirteenIsRefusedAtStartNotIgnored) {
  options_.tls.min_version = http::TlsVersion::k13;
  auto receiver = GrpcReceiver::Start(options_, limits_, consumer_.get(), &counters_);
  ASSERT_FALSE(receiver.ok());
  EXPECT_NE(receiver.status().message().find("tls.min_version 1.3"), std::string_view::npos)
      << receiver.status().message();
}

TEST_F(GrpcTlsTest, AKeyThatDoesNotMatchIsAnErrorNamingTheKeyAndTheFiles) {
  options_.tls.key_file = client_.key;
  auto receiver = GrpcReceiver::Start(options_, limits_, consumer_.get(), &counters_);
  ASSERT_FALSE(receiver.ok());
  EXPECT_EQ(receiver.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(receiver.status().message().find("otlp/grpc: tls.key_file " + client_.key +
                                             ": does not match the certificate of tls.cert_file " +
                                             server_.cert),
            std::string_view::npos)
      << receiver.status().message();
}

}  // namespace
}  // namespace otelpack::receiver
