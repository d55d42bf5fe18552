// HttpReceiver: OTLP/HTTP in. POST to the path of a signal in the signal
// table (signal_routes.h; today /v1/traces with an ExportTraceServiceRequest)
// in protobuf (application/x-protobuf) or in the OTLP JSON mapping
// (application/json), optionally compressed (gzip, zstd, lz4), chunked or
// not, on keep-alive connections. Answers as the OTLP/HTTP specification
// says (outcome.h): 200 with the signal's Export*ServiceResponse (partial
// success when records were left out); 400/401/404/405/413/415 with a
// google.rpc.Status naming the problem; 429 (queue full) or 503 (shutting
// down) with Retry-After so that SDKs back off and retry.
#ifndef OTELPACK_RECEIVER_HTTP_RECEIVER_H_
#define OTELPACK_RECEIVER_HTTP_RECEIVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "otlp/decode.h"
#include "otelpack/status.h"
#include "receiver/consumer.h"
#include "receiver/options.h"

namespace otelpack::receiver {

class HttpReceiver {
 public:
  // Starts listening on options.listen ("host:port"; port 0 picks one).
  // `consumer` and `counters` must outlive the receiver. Unavailable when the
  // address cannot be bound; InvalidArgument when it cannot be parsed or a
  // TLS file is wrong (naming the key and the file).
  static Result<std::unique_ptr<HttpReceiver>> Start(const HttpReceiverOptions& options,
                                                     const otlp::DecodeLimits& limits,
                                                     Consumer* consumer,
                                                     TransportCounters* counters);
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  std::uint16_t port() const;
  std::string endpoint() const;  // "http://127.0.0.1:PORT", "https://..." with TLS
  // Stops listening and closes every connection; requests being handled
  // finish first. Idempotent.
  void Shutdown();

 private:
  struct Impl;
  explicit HttpReceiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_HTTP_RECEIVER_H_
