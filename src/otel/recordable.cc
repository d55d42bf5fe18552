// The SDK records one span into otelpack's model (recordable.h).
#include "otel/recordable.h"

#include <string>

#include "opentelemetry/common/key_value_iterable.h"
#include "opentelemetry/trace/span_context.h"
#include "opentelemetry/trace/trace_state.h"
#include "otel/values.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
namespace api = opentelemetry::trace;

}  // namespace

void OtelpackRecordable::SetIdentity(const api::SpanContext& span_context, api::SpanId parent_span_id) noexcept {
  CopyId(span_context.trace_id().Id(), span_.trace_id.bytes);
  CopyId(span_context.span_id().Id(), span_.span_id.bytes);
  if (parent_span_id.IsValid()) {
    CopyId(parent_span_id.Id(), span_.parent_span_id.bytes);
  } else {
    span_.parent_span_id = SpanId{};
  }
  span_.flags = span_context.trace_flags().flags();
  if (options_.trace_state && span_context.trace_state() != nullptr && !span_context.trace_state()->Empty()) {
    span_.trace_state = arena_.Copy(span_context.trace_state()->ToHeader());
  }
}

void OtelpackRecordable::SetAttribute(nostd::string_view key,
                                      const opentelemetry::common::AttributeValue& value) noexcept {
  if (!UpsertAttribute(attributes_, key, value, limits_.attributes, {.max_length = limits_.value_length}, arena_)) {
    ++span_.dropped_attributes_count;
  }
}

Attributes OtelpackRecordable::CopyAttributes(const opentelemetry::common::KeyValueIterable& attributes,
                                              std::uint32_t limit, std::uint32_t* dropped) {
  ArenaList<KeyValue> list;
  // size() is a hint: an iterable that yields more still gets up to `limit`.
  list.Reserve(arena_, std::min<std::size_t>(attributes.size(), limit));
  std::size_t over = 0;
  attributes.ForEachKeyValue([&](nostd::string_view key, opentelemetry::common::AttributeValue value) noexcept {
    if (!UpsertAttribute(list, key, value, limit, {.max_length = limits_.value_length}, arena_)) ++over;
    return true;
  });
  *dropped = Saturated(over);
  return list.items();
}

void OtelpackRecordable::AddEvent(nostd::string_view name, opentelemetry::common::SystemTimestamp timestamp,
                                  const opentelemetry::common::KeyValueIterable& attributes) noexcept {
  if (events_.size() >= limits_.events) {
    ++span_.dropped_events_count;
    return;
  }
  SpanEvent& event = events_.Append(arena_);
  event.name = arena_.Copy(View(name));
  const std::int64_t ns = timestamp.time_since_epoch().count();
  event.time_unix_nano = ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
  event.attributes = CopyAttributes(attributes, limits_.attributes_per_event, &event.dropped_attributes_count);
}

void OtelpackRecordable::AddLink(const api::SpanContext& span_context,
                                 const opentelemetry::common::KeyValueIterable& attributes) noexcept {
  // Counted even when links are not recorded, for the "dropped" extra field.
  if (links_seen_++ >= limits_.links) {
    ++span_.dropped_links_count;
    return;
  }
  if (!options_.links) return;
  SpanLink& link = links_.Append(arena_);
  CopyId(span_context.trace_id().Id(), link.trace_id.bytes);
  CopyId(span_context.span_id().Id(), link.span_id.bytes);
  link.flags = span_context.trace_flags().flags();
  if (span_context.trace_state() != nullptr && !span_context.trace_state()->Empty()) {
    link.trace_state = arena_.Copy(span_context.trace_state()->ToHeader());
  }
  link.attributes = CopyAttributes(attributes, limits_.attributes_per_link, &link.dropped_attributes_count);
}

void OtelpackRecordable::SetStatus(api::StatusCode code, nostd::string_view description) noexcept {
  switch (code) {
    case api::StatusCode::kOk:
      span_.status_code = SpanStatusCode::kOk;
      break;
    case api::StatusCode::kError:
      span_.status_code = SpanStatusCode::kError;
      break;
    default:
      span_.status_code = SpanStatusCode::kUnset;
      break;
  }
  // The specification: the description is only for an error; ignored otherwise.
  span_.status_message = code == api::StatusCode::kError ? arena_.Copy(View(description)) : std::string_view();
}

void OtelpackRecordable::SetName(nostd::string_view name) noexcept { span_.name = arena_.Copy(View(name)); }

void OtelpackRecordable::SetTraceFlags(api::TraceFlags flags) noexcept { span_.flags = flags.flags(); }

void OtelpackRecordable::SetSpanKind(api::SpanKind span_kind) noexcept {
  switch (span_kind) {
    case api::SpanKind::kInternal: span_.kind = SpanKind::kInternal; break;
    case api::SpanKind::kServer: span_.kind = SpanKind::kServer; break;
    case api::SpanKind::kClient: span_.kind = SpanKind::kClient; break;
    case api::SpanKind::kProducer: span_.kind = SpanKind::kProducer; break;
    case api::SpanKind::kConsumer: span_.kind = SpanKind::kConsumer; break;
    default: span_.kind = SpanKind::kUnspecified; break;
  }
}

void OtelpackRecordable::SetResource(const opentelemetry::sdk::resource::Resource& resource) noexcept {
  resource_ = &resource;
}

void OtelpackRecordable::SetStartTime(opentelemetry::common::SystemTimestamp start_time) noexcept {
  const std::int64_t ns = start_time.time_since_epoch().count();
  span_.start_time_unix_nano = ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

void OtelpackRecordable::SetDuration(std::chrono::nanoseconds duration) noexcept {
  duration_ns_ = duration.count() > 0 ? static_cast<std::uint64_t>(duration.count()) : 0;
}

#if OTELPACK_OTEL_HAS_SPAN_LIMITS
void OtelpackRecordable::SetSpanLimits(const opentelemetry::sdk::trace::SpanLimits& limits) noexcept {
  limits_.attributes = limits.attribute_count_limit;
  limits_.value_length = limits.attribute_value_length_limit;
  limits_.events = limits.event_count_limit;
  limits_.links = limits.link_count_limit;
  limits_.attributes_per_event = limits.event_attribute_count_limit;
  limits_.attributes_per_link = limits.link_attribute_count_limit;
}
#endif

void OtelpackRecordable::SetInstrumentationScope(
    const opentelemetry::sdk::instrumentationscope::InstrumentationScope& scope) noexcept {
  scope_ = &scope;
}

Span OtelpackRecordable::span() const {
  Span s = span_;
  s.attributes = attributes_.items();
  s.events = events_.items();
  s.links = links_.items();
  s.end_time_unix_nano = s.start_time_unix_nano + duration_ns_;
  return s;
}

}  // namespace otelpack::otel
