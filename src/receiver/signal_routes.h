// The signals the OTLP receivers serve, one row each: where a request for
// the signal arrives (its OTLP/HTTP path, its OTLP/gRPC method), how its body
// is decoded and which consumer method takes the records. Both receivers
// read only this table, so serving another signal is another row in
// signal_routes.cc (and the consumer method it calls), not a copy of a
// receiver.
#ifndef OTELPACK_RECEIVER_SIGNAL_ROUTES_H_
#define OTELPACK_RECEIVER_SIGNAL_ROUTES_H_

#include <span>
#include <string_view>

#include "otelpack/arena.h"
#include "otelpack/signal.h"
#include "otlp/decode.h"
#include "receiver/consumer.h"
#include "receiver/otlp_response.h"
#include "receiver/outcome.h"

namespace otelpack::receiver {

// One export request as every transport has it once the body is read and
// inflated, and what to decode it with and hand it to.
struct ExportCall {
  std::string_view body;  // the Export*ServiceRequest
  BodyFormat format = BodyFormat::kProtobuf;
  Arena* arena = nullptr;  // reset, then holds the decoded lists until the call returns
  const otlp::DecodeLimits* limits = nullptr;
  Consumer* consumer = nullptr;
  ReceiverCounters* counters = nullptr;  // the signal's
};

struct SignalRoute {
  Signal signal;
  std::string_view http_path;  // "/v1/traces"
  // The full gRPC method name, NUL-terminated for gRPC's C API.
  const char* grpc_method;
  // Decodes call.body, hands the records to the consumer (when there are
  // any) and counts the outcome: every step of a request after its body.
  Outcome (*export_request)(const ExportCall& call);
};

// Every row, in a stable order (the gRPC receiver numbers its methods by it).
std::span<const SignalRoute> SignalRoutes();

// The row whose http_path is `path` exactly; nullptr when none.
const SignalRoute* RouteForHttpPath(std::string_view path);

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_SIGNAL_ROUTES_H_
