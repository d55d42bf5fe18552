// Test fixtures for DecodeMetricsJson's tests (json_metrics_test.cc,
// json_metrics_limits_test.cc): a request as the JS SDK's JSON exporter
// writes it, one-metric requests, and the decode helper. Header-only.
#ifndef OTELPACK_OTLP_TESTING_JSON_METRICS_FIXTURES_H_
#define OTELPACK_OTLP_TESTING_JSON_METRICS_FIXTURES_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "otlp/decode.h"
#include "otlp/testing/json_test_util.h"

namespace otelpack::otlp {

// What the JS SDK's JSON exporter (@opentelemetry/exporter-metrics-otlp-http)
// sends, with every field and every kind of metric filled in (the SDK has no
// summaries; the Collector forwards them from Prometheus).
inline constexpr std::string_view kJsMetrics = R"json({
  "resourceMetrics": [{
    "resource": {
      "attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}],
      "droppedAttributesCount": 1
    },
    "scopeMetrics": [{
      "scope": {"name": "@shop/metrics", "version": "1.0.0", "attributes": [], "droppedAttributesCount": 2},
      "metrics": [
        {
          "name": "http.server.duration",
          "description": "Duration of inbound HTTP requests",
          "unit": "ms",
          "metadata": [{"key": "meta", "value": {"boolValue": true}}],
          "histogram": {
            "dataPoints": [{
              "attributes": [
                {"key": "http.route", "value": {"stringValue": "/checkout"}},
                {"key": "http.status_code", "value": {"intValue": 200}}
              ],
              "startTimeUnixNano": "1732480000000000000",
              "timeUnixNano": "1732480060000000000",
              "count": "7",
              "sum": 1234.5,
              "min": 2,
              "max": 800,
              "bucketCounts": ["1", "0", "3", "2", "1"],
              "explicitBounds": [0, 5, 10, 100],
              "exemplars": [
                {
                  "filteredAttributes": [{"key": "user.id", "value": {"stringValue": "u-17"}}],
                  "timeUnixNano": "1732480059000000000",
                  "asDouble": 731.5,
                  "spanId": "eee19b7ec3c1b174",
                  "traceId": "5b8efff798038103d269b633813fc60c"
                },
                {"timeUnixNano": "1732480059500000000", "asInt": "3"}
              ],
              "flags": 0
            }],
            "aggregationTemporality": 2
          }
        },
        {
          "name": "http.server.requests",
          "unit": "1",
          "sum": {
            "dataPoints": [
              {"startTimeUnixNano": "1732480000000000000", "timeUnixNano": "1732480060000000000", "asInt": "42"},
              {"startTimeUnixNano": 1732480000000000000, "timeUnixNano": 1732480060000000000, "asInt": -7, "flags": 0}
            ],
            "aggregationTemporality": 2,
            "isMonotonic": true
          }
        },
        {
          "name": "process.cpu.utilization",
          "gauge": {"dataPoints": [{"timeUnixNano": "1732480060000000000", "asDouble": 0.25}]}
        },
        {
          "name": "rpc.latency",
          "exponentialHistogram": {
            "dataPoints": [{
              "startTimeUnixNano": "1732480000000000000",
              "timeUnixNano": "1732480060000000000",
              "count": "5",
              "sum": 30,
              "scale": -3,
              "zeroCount": "1",
              "positive": {"offset": 2, "bucketCounts": ["1", "2", "1"]},
              "negative": {"offset": -4, "bucketCounts": ["1"]},
              "min": -3.5,
              "max": 12,
              "zeroThreshold": 1e-9,
              "exemplars": [{"asDouble": 4}]
            }],
            "aggregationTemporality": 1
          }
        },
        {
          "name": "rpc.latency.summary",
          "summary": {
            "dataPoints": [{
              "count": "10",
              "sum": 55.5,
              "quantileValues": [{"quantile": 0, "value": 1}, {"quantile": 0.5, "value": 4.5},
                                 {"quantile": 0.99, "value": 12}],
              "flags": 1
            }]
          }
        }
      ],
      "schemaUrl": "https://opentelemetry.io/schemas/1.24.0"
    }],
    "schemaUrl": "https://opentelemetry.io/schemas/1.25.0"
  }]
})json";

inline std::unique_ptr<testing::DecodedBox<DecodedMetrics>> Decode(std::string_view json,
                                                                   const DecodeLimits& limits = {}) {
  return testing::DecodeCopy(&DecodeMetricsJson, json, limits);
}

// A request with metrics spliced into its list: `fields` are the first
// metric's (more metrics may follow after "},{").
inline std::string OneMetric(std::string_view fields) {
  return R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{)" + std::string(fields) + "}]}]}]}";
}

// The first metric of the first scope of the first resource.
inline const Metric& OnlyMetric(const DecodedMetrics& d) {
  static const Metric kNone;
  if (d.data.empty() || d.data[0].scope_metrics.empty() || d.data[0].scope_metrics[0].metrics.empty()) {
    ADD_FAILURE() << "no metric decoded";
    return kNone;
  }
  return d.data[0].scope_metrics[0].metrics[0];
}

}  // namespace otelpack::otlp

#endif  // OTELPACK_OTLP_TESTING_JSON_METRICS_FIXTURES_H_
