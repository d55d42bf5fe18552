#include "agent/agent.h"

#include <chrono>

#include "agent/metrics.h"
#include "common/secrets.h"
#include "common/str_cat.h"
#include "http/server.h"
#include "otelpack/log.h"
#include "receiver/grpc_receiver.h"
#include "receiver/http_receiver.h"

namespace otelpack::agent {
namespace {

// GET /metrics and GET /healthz on their own port, away from the receivers.
class MetricsHandler final : public http::HttpHandler {
 public:
  explicit MetricsHandler(const Agent* agent, const std::atomic<bool>* shutting_down)
      : agent_(agent), shutting_down_(shutting_down) {}

  std::optional<http::HttpResponse> OnHeaders(const http::HttpRequest& request) override {
    if (request.path != "/metrics" && request.path != "/healthz") {
      http::HttpResponse r;
      r.status = 404;
      r.body = R"json({"error":"no such path (GET /metrics or /healthz)"})json";
      return r;
    }
    if (request.method != "GET" && request.method != "HEAD") {
      http::HttpResponse r;
      r.status = 405;
      r.body = R"json({"error":"method not allowed: use GET"})json";
      r.headers.emplace_back("Allow", "GET, HEAD");
      return r;
    }
    return std::nullopt;
  }

  http::HttpResponse OnRequest(const http::HttpRequest& request) override {
    http::HttpResponse r;
    if (request.path == "/healthz") {
      const bool stopping = shutting_down_->load();
      r.status = stopping ? 503 : 200;
      r.body = stopping ? R"({"status":"shutting down"})" : R"({"status":"ok"})";
      return r;
    }
    r.body = agent_->PrometheusText();
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }

 private:
  const Agent* const agent_;
  const std::atomic<bool>* const shutting_down_;
};

}  // namespace

struct Agent::Parts {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::unique_ptr<Exporter> exporter;
  std::unique_ptr<receiver::HttpReceiver> http;
  std::unique_ptr<receiver::GrpcReceiver> grpc;
  std::unique_ptr<MetricsHandler> metrics_handler;
  std::unique_ptr<http::HttpServer> metrics;
  bool shut_down = false;
  Status shutdown_status;
};

Agent::Agent(const AgentOptions& options) : options_(options), parts_(std::make_unique<Parts>()) {}

Agent::~Agent() { Shutdown(); }

Result<std::unique_ptr<Agent>> Agent::Start(const AgentOptions& options) {
  std::unique_ptr<Agent> agent(new Agent(options));
  Parts& p = *agent->parts_;
  RegisterSecret(options.http.bearer_token);  // a client may send it where a log quotes it
  RegisterSecret(options.grpc.bearer_token);
  Result<std::unique_ptr<Exporter>> exporter = Exporter::Create(options.exporter);
  if (!exporter.ok()) {
    return Status(exporter.status().code(), StrCat("exporter: ", exporter.status().message()));
  }
  p.exporter = std::move(*exporter);

  if (options.http.enabled) {
    auto http = receiver::HttpReceiver::Start(options.http, options.limits, agent.get(),
                                              &agent->http_counters_);
    if (!http.ok()) return http.status();
    p.http = std::move(*http);
  }
  if (options.grpc.enabled) {
    auto grpc = receiver::GrpcReceiver::Start(options.grpc, options.limits, agent.get(),
                                              &agent->grpc_counters_);
    if (!grpc.ok()) return grpc.status();
    p.grpc = std::move(*grpc);
  }
  if (options.metrics.enabled) {
    http::ServerOptions server_options;
    server_options.name = "metrics";
    if (Status s = http::ParseListenAddress(options.metrics.listen, &server_options.host,
                                            &server_options.port);
        !s.ok()) {
      return Status::InvalidArgument(StrCat("metrics: ", s.message()));
    }
    server_options.threads = 1;
    server_options.max_body_bytes = 0;
    server_options.max_connections = 256;  // scrapers and probes: a few each
    p.metrics_handler = std::make_unique<MetricsHandler>(agent.get(), &agent->shutting_down_);
    auto server = http::HttpServer::Start(server_options, p.metrics_handler.get());
    if (!server.ok()) return server.status();
    p.metrics = std::move(*server);
  }
  return agent;
}

std::string Agent::http_endpoint() const {
  return parts_->http != nullptr ? parts_->http->endpoint() : std::string();
}

std::string Agent::grpc_address() const {
  if (parts_->grpc == nullptr) return {};
  std::string host = options_.grpc.listen.substr(0, options_.grpc.listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  return StrCat(host, ":", parts_->grpc->port());
}

std::string Agent::metrics_endpoint() const {
  return parts_->metrics != nullptr ? parts_->metrics->endpoint() : std::string();
}

template <typename View>
Status Agent::Consume(View data) {
  if (shutting_down_.load(std::memory_order_relaxed)) {
    return Status::FailedPrecondition("the agent is shutting down");
  }
  return parts_->exporter->Export(data);
}

Status Agent::ConsumeTraces(TracesView traces) { return Consume(traces); }
Status Agent::ConsumeLogs(LogsView logs) { return Consume(logs); }
Status Agent::ConsumeMetrics(MetricsView metrics) { return Consume(metrics); }

Status Agent::Shutdown() {
  Parts& p = *parts_;
  if (p.shut_down) return p.shutdown_status;
  p.shut_down = true;
  shutting_down_.store(true);
  // Receivers first: what they accepted is in the exporter, which then
  // delivers it within the deadline.
  if (p.http != nullptr) p.http->Shutdown();
  if (p.grpc != nullptr) p.grpc->Shutdown();
  if (p.exporter != nullptr) p.shutdown_status = p.exporter->Shutdown(options_.shutdown_timeout);
  if (p.metrics != nullptr) p.metrics->Close();
  return p.shutdown_status;
}

ExporterStats Agent::exporter_stats() const {
  return parts_->exporter != nullptr ? parts_->exporter->Stats() : ExporterStats();
}

std::string Agent::PrometheusText() const {
  MetricsSnapshot s;
  s.http = options_.http.enabled ? &http_counters_ : nullptr;
  s.grpc = options_.grpc.enabled ? &grpc_counters_ : nullptr;
  s.exporter = exporter_stats();
  s.queue_capacity_bytes = options_.exporter.queue.kind == QueueKind::kMemory
                               ? options_.exporter.queue.memory_max_bytes
                               : options_.exporter.queue.disk_max_bytes;
  s.uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - parts_->started).count();
  return FormatPrometheus(s);
}

}  // namespace otelpack::agent
