// AgentOptions: everything `otelpack run` is configured with. The YAML file
// (src/config), the command-line flags and the OTELPACK_* environment
// variables all end up here; the defaults let the agent run without a file.
#ifndef OTELPACK_AGENT_OPTIONS_H_
#define OTELPACK_AGENT_OPTIONS_H_

#include <chrono>
#include <string>

#include "otelpack/exporter.h"
#include "otlp/decode.h"
#include "receiver/options.h"

namespace otelpack::agent {

// The agent's own /metrics (Prometheus text) and /healthz.
struct MetricsOptions {
  bool enabled = true;
  std::string listen = "127.0.0.1:8888";
};

struct AgentOptions {
  receiver::HttpReceiverOptions http;
  receiver::GrpcReceiverOptions grpc;
  otlp::DecodeLimits limits;
  ExporterOptions exporter;
  MetricsOptions metrics;
  // How long Shutdown (SIGINT/SIGTERM) may take to deliver what is queued. Default 10 s.
  std::chrono::milliseconds shutdown_timeout{10'000};
};

}  // namespace otelpack::agent

#endif  // OTELPACK_AGENT_OPTIONS_H_
