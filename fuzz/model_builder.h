// For the encoder fuzz targets: the model built from the fuzz input —
// arbitrary strings (invalid UTF-8 included), values nested past the depth
// cap, doubles from raw bits, ids that are zero or not, every metric kind
// and temporality, histograms whose counts and bounds do not match, points
// in lists the metric's kind does not read, spans with events and links.
// Every string and list has a heap block of its own, so that
// AddressSanitizer catches a read past any of them.
#ifndef OTELPACK_FUZZ_MODEL_BUILDER_H_
#define OTELPACK_FUZZ_MODEL_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "otelpack/model.h"

namespace otelpack::fuzz {

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

  Span MakeSpan() {
    Span s;
    s.trace_id = MakeId<TraceId>();
    s.span_id = MakeId<SpanId>();
    s.parent_span_id = MakeId<SpanId>();
    s.trace_state = Str();
    s.flags = static_cast<std::uint32_t>(r_.U64());
    s.name = Str();
    s.kind = static_cast<SpanKind>(r_.Byte() % 8);  // 6, 7: out of range
    s.start_time_unix_nano = r_.Byte() % 4 == 0 ? 0 : r_.U64();
    s.end_time_unix_nano = r_.Byte() % 4 == 0 ? s.start_time_unix_nano + r_.Byte() : r_.U64();
    s.attributes = Attributes(6);
    s.dropped_attributes_count = static_cast<std::uint32_t>(r_.U64());
    std::span<SpanEvent> events = a_.Make<SpanEvent>(r_.Byte() % 3);
    for (SpanEvent& e : events) e = {Str(), r_.U64(), Attributes(3), r_.Byte()};
    s.events = events;
    s.dropped_events_count = r_.Byte();
    std::span<SpanLink> links = a_.Make<SpanLink>(r_.Byte() % 3);
    for (SpanLink& l : links) l = {MakeId<TraceId>(), MakeId<SpanId>(), Str(), Attributes(3), r_.Byte(), r_.Byte()};
    s.links = links;
    s.dropped_links_count = r_.Byte();
    s.status_code = static_cast<SpanStatusCode>(r_.Byte() % 4);  // 3: out of range
    s.status_message = Str();
    return s;
  }

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

  // 1-2 resources of 1-2 scopes of 0-3 records (or metrics) each; *events:
  // the events an encoder writes for them (for metrics, the points of each
  // metric's kind).
  std::vector<ResourceSpans> Traces(std::size_t* events) {
    return Groups<ResourceSpans, ScopeSpans, Span>(events, [this] { return MakeSpan(); }, [](const Span&) { return 1; });
  }
  std::vector<ResourceLogs> Logs(std::size_t* events) {
    return Groups<ResourceLogs, ScopeLogs, LogRecord>(events, [this] { return MakeLogRecord(); },
                                                      [](const LogRecord&) { return 1; });
  }
  std::vector<ResourceMetrics> Metrics(std::size_t* events);

 private:
  template <typename Group, typename Scope, typename Record, typename Make, typename Count>
  std::vector<Group> Groups(std::size_t* events, Make make, Count count);

  Reader& r_;
  Store& a_;
  std::span<const double> last_bounds_;
};

// The events the encoder must write for a metric: its kind's points.
inline std::size_t PointsOfKind(const Metric& m) {
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

// Where each signal keeps its scopes and records.
inline std::span<const ScopeSpans>& Scopes(ResourceSpans& g) { return g.scope_spans; }
inline std::span<const ScopeLogs>& Scopes(ResourceLogs& g) { return g.scope_logs; }
inline std::span<const ScopeMetrics>& Scopes(ResourceMetrics& g) { return g.scope_metrics; }
inline std::span<const Span>& Records(ScopeSpans& s) { return s.spans; }
inline std::span<const LogRecord>& Records(ScopeLogs& s) { return s.log_records; }
inline std::span<const Metric>& Records(ScopeMetrics& s) { return s.metrics; }

inline std::vector<ResourceMetrics> Builder::Metrics(std::size_t* events) {
  return Groups<ResourceMetrics, ScopeMetrics, Metric>(events, [this] { return MakeMetric(); }, PointsOfKind);
}

template <typename Group, typename Scope, typename Record, typename Make, typename Count>
std::vector<Group> Builder::Groups(std::size_t* events, Make make, Count count) {
  *events = 0;
  std::vector<Group> groups(1 + r_.Byte() % 2);
  for (Group& g : groups) {
    g.resource = MakeResource();
    std::span<Scope> scopes = a_.Make<Scope>(1 + r_.Byte() % 2);
    for (Scope& s : scopes) {
      s.scope = MakeScope();
      std::span<Record> records = a_.Make<Record>(r_.Byte() % 4);
      for (Record& record : records) {
        record = make();
        *events += count(record);
      }
      Records(s) = records;
    }
    Scopes(g) = scopes;
  }
  return groups;
}

}  // namespace otelpack::fuzz

#endif  // OTELPACK_FUZZ_MODEL_BUILDER_H_
