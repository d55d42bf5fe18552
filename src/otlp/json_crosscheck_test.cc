// The OTLP/JSON logs and metrics decoders checked against libprotobuf: random
// requests with every field (testing/random_requests.h: edge values, optional
// presence, open enums, invalid ids and buckets) are built as libprotobuf messages,
// printed by libprotobuf's JSON printer (testing/otlp_json.h: ids rewritten
// to hex, as OTLP requires) in each spelling a receiver must accept, decoded
// by our decoder, and compared with the message field by field. What the
// decoder must leave out is decided here from the message alone.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/testing/otlp_json.h"
#include "otlp/testing/random_requests.h"

namespace otelpack::otlp {
namespace {

using namespace testing::random_requests;

// Limits no test data reaches: decoding keeps everything.
constexpr DecodeLimits kKeepAll{.max_attributes = 1 << 20,
                                .max_events_per_span = 1 << 20,
                                .max_links_per_span = 1 << 20,
                                .max_value_bytes = 1 << 30,
                                .max_depth = 1000,
                                .max_exemplars = 1 << 20,
                                .max_buckets = 1 << 20};

// ---------------------------------------------------------------------------
// The message against the model: the first difference as a path.

class Compare {
 public:
  std::string first;  // empty: equal so far

  // Each check records the first difference at `path`.
  template <typename A, typename B>
  void Eq(const std::string& path, const A& a, const B& b) {
    if (!first.empty() || a == b) return;
    std::ostringstream o;
    o << path << ": message " << a << ", model " << b;
    first = o.str();
  }
  void Dbl(const std::string& path, double a, double b) {
    Eq(path, std::bit_cast<std::uint64_t>(a), std::bit_cast<std::uint64_t>(b));
  }
  void Id(const std::string& path, const std::string& message, std::span<const std::uint8_t> model) {
    // Empty in the message: all zero in the model.
    const std::string want = message.empty() ? std::string(model.size(), '\0') : message;
    Eq(path, want == std::string(model.begin(), model.end()), true);
  }

  void Value(const std::string& path, const common_pb::AnyValue& a, const AnyValue& b) {
    switch (a.value_case()) {
      case common_pb::AnyValue::kStringValue:
        Eq(path + ".type", 1, static_cast<int>(b.type()));
        if (b.type() == ValueType::kString) Eq(path, a.string_value(), std::string(b.string_value()));
        return;
      case common_pb::AnyValue::kBoolValue:
        Eq(path + ".type", 2, static_cast<int>(b.type()));
        if (b.type() == ValueType::kBool) Eq(path, a.bool_value(), b.bool_value());
        return;
      case common_pb::AnyValue::kIntValue:
        Eq(path + ".type", 3, static_cast<int>(b.type()));
        if (b.type() == ValueType::kInt) Eq(path, a.int_value(), b.int_value());
        return;
      case common_pb::AnyValue::kDoubleValue:
        Eq(path + ".type", 4, static_cast<int>(b.type()));
        if (b.type() == ValueType::kDouble) Dbl(path, a.double_value(), b.double_value());
        return;
      case common_pb::AnyValue::kBytesValue:
        Eq(path + ".type", 5, static_cast<int>(b.type()));
        if (b.type() == ValueType::kBytes) Eq(path, a.bytes_value() == b.string_value(), true);
        return;
      case common_pb::AnyValue::kArrayValue: {
        Eq(path + ".type", 6, static_cast<int>(b.type()));
        if (b.type() != ValueType::kArray) return;
        Eq(path + ".size", a.array_value().values_size(), static_cast<int>(b.array_value().size()));
        for (int i = 0; first.empty() && i < a.array_value().values_size(); ++i) {
          Value(path + "[" + std::to_string(i) + "]", a.array_value().values(i), b.array_value()[i]);
        }
        return;
      }
      case common_pb::AnyValue::kKvlistValue:
        Eq(path + ".type", 7, static_cast<int>(b.type()));
        if (b.type() == ValueType::kKvList) Attrs(path, a.kvlist_value().values(), b.kvlist_value());
        return;
      case common_pb::AnyValue::VALUE_NOT_SET: Eq(path + ".type", 0, static_cast<int>(b.type())); return;
    }
  }

  void Attrs(const std::string& path, const KeyValues& a, Attributes b) {
    Eq(path + ".size", a.size(), static_cast<int>(b.size()));
    for (int i = 0; first.empty() && i < a.size(); ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      Eq(p + ".key", a[i].key(), std::string(b[i].key));
      if (a[i].has_value()) {
        Value(p + ".value", a[i].value(), b[i].value);
      } else {
        Eq(p + ".value.type", 0, static_cast<int>(b[i].value.type()));
      }
    }
  }

  template <typename PbGroup, typename Group>
  void Head(const std::string& path, const PbGroup& a, const Group& b) {
    Attrs(path + ".resource.attributes", a.resource().attributes(), b.resource.attributes);
    Eq(path + ".resource.dropped_attributes_count", a.resource().dropped_attributes_count(),
       b.resource.dropped_attributes_count);
    Eq(path + ".schema_url", a.schema_url(), std::string(b.schema_url));
  }

  template <typename PbScope, typename Scope>
  void ScopeHead(const std::string& path, const PbScope& a, const Scope& b) {
    Eq(path + ".scope.name", a.scope().name(), std::string(b.scope.name));
    Eq(path + ".scope.version", a.scope().version(), std::string(b.scope.version));
    Attrs(path + ".scope.attributes", a.scope().attributes(), b.scope.attributes);
    Eq(path + ".scope.dropped_attributes_count", a.scope().dropped_attributes_count(),
       b.scope.dropped_attributes_count);
    Eq(path + ".schema_url", a.schema_url(), std::string(b.schema_url));
  }
};

// ---------------------------------------------------------------------------
// Logs.

// What the decoder must leave out: ids neither empty nor of their length.
bool ValidRecord(const logs_pb::LogRecord& r) {
  return (r.trace_id().empty() || r.trace_id().size() == 16) && (r.span_id().empty() || r.span_id().size() == 8);
}

struct Expected {
  std::size_t records = 0;
  std::size_t rejected = 0;
};

Expected CompareLogs(Compare& c, const LogsRequest& request, LogsView logs) {
  Expected counts;
  c.Eq("resource_logs.size", request.resource_logs_size(), static_cast<int>(logs.size()));
  for (int i = 0; c.first.empty() && i < request.resource_logs_size(); ++i) {
    const logs_pb::ResourceLogs& a = request.resource_logs(i);
    const ResourceLogs& b = logs[static_cast<std::size_t>(i)];
    const std::string rp = "resource_logs[" + std::to_string(i) + "]";
    c.Head(rp, a, b);
    c.Eq(rp + ".scope_logs.size", a.scope_logs_size(), static_cast<int>(b.scope_logs.size()));
    for (int j = 0; c.first.empty() && j < a.scope_logs_size(); ++j) {
      const logs_pb::ScopeLogs& sa = a.scope_logs(j);
      const ScopeLogs& sb = b.scope_logs[static_cast<std::size_t>(j)];
      const std::string sp = rp + ".scope_logs[" + std::to_string(j) + "]";
      c.ScopeHead(sp, sa, sb);
      std::size_t kept = 0;
      for (const logs_pb::LogRecord& ra : sa.log_records()) {
        if (!ValidRecord(ra)) {
          ++counts.rejected;
          continue;
        }
        const std::string p = sp + ".log_records[" + std::to_string(kept) + "]";
        c.Eq(p + " exists", kept < sb.log_records.size(), true);
        if (!c.first.empty()) break;
        const LogRecord& rb = sb.log_records[kept++];
        c.Eq(p + ".time_unix_nano", ra.time_unix_nano(), rb.time_unix_nano);
        c.Eq(p + ".observed_time_unix_nano", ra.observed_time_unix_nano(), rb.observed_time_unix_nano);
        c.Eq(p + ".severity_number", static_cast<std::int32_t>(ra.severity_number()), rb.severity_number);
        c.Eq(p + ".severity_text", ra.severity_text(), std::string(rb.severity_text));
        if (ra.has_body()) {
          c.Value(p + ".body", ra.body(), rb.body);
        } else {
          c.Eq(p + ".body.type", 0, static_cast<int>(rb.body.type()));
        }
        c.Attrs(p + ".attributes", ra.attributes(), rb.attributes);
        c.Eq(p + ".dropped_attributes_count", ra.dropped_attributes_count(), rb.dropped_attributes_count);
        c.Eq(p + ".flags", ra.flags(), rb.flags);
        c.Id(p + ".trace_id", ra.trace_id(), rb.trace_id.bytes);
        c.Id(p + ".span_id", ra.span_id(), rb.span_id.bytes);
        c.Eq(p + ".event_name", ra.event_name(), std::string(rb.event_name));
      }
      c.Eq(sp + ".log_records.size", kept, sb.log_records.size());
      counts.records += kept;
    }
  }
  return counts;
}

// Each spelling a receiver must accept: camelCase or the .proto names, enums
// as numbers or names.
constexpr testing::OtlpJsonOptions kSpellings[] = {
    {.proto_names = false, .enums_as_ints = true},
    {.proto_names = true, .enums_as_ints = true},
    {.proto_names = false, .enums_as_ints = false},
    {.proto_names = true, .enums_as_ints = false, .add_whitespace = true},
};

// Rounds of random requests from make(random), each printed in every
// spelling, decoded by `decode` and checked by compare(Compare&, request,
// data), which also gives the records and rejections to expect.
template <typename D, typename Make, typename CompareFn>
void Crosscheck(std::uint64_t seed, Make make,
                Result<D> (*decode)(std::string_view, Arena&, const DecodeLimits&), CompareFn compare) {
  Random random(seed);
  std::size_t records = 0, rejected = 0;
  for (int round = 0; round < 300; ++round) {
    const auto request = make(random);
    for (const testing::OtlpJsonOptions& spelling : kSpellings) {
      const std::string json = testing::OtlpJson(request, spelling);
      ASSERT_FALSE(json.empty());
      Arena arena;
      Result<D> decoded = decode(json, arena, kKeepAll);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString() << "\n" << json;
      Compare c;
      const Expected want = compare(c, request, decoded->data);
      ASSERT_EQ(c.first, "") << "round " << round << "\n" << json;
      EXPECT_EQ(decoded->records, want.records);
      EXPECT_EQ(decoded->rejected, want.rejected);
      EXPECT_EQ(decoded->rejection.empty(), want.rejected == 0);
      records += want.records;
      rejected += want.rejected;
    }
  }
  // The random requests reach both outcomes often.
  EXPECT_GT(records, 1000u);
  EXPECT_GT(rejected, 100u);
}

TEST(JsonCrosscheck, LogsAsLibprotobufPrintsThem) {
  Crosscheck(20261207, RandomLogs, &DecodeLogsJson, CompareLogs);
}

// ---------------------------------------------------------------------------
// Metrics.

// What metric_checks.h must refuse, decided here independently.
bool ValidPoint(const metrics_pb::NumberDataPoint& p) {
  return p.value_case() != metrics_pb::NumberDataPoint::VALUE_NOT_SET || (p.flags() & 1) != 0;
}
bool ValidPoint(const metrics_pb::HistogramDataPoint& p) {
  return p.bucket_counts_size() == 0 || p.bucket_counts_size() == p.explicit_bounds_size() + 1;
}
bool ValidPoint(const metrics_pb::ExponentialHistogramDataPoint&) { return true; }
bool ValidPoint(const metrics_pb::SummaryDataPoint&) { return true; }

bool ValidExemplar(const metrics_pb::Exemplar& e) {
  return (e.trace_id().empty() || e.trace_id().size() == 16) && (e.span_id().empty() || e.span_id().size() == 8);
}

template <typename PbNumber>
void CompareNumber(Compare& c, const std::string& path, const PbNumber& a, const NumberValue& b) {
  using Case = decltype(a.value_case());
  const int want = a.value_case() == Case::kAsDouble ? 1 : a.value_case() == Case::kAsInt ? 2 : 0;
  c.Eq(path + ".type", want, static_cast<int>(b.type));
  if (want == 1 && b.type == NumberValue::Type::kDouble) c.Dbl(path + ".as_double", a.as_double(), b.as_double);
  if (want == 2 && b.type == NumberValue::Type::kInt) c.Eq(path + ".as_int", a.as_int(), b.as_int);
}

void CompareOptional(Compare& c, const std::string& path, bool has, double a, const std::optional<double>& b) {
  c.Eq(path + " present", has, b.has_value());
  if (has && b) c.Dbl(path, a, *b);
}

template <typename PbPoint, typename Point>
void ComparePoint(Compare& c, const std::string& p, const PbPoint& a, const Point& b) {
  c.Attrs(p + ".attributes", a.attributes(), b.attributes);
  c.Eq(p + ".start_time_unix_nano", a.start_time_unix_nano(), b.start_time_unix_nano);
  c.Eq(p + ".time_unix_nano", a.time_unix_nano(), b.time_unix_nano);
  c.Eq(p + ".flags", a.flags(), b.flags);
  if constexpr (requires { b.exemplars; }) {
    std::size_t kept = 0;
    for (const metrics_pb::Exemplar& ea : a.exemplars()) {
      if (!ValidExemplar(ea)) continue;
      const std::string e = p + ".exemplars[" + std::to_string(kept) + "]";
      c.Eq(e + " exists", kept < b.exemplars.size(), true);
      if (!c.first.empty()) return;
      const Exemplar& eb = b.exemplars[kept++];
      c.Attrs(e + ".filtered_attributes", ea.filtered_attributes(), eb.filtered_attributes);
      c.Eq(e + ".time_unix_nano", ea.time_unix_nano(), eb.time_unix_nano);
      CompareNumber(c, e + ".value", ea, eb.value);
      c.Id(e + ".span_id", ea.span_id(), eb.span_id.bytes);
      c.Id(e + ".trace_id", ea.trace_id(), eb.trace_id.bytes);
    }
    c.Eq(p + ".exemplars.size", kept, b.exemplars.size());
  }
  if constexpr (requires { b.count; }) c.Eq(p + ".count", a.count(), b.count);
  if constexpr (std::is_same_v<Point, NumberDataPoint>) {
    CompareNumber(c, p + ".value", a, b.value);
  } else if constexpr (std::is_same_v<Point, SummaryDataPoint>) {
    c.Dbl(p + ".sum", a.sum(), b.sum);
    c.Eq(p + ".quantile_values.size", a.quantile_values_size(), static_cast<int>(b.quantile_values.size()));
    for (int i = 0; c.first.empty() && i < a.quantile_values_size(); ++i) {
      const std::string q = p + ".quantile_values[" + std::to_string(i) + "]";
      c.Dbl(q + ".quantile", a.quantile_values(i).quantile(), b.quantile_values[static_cast<std::size_t>(i)].quantile);
      c.Dbl(q + ".value", a.quantile_values(i).value(), b.quantile_values[static_cast<std::size_t>(i)].value);
    }
  } else {
    CompareOptional(c, p + ".sum", a.has_sum(), a.sum(), b.sum);
    CompareOptional(c, p + ".min", a.has_min(), a.min(), b.min);
    CompareOptional(c, p + ".max", a.has_max(), a.max(), b.max);
    auto counts = [&](const std::string& path, const auto& x, std::span<const std::uint64_t> y) {
      c.Eq(path + ".size", x.size(), static_cast<int>(y.size()));
      for (int i = 0; c.first.empty() && i < x.size(); ++i) c.Eq(path, x[i], y[static_cast<std::size_t>(i)]);
    };
    if constexpr (std::is_same_v<Point, HistogramDataPoint>) {
      counts(p + ".bucket_counts", a.bucket_counts(), b.bucket_counts);
      c.Eq(p + ".explicit_bounds.size", a.explicit_bounds_size(), static_cast<int>(b.explicit_bounds.size()));
      for (int i = 0; c.first.empty() && i < a.explicit_bounds_size(); ++i) {
        c.Dbl(p + ".explicit_bounds", a.explicit_bounds(i), b.explicit_bounds[static_cast<std::size_t>(i)]);
      }
    } else {
      c.Eq(p + ".scale", a.scale(), b.scale);
      c.Eq(p + ".zero_count", a.zero_count(), b.zero_count);
      c.Dbl(p + ".zero_threshold", a.zero_threshold(), b.zero_threshold);
      c.Eq(p + ".positive.offset", a.positive().offset(), b.positive.offset);
      counts(p + ".positive.bucket_counts", a.positive().bucket_counts(), b.positive.bucket_counts);
      c.Eq(p + ".negative.offset", a.negative().offset(), b.negative.offset);
      counts(p + ".negative.bucket_counts", a.negative().bucket_counts(), b.negative.bucket_counts);
    }
  }
}

// The points of a metric, those the checks refuse skipped and counted.
template <typename PbPoint, typename Point>
void ComparePoints(Compare& c, const std::string& path, const google::protobuf::RepeatedPtrField<PbPoint>& a,
                   std::span<const Point> b, Expected* counts) {
  std::size_t kept = 0;
  for (const PbPoint& pa : a) {
    if (!ValidPoint(pa)) {
      ++counts->rejected;
      continue;
    }
    c.Eq(path + "[" + std::to_string(kept) + "] exists", kept < b.size(), true);
    if (!c.first.empty()) return;
    ComparePoint(c, path + "[" + std::to_string(kept) + "]", pa, b[kept]);
    ++kept;
  }
  c.Eq(path + ".size", kept, b.size());
  counts->records += kept;
}

void CompareMetric(Compare& c, const std::string& p, const metrics_pb::Metric& a, const Metric& b,
                   Expected* counts) {
  c.Eq(p + ".name", a.name(), std::string(b.name));
  c.Eq(p + ".description", a.description(), std::string(b.description));
  c.Eq(p + ".unit", a.unit(), std::string(b.unit));
  c.Attrs(p + ".metadata", a.metadata(), b.metadata);
  using Data = metrics_pb::Metric::DataCase;
  MetricKind kind = MetricKind::kNone;
  int temporality = 0;
  bool monotonic = false;
  switch (a.data_case()) {
    case Data::kGauge:
      kind = MetricKind::kGauge;
      ComparePoints(c, p + ".number_points", a.gauge().data_points(), b.number_points, counts);
      break;
    case Data::kSum:
      kind = MetricKind::kSum;
      temporality = a.sum().aggregation_temporality();
      monotonic = a.sum().is_monotonic();
      ComparePoints(c, p + ".number_points", a.sum().data_points(), b.number_points, counts);
      break;
    case Data::kHistogram:
      kind = MetricKind::kHistogram;
      temporality = a.histogram().aggregation_temporality();
      ComparePoints(c, p + ".histogram_points", a.histogram().data_points(), b.histogram_points, counts);
      break;
    case Data::kExponentialHistogram:
      kind = MetricKind::kExponentialHistogram;
      temporality = a.exponential_histogram().aggregation_temporality();
      ComparePoints(c, p + ".exponential_histogram_points", a.exponential_histogram().data_points(),
                    b.exponential_histogram_points, counts);
      break;
    case Data::kSummary:
      kind = MetricKind::kSummary;
      ComparePoints(c, p + ".summary_points", a.summary().data_points(), b.summary_points, counts);
      break;
    case Data::DATA_NOT_SET: break;
  }
  c.Eq(p + ".kind", static_cast<int>(kind), static_cast<int>(b.kind));
  c.Eq(p + ".temporality", temporality, static_cast<int>(b.temporality));
  c.Eq(p + ".monotonic", monotonic, b.monotonic);
  c.Eq(p + ".data_point_count", b.data_point_count(),
       b.number_points.size() + b.histogram_points.size() + b.exponential_histogram_points.size() +
           b.summary_points.size());
}

Expected CompareMetrics(Compare& c, const MetricsRequest& request, MetricsView metrics) {
  Expected counts;
  c.Eq("resource_metrics.size", request.resource_metrics_size(), static_cast<int>(metrics.size()));
  for (int i = 0; c.first.empty() && i < request.resource_metrics_size(); ++i) {
    const metrics_pb::ResourceMetrics& a = request.resource_metrics(i);
    const ResourceMetrics& b = metrics[static_cast<std::size_t>(i)];
    const std::string rp = "resource_metrics[" + std::to_string(i) + "]";
    c.Head(rp, a, b);
    c.Eq(rp + ".scope_metrics.size", a.scope_metrics_size(), static_cast<int>(b.scope_metrics.size()));
    for (int j = 0; c.first.empty() && j < a.scope_metrics_size(); ++j) {
      const metrics_pb::ScopeMetrics& sa = a.scope_metrics(j);
      const ScopeMetrics& sb = b.scope_metrics[static_cast<std::size_t>(j)];
      const std::string sp = rp + ".scope_metrics[" + std::to_string(j) + "]";
      c.ScopeHead(sp, sa, sb);
      c.Eq(sp + ".metrics.size", sa.metrics_size(), static_cast<int>(sb.metrics.size()));
      for (int k = 0; c.first.empty() && k < sa.metrics_size(); ++k) {
        CompareMetric(c, sp + ".metrics[" + std::to_string(k) + "]", sa.metrics(k),
                      sb.metrics[static_cast<std::size_t>(k)], &counts);
      }
    }
  }
  return counts;
}

TEST(JsonCrosscheck, MetricsAsLibprotobufPrintsThem) {
  Crosscheck(7122026, RandomMetrics, &DecodeMetricsJson, CompareMetrics);
}

}  // namespace
}  // namespace otelpack::otlp
