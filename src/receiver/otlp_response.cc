// Export*ServiceResponse and google.rpc.Status, written by hand (see
// otlp_response.h): a few fields, so no libprotobuf on the answer's path.
#include "receiver/otlp_response.h"

#include "common/json_text.h"
#include "common/str_cat.h"
#include "otlp/wire.h"

namespace otelpack::receiver {
namespace {

using otlp::wire::PutBytes;
using otlp::wire::PutVarintField;

constexpr std::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

// The JSON name of ExportXPartialSuccess's field 1 (rejected_spans, ...).
std::string_view RejectedJsonKey(Signal signal) {
  switch (signal) {
    case Signal::kTraces: return "rejectedSpans";
    case Signal::kLogs: return "rejectedLogRecords";
    case Signal::kMetrics: return "rejectedDataPoints";
  }
  return "rejectedSpans";
}

}  // namespace

std::string ExportResponse(Signal signal, BodyFormat format, std::uint64_t rejected,
                           std::string_view error_message) {
  const bool partial = rejected > 0 || !error_message.empty();
  if (format == BodyFormat::kJson) {
    if (!partial) return "{}";
    // int64 is a string in the protobuf JSON mapping.
    std::string out = StrCat(R"({"partialSuccess":{")", RejectedJsonKey(signal), R"(":")", rejected,
                             R"(","errorMessage":)");
    AppendJsonString(&out, error_message);
    out += "}}";
    return out;
  }
  if (!partial) return {};
  std::string partial_success;
  if (rejected > 0) PutVarintField(1, rejected, &partial_success);
  if (!error_message.empty()) PutBytes(2, error_message, &partial_success);
  std::string out;
  PutBytes(1, partial_success, &out);
  return out;
}

std::string RpcStatus(BodyFormat format, RpcCode rpc_code, std::string_view message,
                      std::chrono::seconds retry_delay) {
  const int code = static_cast<int>(rpc_code);
  if (format == BodyFormat::kJson) {
    std::string out = StrCat(R"({"code":)", code, R"(,"message":)");
    AppendJsonString(&out, message);
    if (retry_delay.count() > 0) {
      out += StrCat(R"(,"details":[{"@type":")", kRetryInfoType, R"(","retryDelay":")",
                    retry_delay.count(), R"(s"}])");
    }
    out += "}";
    return out;
  }
  std::string out;
  if (code != 0) PutVarintField(1, static_cast<std::uint64_t>(code), &out);
  if (!message.empty()) PutBytes(2, message, &out);
  if (retry_delay.count() > 0) {
    std::string duration;  // google.protobuf.Duration {int64 seconds = 1}
    PutVarintField(1, static_cast<std::uint64_t>(retry_delay.count()), &duration);
    std::string retry_info;  // google.rpc.RetryInfo {Duration retry_delay = 1}
    PutBytes(1, duration, &retry_info);
    std::string any;  // google.protobuf.Any {string type_url = 1; bytes value = 2}
    PutBytes(1, kRetryInfoType, &any);
    PutBytes(2, retry_info, &any);
    PutBytes(3, any, &out);
  }
  return out;
}

}  // namespace otelpack::receiver
