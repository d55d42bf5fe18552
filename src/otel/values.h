// The SDK's attribute values, resources and scopes as otelpack's model.
//
// The mapping follows the SDK's own OTLP exporter, so that a record gives the
// same event whether it comes in-process or through OTLP and the agent:
// int32/uint32/int64 are ints; a uint64 above INT64_MAX is its decimal string
// (the OpenTelemetry attribute-type mapping); a byte span is an array of ints
// in span, resource, scope and metric attributes but bytes (base64 in the
// event) in a log record's body and attributes, as the OTLP exporter writes
// them; arrays of other types are arrays.
#ifndef OTELPACK_OTEL_VALUES_H_
#define OTELPACK_OTEL_VALUES_H_

#include <cstddef>
#include <string_view>

#include "opentelemetry/common/attribute_value.h"
#include "opentelemetry/sdk/common/attribute_utils.h"
#include "opentelemetry/sdk/instrumentationscope/instrumentation_scope.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::otel {

// The length of the longest prefix of `s` of at most `max_bytes` bytes that
// does not cut a UTF-8 sequence in two.
std::size_t Utf8PrefixLength(std::string_view s, std::size_t max_bytes);

// How a byte span (span<const uint8_t>) is written.
enum class BytesAs : bool { kIntArray, kBytes };

// `value` with every string and array copied into `arena`: the SDK's value
// does not outlive the call that passes it. Strings (and the strings of a
// string array) longer than `max_length` bytes are cut at a character
// boundary (the SDK's attribute_value_length_limit); so are bytes, where any
// byte is a boundary.
AnyValue CopyAttributeValue(const opentelemetry::common::AttributeValue& value, std::size_t max_length,
                            Arena& arena, BytesAs bytes = BytesAs::kIntArray);

// `value` viewing the SDK's own storage: resource and scope attributes live as
// long as the TracerProvider, so only arrays and the decimal text of a big
// uint64 are made in `arena`.
AnyValue ViewOwnedAttributeValue(const opentelemetry::sdk::common::OwnedAttributeValue& value, Arena& arena);

// Every attribute of `map`, viewing the SDK's storage (as above); the list is
// made in `arena`. The map's order is kept.
template <typename Map>
Attributes ViewOwnedAttributes(const Map& map, Arena& arena) {
  std::span<KeyValue> out = arena.Make<KeyValue>(map.size());
  std::size_t i = 0;
  for (const auto& [key, value] : map) {
    out[i].key = key;
    out[i].value = ViewOwnedAttributeValue(value, arena);
    ++i;
  }
  return out;
}

// The resource and the scope: their attributes view the SDK's own, which live
// as long as the provider. A null pointer gives an empty resource or scope.
Resource ViewResource(const opentelemetry::sdk::resource::Resource* resource, Arena& arena);
InstrumentationScope ViewScope(const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope,
                               Arena& arena);

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_VALUES_H_
