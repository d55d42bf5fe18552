// The OTLP/HTTP receiver over TLS, against the agent in-process and the real
// sink: libcurl (OpenSSL) as the client, certificates made by the test
// (http/testing/test_certs.h). What a gateway's operator relies on: a client
// that trusts the CA gets through and its spans reach the backend; a client
// that does not, or that has no (or an untrusted) certificate under mTLS, or
// that offers only TLS 1.2 when 1.3 is the minimum, fails its handshake; a
// handshake that never completes is cut like a slow request; a wrong file
// stops the agent from starting, naming the key and the file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "agent/agent.h"
#include "exporter/testing/test_sink.h"
#include "http/testing/test_certs.h"
#include "http/testing/test_client.h"
#include "loadgen/loadgen.h"
#include "otlp/decode.h"
#include "sink/sink.h"

namespace otelpack::agent {
namespace {

namespace fs = std::filesystem;
using http::testing::CertFiles;
using http::testing::ClientTls;
using http::testing::TestCa;
using http::testing::TestClient;
using http::testing::TestResponse;
using namespace std::chrono_literals;

class AgentTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = http::testing::TestPki::Create("agent-tls");  // a directory per process
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_ = std::move(*pki);
    dir_ = pki_->dir;
    ca_ = pki_->ca.get();
    other_ca_ = pki_->other_ca.get();
    server_ = pki_->server;
    client_ = pki_->client;
    rogue_ = pki_->rogue;

    sink_ = otelpack::testing::StartTestSink();
    ASSERT_NE(sink_, nullptr);
    options_.http.listen = "127.0.0.1:0";
    options_.http.tls.cert_file = server_.cert;
    options_.http.tls.key_file = server_.key;
    options_.grpc.enabled = false;
    options_.metrics.enabled = false;
    options_.exporter = otelpack::testing::ExporterOptionsFor(*sink_);
    options_.exporter.flush_interval = 20ms;
  }
  void TearDown() override { agent_.reset(); }

  void StartAgent() {
    auto agent = Agent::Start(options_);
    ASSERT_TRUE(agent.ok()) << agent.status().ToString();
    agent_ = std::move(*agent);
  }

  Result<TestResponse> Post(const ClientTls& tls, std::size_t spans = 10) {
    std::string body;
    otlp::EncodeTracesProto(generator_.Next(spans), &body);
    TestClient client(agent_->http_endpoint());
    client.set_timeout(5s);
    client.set_tls(tls);
    return client.Post("/v1/traces", body, {"Content-Type: application/x-protobuf"});
  }

  std::uint64_t Stored() {
    Result<std::uint64_t> n = sink_->CountEvents();
    return n.ok() ? *n : 0;
  }

  std::unique_ptr<http::testing::TestPki> pki_;
  fs::path dir_;
  TestCa* ca_ = nullptr;
  TestCa* other_ca_ = nullptr;
  CertFiles server_, client_, rogue_;
  AgentOptions options_;
  std::unique_ptr<sink::Sink> sink_;
  std::unique_ptr<Agent> agent_;
  loadgen::SpanGenerator generator_;
};

TEST_F(AgentTlsTest, AClientTrustingTheCaIsServedAndItsSpansReachTheSink) {
  StartAgent();
  EXPECT_EQ(agent_->http_endpoint().rfind("https://127.0.0.1:", 0), 0u) << agent_->http_endpoint();
  Result<TestResponse> r = Post({.ca_file = ca_->cert_file()}, 25);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), 25u);
}

TEST_F(AgentTlsTest, AClientThatDoesNotTrustTheServerCertificateFails) {
  StartAgent();
  Result<TestResponse> r = Post({.ca_file = other_ca_->cert_file()});
  ASSERT_FALSE(r.ok()) << r->status;
  EXPECT_NE(r.status().message().find("certificate"), std::string_view::npos) << r.status().ToString();
}

TEST_F(AgentTlsTest, PlainHttpToATlsReceiverGetsNoAnswer) {
  StartAgent();
  std::string plain = agent_->http_endpoint();
  plain.replace(0, 5, "http");
  TestClient client(plain);
  client.set_timeout(3s);
  Result<TestResponse> r = client.Post("/v1/traces", "x", {"Content-Type: application/x-protobuf"});
  EXPECT_TRUE(!r.ok() || r->status != 200);
}

TEST_F(AgentTlsTest, MutualTlsRefusesClientsWithoutATrustedCertificate) {
  options_.http.tls.client_ca_file = ca_->cert_file();
  StartAgent();
  Result<TestResponse> none = Post({.ca_file = ca_->cert_file()});
  EXPECT_FALSE(none.ok()) << "no client certificate: " << none->status;
  Result<TestResponse> untrusted =
      Post({.ca_file = ca_->cert_file(), .cert_file = rogue_.cert, .key_file = rogue_.key});
  EXPECT_FALSE(untrusted.ok()) << "a certificate from another CA: " << untrusted->status;
  Result<TestResponse> trusted =
      Post({.ca_file = ca_->cert_file(), .cert_file = client_.cert, .key_file = client_.key}, 7);
  ASSERT_TRUE(trusted.ok()) << trusted.status().ToString();
  EXPECT_EQ(trusted->status, 200);
  ASSERT_TRUE(agent_->Shutdown().ok());
  EXPECT_EQ(Stored(), 7u);  // only the trusted client's spans
}

TEST_F(AgentTlsTest, MinimumVersionThirteenRefusesATls12OnlyClient) {
  options_.http.tls.min_version = http::TlsVersion::k13;
  StartAgent();
  Result<TestResponse> old = Post({.ca_file = ca_->cert_file(), .tls12_only = true});
  EXPECT_FALSE(old.ok()) << old->status;
  Result<TestResponse> current = Post({.ca_file = ca_->cert_file()});
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->status, 200);
}

TEST_F(AgentTlsTest, DefaultMinimumServesATls12OnlyClient) {
  StartAgent();
  Result<TestResponse> r = Post({.ca_file = ca_->cert_file(), .tls12_only = true});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

// A TCP connection to the receiver that never starts (or never finishes) its
// handshake holds a connection as a slowloris does: read_header_timeout
// cuts it, and the receiver keeps serving others meanwhile.
TEST_F(AgentTlsTest, AHandshakeThatNeverCompletesIsCutByTheReadHeaderTimeout) {
  options_.http.read_header_timeout = 1s;
  options_.http.idle_timeout = 60s;
  StartAgent();
  const std::string endpoint = agent_->http_endpoint();
  const int port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
  // The first bytes of a ClientHello record, then nothing.
  const char partial[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
  ASSERT_EQ(send(fd, partial, sizeof(partial), MSG_NOSIGNAL), static_cast<ssize_t>(sizeof(partial)));

  Result<TestResponse> other = Post({.ca_file = ca_->cert_file()});
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->status, 200);

  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() - start < 10s) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    closed = recv(fd, buf, sizeof(buf), 0) <= 0;
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  close(fd);
  EXPECT_TRUE(closed);
  EXPECT_LT(waited, 5s);
  EXPECT_GE(agent_->http_counters().connections.closed_read_header_timeout.load(), 1u);
}

// Each wrong file stops the start, and the message names the key and the file.
TEST_F(AgentTlsTest, AWrongFileIsAnErrorNamingTheKeyAndTheFile) {
  const std::string not_pem = (dir_ / "not.pem").string();
  std::ofstream(not_pem) << "hello\n";
  struct Case {
    std::string cert, key, client_ca, expected;
  };
  const Case cases[] = {
      {(dir_ / "missing.pem").string(), server_.key, "", "tls.cert_file " + (dir_ / "missing.pem").string() + ": cannot read"},
      {not_pem, server_.key, "", "tls.cert_file " + not_pem + ": no PEM certificate"},
      {server_.cert, not_pem, "", "tls.key_file " + not_pem + ": no PEM private key"},
      {server_.cert, client_.key, "", "tls.key_file " + client_.key + ": does not match the certificate of tls.cert_file " + server_.cert},
      {server_.cert, server_.key, not_pem, "tls.client_ca_file " + not_pem + ": no PEM certificate"},
      {server_.cert, "", "", "tls.key_file is required"},
  };
  for (const Case& c : cases) {
    options_.http.tls.cert_file = c.cert;
    options_.http.tls.key_file = c.key;
    options_.http.tls.client_ca_file = c.client_ca;
    auto agent = Agent::Start(options_);
    ASSERT_FALSE(agent.ok()) << c.expected;
    EXPECT_EQ(agent.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(agent.status().message().find(c.expected), std::string_view::npos)
        << agent.status().message() << "\n  expected: " << c.expected;
  }
}

}  // namespace
}  // namespace otelpack::agent
