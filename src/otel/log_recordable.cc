// The SDK records one log record into otelpack's model (log_recordable.h).
#include "otel/log_recordable.h"

#include "opentelemetry/logs/severity.h"
#include "opentelemetry/sdk/instrumentationscope/instrumentation_scope.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/trace/span_id.h"
#include "opentelemetry/trace/trace_flags.h"
#include "opentelemetry/trace/trace_id.h"

namespace otelpack::otel {
namespace {

std::uint64_t Nanos(opentelemetry::common::SystemTimestamp t) {
  const std::int64_t ns = t.time_since_epoch().count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

}  // namespace

void OtelpackLogRecordable::SetTimestamp(opentelemetry::common::SystemTimestamp timestamp) noexcept {
  record_.time_unix_nano = Nanos(timestamp);
}

void OtelpackLogRecordable::SetObservedTimestamp(opentelemetry::common::SystemTimestamp timestamp) noexcept {
  record_.observed_time_unix_nano = Nanos(timestamp);
}

void OtelpackLogRecordable::SetSeverity(opentelemetry::logs::Severity severity) noexcept {
  const auto n = static_cast<std::size_t>(severity);
  // The SDK's own names ("INFO", "WARN2", "INVALID"), as its OTLP exporter
  // writes them; they are string literals, so no copy. A value beyond the
  // SDK's enum is kept as a number and gets the OTLP exporter's "INVALID".
  constexpr std::size_t kNames = sizeof(opentelemetry::logs::SeverityNumToText) /
                                 sizeof(opentelemetry::logs::SeverityNumToText[0]);
  if (n < kNames) {
    record_.severity_number = static_cast<SeverityNumber>(n);
    record_.severity_text = View(opentelemetry::logs::SeverityNumToText[n]);
  } else {
    record_.severity_number = 0;
    record_.severity_text = View(opentelemetry::logs::SeverityNumToText[0]);
  }
}

void OtelpackLogRecordable::SetBody(const opentelemetry::common::AttributeValue& message) noexcept {
  record_.body = CopyAttributeValue(message, std::numeric_limits<std::size_t>::max(), arena_, BytesAs::kBytes);
}

void OtelpackLogRecordable::SetAttribute(opentelemetry::nostd::string_view key,
                                         const opentelemetry::common::AttributeValue& value) noexcept {
  if (!UpsertAttribute(attributes_, key, value, attribute_count_limit_,
                       {.max_length = value_length_limit_, .bytes = BytesAs::kBytes}, arena_)) {
    record_.dropped_attributes_count = Saturated(std::size_t{record_.dropped_attributes_count} + 1);
  }
}

void OtelpackLogRecordable::SetEventId(std::int64_t /*id*/, opentelemetry::nostd::string_view name) noexcept {
  record_.event_name = arena_.Copy(View(name));
}

void OtelpackLogRecordable::SetTraceId(const opentelemetry::trace::TraceId& trace_id) noexcept {
  CopyId(trace_id.Id(), record_.trace_id.bytes);
}

void OtelpackLogRecordable::SetSpanId(const opentelemetry::trace::SpanId& span_id) noexcept {
  CopyId(span_id.Id(), record_.span_id.bytes);
}

void OtelpackLogRecordable::SetTraceFlags(const opentelemetry::trace::TraceFlags& trace_flags) noexcept {
  record_.flags = trace_flags.flags();
}

void OtelpackLogRecordable::SetResource(const opentelemetry::sdk::resource::Resource& resource) noexcept {
  resource_ = &resource;
}

void OtelpackLogRecordable::SetInstrumentationScope(
    const opentelemetry::sdk::instrumentationscope::InstrumentationScope& scope) noexcept {
  scope_ = &scope;
}

#if OTELPACK_OTEL_HAS_LOG_RECORD_LIMITS
void OtelpackLogRecordable::SetLogRecordLimits(const opentelemetry::sdk::logs::LogRecordLimits& limits) noexcept {
  attribute_count_limit_ = limits.attribute_count_limit;
  value_length_limit_ = limits.attribute_value_length_limit;
}
#endif

}  // namespace otelpack::otel
