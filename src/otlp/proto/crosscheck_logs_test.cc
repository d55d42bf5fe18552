// The hand-written logs decoder and encoder (otlp/decode.h) checked against
// libprotobuf, as crosscheck_test.cc does for traces:
//
//   libprotobuf   -> our decoder        : every field as libprotobuf set it
//   our encoder   -> libprotobuf        : the same bytes, the same model
//   cut requests  -> our decoder        : accepted exactly when libprotobuf
//                                         accepts, and equal then
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/proto/crosscheck_util.h"
#include "otlp/proto/testing/model_proto.h"
#include "otlp/proto/testing/random_proto.h"
#include "otlp/testing/proto_bytes.h"

namespace otelpack::otlp {
namespace {

using crosscheck::kKeepAll;
using testing::DiffProtoAndModel;
using testing::ExportLogsRequest;
using testing::ParseRequest;
namespace logs = testing::pb::logs::v1;

class RandomLogsRequest : public testing::RandomProto {
 public:
  using RandomProto::RandomProto;

  ExportLogsRequest Make() {
    ExportLogsRequest req;
    Groups(
        &req, [](ExportLogsRequest* r) { return r->add_resource_logs(); },
        [](logs::ResourceLogs* g) { return g->add_scope_logs(); },
        [&](logs::ScopeLogs* sl) {
          for (int i = Between(0, 6); i > 0; --i) RecordInto(sl->add_log_records());
        });
    return req;
  }

 private:
  void RecordInto(logs::LogRecord* r) {
    r->set_time_unix_nano(Chance(0.2) ? 0 : Bits());
    r->set_observed_time_unix_nano(Bits());
    // Unknown severities too, negative ones among them: kept as sent.
    const int severities[] = {0, 9, 17, 24, 25, 1000, -3};
    r->set_severity_number(static_cast<logs::SeverityNumber>(Chance(0.7) ? static_cast<int>(Below(25))
                                                                           : severities[Below(7)]));
    if (Chance(0.7)) r->set_severity_text(Chance(0.5) ? "WARNING" : Text());
    if (Chance(0.8)) Value(r->mutable_body());
    Attributes(r->mutable_attributes());
    r->set_dropped_attributes_count(Below(4));
    r->set_flags(static_cast<std::uint32_t>(Bits()));
    // In a trace, outside one (absent), or "not in a trace" written as zeros.
    switch (Below(3)) {
      case 0:
        r->set_trace_id(Id(16));
        r->set_span_id(Id(8));
        break;
      case 1:
        break;
      default:
        r->set_trace_id(std::string(16, '\0'));
        r->set_span_id(std::string(8, '\0'));
        break;
    }
    if (Chance(0.3)) r->set_event_name(Chance(0.5) ? "browser.page_view" : Text());
    Unknown(r);
  }
};

TEST(LogsCrossCheckTest, TheComparisonFindsAOneFieldDifference) {
  ExportLogsRequest request = RandomLogsRequest(3, false).Make();
  while (request.resource_logs(0).scope_logs_size() == 0 ||
         request.resource_logs(0).scope_logs(0).log_records_size() == 0) {
    request.mutable_resource_logs(0)->add_scope_logs()->add_log_records()->set_severity_text("x");
  }
  const std::string bytes = request.SerializeAsString();
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(bytes, arena, kKeepAll);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(DiffProtoAndModel(request, decoded->data), "");
  auto* record = request.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0);
  const logs::LogRecord original = *record;
  record->set_observed_time_unix_nano(record->observed_time_unix_nano() + 1);
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("log_records[0].observed_time_unix_nano"),
            std::string::npos);
  *record = original;
  record->mutable_body()->set_int_value(7);
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("log_records[0].body"), std::string::npos);
  *record = original;
  record->set_trace_id(std::string(16, '\x07'));
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("log_records[0].trace_id"), std::string::npos);
  *record = original;
  record->set_severity_number(static_cast<logs::SeverityNumber>(original.severity_number() + 1));
  EXPECT_NE(DiffProtoAndModel(request, decoded->data).find("log_records[0].severity_number"), std::string::npos);
}

TEST(LogsCrossCheckTest, ARequestWithEveryFieldSetDecodesAndEncodesAsLibprotobuf) {
  RandomLogsRequest random(77, false);
  ExportLogsRequest request;
  logs::ResourceLogs* rl = request.add_resource_logs();
  random.EveryResourceField(rl->mutable_resource());
  rl->set_schema_url("https://opentelemetry.io/schemas/1.24.0");
  logs::ScopeLogs* sl = rl->add_scope_logs();
  random.EveryScopeField(sl->mutable_scope());
  sl->set_schema_url("https://opentelemetry.io/schemas/1.25.0");
  logs::LogRecord* r = sl->add_log_records();
  r->set_time_unix_nano(1);
  r->set_observed_time_unix_nano(2);
  r->set_severity_number(logs::SEVERITY_NUMBER_FATAL4);
  r->set_severity_text("FATAL");
  r->mutable_body()->set_string_value("out of memory");
  random.EveryValueType(r->mutable_attributes());
  r->set_dropped_attributes_count(3);
  r->set_flags(1);
  r->set_trace_id(random.Id(16));
  r->set_span_id(random.Id(8));
  r->set_event_name("exception");
  EXPECT_EQ(crosscheck::FieldsNeverSet(request), std::set<std::string>());
  r->clear_event_name();  // the check sees a field that is missing
  EXPECT_EQ(crosscheck::FieldsNeverSet(request), std::set<std::string>{"opentelemetry.proto.logs.v1.LogRecord.event_name"});
  r->set_event_name("exception");
  const std::string bytes = request.SerializeAsString();
  crosscheck::ExpectDecodedAsLibprotobuf<ExportLogsRequest, LogsView>(bytes, DecodeLogsProto, CountLogRecords,
                                                                      "every field");
  crosscheck::ExpectOurEncodingIsLibprotobufs<ExportLogsRequest, LogsView>(bytes, DecodeLogsProto, EncodeLogsProto,
                                                                           "every field");
}

TEST(LogsCrossCheckTest, LibprotobufRequestsDecodeToTheSameModel) {
  std::size_t records = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    for (bool unknown_fields : {false, true}) {
      ExportLogsRequest request = RandomLogsRequest(seed, unknown_fields).Make();
      crosscheck::ExpectDecodedAsLibprotobuf<ExportLogsRequest, LogsView>(
          request.SerializeAsString(), DecodeLogsProto, CountLogRecords,
          "seed " + std::to_string(seed) + (unknown_fields ? " with unknown fields" : ""));
      if (::testing::Test::HasFailure()) return;
      for (const auto& rl : request.resource_logs()) {
        for (const auto& sl : rl.scope_logs()) records += static_cast<std::size_t>(sl.log_records_size());
      }
    }
  }
  EXPECT_GT(records, 1000u);
}

TEST(LogsCrossCheckTest, OurEncodingIsLibprotobufsAndParsesToTheSameModel) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    crosscheck::ExpectOurEncodingIsLibprotobufs<ExportLogsRequest, LogsView>(
        RandomLogsRequest(seed, true).Make().SerializeAsString(), DecodeLogsProto, EncodeLogsProto,
        "seed " + std::to_string(seed));
  }
}

TEST(LogsCrossCheckTest, ConcatenatedRequestsDecodeAsLibprotobufMergesThem) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    crosscheck::ExpectDecodedAsLibprotobuf<ExportLogsRequest, LogsView>(
        RandomLogsRequest(seed, true).Make().SerializeAsString() +
            RandomLogsRequest(seed + 1000, true).Make().SerializeAsString(),
        DecodeLogsProto, CountLogRecords, "seed " + std::to_string(seed));
  }
}

TEST(LogsCrossCheckTest, ARecordSplitAcrossTwoOccurrencesMergesLikeLibprotobuf) {
  // Two LogRecord messages written back to back are one record to protobuf:
  // the scalars of the second win, the attributes add up.
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    ExportLogsRequest a = RandomLogsRequest(seed, false).Make();
    ExportLogsRequest b = RandomLogsRequest(seed + 500, false).Make();
    logs::LogRecord first, second;
    for (const auto* request : {&a, &b}) {
      for (const auto& rl : request->resource_logs()) {
        for (const auto& sl : rl.scope_logs()) {
          for (const auto& r : sl.log_records()) (request == &a ? first : second) = r;
        }
      }
    }
    second.clear_body();  // a body in both would merge inside the AnyValue
    crosscheck::ExpectDecodedAsLibprotobuf<ExportLogsRequest, LogsView>(
        testing::RequestWithRecords({first.SerializeAsString() + second.SerializeAsString()}), DecodeLogsProto,
        CountLogRecords, "seed " + std::to_string(seed));
  }
}

TEST(LogsCrossCheckTest, RecordsWithIdsOfAWrongLengthAreLeftOutWhereLibprotobufAcceptsThem) {
  ExportLogsRequest request;
  logs::ScopeLogs* sl = request.add_resource_logs()->add_scope_logs();
  sl->add_log_records()->mutable_body()->set_string_value("kept");
  logs::LogRecord* bad_trace = sl->add_log_records();
  bad_trace->mutable_body()->set_string_value("payment failed");
  bad_trace->set_trace_id(std::string(15, '\x01'));
  logs::LogRecord* bad_span = sl->add_log_records();
  bad_span->set_event_name("checkout");
  bad_span->set_span_id(std::string(16, '\x01'));
  const std::string bytes = request.SerializeAsString();
  ExportLogsRequest parsed;
  ASSERT_TRUE(ParseRequest(bytes, &parsed));
  Arena arena;
  Result<DecodedLogs> decoded = DecodeLogsProto(bytes, arena);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->records, 1u);
  EXPECT_EQ(decoded->rejected, 2u);
  EXPECT_EQ(decoded->rejection, "log record 1 (payment failed): trace_id must be empty or 16 bytes");
  EXPECT_EQ(decoded->data[0].scope_logs[0].log_records[0].body.string_value(), "kept");
}

TEST(LogsCrossCheckTest, CutRequestsAreRefusedOrDecodedExactlyAsLibprotobufDoes) {
  ExportLogsRequest request = RandomLogsRequest(5, false).Make();
  ExportLogsRequest more = RandomLogsRequest(6, false).Make();
  request.MergeFrom(more);
  const std::string bytes = request.SerializeAsString();
  ASSERT_GT(bytes.size(), 1000u);
  crosscheck::ExpectEveryCutAsLibprotobuf<ExportLogsRequest>(bytes, DecodeLogsProto);
}

TEST(LogsCrossCheckTest, DamagedRequestsNeverCrashTheDecoder) {
  std::string valid;
  for (std::uint64_t seed = 20; seed < 25; ++seed) valid += RandomLogsRequest(seed, true).Make().SerializeAsString();
  crosscheck::ExpectDamageNeverCrashes<LogsView>(valid, 7, DecodeLogsProto, CountLogRecords);
}

}  // namespace
}  // namespace otelpack::otlp
