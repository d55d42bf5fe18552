// Fuzzes the OTLP JSON decoder: any bytes give a result or a clear error,
// never a crash; a result keeps every limit, holds only valid ids and valid
// UTF-8, and lives in the arena (the input is overwritten before it is read).
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "otelpack/arena.h"
#include "otlp/decode.h"

namespace {

using otelpack::AnyValue;
using otelpack::Attributes;
using otelpack::ValueType;

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckText(std::string_view s) { Check(simdjson::validate_utf8(s.data(), s.size())); }

// `level`: the nesting level an array or key-value list here has.
void CheckValue(const AnyValue& v, int level, const otelpack::otlp::DecodeLimits& limits) {
  switch (v.type()) {
    case ValueType::kString:
      Check(v.string_value().size() <= limits.max_value_bytes);
      CheckText(v.string_value());
      break;
    case ValueType::kBytes: Check(v.string_value().size() <= limits.max_value_bytes); break;
    case ValueType::kArray:
      Check(level <= limits.max_depth);
      for (const AnyValue& item : v.array_value()) CheckValue(item, level + 1, limits);
      break;
    case ValueType::kKvList:
      Check(level <= limits.max_depth);
      for (const auto& kv : v.kvlist_value()) {
        CheckText(kv.key);
        CheckValue(kv.value, level + 1, limits);
      }
      break;
    default: break;
  }
}

void CheckAttributes(Attributes attrs, const otelpack::otlp::DecodeLimits& limits) {
  Check(attrs.size() <= limits.max_attributes);
  for (const auto& kv : attrs) {
    CheckText(kv.key);
    CheckValue(kv.value, 1, limits);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Small limits for some inputs so that trimming is reached too.
  otelpack::otlp::DecodeLimits limits;
  if (size > 0 && data[0] == ' ') {
    limits.max_attributes = 2;
    limits.max_events_per_span = 1;
    limits.max_links_per_span = 1;
    limits.max_value_bytes = 5;
    limits.max_depth = 2;
  }
  std::string body(reinterpret_cast<const char*>(data), size);
  otelpack::Arena arena;
  auto result = otelpack::otlp::DecodeTracesJson(body, arena, limits);
  body.assign(body.size(), '\xff');  // the result must not point into the body
  if (!result.ok()) {
    Check(result.status().code() == otelpack::StatusCode::kInvalidArgument);
    Check(!result.status().message().empty());
    return 0;
  }
  const otelpack::otlp::DecodedTraces& d = *result;
  Check(d.records == otelpack::CountSpans(d.data));
  Check((d.rejected == 0) == d.rejection.empty());
  for (const auto& rs : d.data) {
    CheckAttributes(rs.resource.attributes, limits);
    CheckText(rs.schema_url);
    for (const auto& ss : rs.scope_spans) {
      CheckText(ss.scope.name);
      CheckText(ss.scope.version);
      CheckAttributes(ss.scope.attributes, limits);
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
