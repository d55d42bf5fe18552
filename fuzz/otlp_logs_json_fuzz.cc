// Fuzzes the OTLP JSON logs decoder: any bytes give a result or a clear
// error, never a crash; a result keeps every limit (the body's too), holds
// valid UTF-8, and lives in the arena (the input is overwritten before it is
// read).
#include <cstddef>
#include <cstdint>

#include "model_checks.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace otelpack::fuzz;
  const otelpack::otlp::DecodeLimits limits = FuzzLimits(data, size);
  otelpack::Arena arena;
  const auto decoded = Decode(&otelpack::otlp::DecodeLogsJson, data, size, limits, arena);
  if (!decoded) return 0;
  const otelpack::otlp::DecodedLogs& d = *decoded;
  Check(d.records == otelpack::CountLogRecords(d.data));
  for (const auto& rl : d.data) {
    CheckResource(rl, limits);
    for (const auto& sl : rl.scope_logs) {
      CheckScope(sl, limits);
      for (const auto& r : sl.log_records) {
        CheckText(r.severity_text);
        CheckText(r.event_name);
        CheckValue(r.body, 1, limits);
        CheckAttributes(r.attributes, limits);
      }
    }
  }
  return 0;
}
