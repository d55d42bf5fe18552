// Tests of the metric event's schema (docs/wire-protocol.md, "Metric event"):
// the document's example and every kind with every field are accepted, in
// any order, with null exactly where the document allows it; a missing
// field, a field of another kind and each way to break a value are refused
// with the field's path and the event's index.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "sink/test_util.h"
#include "sink/validator.h"
#include "sink/validator_test_base.h"

namespace otelpack::sink {
namespace {

using testing::JsonFields;
using testing::MetricFields;
using testing::MetricJson;
using testing::MetricKinds;
using testing::ValidatorTest;

using MetricValidatorTest = ValidatorTest;

// The fields each kind adds to the common ones, in the documented order.
const std::vector<std::string>& KindFields(std::string_view kind) {
  static const std::vector<std::string> gauge = {"value"};
  static const std::vector<std::string> sum = {"value", "monotonic", "temporality"};
  static const std::vector<std::string> histogram = {"temporality", "count", "sum",
                                                     "min",         "max",   "buckets"};
  static const std::vector<std::string> exponential = {
      "temporality", "count", "sum", "min", "max", "scale", "zero_count", "zero_threshold",
      "positive", "negative"};
  static const std::vector<std::string> summary = {"count", "sum", "quantiles"};
  if (kind == "gauge") return gauge;
  if (kind == "sum") return sum;
  if (kind == "histogram") return histogram;
  if (kind == "exponential_histogram") return exponential;
  return summary;
}

const std::vector<std::string> kCommonFields = {"type", "service", "name", "unit", "kind",
                                                "timestamp_ms", "start_time_ms", "attributes"};

TEST_F(MetricValidatorTest, AcceptsTheDocumentsExample) {
  ExpectAccepted({testing::kDocMetricExample});
  ASSERT_EQ(body_.events.size(), 1u);
  const EventRecord& e = body_.events[0];
  EXPECT_EQ(e.json, testing::kDocMetricExample);
  EXPECT_EQ(e.type, EventType::kMetric);
  EXPECT_EQ(e.service, "checkout");
  EXPECT_EQ(e.name, "http.server.request.duration");
  EXPECT_EQ(e.time_ms, 1732480060000);
  EXPECT_EQ(e.trace_id, "");
  EXPECT_EQ(e.span_id, "");
}

TEST_F(MetricValidatorTest, AcceptsEveryKindWithOptionalFieldsInAnyOrder) {
  int i = 0;
  for (const std::string& kind : MetricKinds()) {
    JsonFields e = MetricFields(kind, i++);
    ExpectAccepted({e.Json()});
    e.Set("resource", R"({"service.name":"checkout","k8s.pod.uid":"x"})")
        .Set("scope", R"({"name":"io.otel.metrics","version":"","attributes":{}})");
    ExpectAccepted({e.Json()});
    // "kind" last: the fields are judged by it all the same.
    const std::string reversed = e.Reverse().Json();
    ExpectAccepted({reversed});
    ASSERT_EQ(body_.events.size(), 1u);
    EXPECT_EQ(body_.events[0].json, reversed);
    EXPECT_EQ(body_.events[0].name, StrCat("app.", kind));
  }
}

TEST_F(MetricValidatorTest, AcceptsNullWhereTheDocumentAllowsIt) {
  // "no recorded value", NaN or an infinity, and absent start times, sums,
  // minimums and maximums.
  ExpectAccepted({
      MetricFields("gauge").Set("value", "null").Json(),
      MetricFields("sum").Set("value", "null").Set("start_time_ms", "null").Json(),
      MetricFields("histogram").Set("sum", "null").Set("min", "null").Set("max", "null").Json(),
      MetricFields("histogram")
          .Set("buckets", R"([{"le":null,"count":1},{"le":null,"count":0}])")
          .Json(),
      MetricFields("exponential_histogram")
          .Set("sum", "null").Set("min", "null").Set("max", "null").Set("zero_threshold", "null")
          .Json(),
      MetricFields("summary")
          .Set("sum", "null")
          .Set("quantiles", R"([{"quantile":null,"value":null}])")
          .Json(),
  });
}

TEST_F(MetricValidatorTest, AcceptsEdgeValues) {
  ExpectAccepted({
      MetricFields("gauge").Set("value", "9223372036854775807").Json(),
      MetricFields("gauge").Set("value", "-9223372036854775808").Json(),
      MetricFields("gauge").Set("value", "3.0").Set("start_time_ms", "0").Json(),
      MetricFields("gauge").Set("value", "-1.5e-300").Set("unit", "\"{request}\"").Json(),
      MetricFields("sum").Set("monotonic", "false").Set("temporality", "\"delta\"").Json(),
      MetricFields("sum").Set("temporality", "\"unspecified\"").Set("value", "-4").Json(),
      // Counts are uint64, as in OTLP.
      MetricFields("histogram")
          .Set("count", "18446744073709551615")
          .Set("buckets", R"([{"le":null,"count":18446744073709551615}])")
          .Json(),
      MetricFields("histogram").Set("buckets", "[]").Set("count", "0").Json(),
      MetricFields("histogram").Set("buckets", R"([{"count":3,"le":-1},{"count":1,"le":null}])")
          .Json(),
      MetricFields("exponential_histogram")
          .Set("scale", "20")
          .Set("positive", R"({"bucket_counts":[],"offset":-2147483648})")
          .Set("negative", R"({"offset":2147483647,"bucket_counts":[0,18446744073709551615]})")
          .Json(),
      MetricFields("exponential_histogram").Set("scale", "-10").Set("zero_count", "0").Json(),
      MetricFields("summary").Set("quantiles", "[]").Set("sum", "0").Json(),
      MetricFields("gauge").Set("name", "\"\"").Set("attributes", "{}").Json(),
  });
}

TEST_F(MetricValidatorTest, RefusesEachMissingField) {
  for (const std::string& kind : MetricKinds()) {
    std::vector<std::string> fields = kCommonFields;
    fields.insert(fields.end(), KindFields(kind).begin(), KindFields(kind).end());
    for (const std::string& field : fields) {
      if (field == "kind") continue;  // below
      EXPECT_EQ(ErrorFor({MetricJson("gauge"), MetricFields(kind).Remove(field).Json()}),
                StrCat("events[1].", field, ": missing"))
          << kind;
    }
  }
  EXPECT_EQ(ErrorForEvent(MetricFields("sum").Remove("kind")), "events[0].kind: missing");
}

TEST_F(MetricValidatorTest, RefusesAFieldOfAnotherKind) {
  const std::vector<std::pair<std::string, std::string>> kind_of_field = {
      {"value", "gauge"},
      {"monotonic", "sum"},
      {"temporality", "sum"},
      {"count", "histogram"},
      {"sum", "histogram"},
      {"min", "histogram"},
      {"max", "histogram"},
      {"buckets", "histogram"},
      {"scale", "exponential_histogram"},
      {"zero_count", "exponential_histogram"},
      {"zero_threshold", "exponential_histogram"},
      {"positive", "exponential_histogram"},
      {"negative", "exponential_histogram"},
      {"quantiles", "summary"},
  };
  for (const std::string& kind : MetricKinds()) {
    const std::vector<std::string>& own = KindFields(kind);
    const std::string what = kind == "exponential_histogram" ? "an exponential_histogram metric"
                                                             : StrCat("a ", kind, " metric");
    for (const auto& [field, donor] : kind_of_field) {
      if (std::find(own.begin(), own.end(), field) != own.end()) continue;
      // The field with a value valid for its own kind.
      const std::string value = [&] {
        const std::string json = MetricFields(donor).Json();
        const std::string key = StrCat("\"", field, "\":");
        std::size_t at = json.find(key) + key.size();
        int depth = 0;
        std::size_t end = at;
        for (; end < json.size(); ++end) {
          const char c = json[end];
          if (c == '[' || c == '{') ++depth;
          if (c == ']' || c == '}') {
            if (depth == 0) break;
            --depth;
          }
          if (c == ',' && depth == 0) break;
        }
        return json.substr(at, end - at);
      }();
      EXPECT_EQ(ErrorForEvent(MetricFields(kind).Set(field, value)),
                StrCat("events[0].", field, ": not a field of ", what))
          << kind << " with " << field << " = " << value;
    }
  }
  EXPECT_EQ(ErrorForEvent(MetricFields("gauge").Set("trace_id", "null")),
            "events[0].trace_id: not a field of a metric event");
  EXPECT_EQ(ErrorForEvent(MetricFields("gauge").Set("dropped", "{}")),
            "events[0].dropped: not a field of a metric event");
  EXPECT_EQ(ErrorForEvent(MetricFields("gauge").Set("exemplars", "[]")),
            "events[0].exemplars: unknown field");
  EXPECT_EQ(ErrorForEvent(MetricFields("gauge").Add("value", "1")),
            "events[0].value: duplicate field");
}

TEST_F(MetricValidatorTest, RefusesBadValues) {
  struct Case {
    const char* kind;
    const char* field;
    const char* value;
    const char* error;  // after "events[0]."
  };
  for (const Case& c : std::vector<Case>{
           {"gauge", "service", "null", "service: expected string"},
           {"gauge", "name", "7", "name: expected string"},
           {"gauge", "unit", "null", "unit: expected string"},
           {"gauge", "kind", "\"Gauge\"",
            "kind: expected gauge, sum, histogram, exponential_histogram or summary"},
           {"gauge", "kind", "\"counter\"",
            "kind: expected gauge, sum, histogram, exponential_histogram or summary"},
           {"gauge", "kind", "3", "kind: expected gauge, sum, histogram, exponential_histogram or summary"},
           {"gauge", "timestamp_ms", "null", "timestamp_ms: expected integer"},
           {"gauge", "timestamp_ms", "1.5", "timestamp_ms: expected integer"},
           {"gauge", "timestamp_ms", "-1", "timestamp_ms: expected a non-negative integer"},
           {"gauge", "start_time_ms", "\"0\"", "start_time_ms: expected integer or null"},
           {"gauge", "start_time_ms", "1e3", "start_time_ms: expected integer or null"},
           {"gauge", "start_time_ms", "-5", "start_time_ms: expected a non-negative integer"},
           {"gauge", "attributes", "null", "attributes: expected object"},
           {"gauge", "value", "\"42\"", "value: expected number or null"},
           {"gauge", "value", "true", "value: expected number or null"},
           {"gauge", "value", "9223372036854775808", "value: integer out of int64 range"},
           {"gauge", "value", "[1]", "value: expected number or null"},
           {"sum", "monotonic", "\"true\"", "monotonic: expected true or false"},
           {"sum", "monotonic", "null", "monotonic: expected true or false"},
           {"sum", "monotonic", "1", "monotonic: expected true or false"},
           {"sum", "temporality", "\"DELTA\"", "temporality: expected delta, cumulative or unspecified"},
           {"sum", "temporality", "null", "temporality: expected delta, cumulative or unspecified"},
           {"histogram", "temporality", "2", "temporality: expected delta, cumulative or unspecified"},
           {"histogram", "count", "null", "count: expected integer"},
           {"histogram", "count", "12.0", "count: expected integer"},
           {"histogram", "count", "-1", "count: expected a non-negative integer"},
           {"histogram", "count", "18446744073709551616", "count: integer out of range"},
           {"histogram", "sum", "\"3.25\"", "sum: expected number or null"},
           {"histogram", "min", "{}", "min: expected number or null"},
           {"histogram", "max", "false", "max: expected number or null"},
           {"histogram", "buckets", "null", "buckets: expected array"},
           {"histogram", "buckets", "{}", "buckets: expected array"},
           {"histogram", "buckets", "[1]", "buckets[0]: expected object"},
           {"histogram", "buckets", R"([{"le":0.5,"count":1}])",
            "buckets[0].le: the last bucket's bound must be null (+Inf)"},
           {"histogram", "buckets", R"([{"le":null,"count":1},{"le":2,"count":1}])",
            "buckets[1].le: the last bucket's bound must be null (+Inf)"},
           {"histogram", "buckets", R"([{"le":"0.5","count":1},{"le":null,"count":1}])",
            "buckets[0].le: expected number or null"},
           {"histogram", "buckets", R"([{"le":0.5,"count":-1},{"le":null,"count":1}])",
            "buckets[0].count: expected a non-negative integer"},
           {"histogram", "buckets", R"([{"le":0.5},{"le":null,"count":1}])",
            "buckets[0].count: missing"},
           {"histogram", "buckets", R"([{"le":null,"count":1,"exemplars":[]}])",
            "buckets[0].exemplars: unknown field"},
           {"histogram", "buckets", R"([{"le":null,"count":1,"count":1}])",
            "buckets[0].count: duplicate field"},
           {"exponential_histogram", "scale", "1.0", "scale: expected integer"},
           {"exponential_histogram", "scale", "2147483648", "scale: integer out of int32 range"},
           {"exponential_histogram", "scale", "null", "scale: expected integer"},
           {"exponential_histogram", "zero_count", "-1", "zero_count: expected a non-negative integer"},
           {"exponential_histogram", "zero_threshold", "\"0\"", "zero_threshold: expected number or null"},
           {"exponential_histogram", "positive", "null", "positive: expected object"},
           {"exponential_histogram", "positive", "[]", "positive: expected object"},
           {"exponential_histogram", "positive", R"({"offset":0})", "positive.bucket_counts: missing"},
           {"exponential_histogram", "positive", R"({"bucket_counts":[]})", "positive.offset: missing"},
           {"exponential_histogram", "negative", R"({"offset":0,"bucket_counts":[1,-2]})",
            "negative.bucket_counts[1]: expected a non-negative integer"},
           {"exponential_histogram", "negative", R"({"offset":0,"bucket_counts":[1,2.5]})",
            "negative.bucket_counts[1]: expected integer"},
           {"exponential_histogram", "negative", R"({"offset":-2147483649,"bucket_counts":[]})",
            "negative.offset: integer out of int32 range"},
           {"exponential_histogram", "negative", R"({"offset":0,"bucket_counts":{}})",
            "negative.bucket_counts: expected array"},
           {"exponential_histogram", "negative", R"({"offset":0,"bucket_counts":[],"scale":1})",
            "negative.scale: unknown field"},
           {"summary", "quantiles", "{}", "quantiles: expected array"},
           {"summary", "quantiles", R"([{"quantile":0.5}])", "quantiles[0].value: missing"},
           {"summary", "quantiles", R"([{"quantile":0.5,"value":1},{"q":1,"value":1}])",
            "quantiles[1].q: unknown field"},
           {"summary", "quantiles", R"([{"quantile":"0.5","value":1}])",
            "quantiles[0].quantile: expected number or null"},
           {"summary", "count", "\"5\"", "count: expected integer"},
       }) {
    EXPECT_EQ(ErrorForEvent(MetricFields(c.kind).Set(c.field, c.value)),
              StrCat("events[0].", c.error))
        << c.kind << "." << c.field << " = " << c.value;
  }
}

TEST_F(MetricValidatorTest, NamesTheIndexOfTheFirstBadEvent) {
  std::vector<std::string> events;
  for (int i = 0; i < 5; ++i) events.push_back(MetricJson(MetricKinds()[static_cast<std::size_t>(i)], i));
  events.push_back(MetricFields("exponential_histogram", 5)
                       .Set("positive", R"({"offset":0,"bucket_counts":[1,"2"]})")
                       .Json());
  events.push_back(MetricFields("gauge").Set("value", "\"x\"").Json());
  EXPECT_EQ(ErrorFor(events), "events[5].positive.bucket_counts[1]: expected integer");
}

}  // namespace
}  // namespace otelpack::sink
