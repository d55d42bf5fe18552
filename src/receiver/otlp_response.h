// The bodies OTLP receivers answer with, in protobuf or in the OTLP JSON
// mapping: ExportTraceServiceResponse (with partial success) and
// google.rpc.Status (every 4xx/5xx answer of OTLP/HTTP; gRPC status details).
#ifndef OTELPACK_RECEIVER_OTLP_RESPONSE_H_
#define OTELPACK_RECEIVER_OTLP_RESPONSE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace otelpack::receiver {

enum class BodyFormat { kProtobuf, kJson };

// ExportTraceServiceResponse; empty (protobuf) or "{}" (JSON) when nothing
// was rejected and there is no message.
std::string ExportTraceResponse(BodyFormat format, std::uint64_t rejected_spans,
                                std::string_view error_message);

// google.rpc.Status {code, message}, plus a google.rpc.RetryInfo detail when
// retry_delay > 0. `code` is a gRPC status code (3 INVALID_ARGUMENT, ...).
std::string RpcStatus(BodyFormat format, int code, std::string_view message,
                      std::chrono::seconds retry_delay = std::chrono::seconds(0));

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_OTLP_RESPONSE_H_
