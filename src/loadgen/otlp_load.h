// OtlpLoad: a client that sends realistic OTLP protobuf of one signal
// (spans, log records or metric data points: loadgen.h, signals.h) to an
// agent, over OTLP/HTTP keep-alive connections or OTLP/gRPC channels, for the
// demo (`otelpack run --load`) and the end-to-end benchmark (`otelpack bench`).
//
// The requests are generated and encoded before the clock starts (a pool of
// distinct requests sent in turn), so the load costs the sender little more
// than the socket writes: what is measured is the agent. A 429 or 503 is
// retried after its Retry-After (gRPC: RESOURCE_EXHAUSTED or UNAVAILABLE,
// after 1 s), as an SDK would.
#ifndef OTELPACK_LOADGEN_OTLP_LOAD_H_
#define OTELPACK_LOADGEN_OTLP_LOAD_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "otelpack/compression.h"
#include "otelpack/signal.h"
#include "otelpack/status.h"

namespace otelpack::loadgen {

enum class OtlpProtocol { kHttp, kGrpc };

struct OtlpLoadOptions {
  OtlpProtocol protocol = OtlpProtocol::kHttp;
  // What the requests carry. Records below are of this signal.
  Signal signal = Signal::kTraces;
  // HTTP: the agent's OTLP/HTTP URL for the signal. gRPC: its "host:port".
  std::string url = "http://127.0.0.1:4318/v1/traces";
  // Connections (one sending thread each; gRPC: one channel each). Default 2.
  int connections = 2;
  // Records per request. Default 512 (the SDKs' BatchSpanProcessor default).
  std::size_t records_per_request = 512;
  // Distinct requests generated up front and sent in turn. Default 32.
  int distinct_requests = 32;
  // Total records per second over all connections; 0 = as fast as answered.
  double records_per_second = 0;
  // Compress the requests (as SDKs configured with compression do). gRPC:
  // gzip only, done by gRPC per message.
  Compression compression = Compression::kNone;
  // Sent as `Authorization: Bearer <token>` when not empty.
  std::string bearer_token;
  std::uint64_t seed = 42;
};

struct OtlpLoadStats {
  std::uint64_t requests_ok = 0;
  std::uint64_t records_ok = 0;        // in requests answered 2xx
  std::uint64_t requests_refused = 0;  // 429/503: retried later
  std::uint64_t requests_failed = 0;   // anything else (not retried)
  std::uint64_t bytes_sent = 0;        // bodies, as sent
  std::string last_error;
};

class OtlpLoad {
 public:
  // Generates the requests and starts the connections.
  static Result<std::unique_ptr<OtlpLoad>> Start(const OtlpLoadOptions& options);
  ~OtlpLoad();  // Stop()
  OtlpLoad(const OtlpLoad&) = delete;
  OtlpLoad& operator=(const OtlpLoad&) = delete;

  // Waits for the requests in flight, then stops. Idempotent.
  void Stop();
  OtlpLoadStats Stats() const;
  // Mean encoded size of one record in the requests (protobuf, uncompressed).
  double bytes_per_record() const;

  struct State;

 private:
  explicit OtlpLoad(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace otelpack::loadgen

#endif  // OTELPACK_LOADGEN_OTLP_LOAD_H_
