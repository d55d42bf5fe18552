#include "otlp/metric_checks.h"

#include "common/str_cat.h"

namespace otelpack::otlp {

std::string InvalidDataPoint(const NumberDataPoint& p) {
  if (p.value.type == NumberValue::Type::kNone && (p.flags & kDataPointNoRecordedValue) == 0) {
    return "the data point has no value (neither as_int nor as_double)";
  }
  return {};
}

std::string InvalidDataPoint(const HistogramDataPoint& p, std::size_t max_buckets) {
  if (p.explicit_bounds.size() > max_buckets || p.bucket_counts.size() > max_buckets + 1) {
    return StrCat("the histogram has ", p.bucket_counts.size(), " bucket counts and ",
                  p.explicit_bounds.size(), " explicit bounds: more than max_buckets (", max_buckets, ")");
  }
  if (!p.bucket_counts.empty() && p.bucket_counts.size() != p.explicit_bounds.size() + 1) {
    return StrCat("the histogram has ", p.bucket_counts.size(), " bucket counts for ", p.explicit_bounds.size(),
                  " explicit bounds (there must be one more count than bounds, or none)");
  }
  return {};
}

std::string InvalidDataPoint(const ExponentialHistogramDataPoint& p, std::size_t max_buckets) {
  if (p.positive.bucket_counts.size() > max_buckets || p.negative.bucket_counts.size() > max_buckets) {
    return StrCat("the exponential histogram has ", p.positive.bucket_counts.size(), " positive and ",
                  p.negative.bucket_counts.size(), " negative buckets: more than max_buckets (", max_buckets,
                  ") on a side");
  }
  return {};
}

std::string InvalidDataPoint(const SummaryDataPoint& p, std::size_t max_buckets) {
  if (p.quantile_values.size() > max_buckets) {
    return StrCat("the summary has ", p.quantile_values.size(), " quantiles: more than max_buckets (",
                  max_buckets, ")");
  }
  return {};
}

}  // namespace otelpack::otlp
