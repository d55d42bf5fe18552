// Fuzzes the log and metric encoders with records built from the input:
// arbitrary strings (invalid UTF-8 included), values nested past the depth
// cap, doubles from raw bits, every metric kind and temporality, histograms
// whose counts and bounds do not match, points in lists the metric's kind
// does not read. Whatever goes in, the body must be valid UTF-8 and JSON
// (parsed here with simdjson directly), hold one event per record in the
// documented field order, and stay within the sink's nesting limit.
// The encoders are kept across inputs, as the exporter keeps them. Every
// string and list has a heap block of its own, so that AddressSanitizer
// catches a read past any of them.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/envelope.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/testing/whole_body.h"

namespace {

using namespace otelpack;

// Owns the model's storage: one heap block per list and per string.
class Store {
 public:
  template <typename T>
  std::span<T> Make(std::size_t n) {
    if (n == 0) return {};
    std::unique_ptr<T[]> block = std::make_unique<T[]>(n);
    std::span<T> s(block.get(), n);
    blocks_.emplace_back(std::move(block));
    return s;
  }
  std::string_view Copy(std::string_view s) {
    std::span<char> c = Make<char>(s.size());
    if (!s.empty()) std::memcpy(c.data(), s.data(), s.size());
    return {c.data(), c.size()};
  }

 private:
  std::vector<std::shared_ptr<void>> blocks_;
};

// Reads the fuzz input as a stream of pieces; zeros once it is used up.
class Reader {
 public:
  Reader(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  std::uint8_t Byte() {
    if (n_ == 0) return 0;
    --n_;
    return *d_++;
  }
  std::uint64_t U64() {
    std::uint64_t v = 0;
    const std::size_t k = std::min<std::size_t>(8, n_);
    std::memcpy(&v, d_, k);
    d_ += k;
    n_ -= k;
    return v;
  }
  double Double() {
    const std::uint64_t bits = U64();
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  std::string_view Str() {
    const std::size_t len = std::min<std::size_t>(Byte() % 40, n_);
    std::string_view s(reinterpret_cast<const char*>(d_), len);
    d_ += len;
    n_ -= len;
    return s;
  }

 private:
  const std::uint8_t* d_;
  std::size_t n_;
};

// Builds the model from the input into a Store.
class Builder {
 public:
  Builder(Reader& r, Store& a) : r_(r), a_(a) {}

  std::string_view Str() { return a_.Copy(r_.Str()); }

  AnyValue Value(int depth) {
    const std::uint8_t pick = r_.Byte();
    switch (pick % 9) {
      case 0: return AnyValue::String(Str());
      case 1: return AnyValue::Int(static_cast<std::int64_t>(r_.U64()));
      case 2: return AnyValue::Double(r_.Double());
      case 3: return AnyValue::Bool(pick & 16);
      case 4: return AnyValue::Bytes(Str());
      case 5: return AnyValue();
      case 6: {
        if (depth > 40) return AnyValue();
        std::span<AnyValue> items = a_.Make<AnyValue>(r_.Byte() % 4);
        for (AnyValue& v : items) v = Value(depth + 1);
        return AnyValue::Array(items);
      }
      case 7: {
        if (depth > 40) return AnyValue();
        return AnyValue::KvList(Attributes(4, depth + 1));
      }
      default: {
        using limits = std::numeric_limits<double>;
        static constexpr double kOdd[] = {limits::quiet_NaN(), limits::infinity(), -limits::infinity(), -0.0,
                                          limits::denorm_min(), limits::max()};
        return AnyValue::Double(kOdd[(pick >> 4) % 6]);
      }
    }
  }

  std::span<const KeyValue> Attributes(int max, int depth = 0) {
    std::span<KeyValue> kv = a_.Make<KeyValue>(r_.Byte() % max);
    for (KeyValue& x : kv) x = {Str(), Value(depth)};
    return kv;
  }

  template <typename Id>
  Id MakeId() {
    Id id;
    if (r_.Byte() % 3 != 0) {
      for (auto& b : id.bytes) b = r_.Byte();
    }
    return id;
  }

  Resource MakeResource() {
    Resource res;
    if (r_.Byte() % 2 == 0) {
      std::span<KeyValue> kv = a_.Make<KeyValue>(1 + r_.Byte() % 3);
      kv[0] = {"service.name", r_.Byte() % 4 == 0 ? Value(0) : AnyValue::String(Str())};
      for (std::size_t i = 1; i < kv.size(); ++i) kv[i] = {Str(), Value(0)};
      res.attributes = kv;
    }
    return res;
  }

  InstrumentationScope MakeScope() { return {Str(), Str(), Attributes(3), 0}; }

  LogRecord MakeLogRecord() {
    LogRecord l;
    l.time_unix_nano = r_.Byte() % 4 == 0 ? 0 : r_.U64();
    l.observed_time_unix_nano = r_.U64();
    l.severity_number = static_cast<std::int32_t>(r_.Byte() % 4 == 0 ? r_.U64() : r_.Byte() % 28);
    l.severity_text = r_.Byte() % 2 == 0 ? std::string_view() : Str();
    l.body = Value(0);
    l.attributes = Attributes(6);
    l.trace_id = MakeId<TraceId>();
    l.span_id = MakeId<SpanId>();
    l.event_name = r_.Byte() % 3 == 0 ? Str() : std::string_view();
    return l;
  }

  std::span<const std::uint64_t> Counts(std::size_t n) {
    std::span<std::uint64_t> c = a_.Make<std::uint64_t>(n);
    for (auto& x : c) x = r_.Byte() % 2 == 0 ? r_.Byte() : r_.U64();
    return c;
  }

  std::optional<double> MaybeDouble() {
    if (r_.Byte() % 3 == 0) return std::nullopt;
    return r_.Double();
  }

  template <typename Point>
  void Common(Point& p) {
    p.attributes = Attributes(4);
    p.start_time_unix_nano = r_.Byte() % 2 == 0 ? 0 : r_.U64();
    p.time_unix_nano = r_.U64();
    p.flags = r_.Byte() % 4;
  }

  // A histogram's fields besides its buckets.
  template <typename Point>
  void Distribution(Point& p) {
    Common(p);
    p.count = r_.U64();
    p.sum = MaybeDouble();
    p.min = MaybeDouble();
    p.max = MaybeDouble();
  }

  Metric MakeMetric() {
    Metric m;
    m.name = Str();
    m.unit = Str();
    m.kind = static_cast<MetricKind>(r_.Byte() % 6);
    m.temporality = static_cast<AggregationTemporality>(r_.Byte() % 4);  // 3: out of range
    m.monotonic = r_.Byte() % 2;
    // Points for the metric's kind, and sometimes for other kinds too (which
    // the encoder must not read).
    const std::uint8_t lists = r_.Byte();
    const bool gauge_or_sum = m.kind == MetricKind::kGauge || m.kind == MetricKind::kSum;
    if (gauge_or_sum || (lists & 1)) {
      std::span<NumberDataPoint> ps = a_.Make<NumberDataPoint>(r_.Byte() % 4);
      for (NumberDataPoint& p : ps) {
        Common(p);
        const std::uint8_t t = r_.Byte() % 3;
        if (t == 1) p.value = NumberValue::Int(static_cast<std::int64_t>(r_.U64()));
        if (t == 2) p.value = NumberValue::Double(r_.Double());
      }
      m.number_points = ps;
    }
    if (m.kind == MetricKind::kHistogram || (lists & 2)) {
      std::span<HistogramDataPoint> ps = a_.Make<HistogramDataPoint>(r_.Byte() % 4);
      for (HistogramDataPoint& p : ps) {
        Distribution(p);
        p.bucket_counts = Counts(r_.Byte() % 24);
        // Often the previous point's bounds (as in a real metric), else new
        // ones of any length.
        if (r_.Byte() % 2 == 0 && !last_bounds_.empty()) {
          p.explicit_bounds = last_bounds_;
        } else {
          std::span<double> b = a_.Make<double>(r_.Byte() % 24);
          for (double& x : b) x = r_.Byte() % 2 == 0 ? r_.Byte() * 0.25 : r_.Double();
          p.explicit_bounds = b;
          last_bounds_ = b;
        }
      }
      m.histogram_points = ps;
    }
    if (m.kind == MetricKind::kExponentialHistogram || (lists & 4)) {
      std::span<ExponentialHistogramDataPoint> ps = a_.Make<ExponentialHistogramDataPoint>(r_.Byte() % 4);
      for (ExponentialHistogramDataPoint& p : ps) {
        Distribution(p);
        p.scale = static_cast<std::int32_t>(r_.U64());
        p.zero_count = r_.U64();
        p.zero_threshold = r_.Double();
        p.positive = {static_cast<std::int32_t>(r_.U64()), Counts(r_.Byte() % 24)};
        p.negative = {static_cast<std::int32_t>(r_.U64()), Counts(r_.Byte() % 24)};
      }
      m.exponential_histogram_points = ps;
    }
    if (m.kind == MetricKind::kSummary || (lists & 8)) {
      std::span<SummaryDataPoint> ps = a_.Make<SummaryDataPoint>(r_.Byte() % 4);
      for (SummaryDataPoint& p : ps) {
        Common(p);
        p.count = r_.U64();
        p.sum = r_.Double();
        std::span<ValueAtQuantile> q = a_.Make<ValueAtQuantile>(r_.Byte() % 8);
        for (ValueAtQuantile& x : q) x = {r_.Double(), r_.Double()};
        p.quantile_values = q;
      }
      m.summary_points = ps;
    }
    return m;
  }

 private:
  Reader& r_;
  Store& a_;
  std::span<const double> last_bounds_;
};

// The events the encoder must write for a metric: its kind's points.
std::size_t PointsOfKind(const Metric& m) {
  switch (m.kind) {
    case MetricKind::kGauge:
    case MetricKind::kSum: return m.number_points.size();
    case MetricKind::kHistogram: return m.histogram_points.size();
    case MetricKind::kExponentialHistogram: return m.exponential_histogram_points.size();
    case MetricKind::kSummary: return m.summary_points.size();
    case MetricKind::kNone: break;
  }
  return 0;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

int Depth(simdjson::dom::element e) {
  int d = 0;
  if (e.is_array()) {
    simdjson::dom::array a = e.get_array().value();
    for (simdjson::dom::element x : a) d = std::max(d, Depth(x));
    return d + 1;
  }
  if (e.is_object()) {
    simdjson::dom::object o = e.get_object().value();
    for (simdjson::dom::key_value_pair kv : o) d = std::max(d, Depth(kv.value));
    return d + 1;
  }
  return 0;
}

// The keys of `event` must be `head`, then "event_name" where `named` may
// have one, then "resource" and "scope" exactly when enabled.
void CheckKeys(simdjson::dom::object event, std::initializer_list<std::string_view> head, bool named, bool resource,
               bool scope) {
  auto it = event.begin();
  const auto next_is = [&](std::string_view k) { return it != event.end() && it.key() == k; };
  for (std::string_view k : head) {
    Check(next_is(k));
    ++it;
  }
  if (named && next_is("event_name")) ++it;
  if (resource) {
    Check(next_is("resource"));
    ++it;
  }
  if (scope) {
    Check(next_is("scope"));
    ++it;
  }
  Check(it == event.end());
}

// Parses the body and returns its events; checks what every body must be.
simdjson::dom::array ParseBody(const Buffer& body, std::size_t expected_events) {
  static simdjson::dom::parser parser;
  Check(simdjson::validate_utf8(body.data(), body.size()));
  simdjson::dom::element root;
  Check(parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS);
  Check(Depth(root) <= 64);  // the sink's limit
  simdjson::dom::array events;
  Check(root["events"].get_array().get(events) == simdjson::SUCCESS);
  Check(events.size() == expected_events);
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader r(data, size);
  Store store;
  Builder b(r, store);
  // Which encoder: 0 plain, 1 resource, 2 scope, 3 every extra field (the
  // span-only ones must change nothing).
  const std::uint8_t options = r.Byte() & 3;
  const bool resource = options & 1, scope = options & 2;
  static LogEncoder log_encoders[4] = {LogEncoder(ExtraFields{}), LogEncoder(ExtraFields{.resource = true}),
                                       LogEncoder(ExtraFields{.scope = true}),
                                       LogEncoder(ExtraFields{true, true, true, true, true, true})};
  static MetricEncoder metric_encoders[4] = {
      MetricEncoder(ExtraFields{}), MetricEncoder(ExtraFields{.resource = true}),
      MetricEncoder(ExtraFields{.scope = true}), MetricEncoder(ExtraFields{true, true, true, true, true, true})};
  static const Envelope envelope = Envelope::ForProject("fuzz");
  testing::WholeBody whole(envelope);
  Buffer body;

  // Logs: 1-2 resources of 1-2 scopes of 0-3 records.
  std::vector<ResourceLogs> logs(1 + r.Byte() % 2);
  std::size_t records = 0;
  for (ResourceLogs& rl : logs) {
    rl.resource = b.MakeResource();
    std::span<ScopeLogs> scopes = store.Make<ScopeLogs>(1 + r.Byte() % 2);
    for (ScopeLogs& sl : scopes) {
      sl.scope = b.MakeScope();
      std::span<LogRecord> lr = store.Make<LogRecord>(r.Byte() % 4);
      for (LogRecord& l : lr) l = b.MakeLogRecord();
      sl.log_records = lr;
      records += lr.size();
    }
    rl.scope_logs = scopes;
  }
  whole.Encode(log_encoders[options], LogsView(logs), &body);
  Check(whole.events() == records);
  for (simdjson::dom::element e : ParseBody(body, records)) {
    simdjson::dom::object o;
    Check(e.get_object().get(o) == simdjson::SUCCESS);
    CheckKeys(o, {"type", "service", "timestamp_ms", "severity", "severity_number", "body", "trace_id", "span_id",
                  "attributes"},
              true, resource, scope);
    Check(o["type"].get_string().value() == "log");
  }

  // Metrics: 1-2 resources of 1-2 scopes of 0-3 metrics.
  std::vector<ResourceMetrics> metrics(1 + r.Byte() % 2);
  std::size_t points = 0;
  for (ResourceMetrics& rm : metrics) {
    rm.resource = b.MakeResource();
    std::span<ScopeMetrics> scopes = store.Make<ScopeMetrics>(1 + r.Byte() % 2);
    for (ScopeMetrics& sm : scopes) {
      sm.scope = b.MakeScope();
      std::span<Metric> ms = store.Make<Metric>(r.Byte() % 4);
      for (Metric& m : ms) {
        m = b.MakeMetric();
        points += PointsOfKind(m);
      }
      sm.metrics = ms;
    }
    rm.scope_metrics = scopes;
  }
  whole.Encode(metric_encoders[options], MetricsView(metrics), &body);
  Check(whole.events() == points);
  for (simdjson::dom::element e : ParseBody(body, points)) {
    simdjson::dom::object o;
    Check(e.get_object().get(o) == simdjson::SUCCESS);
    std::string_view kind;
    Check(o["kind"].get_string().get(kind) == simdjson::SUCCESS);
    if (kind == "gauge") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes", "value"},
                false, resource, scope);
    } else if (kind == "sum") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes", "value",
                    "monotonic", "temporality"},
                false, resource, scope);
    } else if (kind == "histogram") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes",
                    "temporality", "count", "sum", "min", "max", "buckets"},
                false, resource, scope);
    } else if (kind == "exponential_histogram") {
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes",
                    "temporality", "count", "sum", "min", "max", "scale", "zero_count", "zero_threshold", "positive",
                    "negative"},
                false, resource, scope);
    } else {
      Check(kind == "summary");
      CheckKeys(o, {"type", "service", "name", "unit", "kind", "timestamp_ms", "start_time_ms", "attributes", "count",
                    "sum", "quantiles"},
                false, resource, scope);
    }
  }
  return 0;
}
