#include "otlp/metric_checks.h"

#include <gtest/gtest.h>

#include <vector>

namespace otelpack::otlp {
namespace {

TEST(MetricChecksTest, ANumberPointNeedsAValueUnlessFlaggedAsNone) {
  NumberDataPoint p;
  EXPECT_NE(InvalidDataPoint(p).find("no value"), std::string::npos);
  p.flags = kDataPointNoRecordedValue;
  EXPECT_EQ(InvalidDataPoint(p), "");
  p.flags = 0;
  p.value = NumberValue::Int(3);
  EXPECT_EQ(InvalidDataPoint(p), "");
  p.value = NumberValue::Double(0.5);
  EXPECT_EQ(InvalidDataPoint(p), "");
}

TEST(MetricChecksTest, HistogramCountsMustMatchTheBoundsOrBeAbsent) {
  const double bounds[] = {1, 5, 10};
  const std::uint64_t three[] = {1, 2, 3};
  const std::uint64_t four[] = {1, 2, 3, 4};
  HistogramDataPoint p;
  p.explicit_bounds = bounds;
  EXPECT_EQ(InvalidDataPoint(p, 100), "");  // no buckets: count and sum only
  p.bucket_counts = four;
  EXPECT_EQ(InvalidDataPoint(p, 100), "");
  p.bucket_counts = three;
  EXPECT_EQ(InvalidDataPoint(p, 100),
            "the histogram has 3 bucket counts for 3 explicit bounds (there must be one more count than "
            "bounds, or none)");
  p.bucket_counts = four;
  EXPECT_NE(InvalidDataPoint(p, 2).find("more than max_buckets (2)"), std::string::npos);
  EXPECT_EQ(InvalidDataPoint(p, 3), "");  // 3 bounds, 4 counts: within 3 buckets
}

TEST(MetricChecksTest, ExponentialHistogramAndSummaryAreCappedByMaxBuckets) {
  std::vector<std::uint64_t> counts(10, 1);
  ExponentialHistogramDataPoint e;
  e.negative.bucket_counts = counts;
  EXPECT_EQ(InvalidDataPoint(e, 10), "");
  EXPECT_NE(InvalidDataPoint(e, 9).find("0 positive and 10 negative buckets"), std::string::npos);

  std::vector<ValueAtQuantile> q(5);
  SummaryDataPoint s;
  s.quantile_values = q;
  EXPECT_EQ(InvalidDataPoint(s, 5), "");
  EXPECT_NE(InvalidDataPoint(s, 4).find("5 quantiles"), std::string::npos);
}

}  // namespace
}  // namespace otelpack::otlp
