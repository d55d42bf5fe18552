// Which metric data points can become the backend's event, shared by both
// OTLP decoders so that protobuf and JSON leave out exactly the same points.
//
// Only what would make the event wrong is refused; a point is otherwise kept
// as it came (the Collector's OTLP receiver checks nothing, and a refused
// point is lost to the backend). Refused:
//   - a number point with neither as_int nor as_double, unless its flags say
//     "no recorded value";
//   - a histogram whose bucket_counts is neither empty nor one longer than
//     explicit_bounds: its buckets' bounds would be made up;
//   - more than DecodeLimits::max_buckets bounds, buckets (per side) or
//     quantiles.
#ifndef OTELPACK_OTLP_METRIC_CHECKS_H_
#define OTELPACK_OTLP_METRIC_CHECKS_H_

#include <cstddef>
#include <string>

#include "otelpack/model/metrics.h"

namespace otelpack::otlp {

// Why the point must be left out, or an empty string when it is fine.
std::string InvalidDataPoint(const NumberDataPoint& p);
std::string InvalidDataPoint(const HistogramDataPoint& p, std::size_t max_buckets);
std::string InvalidDataPoint(const ExponentialHistogramDataPoint& p, std::size_t max_buckets);
std::string InvalidDataPoint(const SummaryDataPoint& p, std::size_t max_buckets);

}  // namespace otelpack::otlp

#endif  // OTELPACK_OTLP_METRIC_CHECKS_H_
