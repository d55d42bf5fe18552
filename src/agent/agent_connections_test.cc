// The OTLP/HTTP receiver under hostile clients, over real sockets: the agent
// runs in-process, the hostile clients are raw POSIX sockets from another
// loopback address (127.0.0.2) and the well-behaved one is libcurl from
// 127.0.0.1. Each test is a way to make the receiver unreachable or to hold
// its connections, and asserts both the defence and that a valid request
// from someone else still gets through.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "agent/agent.h"
#include "exporter/testing/test_sink.h"
#include "http/testing/test_client.h"
#include "loadgen/loadgen.h"
#include "otlp/decode.h"
#include "sink/sink.h"

namespace otelpack::agent {
namespace {

using http::testing::TestClient;
using http::testing::TestResponse;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kHostile = "127.0.0.2";  // another client address, on loopback

// A TCP connection to 127.0.0.1:port from `source`; -1 when it failed.
int Connect(const char* source, std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// What the server sent on `fd` within `timeout`, and whether it closed.
struct Seen {
  std::string data;
  bool closed = false;
};
Seen Watch(int fd, std::chrono::milliseconds timeout) {
  Seen seen;
  const Clock::time_point end = Clock::now() + timeout;
  while (Clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {  // EOF or reset: closed either way
      seen.closed = true;
      return seen;
    }
    seen.data.append(buf, static_cast<std::size_t>(n));
  }
  return seen;
}

// An answer's status line and headers (our answers to a full success have
// no body), or what came before `timeout`.
std::string ReadHead(int fd, std::chrono::milliseconds timeout) {
  std::string head;
  const Clock::time_point end = Clock::now() + timeout;
  while (head.find("\r\n\r\n") == std::string::npos && Clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    head.append(buf, static_cast<std::size_t>(n));
  }
  return head;
}

// The test holds thousands of sockets and the receiver as many, in one
// process: raise the soft limit (RLIMIT_NOFILE) within the hard one.
bool EnsureDescriptors(rlim_t n) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur >= n) return true;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < n) return false;
  limit.rlim_cur = n;
  return setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

std::size_t OpenDescriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// Polls `condition` until it holds or `timeout` passes.
bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const Clock::time_point end = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= end) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

class AgentConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = otelpack::testing::StartTestSink();
    ASSERT_NE(sink_, nullptr);
    options_.http.listen = "127.0.0.1:0";
    options_.http.max_body_bytes = 1 << 20;
    options_.grpc.enabled = false;
    options_.metrics.enabled = false;
    options_.exporter = otelpack::testing::ExporterOptionsFor(*sink_);
    options_.exporter.flush_interval = 20ms;
  }
  void TearDown() override {
    for (int fd : held_) close(fd);
  }

  void StartAgent() {
    auto agent = Agent::Start(options_);
    ASSERT_TRUE(agent.ok()) << agent.status().ToString();
    agent_ = std::move(*agent);
    const std::string endpoint = agent_->http_endpoint();
    port_ = static_cast<std::uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
  }

  // Opens `n` connections from the hostile address and keeps them.
  void Hold(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const int fd = Connect(kHostile, port_);
      ASSERT_GE(fd, 0) << "connection " << i << ": " << std::strerror(errno);
      held_.push_back(fd);
    }
  }

  // One connection from the hostile address, closed at the end; -1 when it failed.
  int HoldOne() {
    const int fd = Connect(kHostile, port_);
    if (fd >= 0) held_.push_back(fd);
    return fd;
  }

  // A valid export from 127.0.0.1, as an SDK would send it.
  Result<TestResponse> ValidPost() {
    std::string body;
    otlp::EncodeTracesProto(generator_.Next(10), &body);
    TestClient client(agent_->http_endpoint());
    client.set_timeout(5s);
    return client.Post("/v1/traces", body, {"Content-Type: application/x-protobuf"});
  }

  const http::ConnectionCounters& connections() const { return agent_->http_counters().connections; }
  std::uint64_t Open() const { return connections().open.load(); }

  AgentOptions options_;
  std::unique_ptr<sink::Sink> sink_;
  std::unique_ptr<Agent> agent_;
  std::uint16_t port_ = 0;
  std::vector<int> held_;
  loadgen::SpanGenerator generator_;
};

TEST_F(AgentConnectionsTest, ElevenHundredIdleConnectionsLeaveTheReceiverReachable) {
  // 1,100 held + as many in the receiver + the rest of the process.
  if (!EnsureDescriptors(4096)) GTEST_SKIP() << "needs 4096 file descriptors (ulimit -Hn)";
  StartAgent();
  Hold(1100);
  EXPECT_TRUE(Eventually([&] { return Open() == 1100; }, 10s)) << Open();
  Result<TestResponse> r = ValidPost();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  for (int fd : held_) close(fd);
  held_.clear();
  EXPECT_TRUE(Eventually([&] { return Open() == 0; }, 10s)) << Open();
}

TEST_F(AgentConnectionsTest, PastMaxConnectionsNewOnesAreClosedAtOnceAndCounted) {
  options_.http.max_connections = 20;
  StartAgent();
  Hold(20);
  ASSERT_TRUE(Eventually([&] { return Open() == 20; }, 5s)) << Open();
  for (int i = 0; i < 5; ++i) {
    const int fd = Connect(kHostile, port_);
    ASSERT_GE(fd, 0);
    const Seen seen = Watch(fd, 2s);
    EXPECT_TRUE(seen.closed) << "connection " << i << " past the limit was not closed";
    EXPECT_EQ(seen.data, "");
    close(fd);
  }
  EXPECT_EQ(connections().refused_max_connections.load(), 5u);
  EXPECT_EQ(connections().refused_max_connections_per_client.load(), 0u);
  EXPECT_NE(agent_->PrometheusText().find(
                "otelpack_receiver_connections_refused_total{transport=\"http\",limit=\"max_connections\"} 5\n"),
            std::string::npos);
  // A place freed is a place taken again.
  close(held_.back());
  held_.pop_back();
  ASSERT_TRUE(Eventually([&] { return Open() == 19; }, 5s)) << Open();
  Result<TestResponse> r = ValidPost();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

TEST_F(AgentConnectionsTest, PastMaxConnectionsPerClientThatClientIsRefusedAndOthersServed) {
  options_.http.max_connections_per_client = 10;
  StartAgent();
  Hold(10);
  ASSERT_TRUE(Eventually([&] { return Open() == 10; }, 5s)) << Open();
  const int fd = Connect(kHostile, port_);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(Watch(fd, 2s).closed);
  close(fd);
  EXPECT_EQ(connections().refused_max_connections_per_client.load(), 1u);
  Result<TestResponse> r = ValidPost();  // from 127.0.0.1: its own 10
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(agent_->PrometheusText().find("otelpack_receiver_connections_refused_total{transport=\"http\","
                                          "limit=\"max_connections_per_client\"} 1\n"),
            std::string::npos);
}

TEST_F(AgentConnectionsTest, HeadersSentOneByteAtATimeAreCutAtTheReadHeaderTimeout) {
  options_.http.read_header_timeout = 2s;
  StartAgent();
  const int fd = HoldOne();
  ASSERT_GE(fd, 0);
  const Clock::time_point start = Clock::now();
  const std::string request =
      "POST /v1/traces HTTP/1.1\r\nHost: agent\r\nX-Slow: " + std::string(200, 'a') + "\r\n";
  bool closed = false;
  for (char c : request) {  // one byte every 100 ms: the idle timeout never runs
    if (!SendAll(fd, std::string_view(&c, 1)) || Watch(fd, 100ms).closed) {
      closed = true;
      break;
    }
  }
  const auto took = Clock::now() - start;
  EXPECT_TRUE(closed) << "a request whose headers took 20 s was never cut";
  EXPECT_GE(took, 1900ms);
  EXPECT_LT(took, 4s);
  EXPECT_EQ(connections().closed_read_header_timeout.load(), 1u);
  EXPECT_TRUE(Eventually([&] { return Open() == 0; }, 2s)) << Open();
}

TEST_F(AgentConnectionsTest, EachRequestOnAKeepAliveConnectionHasItsOwnHeaderDeadline) {
  options_.http.read_header_timeout = 2s;
  StartAgent();
  const int fd = HoldOne();
  ASSERT_GE(fd, 0);
  std::string body;
  otlp::EncodeTracesProto(generator_.Next(3), &body);
  const std::string request = "POST /v1/traces HTTP/1.1\r\nHost: agent\r\nContent-Type: application/x-protobuf\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  // Six requests 700 ms apart: 3.5 s on one connection, each within its own 2 s.
  for (int i = 0; i < 6; ++i) {
    if (i > 0) std::this_thread::sleep_for(700ms);
    ASSERT_TRUE(SendAll(fd, request)) << "request " << i;
    const std::string head = ReadHead(fd, 2s);
    ASSERT_TRUE(head.starts_with("HTTP/1.1 200")) << "request " << i << ": " << head;
  }
  EXPECT_EQ(connections().closed_read_header_timeout.load(), 0u);
  // Then a next request that never finishes its headers is cut 2 s after the last answer.
  const Clock::time_point last_answer = Clock::now();
  ASSERT_TRUE(SendAll(fd, "POST /v1/traces HTTP/1.1\r\nHost: agent\r\n"));
  EXPECT_TRUE(Watch(fd, 4s).closed);
  EXPECT_LT(Clock::now() - last_answer, 3500ms);
  EXPECT_EQ(connections().closed_read_header_timeout.load(), 1u);
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].records_accepted.load(), 18u);
}

TEST_F(AgentConnectionsTest, ClientsThatCloseMidRequestAreFreedAtOnce) {
  if (!EnsureDescriptors(4096)) GTEST_SKIP() << "needs 4096 file descriptors (ulimit -Hn)";
  StartAgent();
  const std::size_t baseline = OpenDescriptors();
  for (int i = 0; i < 1500; ++i) {  // the request's start and the FIN arrive together
    const int fd = Connect(kHostile, port_);
    ASSERT_GE(fd, 0) << "connection " << i;
    SendAll(fd, "POST /v1/tra");
    close(fd);
  }
  EXPECT_TRUE(Eventually([&] { return connections().accepted.load() == 1500 && Open() == 0; }, 5s))
      << "accepted " << connections().accepted.load() << ", still open " << Open();
  EXPECT_TRUE(Eventually([&] { return OpenDescriptors() <= baseline; }, 2s))
      << OpenDescriptors() << " descriptors, " << baseline << " before";
  Result<TestResponse> r = ValidPost();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
}

TEST_F(AgentConnectionsTest, AContentLengthOverTheCapIsAnswered413AtTheHeadersAndClosed) {
  StartAgent();
  const int fd = HoldOne();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd,
                      "POST /v1/traces HTTP/1.1\r\nHost: agent\r\nContent-Type: application/x-protobuf\r\n"
                      "Content-Length: 2097152\r\n\r\n"));  // twice the cap, and no body ever
  const Seen seen = Watch(fd, 3s);
  EXPECT_TRUE(seen.data.starts_with("HTTP/1.1 413")) << seen.data;
  EXPECT_NE(seen.data.find("max_request_body_size"), std::string::npos) << seen.data;
  EXPECT_TRUE(seen.closed) << "the connection was kept open after the 413";
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].requests_invalid.load(), 1u);
}

TEST_F(AgentConnectionsTest, AChunkedBodyThatNeverEndsIsCutOffPastTwiceTheCap) {
  StartAgent();  // max_request_body_size 1 MiB
  const int fd = HoldOne();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, "POST /v1/traces HTTP/1.1\r\nHost: agent\r\nContent-Type: application/x-protobuf\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";  // 64 KiB
  std::size_t sent = 0;
  while (sent < (16u << 20) && SendAll(fd, chunk)) sent += 0x10000;
  EXPECT_LT(sent, 8u << 20) << "16 MiB of a 1 MiB-capped body were read";
  EXPECT_GE(sent, 2u << 20);
}

TEST_F(AgentConnectionsTest, TransferEncodingWithContentLengthIsRefusedAndClosed) {
  StartAgent();
  std::string body;
  otlp::EncodeTracesProto(generator_.Next(5), &body);
  char size[32];
  std::snprintf(size, sizeof(size), "%zx", body.size());
  const int fd = HoldOne();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, "POST /v1/traces HTTP/1.1\r\nHost: agent\r\nContent-Type: application/x-protobuf\r\n"
                          "Transfer-Encoding: chunked\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n"));
  const Seen seen = Watch(fd, 3s);
  EXPECT_TRUE(seen.data.starts_with("HTTP/1.1 400")) << seen.data;
  EXPECT_TRUE(seen.closed) << "the connection was kept open";
  EXPECT_EQ(agent_->http_counters()[Signal::kTraces].records_accepted.load(), 0u);
}

}  // namespace
}  // namespace otelpack::agent
