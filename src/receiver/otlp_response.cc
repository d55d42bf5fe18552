#include "receiver/otlp_response.h"

#include "common/json_text.h"
#include "common/str_cat.h"

namespace otelpack::receiver {
namespace {

void PutVarint(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutLen(std::uint32_t field, std::string_view bytes, std::string* out) {
  PutVarint((field << 3) | 2, out);
  PutVarint(bytes.size(), out);
  out->append(bytes);
}

void PutInt(std::uint32_t field, std::uint64_t v, std::string* out) {
  PutVarint(field << 3, out);
  PutVarint(v, out);
}

constexpr std::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

}  // namespace

std::string ExportTraceResponse(BodyFormat format, std::uint64_t rejected_spans,
                                std::string_view error_message) {
  const bool partial = rejected_spans > 0 || !error_message.empty();
  if (format == BodyFormat::kJson) {
    if (!partial) return "{}";
    // int64 is a string in the protobuf JSON mapping.
    std::string out = StrCat(R"({"partialSuccess":{"rejectedSpans":")", rejected_spans,
                             R"(","errorMessage":)");
    AppendJsonString(&out, error_message);
    out += "}}";
    return out;
  }
  if (!partial) return {};
  std::string partial_success;
  if (rejected_spans > 0) PutInt(1, rejected_spans, &partial_success);
  if (!error_message.empty()) PutLen(2, error_message, &partial_success);
  std::string out;
  PutLen(1, partial_success, &out);
  return out;
}

std::string RpcStatus(BodyFormat format, int code, std::string_view message,
                      std::chrono::seconds retry_delay) {
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
  if (code != 0) PutInt(1, static_cast<std::uint64_t>(code), &out);
  if (!message.empty()) PutLen(2, message, &out);
  if (retry_delay.count() > 0) {
    std::string duration;  // google.protobuf.Duration {int64 seconds = 1}
    PutInt(1, static_cast<std::uint64_t>(retry_delay.count()), &duration);
    std::string retry_info;  // google.rpc.RetryInfo {Duration retry_delay = 1}
    PutLen(1, duration, &retry_info);
    std::string any;  // google.protobuf.Any {string type_url = 1; bytes value = 2}
    PutLen(1, kRetryInfoType, &any);
    PutLen(2, retry_info, &any);
    PutLen(3, any, &out);
  }
  return out;
}

}  // namespace otelpack::receiver
