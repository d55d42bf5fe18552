// The hand-written answers read back by libprotobuf, an implementation
// independent of ours: each signal's Export*ServiceResponse in protobuf and
// in the JSON mapping (where the rejected count's name differs by signal),
// and google.rpc.Status with its RetryInfo.
#include "receiver/otlp_response.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otelpack/testing/rpc_status.pb.h"

namespace otelpack::receiver {
namespace {

namespace collector = ::opentelemetry::proto::collector;

// What a client reads from an Export*ServiceResponse, whatever the signal.
struct Read {
  bool parsed = false;
  bool has_partial_success = false;
  std::int64_t rejected = 0;
  std::string error_message;
};

template <typename Response, typename Rejected>
Read Parse(const std::string& body, BodyFormat format, Rejected rejected) {
  Response response;
  Read r;
  if (format == BodyFormat::kJson) {
    // Unknown keys are errors by default: a misspelt key fails here.
    r.parsed = google::protobuf::util::JsonStringToMessage(body, &response).ok();
  } else {
    r.parsed = response.ParseFromString(body);
  }
  r.has_partial_success = response.has_partial_success();
  r.rejected = rejected(response.partial_success());
  r.error_message = response.partial_success().error_message();
  return r;
}

Read ParseResponse(Signal signal, const std::string& body, BodyFormat format) {
  switch (signal) {
    case Signal::kTraces:
      return Parse<collector::trace::v1::ExportTraceServiceResponse>(
          body, format, [](const auto& p) { return p.rejected_spans(); });
    case Signal::kLogs:
      return Parse<collector::logs::v1::ExportLogsServiceResponse>(
          body, format, [](const auto& p) { return p.rejected_log_records(); });
    case Signal::kMetrics:
      return Parse<collector::metrics::v1::ExportMetricsServiceResponse>(
          body, format, [](const auto& p) { return p.rejected_data_points(); });
  }
  return {};
}

TEST(ExportResponseTest, PartialSuccessOfEverySignalInBothFormats) {
  for (Signal signal : kAllSignals) {
    for (BodyFormat format : {BodyFormat::kProtobuf, BodyFormat::kJson}) {
      SCOPED_TRACE(std::string(SignalName(signal)) + (format == BodyFormat::kJson ? " json" : " protobuf"));
      const std::string body = ExportResponse(signal, format, 3, "3 left out: \"bad\" id \xE2\x9C\x93");
      Read r = ParseResponse(signal, body, format);
      ASSERT_TRUE(r.parsed) << body;
      EXPECT_TRUE(r.has_partial_success);
      EXPECT_EQ(r.rejected, 3);
      EXPECT_EQ(r.error_message, "3 left out: \"bad\" id \xE2\x9C\x93");
    }
  }
}

TEST(ExportResponseTest, TheJsonKeyNamesTheSignalsRecords) {
  EXPECT_NE(ExportResponse(Signal::kTraces, BodyFormat::kJson, 1, "").find(R"("rejectedSpans":"1")"),
            std::string::npos);
  EXPECT_NE(ExportResponse(Signal::kLogs, BodyFormat::kJson, 1, "").find(R"("rejectedLogRecords":"1")"),
            std::string::npos);
  EXPECT_NE(ExportResponse(Signal::kMetrics, BodyFormat::kJson, 1, "").find(R"("rejectedDataPoints":"1")"),
            std::string::npos);
}

TEST(ExportResponseTest, FullSuccessIsAnEmptyMessage) {
  for (Signal signal : kAllSignals) {
    SCOPED_TRACE(SignalName(signal));
    EXPECT_EQ(ExportResponse(signal, BodyFormat::kProtobuf, 0, ""), "");
    EXPECT_EQ(ExportResponse(signal, BodyFormat::kJson, 0, ""), "{}");
    Read r = ParseResponse(signal, "{}", BodyFormat::kJson);
    EXPECT_TRUE(r.parsed);
    EXPECT_FALSE(r.has_partial_success);
  }
}

// A warning without rejected records (the exporter dropped an oversized
// one) and a count beyond 32 bits, written as the JSON mapping's string.
TEST(ExportResponseTest, AMessageAloneAndALargeCount) {
  for (Signal signal : kAllSignals) {
    for (BodyFormat format : {BodyFormat::kProtobuf, BodyFormat::kJson}) {
      SCOPED_TRACE(SignalName(signal));
      Read only_message = ParseResponse(signal, ExportResponse(signal, format, 0, "dropped"), format);
      ASSERT_TRUE(only_message.parsed);
      EXPECT_TRUE(only_message.has_partial_success);
      EXPECT_EQ(only_message.rejected, 0);
      EXPECT_EQ(only_message.error_message, "dropped");
      const std::uint64_t big = std::uint64_t{1} << 40;
      Read large = ParseResponse(signal, ExportResponse(signal, format, big, ""), format);
      ASSERT_TRUE(large.parsed);
      EXPECT_EQ(large.rejected, static_cast<std::int64_t>(big));
      EXPECT_EQ(large.error_message, "");
    }
  }
}

TEST(RpcStatusTest, ProtobufWithAndWithoutRetryInfo) {
  otelpack::testing::RpcStatus status;
  ASSERT_TRUE(status.ParseFromString(
      RpcStatus(BodyFormat::kProtobuf, RpcCode::kResourceExhausted, "full", std::chrono::seconds(1))));
  EXPECT_EQ(status.code(), 8);
  EXPECT_EQ(status.message(), "full");
  ASSERT_EQ(status.details_size(), 1);
  EXPECT_EQ(status.details(0).type_url(), "type.googleapis.com/google.rpc.RetryInfo");
  otelpack::testing::RetryInfo retry;
  ASSERT_TRUE(retry.ParseFromString(status.details(0).value()));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);

  ASSERT_TRUE(status.ParseFromString(RpcStatus(BodyFormat::kProtobuf, RpcCode::kInvalidArgument, "bad")));
  EXPECT_EQ(status.code(), 3);
  EXPECT_EQ(status.message(), "bad");
  EXPECT_EQ(status.details_size(), 0);
}

TEST(RpcStatusTest, Json) {
  otelpack::testing::RpcStatus status;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  RpcStatus(BodyFormat::kJson, RpcCode::kUnauthenticated, "no \"token\""), &status)
                  .ok());
  EXPECT_EQ(status.code(), 16);
  EXPECT_EQ(status.message(), "no \"token\"");
  // The RetryInfo detail, which libprotobuf cannot resolve under our test
  // package's name, as the OTLP JSON mapping writes it.
  EXPECT_EQ(RpcStatus(BodyFormat::kJson, RpcCode::kUnavailable, "stopping", std::chrono::seconds(1)),
            R"({"code":14,"message":"stopping","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1s"}]})");
}

}  // namespace
}  // namespace otelpack::receiver
