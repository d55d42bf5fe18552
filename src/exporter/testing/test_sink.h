// For tests that send through the exporter: the real sink on a loopback
// port, and the exporter options that reach it.
#ifndef OTELPACK_EXPORTER_TESTING_TEST_SINK_H_
#define OTELPACK_EXPORTER_TESTING_TEST_SINK_H_

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "otelpack/exporter.h"
#include "sink/sink.h"

namespace otelpack::testing {

// The key the test sink accepts. Tests check that it never shows in a log,
// a status or a metric.
inline constexpr char kTestApiKey[] = "test-key-5b1d0c";
inline constexpr char kTestProject[] = "proj";

// A sink for kTestProject on a free loopback port (unless `options` says
// where) that accepts kTestApiKey (unless `options` sets another scheme or
// key). Null, with a test failure, when it cannot start.
inline std::unique_ptr<sink::Sink> StartTestSink(sink::SinkOptions options = {}) {
  options.project_id = kTestProject;
  if (options.auth.scheme == AuthScheme::kApiKey && options.auth.api_key.empty()) {
    options.auth.api_key = kTestApiKey;
  }
  Result<std::unique_ptr<sink::Sink>> sink = sink::Sink::Start(options);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

// Exporter options that reach `sink` with kTestApiKey; the rest default.
inline ExporterOptions ExporterOptionsFor(const sink::Sink& sink) {
  ExporterOptions o;
  o.endpoint = sink.endpoint();
  o.project_id = kTestProject;
  o.auth.api_key = kTestApiKey;
  return o;
}

}  // namespace otelpack::testing

#endif  // OTELPACK_EXPORTER_TESTING_TEST_SINK_H_
