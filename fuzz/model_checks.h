// What the OTLP decoders' fuzz targets check in any result: every limit kept,
// valid UTF-8 in every text. Shared by the JSON targets of each signal.
#ifndef OTELPACK_FUZZ_MODEL_CHECKS_H_
#define OTELPACK_FUZZ_MODEL_CHECKS_H_

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "json_checks.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"
#include "otlp/decode.h"

namespace otelpack::fuzz {

inline void CheckText(std::string_view s) { Check(simdjson::validate_utf8(s.data(), s.size())); }

// `level`: the nesting level an array or key-value list here has.
inline void CheckValue(const AnyValue& v, int level, const otlp::DecodeLimits& limits) {
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

inline void CheckAttributes(Attributes attrs, const otlp::DecodeLimits& limits) {
  Check(attrs.size() <= limits.max_attributes);
  for (const auto& kv : attrs) {
    CheckText(kv.key);
    CheckValue(kv.value, 1, limits);
  }
}

// A ResourceX's resource and schema URL.
template <typename R>
void CheckResource(const R& group, const otlp::DecodeLimits& limits) {
  CheckAttributes(group.resource.attributes, limits);
  CheckText(group.schema_url);
}

// A ScopeX's scope and schema URL.
template <typename S>
void CheckScope(const S& group, const otlp::DecodeLimits& limits) {
  CheckText(group.scope.name);
  CheckText(group.scope.version);
  CheckAttributes(group.scope.attributes, limits);
  CheckText(group.schema_url);
}

// Small limits for inputs that start with a space, so that trimming is
// reached too.
inline otlp::DecodeLimits FuzzLimits(const std::uint8_t* data, std::size_t size) {
  otlp::DecodeLimits limits;
  if (size > 0 && data[0] == ' ') {
    limits.max_attributes = 2;
    limits.max_events_per_span = 1;
    limits.max_links_per_span = 1;
    limits.max_value_bytes = 5;
    limits.max_depth = 2;
    limits.max_exemplars = 1;
    limits.max_buckets = 3;
  }
  return limits;
}

// `data` decoded by `decode` (DecodeTracesJson...) into `arena`, or nothing
// when refused: then with a clear InvalidArgument (fuzz inputs are far too
// small to reach the decode budget). The input is overwritten before the
// result is returned, so a view into it would show.
template <typename D>
std::optional<D> Decode(Result<D> (*decode)(std::string_view, Arena&, const otlp::DecodeLimits&),
                        const std::uint8_t* data, std::size_t size, const otlp::DecodeLimits& limits,
                        Arena& arena) {
  std::string body(reinterpret_cast<const char*>(data), size);
  Result<D> result = decode(body, arena, limits);
  body.assign(body.size(), '\xff');
  if (!result.ok()) {
    Check(result.status().code() == StatusCode::kInvalidArgument);
    Check(!result.status().message().empty());
    return std::nullopt;
  }
  Check((result->rejected == 0) == result->rejection.empty());
  return std::move(*result);
}

}  // namespace otelpack::fuzz

#endif  // OTELPACK_FUZZ_MODEL_CHECKS_H_
