// The SDK's attribute values as otelpack's AnyValue.
//
// The mapping follows the SDK's own OTLP exporter, so that a span gives the
// same event whether it comes in-process or through OTLP and the agent:
// int32/uint32/int64 are ints; a uint64 above INT64_MAX is its decimal string
// (the OpenTelemetry attribute-type mapping); a byte span is an array of ints;
// arrays of other types are arrays.
#ifndef OTELPACK_OTEL_VALUES_H_
#define OTELPACK_OTEL_VALUES_H_

#include <cstddef>
#include <string_view>

#include "opentelemetry/common/attribute_value.h"
#include "opentelemetry/sdk/common/attribute_utils.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::otel {

// The length of the longest prefix of `s` of at most `max_bytes` bytes that
// does not cut a UTF-8 sequence in two.
std::size_t Utf8PrefixLength(std::string_view s, std::size_t max_bytes);

// `value` with every string and array copied into `arena`: the SDK's value
// does not outlive the call that passes it. Strings (and the strings of a
// string array) longer than `max_length` bytes are cut at a character
// boundary (the SDK's attribute_value_length_limit).
AnyValue CopyAttributeValue(const opentelemetry::common::AttributeValue& value, std::size_t max_length,
                            Arena& arena);

// `value` viewing the SDK's own storage: resource and scope attributes live as
// long as the TracerProvider, so only arrays and the decimal text of a big
// uint64 are made in `arena`.
AnyValue ViewOwnedAttributeValue(const opentelemetry::sdk::common::OwnedAttributeValue& value, Arena& arena);

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_VALUES_H_
