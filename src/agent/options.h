// AgentOptions: everything `otelpack run` is configured with. The YAML file
// (src/config), the command-line flags and the OTELPACK_* environment
// variables all end up here; the defaults let the agent run without a file.
#ifndef OTELPACK_AGENT_OPTIONS_H_
#define OTELPACK_AGENT_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "otelpack/exporter.h"
#include "otlp/decode.h"

namespace otelpack::agent {

// OTLP/HTTP: POST /v1/traces, protobuf or JSON, optionally gzip.
struct HttpReceiverOptions {
  bool enabled = true;
  std::string listen = "127.0.0.1:4318";
  // Non-empty: clients must send `Authorization: Bearer <token>` (else 401).
  std::string bearer_token;
  // Request body as received (413 beyond). Default 20 MiB, as the Collector.
  std::size_t max_body_bytes = 20u << 20;
  // Body after gzip decoding, enforced while inflating (413 beyond). Default 64 MiB.
  std::size_t max_decompressed_bytes = 64u << 20;
  unsigned threads = 2;
  std::chrono::seconds idle_timeout{60};
};

// OTLP/gRPC: opentelemetry.proto.collector.trace.v1.TraceService/Export.
struct GrpcReceiverOptions {
  bool enabled = true;
  std::string listen = "127.0.0.1:4317";
  std::string bearer_token;  // as for HTTP; gRPC answers UNAUTHENTICATED
  // Largest message, after decompression. Default 20 MiB.
  std::size_t max_message_bytes = 20u << 20;
};

// The agent's own /metrics (Prometheus text) and /healthz.
struct MetricsOptions {
  bool enabled = true;
  std::string listen = "127.0.0.1:8888";
};

struct AgentOptions {
  HttpReceiverOptions http;
  GrpcReceiverOptions grpc;
  otlp::DecodeLimits limits;
  ExporterOptions exporter;
  MetricsOptions metrics;
  // How long Shutdown (SIGINT/SIGTERM) may take to deliver what is queued. Default 10 s.
  std::chrono::milliseconds shutdown_timeout{10'000};
};

}  // namespace otelpack::agent

#endif  // OTELPACK_AGENT_OPTIONS_H_
