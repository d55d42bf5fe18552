// OtelpackLogRecordable: the SDK records one log record into otelpack's model.
//
// As the span recordable does (recordable.h): every string and list the SDK
// passes is copied once into the recordable's own Arena, record() is then a
// view into it, ready for Exporter::Export, and the resource and the scope
// are pointers to the LoggerProvider's own.
//
// Values follow the SDK's OTLP log exporter, so that a record gives the same
// event in-process or through OTLP and the agent: the severity's text is the
// SDK's name for it ("INFO", "WARN2", "INVALID" for kInvalid); a byte span in
// the body or an attribute is bytes (base64 in the event); SetEventId keeps
// the name (OTLP's event_name) and not the number, which OTLP has no field
// for. Limits are the LoggerProvider's LogRecordLimits (128 attributes by
// default; an SDK without LogRecordLimits gets 128): an attribute over the
// count is dropped and counted, a string or bytes over the length is cut (a
// string at a character boundary). The body is never cut, as in the SDK's
// OTLP exporter; the core drops an event larger than max_batch_bytes.
// Setting an attribute again replaces its value, as the SDK's own
// ReadWriteLogRecord does.
//
// Thread-compatible, like every SDK recordable.
#ifndef OTELPACK_OTEL_LOG_RECORDABLE_H_
#define OTELPACK_OTEL_LOG_RECORDABLE_H_

#include <cstddef>

#include "opentelemetry/sdk/logs/recordable.h"
#include "otel/attribute_list.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

// LogRecordLimits and Recordable::SetLogRecordLimits came with opentelemetry-cpp 1.28.
#if __has_include("opentelemetry/sdk/logs/log_record_limits.h")
#define OTELPACK_OTEL_HAS_LOG_RECORD_LIMITS 1
#include "opentelemetry/sdk/logs/log_record_limits.h"
#else
#define OTELPACK_OTEL_HAS_LOG_RECORD_LIMITS 0
#endif

namespace otelpack::otel {

class OtelpackLogRecordable final : public opentelemetry::sdk::logs::Recordable {
 public:
  // The arena's block: one allocation holds a typical record (a message of a
  // line or two and a handful of attributes).
  static constexpr std::size_t kArenaBlockBytes = 1024;

  OtelpackLogRecordable() : arena_(kArenaBlockBytes) {}

  void SetTimestamp(opentelemetry::common::SystemTimestamp timestamp) noexcept override;
  void SetObservedTimestamp(opentelemetry::common::SystemTimestamp timestamp) noexcept override;
  void SetSeverity(opentelemetry::logs::Severity severity) noexcept override;
  void SetBody(const opentelemetry::common::AttributeValue& message) noexcept override;
  void SetAttribute(opentelemetry::nostd::string_view key,
                    const opentelemetry::common::AttributeValue& value) noexcept override;
  void SetEventId(std::int64_t id, opentelemetry::nostd::string_view name) noexcept override;
  void SetTraceId(const opentelemetry::trace::TraceId& trace_id) noexcept override;
  void SetSpanId(const opentelemetry::trace::SpanId& span_id) noexcept override;
  void SetTraceFlags(const opentelemetry::trace::TraceFlags& trace_flags) noexcept override;
  void SetResource(const opentelemetry::sdk::resource::Resource& resource) noexcept override;
  void SetInstrumentationScope(
      const opentelemetry::sdk::instrumentationscope::InstrumentationScope& scope) noexcept override;
#if OTELPACK_OTEL_HAS_LOG_RECORD_LIMITS
  void SetLogRecordLimits(const opentelemetry::sdk::logs::LogRecordLimits& limits) noexcept override;
#endif

  // The record as recorded: views into this recordable, valid while it lives.
  otelpack::LogRecord record() const {
    otelpack::LogRecord r = record_;
    r.attributes = attributes_.items();
    return r;
  }
  // Null until the SDK sets them (its Logger always does).
  const opentelemetry::sdk::resource::Resource* resource() const { return resource_; }
  const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope() const { return scope_; }

 private:
  Arena arena_;
  // The specification's defaults, until the provider sets its own.
  std::size_t attribute_count_limit_ = 128;
  std::size_t value_length_limit_ = std::numeric_limits<std::size_t>::max();
  otelpack::LogRecord record_;  // everything but the attributes (the SDK's LogRecord is the base class)
  ArenaList<KeyValue> attributes_;
  const opentelemetry::sdk::resource::Resource* resource_ = nullptr;
  const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope_ = nullptr;
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_LOG_RECORDABLE_H_
