// The SDK's attribute values, resources and scopes as otelpack's model (values.h).
#include "otel/values.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "opentelemetry/nostd/span.h"
#include "opentelemetry/nostd/string_view.h"
#include "opentelemetry/nostd/variant.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;

constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// A uint64 above INT64_MAX cannot be an int64: its exact decimal text, as the
// OpenTelemetry attribute-type mapping (and the SDK's OTLP exporter) say.
AnyValue Uint64(std::uint64_t v, Arena& arena) {
  if (v <= kInt64Max) return AnyValue::Int(static_cast<std::int64_t>(v));
  char digits[std::numeric_limits<std::uint64_t>::digits10 + 1];
  std::to_chars_result r = std::to_chars(digits, digits + sizeof(digits), v);
  return AnyValue::String(arena.Copy(std::string_view(digits, static_cast<std::size_t>(r.ptr - digits))));
}

AnyValue CopyString(std::string_view s, std::size_t max_length, Arena& arena) {
  return AnyValue::String(arena.Copy(s.substr(0, Utf8PrefixLength(s, max_length))));
}

// Converts every element of a list with `one`, into an array in `arena`.
template <typename List, typename Convert>
AnyValue ArrayOf(const List& list, Arena& arena, Convert one) {
  std::span<AnyValue> out = arena.Make<AnyValue>(list.size());
  std::size_t i = 0;
  for (const auto& item : list) out[i++] = one(item);
  return AnyValue::Array(out);
}

// The SDK's short-lived AttributeValue: everything is copied.
struct CopyVisitor {
  std::size_t max_length;
  Arena& arena;
  BytesAs bytes;

  AnyValue operator()(bool v) const { return AnyValue::Bool(v); }
  AnyValue operator()(std::int32_t v) const { return AnyValue::Int(v); }
  AnyValue operator()(std::int64_t v) const { return AnyValue::Int(v); }
  AnyValue operator()(std::uint32_t v) const { return AnyValue::Int(v); }
  AnyValue operator()(std::uint64_t v) const { return Uint64(v, arena); }
  AnyValue operator()(double v) const { return AnyValue::Double(v); }
  AnyValue operator()(const char* v) const {
    return v == nullptr ? AnyValue::String({}) : CopyString(v, max_length, arena);
  }
  AnyValue operator()(nostd::string_view v) const {
    return CopyString({v.data(), v.size()}, max_length, arena);
  }
  AnyValue operator()(nostd::span<const bool> v) const {
    return ArrayOf(v, arena, [](bool b) { return AnyValue::Bool(b); });
  }
  AnyValue operator()(nostd::span<const std::int32_t> v) const {
    return ArrayOf(v, arena, [](std::int32_t i) { return AnyValue::Int(i); });
  }
  AnyValue operator()(nostd::span<const std::int64_t> v) const {
    return ArrayOf(v, arena, [](std::int64_t i) { return AnyValue::Int(i); });
  }
  AnyValue operator()(nostd::span<const std::uint32_t> v) const {
    return ArrayOf(v, arena, [](std::uint32_t i) { return AnyValue::Int(i); });
  }
  AnyValue operator()(nostd::span<const std::uint64_t> v) const {
    return ArrayOf(v, arena, [this](std::uint64_t i) { return Uint64(i, arena); });
  }
  AnyValue operator()(nostd::span<const double> v) const {
    return ArrayOf(v, arena, [](double d) { return AnyValue::Double(d); });
  }
  AnyValue operator()(nostd::span<const nostd::string_view> v) const {
    return ArrayOf(v, arena, [this](nostd::string_view s) { return CopyString({s.data(), s.size()}, max_length, arena); });
  }
  // Bytes as the SDK's OTLP exporter writes them: an array of ints in span
  // attributes, bytes in log records.
  AnyValue operator()(nostd::span<const std::uint8_t> v) const {
    if (bytes == BytesAs::kBytes) {
      const std::string_view raw(reinterpret_cast<const char*>(v.data()), std::min(v.size(), max_length));
      return AnyValue::Bytes(arena.Copy(raw));
    }
    return ArrayOf(v, arena, [](std::uint8_t b) { return AnyValue::Int(b); });
  }
};

// The SDK's long-lived OwnedAttributeValue: strings are viewed, not copied.
struct ViewVisitor {
  Arena& arena;

  AnyValue operator()(bool v) const { return AnyValue::Bool(v); }
  AnyValue operator()(std::int32_t v) const { return AnyValue::Int(v); }
  AnyValue operator()(std::int64_t v) const { return AnyValue::Int(v); }
  AnyValue operator()(std::uint32_t v) const { return AnyValue::Int(v); }
  AnyValue operator()(std::uint64_t v) const { return Uint64(v, arena); }
  AnyValue operator()(double v) const { return AnyValue::Double(v); }
  AnyValue operator()(const std::string& v) const { return AnyValue::String(v); }
  AnyValue operator()(const std::vector<bool>& v) const {
    return ArrayOf(v, arena, [](bool b) { return AnyValue::Bool(b); });
  }
  AnyValue operator()(const std::vector<std::int32_t>& v) const {
    return ArrayOf(v, arena, [](std::int32_t i) { return AnyValue::Int(i); });
  }
  AnyValue operator()(const std::vector<std::int64_t>& v) const {
    return ArrayOf(v, arena, [](std::int64_t i) { return AnyValue::Int(i); });
  }
  AnyValue operator()(const std::vector<std::uint32_t>& v) const {
    return ArrayOf(v, arena, [](std::uint32_t i) { return AnyValue::Int(i); });
  }
  AnyValue operator()(const std::vector<std::uint64_t>& v) const {
    return ArrayOf(v, arena, [this](std::uint64_t i) { return Uint64(i, arena); });
  }
  AnyValue operator()(const std::vector<double>& v) const {
    return ArrayOf(v, arena, [](double d) { return AnyValue::Double(d); });
  }
  AnyValue operator()(const std::vector<std::string>& v) const {
    return ArrayOf(v, arena, [](const std::string& s) { return AnyValue::String(s); });
  }
  AnyValue operator()(const std::vector<std::uint8_t>& v) const {
    return ArrayOf(v, arena, [](std::uint8_t b) { return AnyValue::Int(b); });
  }
};

}  // namespace

std::size_t Utf8PrefixLength(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  std::size_t n = max_bytes;
  // Back up over continuation bytes (10xxxxxx) so the cut falls before the
  // first byte of a character. Invalid UTF-8 is repaired later by the encoder.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

AnyValue CopyAttributeValue(const opentelemetry::common::AttributeValue& value, std::size_t max_length,
                            Arena& arena, BytesAs bytes) {
  return nostd::visit(CopyVisitor{max_length, arena, bytes}, value);
}

AnyValue ViewOwnedAttributeValue(const opentelemetry::sdk::common::OwnedAttributeValue& value, Arena& arena) {
  return nostd::visit(ViewVisitor{arena}, value);
}

Resource ViewResource(const opentelemetry::sdk::resource::Resource* resource, Arena& arena) {
  Resource out;
  if (resource != nullptr) out.attributes = ViewOwnedAttributes(resource->GetAttributes(), arena);
  return out;
}

InstrumentationScope ViewScope(const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope,
                               Arena& arena) {
  InstrumentationScope out;
  if (scope == nullptr) return out;
  out.name = scope->GetName();
  out.version = scope->GetVersion();
  out.attributes = ViewOwnedAttributes(scope->GetAttributes(), arena);
  return out;
}

}  // namespace otelpack::otel
