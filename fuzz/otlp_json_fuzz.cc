// Fuzzes the OTLP JSON trace decoder: any bytes give a result or a clear
// error, never a crash; a result keeps every limit, holds only valid ids and
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
  const auto decoded = Decode(&otelpack::otlp::DecodeTracesJson, data, size, limits, arena);
  if (!decoded) return 0;
  const otelpack::otlp::DecodedTraces& d = *decoded;
  Check(d.records == otelpack::CountSpans(d.data));
  for (const auto& rs : d.data) {
    CheckResource(rs, limits);
    for (const auto& ss : rs.scope_spans) {
      CheckScope(ss, limits);
      for (const auto& span : ss.spans) {
        Check(span.trace_id.valid() && span.span_id.valid());
        Check(static_cast<int>(span.kind) <= 5 && static_cast<int>(span.status_code) <= 2);
        CheckText(span.name);
        CheckText(span.trace_state);
        CheckText(span.status_message);
        CheckAttributes(span.attributes, limits);
        Check(span.events.size() <= limits.max_events_per_span);
        for (const auto& e : span.events) {
          CheckText(e.name);
          CheckAttributes(e.attributes, limits);
        }
        Check(span.links.size() <= limits.max_links_per_span);
        for (const auto& l : span.links) {
          Check(l.trace_id.valid() && l.span_id.valid());
          CheckAttributes(l.attributes, limits);
        }
      }
    }
  }
  return 0;
}
