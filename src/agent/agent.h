// Agent: OTLP receivers -> the exporter pipeline, plus the agent's own
// /metrics and /healthz. This is the one place `otelpack run` is wired:
//
//   OTLP/HTTP --+
//               +-- decode (otlp/) --> Agent::Consume{Traces,Logs,Metrics} --> Exporter --> backend
//   OTLP/gRPC --+
//
// A receiver decodes a request into the model in its own thread and hands it
// to the Consume method of its signal, which calls Exporter::Export: the
// records are encoded into their signal's open batch before the receiver
// answers, so an OK answer means the agent has them (in its queue, on disk
// with the disk queue).
#ifndef OTELPACK_AGENT_AGENT_H_
#define OTELPACK_AGENT_AGENT_H_

#include <atomic>
#include <memory>
#include <string>

#include "agent/options.h"
#include "otelpack/exporter.h"
#include "otelpack/status.h"
#include "receiver/consumer.h"

namespace otelpack::agent {

class Agent final : public receiver::Consumer {
 public:
  // Creates the exporter, then starts the enabled receivers and the metrics
  // endpoint. InvalidArgument for bad options; Unavailable when an address
  // cannot be bound (the message names which).
  static Result<std::unique_ptr<Agent>> Start(const AgentOptions& options);
  ~Agent() override;  // Shutdown()
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // The receivers' addresses as bound ("http://127.0.0.1:4318",
  // "127.0.0.1:4317", "http://127.0.0.1:8888"); empty when disabled.
  std::string http_endpoint() const;
  std::string grpc_address() const;
  std::string metrics_endpoint() const;

  // Stops the receivers (new requests are refused), then shuts the exporter
  // down within options.shutdown_timeout: queued data is delivered, or left
  // on disk, or dropped and counted. Idempotent; returns the exporter's verdict.
  Status Shutdown();

  // The receivers' and the exporter's counters in the Prometheus text format.
  std::string PrometheusText() const;
  ExporterStats exporter_stats() const;
  const receiver::TransportCounters& http_counters() const { return http_counters_; }
  const receiver::TransportCounters& grpc_counters() const { return grpc_counters_; }

  // Consumer: what the receivers call, for each signal.
  Status ConsumeTraces(TracesView traces) override;
  Status ConsumeLogs(LogsView logs) override;
  Status ConsumeMetrics(MetricsView metrics) override;

 private:
  struct Parts;
  explicit Agent(const AgentOptions& options);

  const AgentOptions options_;
  template <typename View>
  Status Consume(View data);

  receiver::TransportCounters http_counters_;
  receiver::TransportCounters grpc_counters_;
  std::atomic<bool> shutting_down_{false};
  std::unique_ptr<Parts> parts_;
};

}  // namespace otelpack::agent

#endif  // OTELPACK_AGENT_AGENT_H_
