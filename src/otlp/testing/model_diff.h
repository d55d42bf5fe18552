// Test helper: the first difference between two TracesViews, field by field,
// as a path ("[0].scope_spans[1].spans[3].attributes[2].value: ..."), or an
// empty string when they are equal. Doubles compare by bit pattern, so NaN
// equals NaN and -0.0 differs from 0.0. Header-only, for tests.
#ifndef OTELPACK_OTLP_TESTING_MODEL_DIFF_H_
#define OTELPACK_OTLP_TESTING_MODEL_DIFF_H_

#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>

#include "otelpack/model.h"

namespace otelpack::testing {

namespace model_diff_internal {

inline std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s.substr(0, 80)) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + (s.size() > 80 ? "\"..." : "\"");
}

template <typename T>
std::string Ne(const std::string& path, const T& a, const T& b) {
  std::ostringstream o;
  o << path << ": " << a << " != " << b;
  return o.str();
}

inline std::string Str(const std::string& path, std::string_view a, std::string_view b) {
  if (a == b) return {};
  return path + ": " + Quote(a) + " != " + Quote(b);
}

template <std::size_t N>
std::string Id(const std::string& path, const std::array<std::uint8_t, N>& a,
               const std::array<std::uint8_t, N>& b) {
  return a == b ? std::string() : path + ": ids differ";
}

#define OTELPACK_DIFF_RETURN(expr)     \
  do {                                 \
    std::string d_ = (expr);           \
    if (!d_.empty()) return d_;        \
  } while (0)
#define OTELPACK_DIFF_NUM(path, a, b) \
  do {                                \
    if ((a) != (b)) return Ne(path, +(a), +(b)); \
  } while (0)

std::string Attrs(const std::string& path, Attributes a, Attributes b);

inline std::string Value(const std::string& path, const AnyValue& a, const AnyValue& b) {
  if (a.type() != b.type()) {
    return Ne(path + ".type", static_cast<int>(a.type()), static_cast<int>(b.type()));
  }
  switch (a.type()) {
    case ValueType::kEmpty: return {};
    case ValueType::kString:
    case ValueType::kBytes: return Str(path, a.string_value(), b.string_value());
    case ValueType::kBool: OTELPACK_DIFF_NUM(path, a.bool_value(), b.bool_value()); return {};
    case ValueType::kInt: OTELPACK_DIFF_NUM(path, a.int_value(), b.int_value()); return {};
    case ValueType::kDouble:
      if (std::bit_cast<std::uint64_t>(a.double_value()) != std::bit_cast<std::uint64_t>(b.double_value())) {
        return Ne(path, a.double_value(), b.double_value());
      }
      return {};
    case ValueType::kArray: {
      auto x = a.array_value(), y = b.array_value();
      OTELPACK_DIFF_NUM(path + ".size", x.size(), y.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        OTELPACK_DIFF_RETURN(Value(path + "[" + std::to_string(i) + "]", x[i], y[i]));
      }
      return {};
    }
    case ValueType::kKvList: return Attrs(path, a.kvlist_value(), b.kvlist_value());
  }
  return {};
}

inline std::string Attrs(const std::string& path, Attributes a, Attributes b) {
  OTELPACK_DIFF_NUM(path + ".size", a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    OTELPACK_DIFF_RETURN(Str(p + ".key", a[i].key, b[i].key));
    OTELPACK_DIFF_RETURN(Value(p + ".value", a[i].value, b[i].value));
  }
  return {};
}

inline std::string SpanDiff(const std::string& p, const Span& a, const Span& b) {
  OTELPACK_DIFF_RETURN(Id(p + ".trace_id", a.trace_id.bytes, b.trace_id.bytes));
  OTELPACK_DIFF_RETURN(Id(p + ".span_id", a.span_id.bytes, b.span_id.bytes));
  OTELPACK_DIFF_RETURN(Id(p + ".parent_span_id", a.parent_span_id.bytes, b.parent_span_id.bytes));
  OTELPACK_DIFF_RETURN(Str(p + ".trace_state", a.trace_state, b.trace_state));
  OTELPACK_DIFF_NUM(p + ".flags", a.flags, b.flags);
  OTELPACK_DIFF_RETURN(Str(p + ".name", a.name, b.name));
  OTELPACK_DIFF_NUM(p + ".kind", static_cast<int>(a.kind), static_cast<int>(b.kind));
  OTELPACK_DIFF_NUM(p + ".start_time_unix_nano", a.start_time_unix_nano, b.start_time_unix_nano);
  OTELPACK_DIFF_NUM(p + ".end_time_unix_nano", a.end_time_unix_nano, b.end_time_unix_nano);
  OTELPACK_DIFF_RETURN(Attrs(p + ".attributes", a.attributes, b.attributes));
  OTELPACK_DIFF_NUM(p + ".dropped_attributes_count", a.dropped_attributes_count, b.dropped_attributes_count);
  OTELPACK_DIFF_NUM(p + ".events.size", a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const std::string e = p + ".events[" + std::to_string(i) + "]";
    OTELPACK_DIFF_RETURN(Str(e + ".name", a.events[i].name, b.events[i].name));
    OTELPACK_DIFF_NUM(e + ".time_unix_nano", a.events[i].time_unix_nano, b.events[i].time_unix_nano);
    OTELPACK_DIFF_RETURN(Attrs(e + ".attributes", a.events[i].attributes, b.events[i].attributes));
    OTELPACK_DIFF_NUM(e + ".dropped_attributes_count", a.events[i].dropped_attributes_count,
                      b.events[i].dropped_attributes_count);
  }
  OTELPACK_DIFF_NUM(p + ".dropped_events_count", a.dropped_events_count, b.dropped_events_count);
  OTELPACK_DIFF_NUM(p + ".links.size", a.links.size(), b.links.size());
  for (std::size_t i = 0; i < a.links.size(); ++i) {
    const std::string l = p + ".links[" + std::to_string(i) + "]";
    OTELPACK_DIFF_RETURN(Id(l + ".trace_id", a.links[i].trace_id.bytes, b.links[i].trace_id.bytes));
    OTELPACK_DIFF_RETURN(Id(l + ".span_id", a.links[i].span_id.bytes, b.links[i].span_id.bytes));
    OTELPACK_DIFF_RETURN(Str(l + ".trace_state", a.links[i].trace_state, b.links[i].trace_state));
    OTELPACK_DIFF_RETURN(Attrs(l + ".attributes", a.links[i].attributes, b.links[i].attributes));
    OTELPACK_DIFF_NUM(l + ".dropped_attributes_count", a.links[i].dropped_attributes_count,
                      b.links[i].dropped_attributes_count);
    OTELPACK_DIFF_NUM(l + ".flags", a.links[i].flags, b.links[i].flags);
  }
  OTELPACK_DIFF_NUM(p + ".dropped_links_count", a.dropped_links_count, b.dropped_links_count);
  OTELPACK_DIFF_NUM(p + ".status_code", static_cast<int>(a.status_code), static_cast<int>(b.status_code));
  OTELPACK_DIFF_RETURN(Str(p + ".status_message", a.status_message, b.status_message));
  return {};
}

}  // namespace model_diff_internal

inline std::string DiffTraces(TracesView a, TracesView b) {
  using namespace model_diff_internal;
  OTELPACK_DIFF_NUM(std::string("resource_spans.size"), a.size(), b.size());
  for (std::size_t r = 0; r < a.size(); ++r) {
    const std::string rp = "[" + std::to_string(r) + "]";
    OTELPACK_DIFF_RETURN(Attrs(rp + ".resource.attributes", a[r].resource.attributes, b[r].resource.attributes));
    OTELPACK_DIFF_NUM(rp + ".resource.dropped_attributes_count", a[r].resource.dropped_attributes_count,
                      b[r].resource.dropped_attributes_count);
    OTELPACK_DIFF_RETURN(Str(rp + ".schema_url", a[r].schema_url, b[r].schema_url));
    OTELPACK_DIFF_NUM(rp + ".scope_spans.size", a[r].scope_spans.size(), b[r].scope_spans.size());
    for (std::size_t s = 0; s < a[r].scope_spans.size(); ++s) {
      const ScopeSpans& x = a[r].scope_spans[s];
      const ScopeSpans& y = b[r].scope_spans[s];
      const std::string sp = rp + ".scope_spans[" + std::to_string(s) + "]";
      OTELPACK_DIFF_RETURN(Str(sp + ".scope.name", x.scope.name, y.scope.name));
      OTELPACK_DIFF_RETURN(Str(sp + ".scope.version", x.scope.version, y.scope.version));
      OTELPACK_DIFF_RETURN(Attrs(sp + ".scope.attributes", x.scope.attributes, y.scope.attributes));
      OTELPACK_DIFF_NUM(sp + ".scope.dropped_attributes_count", x.scope.dropped_attributes_count,
                        y.scope.dropped_attributes_count);
      OTELPACK_DIFF_RETURN(Str(sp + ".schema_url", x.schema_url, y.schema_url));
      OTELPACK_DIFF_NUM(sp + ".spans.size", x.spans.size(), y.spans.size());
      for (std::size_t i = 0; i < x.spans.size(); ++i) {
        OTELPACK_DIFF_RETURN(SpanDiff(sp + ".spans[" + std::to_string(i) + "]", x.spans[i], y.spans[i]));
      }
    }
  }
  return {};
}

#undef OTELPACK_DIFF_RETURN
#undef OTELPACK_DIFF_NUM

}  // namespace otelpack::testing

#endif  // OTELPACK_OTLP_TESTING_MODEL_DIFF_H_
