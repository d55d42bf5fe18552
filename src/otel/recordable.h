// OtelpackRecordable: the SDK records one span into otelpack's model.
//
// Every string and list the SDK passes is copied once into the recordable's
// own Arena (the SDK's arguments do not outlive the call); span() is then a
// view into it, ready for Exporter::Export. The resource and the scope are
// kept as pointers, as the SDK's own recordables do: both belong to the
// TracerProvider and outlive every span it exports.
//
// Limits are the TracerProvider's SpanLimits (TracerProviderFactory's default
// is none; an SDK before 1.28, which has no SpanLimits, gets 128 attributes,
// events and links): what is over a count limit is dropped and counted; a
// string over the length limit is cut at a character boundary. Setting an
// attribute again replaces its value, as the SDK's own SpanData does.
//
// Thread-compatible, like every SDK recordable (the SDK's Span locks around it).
#ifndef OTELPACK_OTEL_RECORDABLE_H_
#define OTELPACK_OTEL_RECORDABLE_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "opentelemetry/sdk/trace/recordable.h"
#include "opentelemetry/version.h"
#include "otel/attribute_list.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

// SpanLimits and Recordable::SetSpanLimits came with opentelemetry-cpp 1.28.
#if OPENTELEMETRY_VERSION_MAJOR > 1 || (OPENTELEMETRY_VERSION_MAJOR == 1 && OPENTELEMETRY_VERSION_MINOR >= 28)
#define OTELPACK_OTEL_HAS_SPAN_LIMITS 1
#include "opentelemetry/sdk/trace/span_limits.h"
#else
#define OTELPACK_OTEL_HAS_SPAN_LIMITS 0
#endif

namespace otelpack::otel {

// What a recordable keeps beyond the article's event. Links and the trace
// state cost copies and are written only when ExtraFields asks for them.
struct RecordOptions {
  bool links = false;
  bool trace_state = false;
};

class OtelpackRecordable final : public opentelemetry::sdk::trace::Recordable {
 public:
  // The arena's block: one allocation holds a typical span (a name, a dozen
  // attributes, an event) while 2,048 spans queued in a BatchSpanProcessor
  // stay within a few MiB.
  static constexpr std::size_t kArenaBlockBytes = 2048;

  explicit OtelpackRecordable(RecordOptions options) : options_(options), arena_(kArenaBlockBytes) {}

  void SetIdentity(const opentelemetry::trace::SpanContext& span_context,
                   opentelemetry::trace::SpanId parent_span_id) noexcept override;
  void SetAttribute(opentelemetry::nostd::string_view key,
                    const opentelemetry::common::AttributeValue& value) noexcept override;
  void AddEvent(opentelemetry::nostd::string_view name, opentelemetry::common::SystemTimestamp timestamp,
                const opentelemetry::common::KeyValueIterable& attributes) noexcept override;
  void AddLink(const opentelemetry::trace::SpanContext& span_context,
               const opentelemetry::common::KeyValueIterable& attributes) noexcept override;
  void SetStatus(opentelemetry::trace::StatusCode code,
                 opentelemetry::nostd::string_view description) noexcept override;
  void SetName(opentelemetry::nostd::string_view name) noexcept override;
  void SetTraceFlags(opentelemetry::trace::TraceFlags flags) noexcept override;
  void SetSpanKind(opentelemetry::trace::SpanKind span_kind) noexcept override;
  void SetResource(const opentelemetry::sdk::resource::Resource& resource) noexcept override;
  void SetStartTime(opentelemetry::common::SystemTimestamp start_time) noexcept override;
  void SetDuration(std::chrono::nanoseconds duration) noexcept override;
#if OTELPACK_OTEL_HAS_SPAN_LIMITS
  void SetSpanLimits(const opentelemetry::sdk::trace::SpanLimits& limits) noexcept override;
#endif
  void SetInstrumentationScope(
      const opentelemetry::sdk::instrumentationscope::InstrumentationScope& scope) noexcept override;

  // The span as recorded: views into this recordable, valid while it lives.
  Span span() const;
  // Null until the SDK sets them (it always does).
  const opentelemetry::sdk::resource::Resource* resource() const { return resource_; }
  const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope() const { return scope_; }

 private:
  // The SDK's SpanLimits; these defaults hold only for an SDK that predates them.
  struct Limits {
    std::uint32_t attributes = 128;
    std::size_t value_length = std::numeric_limits<std::size_t>::max();
    std::uint32_t events = 128;
    std::uint32_t links = 128;
    std::uint32_t attributes_per_event = 128;
    std::uint32_t attributes_per_link = 128;
  };

  // Copies the iterable's attributes (up to `limit`) into the arena.
  Attributes CopyAttributes(const opentelemetry::common::KeyValueIterable& attributes, std::uint32_t limit,
                            std::uint32_t* dropped);

  const RecordOptions options_;
  Arena arena_;
  Limits limits_;
  Span span_;  // everything but the lists below and the end time
  std::uint64_t duration_ns_ = 0;
  ArenaList<KeyValue> attributes_;
  ArenaList<SpanEvent> events_;
  ArenaList<SpanLink> links_;
  std::uint32_t links_seen_ = 0;  // links added, recorded or not
  const opentelemetry::sdk::resource::Resource* resource_ = nullptr;
  const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope_ = nullptr;
};

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_RECORDABLE_H_
