// The SDK's collected metrics (ResourceMetrics: MetricData and its point
// data) as otelpack's model, for one Exporter::Export.
//
// Views of the SDK's own data wherever its layout is the model's (names,
// attributes, explicit bounds and bucket counts); an exponential histogram's
// buckets are copied, since the SDK keeps them in a circular buffer. The SDK
// keeps the data alive for the whole Export call, which is as long as the
// views must live.
//
// The mapping follows the SDK's OTLP exporter (docs/otel-sdk.md, "Metrics"):
//   SumPointData        -> sum, monotonic as the point says, the temporality
//   LastValuePointData  -> gauge (no temporality); a value the SDK marks as
//                          not valid is a point flagged "no recorded value"
//   HistogramPointData  -> histogram: count, sum, min and max when recorded
//   Base2ExponentialHistogramPointData -> exponential_histogram
//   DropPointData       -> nothing
// Every point has the MetricData's start and end times; int64 values stay
// ints, doubles doubles.
#ifndef OTELPACK_OTEL_METRIC_POINTS_H_
#define OTELPACK_OTEL_METRIC_POINTS_H_

#include "opentelemetry/sdk/metrics/export/metric_producer.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::otel {

// The model's view of `data`, made in `arena`. A metric with no point the
// model can carry (no points, or only dropped ones) is left out.
MetricsView ConvertMetrics(const opentelemetry::sdk::metrics::ResourceMetrics& data, Arena& arena);

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_METRIC_POINTS_H_
