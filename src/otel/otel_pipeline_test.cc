// One otelpack pipeline under the SDK's three providers, against the real
// sink: spans, log records and metrics of one program travel through the one
// Exporter, each signal in its own requests; the exporters' Shutdowns detach
// them, and the last one shuts the pipeline down; nothing is lost.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "opentelemetry/logs/severity.h"
#include "opentelemetry/sdk/logs/batch_log_record_processor_factory.h"
#include "opentelemetry/sdk/logs/batch_log_record_processor_options.h"
#include "opentelemetry/sdk/logs/logger_provider.h"
#include "opentelemetry/sdk/logs/logger_provider_factory.h"
#include "opentelemetry/sdk/logs/simple_log_record_processor_factory.h"
#include "opentelemetry/sdk/metrics/export/periodic_exporting_metric_reader_factory.h"
#include "opentelemetry/sdk/metrics/export/periodic_exporting_metric_reader_options.h"
#include "opentelemetry/sdk/metrics/meter_provider.h"
#include "opentelemetry/sdk/metrics/meter_provider_factory.h"
#include "opentelemetry/sdk/metrics/view/view_registry.h"
#include "opentelemetry/sdk/trace/simple_processor_factory.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/scope.h"
#include "otel/testing/sdk_test_util.h"
#include "otelpack/otel/log_record_exporter.h"
#include "otelpack/otel/metric_exporter.h"
#include "otelpack/otel/pipeline.h"
#include "otelpack/otel/span_exporter.h"
#include "sink/sink.h"

namespace otelpack::otel {
namespace {

namespace logs_api = opentelemetry::logs;
namespace logs_sdk = opentelemetry::sdk::logs;
namespace metrics_sdk = opentelemetry::sdk::metrics;
namespace trace_api = opentelemetry::trace;
namespace trace_sdk = opentelemetry::sdk::trace;
using opentelemetry::sdk::common::ExportResult;
using namespace std::chrono_literals;

using namespace otelpack::otel::testing;  // the SDK tests' helpers
using otelpack::testing::ExporterOptionsFor;
using otelpack::testing::StartTestSink;

// A program's telemetry: the three providers, each with otelpack's exporter
// on the one pipeline, as docs/otel-sdk.md sets them up.
struct Program {
  std::shared_ptr<Pipeline> pipeline;
  std::unique_ptr<trace_sdk::TracerProvider> tracers;
  std::unique_ptr<logs_sdk::LoggerProvider> loggers;
  std::unique_ptr<metrics_sdk::MeterProvider> meters;

  // `batch_logs`: the SDK's BatchLogRecordProcessor instead of the simple one.
  explicit Program(const ExporterOptions& options, bool batch_logs = false) {
    auto created = Pipeline::Create(options);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    pipeline = *created;
    const auto resource = Service("checkout");
    tracers = trace_sdk::TracerProviderFactory::Create(
        trace_sdk::SimpleSpanProcessorFactory::Create(OtelpackSpanExporterFactory::Create(pipeline)), resource);
    std::unique_ptr<logs_sdk::LogRecordProcessor> log_processor;
    if (batch_logs) {
      logs_sdk::BatchLogRecordProcessorOptions batch;
      batch.max_queue_size = 16384;
      log_processor = logs_sdk::BatchLogRecordProcessorFactory::Create(
          OtelpackLogRecordExporterFactory::Create(pipeline), batch);
    } else {
      log_processor =
          logs_sdk::SimpleLogRecordProcessorFactory::Create(OtelpackLogRecordExporterFactory::Create(pipeline));
    }
    loggers = logs_sdk::LoggerProviderFactory::Create(std::move(log_processor), resource);
    meters = metrics_sdk::MeterProviderFactory::Create(std::make_unique<metrics_sdk::ViewRegistry>(), resource);
    metrics_sdk::PeriodicExportingMetricReaderOptions reader;
    reader.export_interval_millis = 3'600'000ms;  // only ForceFlush collects
    reader.export_timeout_millis = 10'000ms;
    meters->AddMetricReader(metrics_sdk::PeriodicExportingMetricReaderFactory::Create(
        OtelpackMetricExporterFactory::Create(pipeline), reader));
    // The reader's thread collects once as it starts: let that collection
    // (of nothing yet) pass, so that every later one is the test's.
    EXPECT_TRUE(meters->ForceFlush(10s));
  }
};

TEST(OtelSdkPipelineTest, OnePipelineCarriesSpansLogsAndMetricsEachInItsOwnRequests) {
  auto sink = StartTestSink();
  Program p(ExporterOptionsFor(*sink));
  EXPECT_EQ(p.pipeline->attached(), 3);
  auto tracer = p.tracers->GetTracer("lib");
  auto logger = p.loggers->GetLogger("lib", "lib");
  auto counter = p.meters->GetMeter("lib")->CreateUInt64Counter("requests");

  std::string trace_id;
  std::string span_id;
  {
    auto span = tracer->StartSpan("GET /checkout");
    trace_id = Hex(span->GetContext().trace_id().Id());
    span_id = Hex(span->GetContext().span_id().Id());
    // The SDK's Logger takes the active span's ids.
    trace_api::Scope active = tracer->WithActiveSpan(span);
    logger->EmitLogRecord(logs_api::Severity::kError, "payment declined");
    counter->Add(1, {{"route", "/checkout"}});
    span->End();
  }
  ASSERT_TRUE(p.meters->ForceFlush());
  ASSERT_TRUE(p.tracers->ForceFlush());

  const StoredEvents spans(*sink, "span");
  const StoredEvents logs(*sink, "log");
  const StoredEvents metrics(*sink, "metric");
  ASSERT_EQ(spans.size(), 1u);
  ASSERT_EQ(logs.size(), 1u);
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(std::string_view(logs[0]["trace_id"]), trace_id);
  EXPECT_EQ(std::string_view(logs[0]["span_id"]), span_id);
  EXPECT_EQ(std::string_view(logs[0]["body"]), "payment declined");
  EXPECT_EQ(std::int64_t(metrics[0]["value"]), 1);

  // One Exporter's counters hold all three, and each signal went in requests of its own.
  const ExporterStats stats = p.pipeline->Stats();
  for (Signal s : kAllSignals) {
    EXPECT_EQ(stats.of(s).sent, 1u) << SignalName(s);
    EXPECT_EQ(stats.of(s).requests_ok, 1u) << SignalName(s);
  }
  EXPECT_EQ(stats.requests_ok, 3u);
  EXPECT_EQ(sink->Stats().batches, 3u);
}

TEST(OtelSdkPipelineTest, EachShutdownDetachesAndTheLastShutsThePipelineDown) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.flush_interval = 60s;  // only a flush or the shutdown closes a batch
  Program p(o);
  auto tracer = p.tracers->GetTracer("lib");
  auto logger = p.loggers->GetLogger("lib", "lib");
  auto counter = p.meters->GetMeter("lib")->CreateUInt64Counter("requests");
  for (int i = 0; i < 20; ++i) tracer->StartSpan("op")->End();
  for (int i = 0; i < 10; ++i) logger->EmitLogRecord(logs_api::Severity::kInfo, "before");

  // The tracer provider's Shutdown flushes the pipeline and leaves it to the others.
  ASSERT_TRUE(p.tracers->Shutdown());
  EXPECT_EQ(p.pipeline->attached(), 2);
  EXPECT_EQ(StoredEvents(*sink, "span").size(), 20u) << "delivered by the detaching Shutdown";
  EXPECT_EQ(StoredEvents(*sink, "log").size(), 10u) << "a flush closes every signal's batch";
  for (int i = 0; i < 5; ++i) logger->EmitLogRecord(logs_api::Severity::kInfo, "after the tracers");
  counter->Add(7);

  ASSERT_TRUE(p.loggers->Shutdown());
  EXPECT_EQ(p.pipeline->attached(), 1);
  EXPECT_EQ(StoredEvents(*sink, "log").size(), 15u) << "logs kept flowing after the tracers left";

  // The last: the SDK's Shutdown does not collect, so flush first.
  ASSERT_TRUE(p.meters->ForceFlush());
  ASSERT_TRUE(p.meters->Shutdown());
  EXPECT_EQ(p.pipeline->attached(), 0);
  EXPECT_EQ(StoredEvents(*sink, "metric").size(), 1u);
  TracesView nothing;
  EXPECT_EQ(p.pipeline->exporter().Export(nothing).code(), StatusCode::kFailedPrecondition)
      << "the last Shutdown shut the pipeline down";

  const ExporterStats stats = p.pipeline->Stats();
  EXPECT_EQ(stats.traces.sent, 20u);
  EXPECT_EQ(stats.logs.sent, 15u);
  EXPECT_EQ(stats.metrics.sent, 1u);
  for (Signal s : kAllSignals) EXPECT_EQ(stats.of(s).dropped(), 0u) << SignalName(s);
}

TEST(OtelSdkPipelineTest, PipelineShutdownStopsEveryExporterAtOnce) {
  auto sink = StartTestSink();
  auto pipeline = Pipeline::Create(ExporterOptionsFor(*sink));
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  auto spans = OtelpackSpanExporter::Create(*pipeline);
  auto logs = OtelpackLogRecordExporter::Create(*pipeline);
  ASSERT_TRUE((*pipeline)->Shutdown(5s).ok());

  std::vector<std::unique_ptr<trace_sdk::Recordable>> span_batch;
  span_batch.push_back(spans->MakeRecordable());
  span_batch.back()->SetName("after");
  EXPECT_EQ(spans->Export({span_batch.data(), span_batch.size()}), ExportResult::kFailure);
  std::vector<std::unique_ptr<logs_sdk::Recordable>> log_batch;
  log_batch.push_back(logs->MakeRecordable());
  log_batch.back()->SetBody("after");
  EXPECT_EQ(logs->Export({log_batch.data(), log_batch.size()}), ExportResult::kFailure);
  EXPECT_TRUE(spans->Shutdown()) << "detaching from a pipeline already shut down";
  EXPECT_TRUE(logs->Shutdown());
  EXPECT_EQ(*sink->CountEvents(), 0u);
}

TEST(OtelSdkPipelineTest, ThreeSignalsFromManyThreadsArriveExactlyOnceWhenTheProvidersGoAway) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.max_batch_events = 100;  // many requests of each signal, interleaved
  Program p(o, /*batch_logs=*/true);
  std::shared_ptr<Pipeline> pipeline = p.pipeline;
  auto counter = p.meters->GetMeter("lib")->CreateUInt64Counter("work");
  constexpr int kThreads = 3;
  constexpr int kEach = 400;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto tracer = p.tracers->GetTracer("worker");
      auto logger = p.loggers->GetLogger("worker", "worker");
      for (int i = 0; i < kEach; ++i) {
        auto span = tracer->StartSpan("work", {{"thread", t}, {"i", i}});
        logger->EmitLogRecord(logs_api::Severity::kInfo, "work done",
                              opentelemetry::common::MakeAttributes({{"thread", t}, {"i", i}}));
        counter->Add(1, {{"thread", t}});
        span->End();
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(p.meters->ForceFlush());
  // No explicit Shutdown: the providers' destructors shut their exporters down.
  p.tracers.reset();
  p.loggers.reset();
  p.meters.reset();
  EXPECT_EQ(pipeline->attached(), 0);

  for (const char* type : {"span", "log"}) {
    const StoredEvents events(*sink, type);
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    for (const auto& e : events) {
      seen.insert({std::int64_t(e["attributes"]["thread"]), std::int64_t(e["attributes"]["i"])});
    }
    EXPECT_EQ(events.size(), std::size_t{kThreads * kEach}) << type;
    EXPECT_EQ(seen.size(), std::size_t{kThreads * kEach}) << type << ": each once";
  }
  // Cumulative sums: a collection the reader's thread makes while the
  // workers run (late under load) exports a smaller value of the same
  // series, so each thread's series is checked by its last, largest value.
  const StoredEvents metrics(*sink, "metric");
  std::map<std::int64_t, std::int64_t> last_by_thread;
  for (const auto& e : metrics) {
    EXPECT_EQ(std::string(e["temporality"]), "cumulative");
    std::int64_t& last = last_by_thread[std::int64_t(e["attributes"]["thread"])];
    last = std::max(last, std::int64_t(e["value"]));
  }
  ASSERT_EQ(last_by_thread.size(), std::size_t{kThreads});
  for (const auto& [thread, value] : last_by_thread) EXPECT_EQ(value, kEach) << "thread " << thread;
  const ExporterStats stats = pipeline->Stats();
  for (Signal s : kAllSignals) {
    EXPECT_EQ(stats.of(s).received, stats.of(s).sent) << SignalName(s);
    EXPECT_EQ(stats.of(s).dropped() + stats.of(s).refused, 0u) << SignalName(s);
  }
}

// Every factory that builds a pipeline of its own says which option is wrong.
TEST(OtelSdkPipelineTest, InvalidOptionsAreAnErrorNamingTheOptionForEveryFactory) {
  const Status statuses[] = {
      Pipeline::Create(ExporterOptions{}).status(),
      OtelpackLogRecordExporterFactory::Create(ExporterOptions{}).status(),
      OtelpackMetricExporterFactory::Create(ExporterOptions{}).status(),
  };
  for (const Status& status : statuses) {
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
    EXPECT_NE(status.message().find("endpoint"), std::string_view::npos) << status.ToString();
  }
}

}  // namespace
}  // namespace otelpack::otel
