// The OTLP receivers' options: one struct per transport. The agent's
// options (agent/options.h) hold one of each; the YAML file (src/config)
// fills them.
#ifndef OTELPACK_RECEIVER_OPTIONS_H_
#define OTELPACK_RECEIVER_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "http/tls.h"

namespace otelpack::receiver {

// OTLP/HTTP: POST /v1/traces, protobuf or JSON, optionally gzip.
struct HttpReceiverOptions {
  bool enabled = true;  // default on
  // "host:port" to listen on; port 0 picks a free one. Default 127.0.0.1:4318.
  std::string listen = "127.0.0.1:4318";
  // Non-empty: clients must send `Authorization: Bearer <token>` (else 401).
  // Default empty: no check.
  std::string bearer_token;
  // Request body as received (413 beyond). Default 20 MiB, as the Collector.
  std::size_t max_body_bytes = 20u << 20;
  // Body after gzip decoding, enforced while inflating (413 beyond). Default 64 MiB.
  std::size_t max_decompressed_bytes = 64u << 20;
  // HTTP worker threads. Default 2.
  unsigned threads = 2;
  // Connections idle this long are closed. Default 60 s.
  std::chrono::seconds idle_timeout{60};
  // Open connections at most, from all clients; more are closed unanswered
  // at once and counted. Default 10000 (each is a file descriptor: the
  // receiver raises its soft RLIMIT_NOFILE to fit, within the hard limit).
  std::size_t max_connections = 10000;
  // Open connections from one client IP address at most; more are refused
  // as above. Default 0: no cap (clients behind one NAT or proxy share one).
  std::size_t max_connections_per_client = 0;
  // A request's line and headers must arrive within this, from the
  // connection's opening or the previous answer; else the connection is
  // closed (slowloris). Default 60 s, as the Collector's read_header_timeout.
  std::chrono::seconds read_header_timeout{60};
  // TLS (http/tls.h): certificate, key, client CA for mTLS, minimum
  // version. Default: plain text. With TLS the handshake counts against
  // read_header_timeout.
  http::TlsOptions tls;
};

// OTLP/gRPC: opentelemetry.proto.collector.trace.v1.TraceService/Export.
struct GrpcReceiverOptions {
  bool enabled = true;  // default on
  // "host:port" or "[v6]:port"; port 0 picks a free one. Default 127.0.0.1:4317.
  std::string listen = "127.0.0.1:4317";
  // As for HTTP (default empty: no check); gRPC answers UNAUTHENTICATED.
  std::string bearer_token;
  // Largest message, after decompression. Default 20 MiB.
  std::size_t max_message_bytes = 20u << 20;
  // TLS as for HTTP (default: plain text); a client without a trusted
  // certificate fails its handshake when client_ca_file is set.
  http::TlsOptions tls;
};

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_OPTIONS_H_
