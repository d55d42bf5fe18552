// Test helper: the first difference between two TracesViews, LogsViews or
// MetricsViews, field by field, as a path
// ("resource_spans[0].scope_spans[1].spans[3].attributes[2].value: ..."), or an empty
// string when they are equal. Doubles compare by bit pattern, so NaN equals
// NaN and -0.0 differs from 0.0; an optional's presence is compared before
// its value. Header-only, for tests.
#ifndef OTELPACK_OTLP_TESTING_MODEL_DIFF_H_
#define OTELPACK_OTLP_TESTING_MODEL_DIFF_H_

#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
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

inline std::string Dbl(const std::string& path, double a, double b) {
  if (std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b)) return {};
  return Ne(path, a, b);
}

inline std::string Opt(const std::string& path, const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) {
    return path + ": " + (a ? "present" : "absent") + " != " + (b ? "present" : "absent");
  }
  return a ? Dbl(path, *a, *b) : std::string();
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
    case ValueType::kDouble: return Dbl(path, a.double_value(), b.double_value());
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

inline std::string ResourceDiff(const std::string& p, const Resource& a, const Resource& b) {
  OTELPACK_DIFF_RETURN(Attrs(p + ".attributes", a.attributes, b.attributes));
  OTELPACK_DIFF_NUM(p + ".dropped_attributes_count", a.dropped_attributes_count, b.dropped_attributes_count);
  return {};
}

inline std::string ScopeDiff(const std::string& p, const InstrumentationScope& a, const InstrumentationScope& b) {
  OTELPACK_DIFF_RETURN(Str(p + ".name", a.name, b.name));
  OTELPACK_DIFF_RETURN(Str(p + ".version", a.version, b.version));
  OTELPACK_DIFF_RETURN(Attrs(p + ".attributes", a.attributes, b.attributes));
  OTELPACK_DIFF_NUM(p + ".dropped_attributes_count", a.dropped_attributes_count, b.dropped_attributes_count);
  return {};
}

// Each pair of items of two lists by item_diff(path, x, y), the sizes first.
template <typename T, typename ItemDiff>
std::string Each(const std::string& path, std::span<const T> a, std::span<const T> b, ItemDiff item_diff) {
  OTELPACK_DIFF_NUM(path + ".size", a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    OTELPACK_DIFF_RETURN(item_diff(path + "[" + std::to_string(i) + "]", a[i], b[i]));
  }
  return {};
}

// Resource -> scope -> records, for every signal: `scopes` and `records`
// are the member lists, record_diff compares two records.
template <typename R, typename S, typename T, typename RecordDiff>
std::string Grouped(std::span<const R> a, std::span<const R> b, std::string_view resources_name,
                    std::span<const S> R::*scopes, std::string_view scopes_name, std::span<const T> S::*records,
                    std::string_view records_name, RecordDiff record_diff) {
  return Each<R>(std::string(resources_name), a, b, [&](const std::string& rp, const R& x, const R& y) -> std::string {
    OTELPACK_DIFF_RETURN(ResourceDiff(rp + ".resource", x.resource, y.resource));
    OTELPACK_DIFF_RETURN(Str(rp + ".schema_url", x.schema_url, y.schema_url));
    return Each<S>(rp + "." + std::string(scopes_name), x.*scopes, y.*scopes,
                   [&](const std::string& sp, const S& u, const S& v) -> std::string {
                     OTELPACK_DIFF_RETURN(ScopeDiff(sp + ".scope", u.scope, v.scope));
                     OTELPACK_DIFF_RETURN(Str(sp + ".schema_url", u.schema_url, v.schema_url));
                     return Each<T>(sp + "." + std::string(records_name), u.*records, v.*records, record_diff);
                   });
  });
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


inline std::string LogRecordDiff(const std::string& p, const LogRecord& a, const LogRecord& b) {
  OTELPACK_DIFF_NUM(p + ".time_unix_nano", a.time_unix_nano, b.time_unix_nano);
  OTELPACK_DIFF_NUM(p + ".observed_time_unix_nano", a.observed_time_unix_nano, b.observed_time_unix_nano);
  OTELPACK_DIFF_NUM(p + ".severity_number", a.severity_number, b.severity_number);
  OTELPACK_DIFF_RETURN(Str(p + ".severity_text", a.severity_text, b.severity_text));
  OTELPACK_DIFF_RETURN(Value(p + ".body", a.body, b.body));
  OTELPACK_DIFF_RETURN(Attrs(p + ".attributes", a.attributes, b.attributes));
  OTELPACK_DIFF_NUM(p + ".dropped_attributes_count", a.dropped_attributes_count, b.dropped_attributes_count);
  OTELPACK_DIFF_NUM(p + ".flags", a.flags, b.flags);
  OTELPACK_DIFF_RETURN(Id(p + ".trace_id", a.trace_id.bytes, b.trace_id.bytes));
  OTELPACK_DIFF_RETURN(Id(p + ".span_id", a.span_id.bytes, b.span_id.bytes));
  OTELPACK_DIFF_RETURN(Str(p + ".event_name", a.event_name, b.event_name));
  return {};
}

inline std::string NumberDiff(const std::string& p, const NumberValue& a, const NumberValue& b) {
  OTELPACK_DIFF_NUM(p + ".type", static_cast<int>(a.type), static_cast<int>(b.type));
  if (a.type == NumberValue::Type::kDouble) return Dbl(p + ".as_double", a.as_double, b.as_double);
  if (a.type == NumberValue::Type::kInt) OTELPACK_DIFF_NUM(p + ".as_int", a.as_int, b.as_int);
  return {};
}

inline std::string ExemplarDiff(const std::string& p, const Exemplar& a, const Exemplar& b) {
  OTELPACK_DIFF_RETURN(Attrs(p + ".filtered_attributes", a.filtered_attributes, b.filtered_attributes));
  OTELPACK_DIFF_NUM(p + ".time_unix_nano", a.time_unix_nano, b.time_unix_nano);
  OTELPACK_DIFF_RETURN(NumberDiff(p + ".value", a.value, b.value));
  OTELPACK_DIFF_RETURN(Id(p + ".span_id", a.span_id.bytes, b.span_id.bytes));
  OTELPACK_DIFF_RETURN(Id(p + ".trace_id", a.trace_id.bytes, b.trace_id.bytes));
  return {};
}

inline std::string Counts(const std::string& p, std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  return Each<std::uint64_t>(p, a, b, [](const std::string& e, std::uint64_t x, std::uint64_t y) {
    return x == y ? std::string() : Ne(e, x, y);
  });
}

// What every kind of data point has.
template <typename P>
std::string PointHead(const std::string& p, const P& a, const P& b) {
  OTELPACK_DIFF_RETURN(Attrs(p + ".attributes", a.attributes, b.attributes));
  OTELPACK_DIFF_NUM(p + ".start_time_unix_nano", a.start_time_unix_nano, b.start_time_unix_nano);
  OTELPACK_DIFF_NUM(p + ".time_unix_nano", a.time_unix_nano, b.time_unix_nano);
  OTELPACK_DIFF_NUM(p + ".flags", a.flags, b.flags);
  if constexpr (requires { a.exemplars; }) {
    OTELPACK_DIFF_RETURN(Each<Exemplar>(p + ".exemplars", a.exemplars, b.exemplars, ExemplarDiff));
  }
  if constexpr (requires { a.count; }) OTELPACK_DIFF_NUM(p + ".count", a.count, b.count);
  return {};
}

inline std::string PointDiff(const std::string& p, const NumberDataPoint& a, const NumberDataPoint& b) {
  OTELPACK_DIFF_RETURN(PointHead(p, a, b));
  return NumberDiff(p + ".value", a.value, b.value);
}

inline std::string PointDiff(const std::string& p, const HistogramDataPoint& a, const HistogramDataPoint& b) {
  OTELPACK_DIFF_RETURN(PointHead(p, a, b));
  OTELPACK_DIFF_RETURN(Opt(p + ".sum", a.sum, b.sum));
  OTELPACK_DIFF_RETURN(Counts(p + ".bucket_counts", a.bucket_counts, b.bucket_counts));
  OTELPACK_DIFF_RETURN(Each<double>(p + ".explicit_bounds", a.explicit_bounds, b.explicit_bounds, Dbl));
  OTELPACK_DIFF_RETURN(Opt(p + ".min", a.min, b.min));
  return Opt(p + ".max", a.max, b.max);
}

inline std::string PointDiff(const std::string& p, const ExponentialHistogramDataPoint& a,
                             const ExponentialHistogramDataPoint& b) {
  OTELPACK_DIFF_RETURN(PointHead(p, a, b));
  OTELPACK_DIFF_RETURN(Opt(p + ".sum", a.sum, b.sum));
  OTELPACK_DIFF_NUM(p + ".scale", a.scale, b.scale);
  OTELPACK_DIFF_NUM(p + ".zero_count", a.zero_count, b.zero_count);
  OTELPACK_DIFF_RETURN(Dbl(p + ".zero_threshold", a.zero_threshold, b.zero_threshold));
  OTELPACK_DIFF_NUM(p + ".positive.offset", a.positive.offset, b.positive.offset);
  OTELPACK_DIFF_RETURN(Counts(p + ".positive.bucket_counts", a.positive.bucket_counts, b.positive.bucket_counts));
  OTELPACK_DIFF_NUM(p + ".negative.offset", a.negative.offset, b.negative.offset);
  OTELPACK_DIFF_RETURN(Counts(p + ".negative.bucket_counts", a.negative.bucket_counts, b.negative.bucket_counts));
  OTELPACK_DIFF_RETURN(Opt(p + ".min", a.min, b.min));
  return Opt(p + ".max", a.max, b.max);
}

inline std::string PointDiff(const std::string& p, const SummaryDataPoint& a, const SummaryDataPoint& b) {
  OTELPACK_DIFF_RETURN(PointHead(p, a, b));
  OTELPACK_DIFF_RETURN(Dbl(p + ".sum", a.sum, b.sum));
  return Each<ValueAtQuantile>(p + ".quantile_values", a.quantile_values, b.quantile_values,
                               [](const std::string& q, const ValueAtQuantile& x, const ValueAtQuantile& y) {
                                 OTELPACK_DIFF_RETURN(Dbl(q + ".quantile", x.quantile, y.quantile));
                                 return Dbl(q + ".value", x.value, y.value);
                               });
}

template <typename P>
std::string Points(const std::string& p, std::span<const P> a, std::span<const P> b) {
  return Each<P>(p, a, b, [](const std::string& e, const P& x, const P& y) { return PointDiff(e, x, y); });
}

inline std::string MetricDiff(const std::string& p, const Metric& a, const Metric& b) {
  OTELPACK_DIFF_RETURN(Str(p + ".name", a.name, b.name));
  OTELPACK_DIFF_RETURN(Str(p + ".description", a.description, b.description));
  OTELPACK_DIFF_RETURN(Str(p + ".unit", a.unit, b.unit));
  OTELPACK_DIFF_NUM(p + ".kind", static_cast<int>(a.kind), static_cast<int>(b.kind));
  OTELPACK_DIFF_NUM(p + ".temporality", static_cast<int>(a.temporality), static_cast<int>(b.temporality));
  OTELPACK_DIFF_NUM(p + ".monotonic", a.monotonic, b.monotonic);
  OTELPACK_DIFF_RETURN(Points(p + ".number_points", a.number_points, b.number_points));
  OTELPACK_DIFF_RETURN(Points(p + ".histogram_points", a.histogram_points, b.histogram_points));
  OTELPACK_DIFF_RETURN(Points(p + ".exponential_histogram_points", a.exponential_histogram_points,
                              b.exponential_histogram_points));
  OTELPACK_DIFF_RETURN(Points(p + ".summary_points", a.summary_points, b.summary_points));
  return Attrs(p + ".metadata", a.metadata, b.metadata);
}

}  // namespace model_diff_internal

inline std::string DiffTraces(TracesView a, TracesView b) {
  using namespace model_diff_internal;
  return Grouped<ResourceSpans, ScopeSpans, Span>(a, b, "resource_spans", &ResourceSpans::scope_spans, "scope_spans",
                                                  &ScopeSpans::spans, "spans", SpanDiff);
}

inline std::string DiffLogs(LogsView a, LogsView b) {
  using namespace model_diff_internal;
  return Grouped<ResourceLogs, ScopeLogs, LogRecord>(a, b, "resource_logs", &ResourceLogs::scope_logs, "scope_logs",
                                                     &ScopeLogs::log_records, "log_records", LogRecordDiff);
}

inline std::string DiffMetrics(MetricsView a, MetricsView b) {
  using namespace model_diff_internal;
  return Grouped<ResourceMetrics, ScopeMetrics, Metric>(a, b, "resource_metrics", &ResourceMetrics::scope_metrics, "scope_metrics",
                                                        &ScopeMetrics::metrics, "metrics", MetricDiff);
}

#undef OTELPACK_DIFF_RETURN
#undef OTELPACK_DIFF_NUM

}  // namespace otelpack::testing

#endif  // OTELPACK_OTLP_TESTING_MODEL_DIFF_H_
