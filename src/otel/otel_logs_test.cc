// The OpenTelemetry C++ SDK's logs with otelpack's log record exporter,
// against the real sink: records emitted through the SDK's Logger arrive as
// the documented log events (docs/wire-protocol.md "Log event"), field by field.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "opentelemetry/logs/event_id.h"
#include "opentelemetry/logs/severity.h"
#include "opentelemetry/sdk/instrumentationscope/scope_configurator.h"
#include "opentelemetry/sdk/logs/batch_log_record_processor_factory.h"
#include "opentelemetry/sdk/logs/batch_log_record_processor_options.h"
#include "opentelemetry/sdk/logs/logger_config.h"
#include "opentelemetry/sdk/logs/logger_provider.h"
#include "opentelemetry/sdk/logs/logger_provider_factory.h"
#include "opentelemetry/sdk/logs/simple_log_record_processor_factory.h"
#include "opentelemetry/trace/trace_flags.h"
#include "otel/log_recordable.h"
#include "otel/testing/sdk_test_util.h"
#include "otelpack/otel/log_record_exporter.h"
#include "otelpack/otel/pipeline.h"
#include "sink/sink.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
namespace common = opentelemetry::common;
namespace logs_api = opentelemetry::logs;
namespace logs_sdk = opentelemetry::sdk::logs;
using opentelemetry::sdk::common::ExportResult;
using opentelemetry::sdk::resource::Resource;
using namespace std::chrono_literals;

using namespace otelpack::otel::testing;  // the SDK tests' helpers
using otelpack::testing::ExporterOptionsFor;
using otelpack::testing::StartTestSink;

std::shared_ptr<Pipeline> MakePipeline(const ExporterOptions& o) {
  auto p = Pipeline::Create(o);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : nullptr;
}

std::unique_ptr<logs_sdk::LoggerProvider> SimpleProvider(std::shared_ptr<Pipeline> pipeline,
                                                         const Resource& resource = Service("checkout")) {
  return logs_sdk::LoggerProviderFactory::Create(
      logs_sdk::SimpleLogRecordProcessorFactory::Create(OtelpackLogRecordExporterFactory::Create(std::move(pipeline))),
      resource);
}

common::SystemTimestamp At(std::int64_t ns) { return common::SystemTimestamp(std::chrono::nanoseconds(ns)); }

TEST(OtelSdkLogsTest, EveryFieldOfTheSdksRecordArrivesAsTheLogEvent) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.extra_fields.resource = true;
  o.extra_fields.scope = true;
  auto pipeline = MakePipeline(o);
  auto provider = SimpleProvider(
      pipeline, Resource::Create({{"service.name", "checkout"}, {"deployment.environment", "test"}}));
  auto logger = provider->GetLogger("payments", "payments-lib", "2.1", "https://example.com/schema",
                                    {{"lib.attr", "scoped"}});

  const bool bools[] = {true, false};
  const std::int64_t int64s[] = {-(std::int64_t{1} << 40), std::int64_t{1} << 40};
  const std::uint64_t uint64s[] = {7, 18'446'744'073'709'551'615ull};
  const std::uint8_t bytes[] = {0, 255, 16};
  const nostd::string_view strings[] = {"a", "b"};
  std::string reason = "card expired";  // overwritten after SetBody: the recordable must hold a copy
  auto record = logger->CreateLogRecord();
  record->SetTimestamp(At(1'700'000'000'123'456'789));
  record->SetObservedTimestamp(At(1'700'000'005'000'000'000));
  record->SetSeverity(logs_api::Severity::kWarn2);
  record->SetBody(nostd::string_view(reason));
  record->SetAttribute("bool", true);
  record->SetAttribute("int32", std::int32_t{-7});
  record->SetAttribute("int64", (std::int64_t{1} << 53) + 1);
  record->SetAttribute("uint32", std::uint32_t{4'000'000'000u});
  record->SetAttribute("uint64.big", std::uint64_t{18'446'744'073'709'551'615ull});
  record->SetAttribute("double", 0.25);
  record->SetAttribute("cstring", "c-string");
  record->SetAttribute("bools", nostd::span<const bool>(bools));
  record->SetAttribute("int64s", nostd::span<const std::int64_t>(int64s));
  record->SetAttribute("uint64s", nostd::span<const std::uint64_t>(uint64s));
  record->SetAttribute("strings", nostd::span<const nostd::string_view>(strings));
  record->SetAttribute("bytes", nostd::span<const std::uint8_t>(bytes));
  record->SetAttribute("int32", 503);  // replaces the value: still one key
  record->SetEventId(42, "payment.declined");
  record->SetTraceId(TraceIdOf(0xa0));
  record->SetSpanId(SpanIdOf(7));
  record->SetTraceFlags(opentelemetry::trace::TraceFlags(1));
  reason.assign("XXXXXXXXXXXX");
  logger->EmitLogRecord(std::move(record));
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 1u);
  simdjson::dom::element e = stored[0];
  EXPECT_EQ(std::string_view(e["type"]), "log");
  EXPECT_EQ(std::string_view(e["service"]), "checkout");
  EXPECT_EQ(std::int64_t(e["timestamp_ms"]), 1'700'000'000'123) << "the time, not the observed time";
  // The SDK's own name for the severity, as its OTLP exporter sends it.
  EXPECT_EQ(std::string_view(e["severity"]), "WARN2");
  EXPECT_EQ(std::int64_t(e["severity_number"]), 14);
  EXPECT_EQ(std::string_view(e["body"]), "card expired");
  EXPECT_EQ(std::string_view(e["trace_id"]), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(std::string_view(e["span_id"]), "0000000000000007");
  // The event id's name is OTLP's event_name; its number has no field in OTLP.
  EXPECT_EQ(std::string_view(e["event_name"]), "payment.declined");

  simdjson::dom::element a = e["attributes"];
  EXPECT_EQ(Fields(a), 12u);
  EXPECT_EQ(bool(a["bool"]), true);
  EXPECT_EQ(std::int64_t(a["int32"]), 503);
  EXPECT_EQ(std::int64_t(a["int64"]), (std::int64_t{1} << 53) + 1);
  EXPECT_EQ(std::int64_t(a["uint32"]), 4'000'000'000);
  EXPECT_EQ(std::string_view(a["uint64.big"]), "18446744073709551615");
  EXPECT_EQ(double(a["double"]), 0.25);
  EXPECT_EQ(std::string_view(a["cstring"]), "c-string");
  EXPECT_EQ(bool(a["bools"].at(1)), false);
  EXPECT_EQ(std::int64_t(a["int64s"].at(0)), -(std::int64_t{1} << 40));
  EXPECT_EQ(std::string_view(a["uint64s"].at(1)), "18446744073709551615");
  EXPECT_EQ(std::string_view(a["strings"].at(1)), "b");
  // Bytes in a log record are OTLP bytes (the SDK's OTLP exporter): base64.
  EXPECT_EQ(std::string_view(a["bytes"]), "AP8Q");

  simdjson::dom::element resource = e["resource"];
  EXPECT_EQ(std::string_view(resource["service.name"]), "checkout");
  EXPECT_EQ(std::string_view(resource["deployment.environment"]), "test");
  EXPECT_EQ(std::string_view(resource["telemetry.sdk.language"]), "cpp");  // the SDK's default resource
  EXPECT_EQ(std::string_view(e["scope"]["name"]), "payments-lib");
  EXPECT_EQ(std::string_view(e["scope"]["version"]), "2.1");
  EXPECT_EQ(std::string_view(e["scope"]["attributes"]["lib.attr"]), "scoped");
  EXPECT_EQ(Fields(e), 12u) << "the documented fields and the two extra ones, nothing else";

  const ExporterStats stats = pipeline->Stats();
  EXPECT_EQ(stats.logs.received, 1u);
  EXPECT_EQ(stats.logs.sent, 1u);
  EXPECT_EQ(stats.traces.received, 0u);
}

TEST(OtelSdkLogsTest, BodiesOfEveryTypeSeveritiesAndTheObservedTime) {
  auto sink = StartTestSink();
  auto provider = SimpleProvider(MakePipeline(ExporterOptionsFor(*sink)));
  auto logger = provider->GetLogger("lib", "lib");

  const std::uint8_t bytes[] = {'h', 'i'};
  const nostd::string_view words[] = {"x", "y"};
  const double doubles[] = {0.5, 3.0};
  struct Case {
    const char* name;
    common::AttributeValue body;
  };
  const Case cases[] = {
      {"int", std::int64_t{-42}},
      {"double", 2.5},
      {"bool", false},
      {"uint64", std::uint64_t{18'446'744'073'709'551'615ull}},
      {"bytes", nostd::span<const std::uint8_t>(bytes)},
      {"strings", nostd::span<const nostd::string_view>(words)},
      {"doubles", nostd::span<const double>(doubles)},
  };
  for (const Case& c : cases) {
    auto record = logger->CreateLogRecord();
    record->SetTimestamp(At(1'700'000'000'000'000'000));
    record->SetSeverity(logs_api::Severity::kInfo);
    record->SetBody(c.body);
    record->SetAttribute("case", c.name);
    logger->EmitLogRecord(std::move(record));
  }
  // No body, no time, no severity, no trace: the SDK's observed time stands
  // in for the time, the severity is unspecified, the ids null.
  const auto before = std::chrono::system_clock::now();
  auto bare = logger->CreateLogRecord();
  bare->SetAttribute("case", "bare");
  logger->EmitLogRecord(std::move(bare));
  const auto after = std::chrono::system_clock::now();
  // Every severity the SDK has, by number.
  for (int n = 0; n <= 24; ++n) {
    auto record = logger->CreateLogRecord();
    record->SetSeverity(static_cast<logs_api::Severity>(n));
    record->SetBody("severity");
    record->SetAttribute("case", "severity-" + std::to_string(n));
    logger->EmitLogRecord(std::move(record));
  }
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), std::size(cases) + 1 + 25);
  auto by_case = [&](const std::string& name) {
    for (const auto& e : stored) {
      if (std::string_view(e["attributes"]["case"]) == name) return e;
    }
    ADD_FAILURE() << "no record " << name;
    return stored[0];
  };
  EXPECT_EQ(std::int64_t(by_case("int")["body"]), -42);
  EXPECT_EQ(double(by_case("double")["body"]), 2.5);
  EXPECT_EQ(bool(by_case("bool")["body"]), false);
  EXPECT_EQ(std::string_view(by_case("uint64")["body"]), "18446744073709551615");
  EXPECT_EQ(std::string_view(by_case("bytes")["body"]), "aGk=");
  EXPECT_EQ(std::string_view(by_case("strings")["body"].at(1)), "y");
  EXPECT_EQ(double(by_case("doubles")["body"].at(1)), 3.0);
  EXPECT_EQ(std::int64_t(by_case("int")["timestamp_ms"]), 1'700'000'000'000);

  simdjson::dom::element e = by_case("bare");
  EXPECT_TRUE(e["body"].is_null());
  EXPECT_TRUE(e["trace_id"].is_null());
  EXPECT_TRUE(e["span_id"].is_null());
  EXPECT_EQ(std::string_view(e["severity"]), "UNSPECIFIED");
  EXPECT_EQ(std::int64_t(e["severity_number"]), 0);
  EXPECT_TRUE(e["event_name"].error() == simdjson::NO_SUCH_FIELD);
  const auto ms = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  EXPECT_GE(std::int64_t(e["timestamp_ms"]), ms(before)) << "the observed time the SDK set";
  EXPECT_LE(std::int64_t(e["timestamp_ms"]), ms(after));

  for (int n = 0; n <= 24; ++n) {
    simdjson::dom::element s = by_case("severity-" + std::to_string(n));
    EXPECT_EQ(std::int64_t(s["severity_number"]), n);
    EXPECT_EQ(std::string_view(s["severity"]), std::string_view(logs_api::SeverityNumToText[n].data(),
                                                                logs_api::SeverityNumToText[n].size()));
  }
}

#if OTELPACK_OTEL_HAS_LOG_RECORD_LIMITS
TEST(OtelSdkLogsTest, TheProvidersLimitsDropAndCutAtACharacter) {
  auto sink = StartTestSink();
  logs_sdk::LogRecordLimits limits;
  limits.attribute_count_limit = 2;
  limits.attribute_value_length_limit = 4;
  std::vector<std::unique_ptr<logs_sdk::LogRecordProcessor>> processors;
  processors.push_back(logs_sdk::SimpleLogRecordProcessorFactory::Create(
      OtelpackLogRecordExporterFactory::Create(MakePipeline(ExporterOptionsFor(*sink)))));
  auto provider = logs_sdk::LoggerProviderFactory::Create(
      std::move(processors), Service("checkout"),
      std::make_unique<opentelemetry::sdk::instrumentationscope::ScopeConfigurator<logs_sdk::LoggerConfig>>(
          opentelemetry::sdk::instrumentationscope::ScopeConfigurator<logs_sdk::LoggerConfig>::Builder(
              logs_sdk::LoggerConfig::Default())
              .Build()),
      limits);
  auto logger = provider->GetLogger("lib", "lib");

  const std::uint8_t bytes[] = {1, 2, 3, 4, 5, 6};
  auto record = logger->CreateLogRecord();
  // "a", "é" and "€" take 1, 2 and 3 bytes: 4 bytes keep "aé".
  record->SetAttribute("first", "a\xC3\xA9\xE2\x82\xAC");
  record->SetAttribute("second", nostd::span<const std::uint8_t>(bytes));
  record->SetAttribute("third", 3);    // over the count: dropped
  record->SetAttribute("first", "ok");  // an existing key: still allowed
  record->SetBody("a body is never cut by the attribute limits");
  logger->EmitLogRecord(std::move(record));
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 1u);
  simdjson::dom::element a = stored[0]["attributes"];
  EXPECT_EQ(Fields(a), 2u);
  EXPECT_EQ(std::string_view(a["first"]), "ok");
  EXPECT_EQ(std::string_view(a["second"]), "AQIDBA==") << "the first 4 bytes";
  EXPECT_EQ(std::string_view(stored[0]["body"]), "a body is never cut by the attribute limits");

  // The cut at a character boundary, on its own.
  OtelpackLogRecordable recordable;
  recordable.SetLogRecordLimits(limits);
  recordable.SetAttribute("s", "a\xC3\xA9\xE2\x82\xAC");
  recordable.SetAttribute("t", 1);
  recordable.SetAttribute("u", 2);
  ASSERT_EQ(recordable.record().attributes.size(), 2u);
  EXPECT_EQ(recordable.record().attributes[0].value.string_value(), "a\xC3\xA9");
  EXPECT_EQ(recordable.record().dropped_attributes_count, 1u);
  // The trace flags and the event id have no field in the log event: the
  // flags stay in the model (OTLP's flags), the number is not kept (OTLP has none).
  recordable.SetTraceFlags(opentelemetry::trace::TraceFlags(1));
  recordable.SetEventId(42, "");
  EXPECT_EQ(recordable.record().flags, 1u);
  EXPECT_TRUE(recordable.record().event_name.empty());
}
#endif

TEST(OtelSdkLogsTest, TheBatchProcessorsRecordsFromManyThreadsArriveExactlyOnce) {
  auto sink = StartTestSink();
  auto pipeline = MakePipeline(ExporterOptionsFor(*sink));
  logs_sdk::BatchLogRecordProcessorOptions batch;
  batch.max_queue_size = 8192;
  batch.max_export_batch_size = 256;
  batch.schedule_delay_millis = std::chrono::milliseconds(20);
  auto provider = logs_sdk::LoggerProviderFactory::Create(
      logs_sdk::BatchLogRecordProcessorFactory::Create(OtelpackLogRecordExporterFactory::Create(pipeline), batch),
      Service("checkout"));
  constexpr int kThreads = 4;
  constexpr int kRecords = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto logger = provider->GetLogger("worker-" + std::to_string(t), "worker");
      for (int i = 0; i < kRecords; ++i) {
        auto record = logger->CreateLogRecord();
        record->SetSeverity(logs_api::Severity::kInfo);
        record->SetBody("work done");
        record->SetAttribute("thread", t);
        record->SetAttribute("i", i);
        logger->EmitLogRecord(std::move(record));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(provider->Shutdown(30s)) << "the last exporter shuts the pipeline down and delivers all";
  EXPECT_EQ(pipeline->attached(), 0);

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), std::size_t{kThreads * kRecords});
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (const auto& e : stored) {
    seen.insert({std::int64_t(e["attributes"]["thread"]), std::int64_t(e["attributes"]["i"])});
  }
  EXPECT_EQ(seen.size(), std::size_t{kThreads * kRecords});
  EXPECT_EQ(pipeline->Stats().logs.sent, std::uint64_t{kThreads * kRecords});
  EXPECT_EQ(pipeline->Stats().logs.dropped(), 0u);
}

TEST(OtelSdkLogsTest, ForceFlushDeliversAndExportAfterShutdownFails) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.flush_interval = 60s;  // only ForceFlush closes the batch
  auto exporter = OtelpackLogRecordExporter::Create(MakePipeline(o));
  OtelpackLogRecordExporter* raw = exporter.get();
  auto provider = logs_sdk::LoggerProviderFactory::Create(
      logs_sdk::SimpleLogRecordProcessorFactory::Create(std::move(exporter)), Service("checkout"));
  auto logger = provider->GetLogger("lib", "lib");
  for (int i = 0; i < 10; ++i) logger->EmitLogRecord(logs_api::Severity::kInfo, "before");
  EXPECT_EQ(*sink->CountEvents(), 0u);
  ASSERT_TRUE(provider->ForceFlush());
  EXPECT_EQ(*sink->CountEvents(), 10u) << "ForceFlush returns after delivery, not after handing over";

  EXPECT_TRUE(raw->Shutdown());
  std::vector<std::unique_ptr<logs_sdk::Recordable>> batch;
  batch.push_back(raw->MakeRecordable());
  batch.back()->SetBody("after");
  EXPECT_EQ(raw->Export({batch.data(), batch.size()}), ExportResult::kFailure);
  EXPECT_TRUE(raw->Shutdown()) << "idempotent";
  EXPECT_EQ(raw->Stats().logs.received, 10u);
  EXPECT_EQ(*sink->CountEvents(), 10u);
}

}  // namespace
}  // namespace otelpack::otel
