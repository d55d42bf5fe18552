// The ClickHouse example (examples/formats/clickhouse) end to end, against a real
// clickhouse-server: its otelpack.yaml (and so its format.yaml) loaded as `otelpack run
// --config` loads it, the endpoint given as `--endpoint` gives it, the tables made by its
// schema.sql; OTLP/HTTP protobuf from a real client -> the agent -> ClickHouse; then every
// row read back and compared with what was sent, column by column (expected_rows.h). Also the
// batch limits, the credentials, and retries while ClickHouse is down, with the memory queue
// and across an agent restart with the disk queue: every row arrives, once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "agent/agent.h"
#include "common/str_cat.h"
#include "config/config.h"
#include "http/testing/test_client.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otlp/decode.h"
#include "tests/clickhouse/clickhouse_server.h"
#include "tests/clickhouse/expected_rows.h"
#include "tests/clickhouse/tricky_records.h"

namespace otelpack::testing {
namespace {

using http::testing::TestClient;
using http::testing::TestResponse;
using namespace std::chrono_literals;

const std::string kExample = OTELPACK_CLICKHOUSE_EXAMPLE;  // the folder
const std::vector<std::string> kProtobuf = {"Content-Type: application/x-protobuf"};

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) StrAppend(&out, l, "\n");
  return out;
}

class ClickHouseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<ClickHouseServer>> started = ClickHouseServer::Start();
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    clickhouse_ = std::move(*started);
    const Status schema = clickhouse_->RunScript(kExample + "/schema.sql");
    ASSERT_TRUE(schema.ok()) << schema.ToString();
    LoadExample(clickhouse_->password());
  }

  // otelpack.yaml with CLICKHOUSE_USER and CLICKHOUSE_KEY in the environment, then what
  // `--endpoint` and the test's free ports change.
  void LoadExample(const std::string& key) {
    agent::AgentOptions base;
    base.exporter.queue.when_full = WhenFull::kDropNewest;  // as config::OptionsFromEnvironment
    const config::EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
      if (name == "CLICKHOUSE_USER") return clickhouse_->user();
      if (name == "CLICKHOUSE_KEY") return key;
      return std::nullopt;
    };
    config::LoadedConfig loaded = config::LoadConfigFile(kExample + "/otelpack.yaml", base, env);
    config::CheckExporterReady(&loaded);
    std::string errors;
    for (const config::ConfigError& e : loaded.errors) StrAppend(&errors, config::FormatError("otelpack.yaml", e), "\n");
    ASSERT_TRUE(loaded.ok()) << errors;
    options_ = loaded.options;
    options_.exporter.endpoint = clickhouse_->endpoint();
    options_.http.listen = "127.0.0.1:0";
    options_.grpc.enabled = false;
    options_.metrics.listen = "127.0.0.1:0";
  }

  void StartAgent() {
    Result<std::unique_ptr<agent::Agent>> started = agent::Agent::Start(options_);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    agent_ = std::move(*started);
    client_ = std::make_unique<TestClient>(agent_->http_endpoint());
  }

  void Post(std::string_view path, const std::string& body) {
    Result<TestResponse> r = client_->Post(path, body, kProtobuf);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body, "") << "a partial success: some records were not accepted";
  }
  // Each sends over OTLP/HTTP protobuf and appends the rows ClickHouse must then hold.
  void Send(TracesView traces) {
    std::string body;
    otlp::EncodeTracesProto(traces, &body);
    Post("/v1/traces", body);
    for (ExpectedRow& row : SpanRows(traces)) spans_.push_back(std::move(row));
  }
  void Send(LogsView logs) {
    std::string body;
    otlp::EncodeLogsProto(logs, &body);
    Post("/v1/logs", body);
    for (ExpectedRow& row : LogRows(logs)) logs_.push_back(std::move(row));
  }
  void Send(MetricsView metrics) {
    std::string body;
    otlp::EncodeMetricsProto(metrics, &body);
    Post("/v1/metrics", body);
    for (ExpectedRow& row : PointRows(metrics)) points_.push_back(std::move(row));
  }

  std::string Select(const std::string& table) {
    Result<std::string> rows = clickhouse_->Query(StrCat("SELECT * FROM otel.", table, " FORMAT JSONEachRow"));
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : "";
  }
  std::uint64_t Number(const std::string& sql) {
    Result<std::string> n = clickhouse_->Query(sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? std::stoull(*n) : 0;
  }
  std::uint64_t Rows(const std::string& table) { return Number(StrCat("SELECT count() FROM otel.", table)); }
  // ClickHouse's own count of INSERT statements since it started.
  std::uint64_t Inserts() {
    return Number("SELECT sum(value) FROM system.events WHERE event = 'InsertQuery'");
  }

  // Every table holds exactly the rows sent, each once.
  void ExpectTablesHoldWhatWasSent() {
    EXPECT_EQ(Joined(CompareTable(Select("otel_traces"), spans_, {"SpanId"})), "");
    EXPECT_EQ(Joined(CompareTable(Select("otel_logs"), logs_, {"TimeUnixNano", "SpanId"})), "");
    EXPECT_EQ(Joined(CompareTable(Select("otel_metrics"), points_, {"MetricName", "TimeUnixNano"})), "");
  }

  std::unique_ptr<ClickHouseServer> clickhouse_;
  agent::AgentOptions options_;
  std::unique_ptr<agent::Agent> agent_;
  std::unique_ptr<TestClient> client_;
  std::vector<ExpectedRow> spans_, logs_, points_;
};

TEST_F(ClickHouseTest, TheExampleConfigurationIsWhatTheReadmeSays) {
  const ExporterOptions& e = options_.exporter;
  EXPECT_EQ(e.compression, Compression::kGzip);
  EXPECT_EQ(e.auth.scheme, AuthScheme::kNone);
  ASSERT_NE(e.format, nullptr);
  // format.yaml, read from otelpack.yaml's folder whatever the working directory.
  EXPECT_EQ(std::filesystem::path(e.format->source()), std::filesystem::path(kExample) / "format.yaml");
}

TEST_F(ClickHouseTest, EveryRowHoldsWhatWasSentColumnByColumn) {
  StartAgent();
  TrickyTraces tricky_traces;
  TrickyLogs tricky_logs;
  TrickyMetrics tricky_metrics;
  Send(tricky_traces.view());
  Send(tricky_logs.view());
  Send(tricky_metrics.view());
  loadgen::SpanGenerator spans;
  loadgen::LogGeneratorOptions log_options;
  log_options.map_body_ratio = 0.3;
  loadgen::LogGenerator logs(log_options);
  loadgen::MetricGenerator metrics;
  for (int i = 0; i < 2; ++i) {
    Send(spans.Next(150));
    Send(logs.Next(150));
    Send(metrics.Next(100));
  }
  ASSERT_TRUE(agent_->Shutdown().ok());

  ExpectTablesHoldWhatWasSent();
  const ExporterStats st = agent_->exporter_stats();
  for (Signal signal : kAllSignals) {
    const SignalStats& s = st.of(signal);
    EXPECT_EQ(s.sent, s.received) << SignalName(signal);
    EXPECT_EQ(s.dropped(), 0u) << SignalName(signal);
    EXPECT_EQ(s.requests_failed_retryable + s.requests_failed_permanent, 0u) << SignalName(signal);
  }
  EXPECT_EQ(st.traces.sent, spans_.size());
  // gzip for real: ClickHouse inflated what it stored.
  EXPECT_LT(st.bytes_compressed * 3, st.bytes_uncompressed);
  EXPECT_EQ(Inserts(), st.requests_ok);
}

TEST_F(ClickHouseTest, BatchLimitsMakeOneInsertPerBatch) {
  options_.exporter.max_batch_events = 7;
  options_.exporter.flush_interval = 30s;  // only the event limit and the shutdown close batches
  StartAgent();
  loadgen::SpanGenerator spans;
  Send(spans.Next(30));
  ASSERT_TRUE(agent_->Shutdown().ok());

  EXPECT_EQ(Rows("otel_traces"), 30u);
  EXPECT_EQ(Joined(CompareTable(Select("otel_traces"), spans_, {"SpanId"})), "");
  const ExporterStats st = agent_->exporter_stats();
  EXPECT_EQ(st.traces.requests_ok, 5u);  // 7 + 7 + 7 + 7 + 2
  EXPECT_EQ(st.requests_ok, 5u);
  EXPECT_EQ(Inserts(), 5u);
}

TEST_F(ClickHouseTest, AWrongKeyIsRefusedAndNothingIsStored) {
  LoadExample("not-the-key");
  StartAgent();
  loadgen::SpanGenerator spans;
  Send(spans.Next(10));
  agent_->Shutdown();  // its verdict is on what is left: nothing (the batch was dropped)

  EXPECT_EQ(Rows("otel_traces"), 0u);
  const ExporterStats st = agent_->exporter_stats();
  // ClickHouse answers 401 (wrong password): permanent, not retried.
  EXPECT_EQ(st.traces.dropped_permanent, 10u);
  EXPECT_EQ(st.traces.requests_failed_permanent, 1u);
  EXPECT_EQ(st.retries, 0u);
  EXPECT_EQ(st.last_error.find("not-the-key"), std::string::npos) << st.last_error;
}

// Memory queue: the batches wait in the agent, retried, until ClickHouse is back. ClickHouse
// was down, so no attempt stored anything: each batch is stored once, by the attempt that
// succeeds.
TEST_F(ClickHouseTest, RowsSentWhileClickHouseIsDownArriveOnceItIsBack) {
  options_.exporter.flush_interval = 20ms;
  options_.exporter.retry.initial_interval = 50ms;
  options_.exporter.retry.max_interval = 200ms;
  StartAgent();
  clickhouse_->Stop();
  loadgen::SpanGenerator spans;
  loadgen::LogGenerator logs;
  TrickyTraces tricky;
  Send(tricky.view());
  Send(spans.Next(50));
  Send(logs.Next(40));
  // Both signals have failed at least once (connection refused) before ClickHouse returns.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((agent_->exporter_stats().traces.requests_failed_retryable < 2 ||
          agent_->exporter_stats().logs.requests_failed_retryable < 2) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(agent_->exporter_stats().traces.requests_failed_retryable, 2u);
  ASSERT_GE(agent_->exporter_stats().logs.requests_failed_retryable, 2u);
  EXPECT_EQ(agent_->exporter_stats().traces.sent, 0u);
  const Status restarted = clickhouse_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted.ToString();
  ASSERT_TRUE(agent_->Shutdown().ok());

  ExpectTablesHoldWhatWasSent();
  const ExporterStats st = agent_->exporter_stats();
  EXPECT_EQ(st.traces.sent, spans_.size());
  EXPECT_EQ(st.logs.sent, logs_.size());
  EXPECT_GE(st.retries, 4u);
  EXPECT_EQ(st.traces.dropped() + st.logs.dropped(), 0u);
}

// Disk queue: the agent stops while ClickHouse is down and keeps its batches on disk; the
// next agent on the same directory delivers them once ClickHouse is back.
TEST_F(ClickHouseTest, TheDiskQueueDeliversAfterAnAgentRestart) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / StrCat("otelpack-clickhouse-queue-", getpid());
  std::filesystem::remove_all(dir);
  options_.exporter.queue.kind = QueueKind::kDisk;
  options_.exporter.queue.directory = dir.string();
  options_.exporter.retry.initial_interval = 50ms;
  options_.exporter.retry.max_interval = 200ms;
  options_.shutdown_timeout = 300ms;
  StartAgent();
  clickhouse_->Stop();
  loadgen::SpanGenerator spans;
  TrickyLogs tricky;
  Send(spans.Next(40));
  Send(tricky.view());
  EXPECT_FALSE(agent_->Shutdown().ok());  // the deadline passed: the batches stay on disk
  const ExporterStats first = agent_->exporter_stats();
  EXPECT_EQ(first.traces.left_on_disk, 40u);
  EXPECT_EQ(first.logs.left_on_disk, logs_.size());
  EXPECT_EQ(first.traces.sent + first.logs.sent, 0u);

  const Status restarted = clickhouse_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted.ToString();
  options_.shutdown_timeout = 10s;
  agent_.reset();
  StartAgent();
  ASSERT_TRUE(agent_->Shutdown().ok());

  ExpectTablesHoldWhatWasSent();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otelpack::testing
