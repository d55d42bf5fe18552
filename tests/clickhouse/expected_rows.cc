// Expected rows (expected_rows.h): the columns of schema.sql, filled as format.yaml promises,
// and the column-by-column comparison with simdjson.
#include "tests/clickhouse/expected_rows.h"

#include <simdjson.h>

#include <cmath>
#include <ctime>
#include <map>

#include "common/str_cat.h"

namespace otelpack::testing {
namespace {

constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;

// Written here rather than taken from otelpack, so that a mistake there shows here.
template <std::size_t N>
std::string Hex(const std::array<std::uint8_t, N>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int held = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    held += 8;
    while (held >= 6) {
      held -= 6;
      out += kAlphabet[(bits >> held) & 63];
    }
  }
  if (held > 0) out += kAlphabet[(bits << (6 - held)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

// ClickHouse writes a DateTime as local time: the test's server runs in UTC.
Expected DateTime(std::uint64_t unix_nano) {
  const std::time_t seconds = static_cast<std::time_t>(unix_nano / kNanosPerSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return Expected::String(text);
}

Expected IdOrEmpty(bool valid, std::string hex) { return Expected::String(valid ? hex : ""); }

std::string Service(const Resource& resource) {
  for (const KeyValue& kv : resource.attributes) {
    if (kv.key == "service.name" && kv.value.type() == ValueType::kString) return std::string(kv.value.string_value());
  }
  return "unknown";
}

Expected JsonMap(Attributes attributes) { return Expected::Map(attributes).AsJsonText(); }

const char* KindName(SpanKind k) {
  static constexpr const char* kNames[] = {"unspecified", "internal", "server", "client", "producer", "consumer"};
  return kNames[static_cast<int>(k)];
}

const char* StatusName(SpanStatusCode c) {
  static constexpr const char* kNames[] = {"unset", "ok", "error"};
  return kNames[static_cast<int>(c)];
}

std::string SeverityOf(const LogRecord& r) {
  if (!r.severity_text.empty()) return std::string(r.severity_text);
  static constexpr const char* kRanges[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
  if (r.severity_number < 1 || r.severity_number > 24) return "UNSPECIFIED";
  return kRanges[(r.severity_number - 1) / 4];
}

// `$body | string | default("")`: a string as it is, none as "", any other value as its JSON.
Expected Body(const AnyValue& body) {
  if (body.type() == ValueType::kEmpty) return Expected::String("");
  if (body.type() == ValueType::kString) return Expected::String(body.string_value());
  return Expected::Value(body).AsJsonText();
}

ExpectedRow SpanRow(const ResourceSpans& rs, const ScopeSpans& ss, const Span& s) {
  std::vector<Expected> event_times, event_names, event_attributes;
  for (const SpanEvent& e : s.events) {
    event_times.push_back(Expected::Uint(e.time_unix_nano));
    event_names.push_back(Expected::String(e.name));
    event_attributes.push_back(JsonMap(e.attributes));
  }
  std::vector<Expected> link_traces, link_spans, link_states, link_attributes;
  for (const SpanLink& l : s.links) {
    link_traces.push_back(Expected::String(Hex(l.trace_id.bytes)));
    link_spans.push_back(Expected::String(Hex(l.span_id.bytes)));
    link_states.push_back(Expected::String(l.trace_state));
    link_attributes.push_back(JsonMap(l.attributes));
  }
  const std::uint64_t start = s.start_time_unix_nano, end = s.end_time_unix_nano;
  return {
      {"Timestamp", DateTime(start)},
      {"StartTimeUnixNano", Expected::Uint(start)},
      {"EndTimeUnixNano", Expected::Uint(end)},
      {"Duration", Expected::Uint(end >= start ? end - start : 0)},
      {"TraceId", Expected::String(Hex(s.trace_id.bytes))},
      {"SpanId", Expected::String(Hex(s.span_id.bytes))},
      {"ParentSpanId", IdOrEmpty(s.parent_span_id.valid(), Hex(s.parent_span_id.bytes))},
      {"TraceState", Expected::String(s.trace_state)},
      {"TraceFlags", Expected::Uint(s.flags)},
      {"SpanName", Expected::String(s.name)},
      {"SpanKind", Expected::String(KindName(s.kind))},
      {"ServiceName", Expected::String(Service(rs.resource))},
      {"ResourceAttributes", JsonMap(rs.resource.attributes)},
      {"ScopeName", Expected::String(ss.scope.name)},
      {"ScopeVersion", Expected::String(ss.scope.version)},
      {"SpanAttributes", JsonMap(s.attributes)},
      {"StatusCode", Expected::String(StatusName(s.status_code))},
      {"StatusMessage", Expected::String(s.status_message)},
      {"Events.TimeUnixNano", Expected::Array(std::move(event_times))},
      {"Events.Name", Expected::Array(std::move(event_names))},
      {"Events.Attributes", Expected::Array(std::move(event_attributes))},
      {"Links.TraceId", Expected::Array(std::move(link_traces))},
      {"Links.SpanId", Expected::Array(std::move(link_spans))},
      {"Links.TraceState", Expected::Array(std::move(link_states))},
      {"Links.Attributes", Expected::Array(std::move(link_attributes))},
  };
}

ExpectedRow LogRow(const ResourceLogs& rl, const ScopeLogs& sl, const LogRecord& r) {
  const std::uint64_t time = r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano;
  return {
      {"Timestamp", DateTime(time)},
      {"TimeUnixNano", Expected::Uint(time)},
      {"ObservedTimeUnixNano", Expected::Uint(r.observed_time_unix_nano)},
      {"TraceId", IdOrEmpty(r.trace_id.valid(), Hex(r.trace_id.bytes))},
      {"SpanId", IdOrEmpty(r.span_id.valid(), Hex(r.span_id.bytes))},
      {"TraceFlags", Expected::Uint(r.flags)},
      {"SeverityText", Expected::String(r.severity_text)},
      {"SeverityNumber", Expected::Int(r.severity_number)},
      {"Severity", Expected::String(SeverityOf(r))},
      {"ServiceName", Expected::String(Service(rl.resource))},
      {"Body", Body(r.body)},
      {"ResourceAttributes", JsonMap(rl.resource.attributes)},
      {"ScopeName", Expected::String(sl.scope.name)},
      {"ScopeVersion", Expected::String(sl.scope.version)},
      {"LogAttributes", JsonMap(r.attributes)},
      {"EventName", Expected::String(r.event_name)},
  };
}

// What varies by kind: the point's own fields, and the columns the other kinds leave to their
// default (NULL, 0, 'unspecified').
struct PointValues {
  Attributes attributes;
  std::uint64_t start = 0, time = 0;
  std::uint32_t flags = 0;
  Expected value, sum, min, max;
  std::uint64_t count = 0;
};

Expected Optional(const std::optional<double>& d) { return d ? Expected::Float64(*d) : Expected::Null(); }

template <typename Point>
PointValues Common(const Point& p) {
  return {p.attributes, p.start_time_unix_nano, p.time_unix_nano, p.flags, {}, {}, {}, {}, 0};
}

// Both histograms: count, and sum, min and max when set.
template <typename Point>
PointValues Histogram(const Point& p) {
  PointValues v = Common(p);
  v.count = p.count;
  v.sum = Optional(p.sum);
  v.min = Optional(p.min);
  v.max = Optional(p.max);
  return v;
}

std::vector<PointValues> PointsOf(const Metric& m) {
  std::vector<PointValues> out;
  for (const NumberDataPoint& p : m.number_points) {
    PointValues v = Common(p);
    if ((p.flags & kDataPointNoRecordedValue) == 0) {
      if (p.value.type == NumberValue::Type::kInt) v.value = Expected::Float64(static_cast<double>(p.value.as_int));
      if (p.value.type == NumberValue::Type::kDouble) v.value = Expected::Float64(p.value.as_double);
    }
    out.push_back(std::move(v));
  }
  for (const HistogramDataPoint& p : m.histogram_points) out.push_back(Histogram(p));
  for (const ExponentialHistogramDataPoint& p : m.exponential_histogram_points) out.push_back(Histogram(p));
  for (const SummaryDataPoint& p : m.summary_points) {
    PointValues v = Common(p);
    v.count = p.count;
    v.sum = Expected::Float64(p.sum);
    out.push_back(std::move(v));
  }
  return out;
}

ExpectedRow PointRow(const ResourceMetrics& rm, const ScopeMetrics& sm, const Metric& m, PointValues v) {
  static constexpr const char* kKinds[] = {"", "gauge", "sum", "histogram", "exponential_histogram", "summary"};
  static constexpr const char* kTemporalities[] = {"unspecified", "delta", "cumulative"};
  const bool has_temporality = m.kind != MetricKind::kGauge && m.kind != MetricKind::kSummary;
  return {
      {"Timestamp", DateTime(v.time)},
      {"TimeUnixNano", Expected::Uint(v.time)},
      {"StartTimeUnixNano", Expected::Uint(v.start)},
      {"ServiceName", Expected::String(Service(rm.resource))},
      {"MetricName", Expected::String(m.name)},
      {"MetricDescription", Expected::String(m.description)},
      {"MetricUnit", Expected::String(m.unit)},
      {"Kind", Expected::String(kKinds[static_cast<int>(m.kind)])},
      {"Attributes", JsonMap(v.attributes)},
      {"ResourceAttributes", JsonMap(rm.resource.attributes)},
      {"ScopeName", Expected::String(sm.scope.name)},
      {"Value", std::move(v.value)},
      {"IsMonotonic", Expected::Uint(m.kind == MetricKind::kSum && m.monotonic ? 1 : 0)},
      {"Temporality",
       Expected::String(kTemporalities[has_temporality ? static_cast<int>(m.temporality) : 0])},
      {"Count", Expected::Uint(v.count)},
      {"Sum", std::move(v.sum)},
      {"Min", std::move(v.min)},
      {"Max", std::move(v.max)},
      {"Flags", Expected::Uint(v.flags)},
  };
}

// resource -> scope -> record, the same walk for every signal: `add` appends a record's rows.
template <typename Resource, typename Scope, typename Record, typename Add>
std::vector<ExpectedRow> RowsOf(std::span<const Resource> resources, std::span<const Scope> Resource::*scopes,
                                std::span<const Record> Scope::*records, Add add) {
  std::vector<ExpectedRow> rows;
  for (const Resource& resource : resources) {
    for (const Scope& scope : resource.*scopes) {
      for (const Record& record : scope.*records) add(resource, scope, record, &rows);
    }
  }
  return rows;
}

// --- comparison --------------------------------------------------------------

std::string Text(simdjson::dom::element e) { return simdjson::minify(e); }

std::string Text(const Expected& x);

std::string Describe(const Expected& x) { return StrCat(Text(x), x.json_text ? " (as JSON text)" : ""); }

std::string Text(const Expected& x) {
  switch (x.type) {
    case Expected::Type::kNull: return "null";
    case Expected::Type::kBool: return x.bool_value ? "true" : "false";
    case Expected::Type::kInt: return std::to_string(x.int_value);
    case Expected::Type::kUint: return std::to_string(x.uint_value);
    case Expected::Type::kDouble: return StrCat(x.double_value);
    case Expected::Type::kString: return StrCat("\"", x.string_value, "\"");
    case Expected::Type::kArray: {
      std::string s = "[";
      for (const Expected& i : x.items) StrAppend(&s, s.size() > 1 ? "," : "", Describe(i));
      return s + "]";
    }
    case Expected::Type::kObject: {
      std::string s = "{";
      for (const auto& [k, v] : x.members) StrAppend(&s, s.size() > 1 ? "," : "", "\"", k, "\":", Describe(v));
      return s + "}";
    }
  }
  return "?";
}

void Compare(simdjson::dom::element actual, const Expected& x, const std::string& path,
             std::vector<std::string>* out);

void CompareJsonText(simdjson::dom::element actual, const Expected& x, const std::string& path,
                     std::vector<std::string>* out) {
  std::string_view text;
  if (actual.get_string().get(text) != simdjson::SUCCESS) {
    out->push_back(StrCat(path, ": expected a string holding JSON, got ", Text(actual)));
    return;
  }
  simdjson::dom::parser parser;  // its own: the outer document stays valid
  simdjson::dom::element inner;
  if (parser.parse(std::string(text)).get(inner) != simdjson::SUCCESS) {
    out->push_back(StrCat(path, ": the string is not JSON: ", text));
    return;
  }
  Expected plain = x;
  plain.json_text = false;
  Compare(inner, plain, path, out);
}

void Compare(simdjson::dom::element actual, const Expected& x, const std::string& path,
             std::vector<std::string>* out) {
  if (x.json_text) return CompareJsonText(actual, x, path, out);
  const auto differ = [&] { out->push_back(StrCat(path, ": expected ", Describe(x), ", got ", Text(actual))); };
  using T = simdjson::dom::element_type;
  switch (x.type) {
    case Expected::Type::kNull:
      if (!actual.is_null()) differ();
      return;
    case Expected::Type::kBool:
      if (!actual.is_bool() || bool(actual.get_bool()) != x.bool_value) differ();
      return;
    case Expected::Type::kInt:
      if (!actual.is_int64() || std::int64_t(actual.get_int64()) != x.int_value) differ();
      return;
    case Expected::Type::kUint:
      if (!actual.is_uint64() || std::uint64_t(actual.get_uint64()) != x.uint_value) differ();
      return;
    case Expected::Type::kDouble: {
      // A Float64 column writes 7.0 as 7: any number with the value.
      const T t = actual.type();
      const double d = t == T::DOUBLE ? double(actual.get_double())
                       : t == T::INT64 ? static_cast<double>(std::int64_t(actual.get_int64()))
                       : t == T::UINT64 ? static_cast<double>(std::uint64_t(actual.get_uint64()))
                                        : std::nan("");
      const bool neighbour = x.within_one_ulp && (d == std::nextafter(x.double_value, HUGE_VAL) ||
                                                  d == std::nextafter(x.double_value, -HUGE_VAL));
      if (!(d == x.double_value) && !neighbour) differ();
      return;
    }
    case Expected::Type::kString: {
      std::string_view s;
      if (actual.get_string().get(s) != simdjson::SUCCESS || s != x.string_value) differ();
      return;
    }
    case Expected::Type::kArray: {
      simdjson::dom::array a;
      if (actual.get_array().get(a) != simdjson::SUCCESS || a.size() != x.items.size()) return differ();
      std::size_t i = 0;
      for (simdjson::dom::element item : a) {
        Compare(item, x.items[i], StrCat(path, "[", i, "]"), out);
        ++i;
      }
      return;
    }
    case Expected::Type::kObject: {
      simdjson::dom::object o;
      if (actual.get_object().get(o) != simdjson::SUCCESS || o.size() != x.members.size()) return differ();
      std::size_t i = 0;
      for (simdjson::dom::key_value_pair kv : o) {
        const auto& [key, value] = x.members[i++];
        if (kv.key != key) {
          out->push_back(StrCat(path, ": member ", i, " is \"", kv.key, "\", expected \"", key, "\""));
          continue;
        }
        Compare(kv.value, value, StrCat(path, ".", key), out);
      }
      return;
    }
  }
}

std::vector<std::string> Differences(simdjson::dom::object actual, const ExpectedRow& expected) {
  std::vector<std::string> out;
  for (const auto& [column, value] : expected) {
    simdjson::dom::element e;
    if (actual.at_key(column).get(e) != simdjson::SUCCESS) {
      out.push_back(StrCat(column, ": no such column in the row"));
      continue;
    }
    Compare(e, value, column, &out);
  }
  if (actual.size() != expected.size()) {
    out.push_back(StrCat("the row has ", actual.size(), " columns, expected ", expected.size()));
  }
  return out;
}

std::string KeyOf(const ExpectedRow& row, const std::vector<std::string>& key) {
  std::string out;
  for (const std::string& column : key) {
    for (const auto& [name, value] : row) {
      if (name == column) StrAppend(&out, Text(value), "|");
    }
  }
  return out;
}

std::string KeyOf(simdjson::dom::object row, const std::vector<std::string>& key) {
  std::string out;
  for (const std::string& column : key) {
    simdjson::dom::element e;
    if (row.at_key(column).get(e) != simdjson::SUCCESS) continue;
    // As Text(Expected) writes it: a string unescaped.
    std::string_view s;
    StrAppend(&out, e.get_string().get(s) == simdjson::SUCCESS ? StrCat("\"", s, "\"") : Text(e), "|");
  }
  return out;
}

}  // namespace

Expected Expected::Bool(bool b) { return {.type = Type::kBool, .bool_value = b}; }
Expected Expected::Int(std::int64_t i) { return {.type = Type::kInt, .int_value = i}; }
Expected Expected::Uint(std::uint64_t u) { return {.type = Type::kUint, .uint_value = u}; }
Expected Expected::Double(double d) {
  return std::isfinite(d) ? Expected{.type = Type::kDouble, .double_value = d} : Null();
}
Expected Expected::Float64(double d) {
  Expected x = Double(d);
  x.within_one_ulp = true;
  return x;
}
Expected Expected::String(std::string_view s) { return {.type = Type::kString, .string_value = std::string(s)}; }
Expected Expected::Array(std::vector<Expected> items) { return {.type = Type::kArray, .items = std::move(items)}; }

Expected Expected::Value(const AnyValue& v) {
  switch (v.type()) {
    case ValueType::kEmpty: return Null();
    case ValueType::kString: return String(v.string_value());
    case ValueType::kBool: return Bool(v.bool_value());
    case ValueType::kInt: return Int(v.int_value());
    case ValueType::kDouble: return Double(v.double_value());
    case ValueType::kBytes: return String(Base64(v.string_value()));
    case ValueType::kArray: {
      std::vector<Expected> items;
      for (const AnyValue& item : v.array_value()) items.push_back(Value(item));
      return Array(std::move(items));
    }
    case ValueType::kKvList: return Map(v.kvlist_value());
  }
  return Null();
}

Expected Expected::Map(Attributes attributes) {
  Expected x;
  x.type = Type::kObject;
  for (const KeyValue& kv : attributes) x.members.emplace_back(std::string(kv.key), Value(kv.value));
  return x;
}

Expected Expected::AsJsonText() && {
  json_text = true;
  return std::move(*this);
}

std::vector<ExpectedRow> SpanRows(TracesView traces) {
  return RowsOf(traces, &ResourceSpans::scope_spans, &ScopeSpans::spans,
                [](const ResourceSpans& rs, const ScopeSpans& ss, const Span& s, std::vector<ExpectedRow>* out) {
                  out->push_back(SpanRow(rs, ss, s));
                });
}

std::vector<ExpectedRow> LogRows(LogsView logs) {
  return RowsOf(logs, &ResourceLogs::scope_logs, &ScopeLogs::log_records,
                [](const ResourceLogs& rl, const ScopeLogs& sl, const LogRecord& r, std::vector<ExpectedRow>* out) {
                  out->push_back(LogRow(rl, sl, r));
                });
}

std::vector<ExpectedRow> PointRows(MetricsView metrics) {
  return RowsOf(metrics, &ResourceMetrics::scope_metrics, &ScopeMetrics::metrics,
                [](const ResourceMetrics& rm, const ScopeMetrics& sm, const Metric& m, std::vector<ExpectedRow>* out) {
                  for (PointValues& v : PointsOf(m)) out->push_back(PointRow(rm, sm, m, std::move(v)));
                });
}

std::vector<std::string> CompareTable(std::string_view json_each_row, const std::vector<ExpectedRow>& expected,
                                      const std::vector<std::string>& key) {
  std::vector<std::string> problems;
  std::vector<std::string> lines;
  std::multimap<std::string, std::size_t> by_key;  // key -> line
  simdjson::dom::parser parser;
  for (std::size_t start = 0; start < json_each_row.size();) {
    std::size_t end = json_each_row.find('\n', start);
    if (end == std::string_view::npos) end = json_each_row.size();
    std::string line(json_each_row.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    simdjson::dom::object row;
    if (parser.parse(line).get(row) != simdjson::SUCCESS) {
      problems.push_back(StrCat("a row is not a JSON object: ", line));
      continue;
    }
    by_key.emplace(KeyOf(row, key), lines.size());
    lines.push_back(std::move(line));
  }
  std::vector<bool> used(lines.size(), false);
  for (const ExpectedRow& want : expected) {
    const std::string k = KeyOf(want, key);
    std::vector<std::string> closest;
    std::size_t closest_line = lines.size();
    bool matched = false;
    for (auto [it, last] = by_key.equal_range(k); it != last && !matched; ++it) {
      if (used[it->second]) continue;
      simdjson::dom::object row;
      if (parser.parse(lines[it->second]).get(row) != simdjson::SUCCESS) continue;
      std::vector<std::string> differences = Differences(row, want);
      if (differences.empty()) {
        used[it->second] = matched = true;
      } else if (closest_line == lines.size() || differences.size() < closest.size()) {
        closest = std::move(differences);
        closest_line = it->second;
      }
    }
    if (matched) continue;
    if (closest_line == lines.size()) {
      problems.push_back(StrCat("no row with ", k, " (a row missing)"));
      continue;
    }
    used[closest_line] = true;
    for (const std::string& d : closest) problems.push_back(StrCat("row ", k, " ", d));
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!used[i]) problems.push_back(StrCat("a row too many (sent once, stored twice?): ", lines[i]));
  }
  return problems;
}

}  // namespace otelpack::testing
