// Test helper: random OTLP logs and metrics requests as libprotobuf messages,
// with every field set and the values a decoder must get right: 64-bit and
// double extremes (NaN, infinities), optional fields present or not, enum
// numbers beyond the names, text JSON must escape, ids empty, all zero or of
// a wrong length, histograms whose buckets do not match their bounds, data
// points without a value. Seeded: the same seed gives the same requests.
// Header-only, for tests; needs otelpack::otlp_proto.
#ifndef OTELPACK_OTLP_TESTING_RANDOM_REQUESTS_H_
#define OTELPACK_OTLP_TESTING_RANDOM_REQUESTS_H_

#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <string_view>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"

namespace otelpack::testing::random_requests {

namespace common_pb = ::opentelemetry::proto::common::v1;
namespace logs_pb = ::opentelemetry::proto::logs::v1;
namespace metrics_pb = ::opentelemetry::proto::metrics::v1;
using LogsRequest = ::opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using MetricsRequest = ::opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using KeyValues = google::protobuf::RepeatedPtrField<common_pb::KeyValue>;

class Random {
 public:
  explicit Random(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t Below(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_); }
  bool OneIn(std::uint64_t n) { return Below(n) == 0; }

  std::uint64_t U64() {
    static constexpr std::uint64_t kEdges[] = {0, 1, 1732480000123456789u, std::numeric_limits<std::uint64_t>::max()};
    return OneIn(2) ? kEdges[Below(4)] : rng_();
  }
  std::int64_t I64() { return static_cast<std::int64_t>(U64()); }
  std::int32_t I32() { return static_cast<std::int32_t>(U64()); }

  double Double() {
    static constexpr double kEdges[] = {0.0, 1.5, -2.25e-300, 1.7976931348623157e308,
                                        std::numeric_limits<double>::infinity(),
                                        -std::numeric_limits<double>::infinity(),
                                        std::numeric_limits<double>::quiet_NaN(), 1e21, 0.1};
    if (OneIn(2)) return kEdges[Below(std::size(kEdges))];
    return std::bit_cast<double>((rng_() & ~(std::uint64_t{0x7ff} << 52)) | (std::uint64_t{1000 + Below(46)} << 52));
  }

  // Valid UTF-8 with what JSON must escape: quotes, backslashes, controls.
  std::string Text() {
    static constexpr std::string_view kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x01",
                                                   "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x8E\x89",
                                                   "http.route", "{}"};
    std::string out;
    for (std::uint64_t n = Below(8); n > 0; --n) out += kPieces[Below(std::size(kPieces))];
    return out;
  }

  // An id: usually the right length, sometimes empty, sometimes all zero,
  // sometimes a wrong length (which the decoder must refuse).
  std::string Id(std::size_t size) {
    const std::uint64_t pick = Below(10);
    if (pick == 0) return {};
    if (pick == 1) return std::string(size, '\0');
    const std::size_t n = pick == 2 ? 1 + Below(2 * size) : size;
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(Below(256));
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

inline void FillValue(Random& r, int depth, common_pb::AnyValue* v);

inline void FillAttributes(Random& r, int depth, KeyValues* out) {
  for (std::uint64_t n = r.Below(4); n > 0; --n) {
    common_pb::KeyValue* kv = out->Add();
    kv->set_key(r.Text());
    if (!r.OneIn(8)) FillValue(r, depth, kv->mutable_value());
  }
}

inline void FillValue(Random& r, int depth, common_pb::AnyValue* v) {
  switch (r.Below(depth < 3 ? 8 : 6)) {
    case 0: v->set_string_value(r.Text()); break;
    case 1: v->set_bool_value(r.OneIn(2)); break;
    case 2: v->set_int_value(r.I64()); break;
    case 3: v->set_double_value(r.Double()); break;
    case 4: v->set_bytes_value(r.Id(1 + r.Below(20))); break;
    case 5: break;  // no value
    case 6:
      v->mutable_array_value();
      for (std::uint64_t n = r.Below(4); n > 0; --n) FillValue(r, depth + 1, v->mutable_array_value()->add_values());
      break;
    default: FillAttributes(r, depth + 1, v->mutable_kvlist_value()->mutable_values()); break;
  }
}

template <typename Scope>
void FillScope(Random& r, Scope* out) {
  if (r.OneIn(4)) return;
  out->mutable_scope()->set_name(r.Text());
  out->mutable_scope()->set_version(r.Text());
  FillAttributes(r, 0, out->mutable_scope()->mutable_attributes());
  out->mutable_scope()->set_dropped_attributes_count(static_cast<std::uint32_t>(r.Below(3)));
  out->set_schema_url(r.Text());
}

template <typename ResourceGroup>
void FillResource(Random& r, ResourceGroup* out) {
  FillAttributes(r, 0, out->mutable_resource()->mutable_attributes());
  out->mutable_resource()->set_dropped_attributes_count(static_cast<std::uint32_t>(r.U64()));
  out->set_schema_url(r.Text());
}

inline LogsRequest RandomLogs(Random& r) {
  LogsRequest request;
  for (std::uint64_t i = r.Below(3); i > 0; --i) {
    logs_pb::ResourceLogs* rl = request.add_resource_logs();
    FillResource(r, rl);
    for (std::uint64_t j = r.Below(3); j > 0; --j) {
      logs_pb::ScopeLogs* sl = rl->add_scope_logs();
      FillScope(r, sl);
      for (std::uint64_t k = r.Below(5); k > 0; --k) {
        logs_pb::LogRecord* lr = sl->add_log_records();
        lr->set_time_unix_nano(r.U64());
        lr->set_observed_time_unix_nano(r.U64());
        // Open enum: numbers beyond the names stay as they are.
        lr->set_severity_number(static_cast<logs_pb::SeverityNumber>(r.OneIn(4) ? r.I32() : r.Below(25)));
        lr->set_severity_text(r.Text());
        if (!r.OneIn(4)) FillValue(r, 0, lr->mutable_body());
        FillAttributes(r, 0, lr->mutable_attributes());
        lr->set_dropped_attributes_count(static_cast<std::uint32_t>(r.Below(5)));
        lr->set_flags(static_cast<std::uint32_t>(r.U64()));
        lr->set_trace_id(r.Id(16));
        lr->set_span_id(r.Id(8));
        lr->set_event_name(r.Text());
      }
    }
  }
  return request;
}

template <typename Point>
void FillPointHead(Random& r, Point* p) {
  FillAttributes(r, 0, p->mutable_attributes());
  p->set_start_time_unix_nano(r.U64());
  p->set_time_unix_nano(r.U64());
  p->set_flags(static_cast<std::uint32_t>(r.Below(4)));
}

inline void FillExemplars(Random& r, google::protobuf::RepeatedPtrField<metrics_pb::Exemplar>* out) {
  for (std::uint64_t n = r.Below(3); n > 0; --n) {
    metrics_pb::Exemplar* e = out->Add();
    FillAttributes(r, 0, e->mutable_filtered_attributes());
    e->set_time_unix_nano(r.U64());
    if (r.OneIn(2)) e->set_as_double(r.Double());
    else if (!r.OneIn(4)) e->set_as_int(r.I64());
    e->set_span_id(r.Id(8));
    e->set_trace_id(r.Id(16));
  }
}

inline void FillMetric(Random& r, metrics_pb::Metric* m) {
  m->set_name(r.Text());
  m->set_description(r.Text());
  m->set_unit(r.Text());
  FillAttributes(r, 0, m->mutable_metadata());
  const auto temporality = static_cast<metrics_pb::AggregationTemporality>(r.Below(3));
  const std::uint64_t points = r.Below(4);
  switch (r.Below(6)) {
    case 0:
    case 1: {
      auto* data = r.OneIn(2) ? m->mutable_gauge()->mutable_data_points() : m->mutable_sum()->mutable_data_points();
      if (m->has_sum()) {
        m->mutable_sum()->set_aggregation_temporality(temporality);
        m->mutable_sum()->set_is_monotonic(r.OneIn(2));
      }
      for (std::uint64_t i = points; i > 0; --i) {
        metrics_pb::NumberDataPoint* p = data->Add();
        FillPointHead(r, p);
        if (r.OneIn(2)) p->set_as_double(r.Double());
        else if (!r.OneIn(4)) p->set_as_int(r.I64());  // else none: left out unless flagged
        FillExemplars(r, p->mutable_exemplars());
      }
      break;
    }
    case 2: {
      m->mutable_histogram()->set_aggregation_temporality(temporality);
      for (std::uint64_t i = points; i > 0; --i) {
        metrics_pb::HistogramDataPoint* p = m->mutable_histogram()->add_data_points();
        FillPointHead(r, p);
        p->set_count(r.U64());
        if (!r.OneIn(3)) p->set_sum(r.Double());
        if (!r.OneIn(3)) p->set_min(r.Double());
        if (!r.OneIn(3)) p->set_max(r.Double());
        const std::uint64_t bounds = r.Below(6);
        for (std::uint64_t b = 0; b < bounds; ++b) p->add_explicit_bounds(r.Double());
        // One more count than bounds, none, or (sometimes) a mismatch.
        const std::uint64_t counts = r.OneIn(4) ? 0 : r.OneIn(5) ? r.Below(8) : bounds + 1;
        for (std::uint64_t c = 0; c < counts; ++c) p->add_bucket_counts(r.U64());
        FillExemplars(r, p->mutable_exemplars());
      }
      break;
    }
    case 3: {
      m->mutable_exponential_histogram()->set_aggregation_temporality(temporality);
      for (std::uint64_t i = points; i > 0; --i) {
        metrics_pb::ExponentialHistogramDataPoint* p = m->mutable_exponential_histogram()->add_data_points();
        FillPointHead(r, p);
        p->set_count(r.U64());
        if (!r.OneIn(3)) p->set_sum(r.Double());
        p->set_scale(static_cast<std::int32_t>(r.Below(41)) - 20);
        p->set_zero_count(r.U64());
        if (r.OneIn(2)) p->set_zero_threshold(std::abs(r.Double()));
        for (auto* side : {p->mutable_positive(), p->mutable_negative()}) {
          side->set_offset(r.I32());
          for (std::uint64_t c = r.Below(6); c > 0; --c) side->add_bucket_counts(r.U64());
        }
        if (!r.OneIn(3)) p->set_min(r.Double());
        if (!r.OneIn(3)) p->set_max(r.Double());
        FillExemplars(r, p->mutable_exemplars());
      }
      break;
    }
    case 4: {
      m->mutable_summary();
      for (std::uint64_t i = points; i > 0; --i) {
        metrics_pb::SummaryDataPoint* p = m->mutable_summary()->add_data_points();
        FillPointHead(r, p);
        p->set_count(r.U64());
        p->set_sum(r.Double());
        for (std::uint64_t q = r.Below(4); q > 0; --q) {
          auto* v = p->add_quantile_values();
          v->set_quantile(r.Double());
          v->set_value(r.Double());
        }
      }
      break;
    }
    default: break;  // no data
  }
}

inline MetricsRequest RandomMetrics(Random& r) {
  MetricsRequest request;
  for (std::uint64_t i = r.Below(3); i > 0; --i) {
    metrics_pb::ResourceMetrics* rm = request.add_resource_metrics();
    FillResource(r, rm);
    for (std::uint64_t j = r.Below(3); j > 0; --j) {
      metrics_pb::ScopeMetrics* sm = rm->add_scope_metrics();
      FillScope(r, sm);
      for (std::uint64_t k = r.Below(4); k > 0; --k) FillMetric(r, sm->add_metrics());
    }
  }
  return request;
}

}  // namespace otelpack::testing::random_requests

#endif  // OTELPACK_OTLP_TESTING_RANDOM_REQUESTS_H_
