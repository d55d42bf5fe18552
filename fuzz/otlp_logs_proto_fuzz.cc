// OTLP protobuf logs decoder: arbitrary bytes never crash, hang or allocate
// without bound; what decodes keeps the limits, counts its records and
// survives a round trip (proto_round_trip.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proto_round_trip.h"

namespace {

using namespace otelpack;  // NOLINT: a fuzz target's own vocabulary

void CheckAttributes(Attributes attributes, const otlp::DecodeLimits& limits) {
  fuzz::Check(attributes.size() <= limits.max_attributes, "max_attributes");
}

void CheckKept(LogsView logs, const otlp::DecodeLimits& limits) {
  for (const ResourceLogs& rl : logs) {
    CheckAttributes(rl.resource.attributes, limits);
    for (const ScopeLogs& sl : rl.scope_logs) {
      CheckAttributes(sl.scope.attributes, limits);
      for (const LogRecord& r : sl.log_records) {
        CheckAttributes(r.attributes, limits);
        if (r.body.type() == ValueType::kString || r.body.type() == ValueType::kBytes) {
          fuzz::Check(r.body.string_value().size() <= limits.max_value_bytes, "max_value_bytes in a body");
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  fuzz::CheckRoundTrip<LogsView>(body, otlp::DecodeLogsProto, otlp::EncodeLogsProto, CountLogRecords, CheckKept);
  return 0;
}
