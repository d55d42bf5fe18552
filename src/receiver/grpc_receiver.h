// GrpcReceiver: OTLP/gRPC in. Serves the Export method of every signal in
// the signal table (signal_routes.h; today
// opentelemetry.proto.collector.trace.v1.TraceService/Export) and hands the
// decoded records to a TracesConsumer (the agent's pipeline).
//
// The request is taken as raw bytes (gRPC's raw method: no libprotobuf
// parsing) and decoded by the signal's protobuf decoder into a per-thread
// arena, its strings pointing into the received buffer. The answers follow
// the OTLP specification
// (https://opentelemetry.io/docs/specs/otlp/#otlpgrpc-response), as
// outcome.h lists them:
//
//   accepted                    OK, partial_success{rejected_spans, error_message}
//                               when spans with invalid ids were left out
//   malformed request           INVALID_ARGUMENT, naming the field
//   message over the limit      RESOURCE_EXHAUSTED (not retryable: no RetryInfo)
//   consumer ResourceExhausted  RESOURCE_EXHAUSTED with google.rpc.RetryInfo
//                               (1 s) in grpc-status-details-bin: SDKs back off
//   consumer FailedPrecondition UNAVAILABLE (shutting down; clients retry)
//   wrong or missing token      UNAUTHENTICATED
//
// Calls are served by a small fixed set of threads, each with its own
// completion queue, arena and scratch buffer; a consumer that blocks (a full
// queue with WhenFull::kBlock) holds up its thread only.
#ifndef OTELPACK_RECEIVER_GRPC_RECEIVER_H_
#define OTELPACK_RECEIVER_GRPC_RECEIVER_H_

#include <chrono>
#include <cstdint>
#include <memory>

#include "otelpack/status.h"
#include "otlp/decode.h"
#include "receiver/consumer.h"
#include "receiver/options.h"

namespace otelpack::receiver {

class GrpcReceiver {
 public:
  // Starts listening on options.listen ("host:port", "[v6]:port"; port 0
  // picks a free one). `consumer` and `counters` must outlive the receiver.
  // InvalidArgument for bad options, Unavailable when the address cannot be
  // bound.
  static Result<std::unique_ptr<GrpcReceiver>> Start(const GrpcReceiverOptions& options,
                                                     const otlp::DecodeLimits& limits,
                                                     Consumer* consumer,
                                                     TransportCounters* counters);
  ~GrpcReceiver();  // Shutdown(0)
  GrpcReceiver(const GrpcReceiver&) = delete;
  GrpcReceiver& operator=(const GrpcReceiver&) = delete;

  // The port actually bound.
  std::uint16_t port() const;

  // Stops accepting calls, lets the calls in progress finish for up to
  // `timeout`, then cancels the rest, and returns once no thread of the
  // receiver runs. Idempotent; the consumer is not called after it returns.
  void Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  struct Impl;
  explicit GrpcReceiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_GRPC_RECEIVER_H_
