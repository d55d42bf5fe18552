// MetricEncoder: metric data points as the backend's JSON metric events,
// exactly as docs/wire-protocol.md ("Metric event", "Optional fields of log
// and metric events", "Values") says: one event per data point.
//
// Encode walks the metrics (resource -> scope -> metric -> data point). What
// is the same for every point of a metric — the event's head with the
// escaped service (per resource), name, unit and kind (per metric) — is
// prepared once and copied whole into each event; per point only the times,
// the attributes and the kind's fields are written. Like SpanEncoder it
// writes through a raw cursor with the worst case reserved up front and
// allocates nothing per point.
//
// The library may be handed points the agent would have refused
// (otlp/metric_checks.h); they still give valid JSON: a number point without
// a value has "value":null, a histogram's count i gets bound i as its "le"
// (null past the last bound, extra bounds are left out), and nothing is read
// out of bounds.
#ifndef OTELPACK_FORMAT_METRIC_ENCODER_H_
#define OTELPACK_FORMAT_METRIC_ENCODER_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "format/encoder.h"
#include "format/record_pieces.h"
#include "otelpack/buffer.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model.h"

namespace otelpack {

class MetricEncoder final : public MetricsEncoder {
 public:
  // Of `extra`, only resource and scope apply to metric events.
  explicit MetricEncoder(ExtraFields extra = {});

  // Writes the points of each metric's kind (the other lists of a metric are
  // meant to be empty and are not read); a metric of kind kNone writes
  // nothing. Each event is named after its metric for the sink.
  void Encode(MetricsView metrics, EventSink& sink) override;

  // The steps of Encode, for tests and benchmarks that write events one by
  // one. Until the first BeginResource the service is "unknown", the
  // resource and scope are empty, and until the first BeginMetric the metric
  // is an unnamed gauge.
  void BeginResource(const Resource& resource);
  void BeginScope(const InstrumentationScope& scope);
  // REQUIRES: metric.kind is not kNone (such a metric has no points).
  void BeginMetric(const Metric& metric);
  // Appends one event (no separator) for a point of the current metric to
  // *out. Never fails: any input gives valid JSON in valid UTF-8. Each writes
  // its own type's fields; a number point writes "monotonic" and
  // "temporality" when the metric is a sum.
  void AppendDataPoint(const NumberDataPoint& point, Buffer* out);
  void AppendDataPoint(const HistogramDataPoint& point, Buffer* out);
  void AppendDataPoint(const ExponentialHistogramDataPoint& point, Buffer* out);
  void AppendDataPoint(const SummaryDataPoint& point, Buffer* out);

 private:
  template <typename Point>
  void EncodePoints(std::span<const Point> points, std::string_view name, EventSink& sink);
  // The room BeginPoint needs before the attributes.
  std::size_t PointHeadRoom() const;
  // Opens the event: the head, the times and the attributes. REQUIRES:
  // PointHeadRoom() bytes of room at c.p.
  void BeginPoint(format::Cursor& c, std::uint64_t start_unix_nano, std::uint64_t time_unix_nano,
                  Attributes attributes);
  // Closes the event: the optional fields and the closing brace.
  void EndPoint(format::Cursor& c);
  void JoinHead();
  // Makes bound_slots_ the pieces of `bounds`, unless they already are.
  void PrepareBoundSlots(std::span<const double> bounds);

  format::ContextPieces context_;
  Buffer service_piece_;  // `{"type":"metric","service":"<escaped>"`
  Buffer metric_piece_;   // `,"name":"<escaped>","unit":"<escaped>","kind":"<kind>","timestamp_ms":`
  // The two pieces above joined, padded for format::CopyPiece: copied whole
  // per point.
  Buffer head_;
  bool sum_ = false;        // the current metric is a sum: number points carry the next two
  bool monotonic_ = false;
  std::uint8_t temporality_ = 0;  // index into the temporality names
  // The bounds of the last histogram point, and their `{"le":<bound>,"count":`
  // pieces in fixed-size slots (metric_encoder.cc): kept while the points'
  // bounds are the same, as they are within a metric.
  std::vector<double> slot_bounds_;
  Buffer bound_slots_;
};

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_METRIC_ENCODER_H_
