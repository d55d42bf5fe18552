// The bodies OTLP receivers answer with, in protobuf or in the OTLP JSON
// mapping: Export{Trace,Logs,Metrics}ServiceResponse (with partial success)
// and google.rpc.Status (every 4xx/5xx answer of OTLP/HTTP; gRPC status
// details).
#ifndef OTELPACK_RECEIVER_OTLP_RESPONSE_H_
#define OTELPACK_RECEIVER_OTLP_RESPONSE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "otelpack/signal.h"

namespace otelpack::receiver {

enum class BodyFormat { kProtobuf, kJson };

// google.rpc.Code: the codes of gRPC answers and of google.rpc.Status bodies
// (the same numbers as grpc::StatusCode).
enum class RpcCode : int {
  kOk = 0,
  kInvalidArgument = 3,
  kNotFound = 5,
  kResourceExhausted = 8,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kUnauthenticated = 16,
};

// The signal's Export*ServiceResponse: partial_success (field 1) with the
// count of rejected records (field 1: rejected_spans, rejected_log_records
// or rejected_data_points) and error_message (field 2). Empty (protobuf) or
// "{}" (JSON) when nothing was rejected and there is no message.
std::string ExportResponse(Signal signal, BodyFormat format, std::uint64_t rejected,
                           std::string_view error_message);

// google.rpc.Status {code, message}, plus a google.rpc.RetryInfo detail when
// retry_delay > 0.
std::string RpcStatus(BodyFormat format, RpcCode code, std::string_view message,
                      std::chrono::seconds retry_delay = std::chrono::seconds(0));

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_OTLP_RESPONSE_H_
