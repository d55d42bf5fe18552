// The OpenTelemetry C++ SDK with otelpack's exporter, against the real sink:
// spans made through the SDK's tracer arrive as the article's events.
#include "otelpack/otel/span_exporter.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "opentelemetry/sdk/instrumentationscope/instrumentation_scope.h"
#include "opentelemetry/sdk/instrumentationscope/scope_configurator.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/sdk/trace/batch_span_processor_factory.h"
#include "opentelemetry/sdk/trace/batch_span_processor_options.h"
#include "opentelemetry/sdk/trace/random_id_generator_factory.h"
#include "opentelemetry/sdk/trace/samplers/always_on_factory.h"
#include "opentelemetry/sdk/trace/simple_processor_factory.h"
#include "opentelemetry/sdk/trace/span_limits.h"
#include "opentelemetry/sdk/trace/tracer_config.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/span_context.h"
#include "opentelemetry/trace/span_startoptions.h"
#include "opentelemetry/trace/trace_state.h"
#include "otel/testing/sdk_test_util.h"
#include "otelpack/format.h"
#include "sink/sink.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
namespace common = opentelemetry::common;
namespace trace_api = opentelemetry::trace;
namespace trace_sdk = opentelemetry::sdk::trace;
using opentelemetry::sdk::common::ExportResult;
using opentelemetry::sdk::instrumentationscope::InstrumentationScope;
using opentelemetry::sdk::resource::Resource;
using Attrs = std::vector<std::pair<nostd::string_view, common::AttributeValue>>;
using namespace std::chrono_literals;

using namespace otelpack::otel::testing;  // the SDK tests' helpers
using otelpack::testing::ExporterOptionsFor;
using otelpack::testing::kTestApiKey;
using otelpack::testing::StartTestSink;

std::unique_ptr<OtelpackSpanExporter> MakeExporter(const ExporterOptions& o) {
  auto e = OtelpackSpanExporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

// The article's set-up, synchronous: each End() hands the span to Export.
std::unique_ptr<trace_sdk::TracerProvider> SimpleProvider(std::unique_ptr<OtelpackSpanExporter> exporter,
                                                          const Resource& resource = Service("checkout")) {
  return trace_sdk::TracerProviderFactory::Create(trace_sdk::SimpleSpanProcessorFactory::Create(std::move(exporter)),
                                                  resource);
}

TEST(OtelSdkExporterTest, ARichSpanArrivesWithTheArticlesMappingFieldByField) {
  auto sink = StartTestSink();
  OtelpackSpanExporter* exporter = nullptr;
  auto provider = SimpleProvider([&] {
    auto e = MakeExporter(ExporterOptionsFor(*sink));
    exporter = e.get();
    return e;
  }());
  auto tracer = provider->GetTracer("lib", "1.0");

  // A remote parent with a known trace id.
  trace_api::StartSpanOptions options;
  options.parent = trace_api::SpanContext(TraceIdOf(0xa0), SpanIdOf(1), trace_api::TraceFlags(1), true);
  options.kind = trace_api::SpanKind::kServer;
  options.start_system_time = common::SystemTimestamp(std::chrono::nanoseconds(1'700'000'000'123'456'789));
  const auto steady = std::chrono::steady_clock::now();
  options.start_steady_time = common::SteadyTimestamp(steady);

  const bool bools[] = {true, false};
  const std::int32_t int32s[] = {-1, 2};
  const std::int64_t int64s[] = {-(std::int64_t{1} << 40), std::int64_t{1} << 40};
  const std::uint32_t uint32s[] = {4'000'000'000u};
  const double doubles[] = {0.5, -2.25};
  const nostd::string_view strings[] = {"a", "b"};
  const std::uint64_t uint64s[] = {7, 18'446'744'073'709'551'615ull};
  const std::uint8_t bytes[] = {0, 255};
  std::string method = "GET";  // overwritten after StartSpan: the recordable must hold a copy
  Attrs attributes = {
      {"bool", true},
      {"int32", std::int32_t{-7}},
      {"int64", (std::int64_t{1} << 53) + 1},
      {"uint32", std::uint32_t{4'000'000'000u}},
      {"double", 0.25},
      {"cstring", "c-string"},
      {"string", nostd::string_view(method)},
      {"bools", nostd::span<const bool>(bools)},
      {"int32s", nostd::span<const std::int32_t>(int32s)},
      {"int64s", nostd::span<const std::int64_t>(int64s)},
      {"uint32s", nostd::span<const std::uint32_t>(uint32s)},
      {"doubles", nostd::span<const double>(doubles)},
      {"strings", nostd::span<const nostd::string_view>(strings)},
      {"uint64.small", std::uint64_t{42}},
      {"uint64.big", std::uint64_t{18'446'744'073'709'551'615ull}},
      {"uint64s", nostd::span<const std::uint64_t>(uint64s)},
      {"bytes", nostd::span<const std::uint8_t>(bytes)},
  };
  auto span = tracer->StartSpan("GET /checkout", attributes, options);
  method.assign("XXX");
  span->SetAttribute("int32", 503);  // replaces the value: still one key
  span->AddEvent("exception", common::SystemTimestamp(std::chrono::nanoseconds(1'700'000'000'123'999'999)),
                 Attrs{{"exception.type", "IOError"}, {"exception.escaped", false}});
  span->SetStatus(trace_api::StatusCode::kError, "upstream unavailable");
  trace_api::EndSpanOptions end;
  end.end_steady_time = common::SteadyTimestamp(steady + std::chrono::nanoseconds(12'345'678));
  span->End(end);
  const std::string span_id = Hex(span->GetContext().span_id().Id());

  ASSERT_TRUE(provider->ForceFlush());
  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 1u);
  simdjson::dom::element e = stored[0];
  EXPECT_EQ(std::string_view(e["type"]), "span");
  EXPECT_EQ(std::string_view(e["trace_id"]), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(std::string_view(e["span_id"]), span_id);
  EXPECT_EQ(std::string_view(e["parent_span_id"]), "0000000000000001");
  EXPECT_EQ(std::string_view(e["service"]), "checkout");
  EXPECT_EQ(std::string_view(e["operation"]), "GET /checkout");
  EXPECT_EQ(std::int64_t(e["start_time_ms"]), 1'700'000'000'123);
  EXPECT_DOUBLE_EQ(double(e["duration_ms"]), 12.346);
  EXPECT_EQ(std::string_view(e["status"]), "error");
  EXPECT_EQ(std::string_view(e["status_message"]), "upstream unavailable");

  simdjson::dom::element a = e["attributes"];
  EXPECT_EQ(Fields(a), attributes.size());
  EXPECT_EQ(bool(a["bool"]), true);
  EXPECT_EQ(std::int64_t(a["int32"]), 503);
  EXPECT_EQ(std::int64_t(a["int64"]), (std::int64_t{1} << 53) + 1);  // exact beyond 2^53
  EXPECT_EQ(std::int64_t(a["uint32"]), 4'000'000'000);
  EXPECT_EQ(double(a["double"]), 0.25);
  EXPECT_EQ(std::string_view(a["cstring"]), "c-string");
  EXPECT_EQ(std::string_view(a["string"]), "GET");
  EXPECT_EQ(bool(a["bools"].at(0)), true);
  EXPECT_EQ(bool(a["bools"].at(1)), false);
  EXPECT_EQ(std::int64_t(a["int32s"].at(0)), -1);
  EXPECT_EQ(std::int64_t(a["int32s"].at(1)), 2);
  EXPECT_EQ(std::int64_t(a["int64s"].at(0)), -(std::int64_t{1} << 40));
  EXPECT_EQ(std::int64_t(a["uint32s"].at(0)), 4'000'000'000);
  EXPECT_EQ(double(a["doubles"].at(1)), -2.25);
  EXPECT_EQ(std::string_view(a["strings"].at(1)), "b");
  EXPECT_EQ(std::int64_t(a["uint64.small"]), 42);
  // Above INT64_MAX: the decimal string, as the SDK's OTLP exporter writes it.
  EXPECT_EQ(std::string_view(a["uint64.big"]), "18446744073709551615");
  EXPECT_EQ(std::int64_t(a["uint64s"].at(0)), 7);
  EXPECT_EQ(std::string_view(a["uint64s"].at(1)), "18446744073709551615");
  // Bytes: an array of ints, as the SDK's OTLP exporter writes span attributes.
  EXPECT_EQ(std::int64_t(a["bytes"].at(0)), 0);
  EXPECT_EQ(std::int64_t(a["bytes"].at(1)), 255);

  simdjson::dom::element ev = e["events"].at(0);
  EXPECT_EQ(simdjson::dom::array(e["events"]).size(), 1u);
  EXPECT_EQ(std::string_view(ev["name"]), "exception");
  EXPECT_EQ(std::int64_t(ev["timestamp_ms"]), 1'700'000'000'123);
  EXPECT_EQ(std::string_view(ev["attributes"]["exception.type"]), "IOError");
  EXPECT_EQ(bool(ev["attributes"]["exception.escaped"]), false);
  // The article's schema and nothing else: no kind, links, resource, scope.
  EXPECT_EQ(Fields(e), 12u);

  ExporterStats stats = exporter->Stats();
  EXPECT_EQ(stats.spans_received, 1u);
  EXPECT_EQ(stats.spans_sent, 1u);
}

TEST(OtelSdkExporterTest, ExtraFieldsCarryKindTraceStateLinksResourceScopeAndDroppedCounts) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.extra_fields = {.kind = true, .trace_state = true, .links = true, .resource = true, .scope = true,
                    .dropped_counts = true};
  auto provider = SimpleProvider(
      MakeExporter(o), Resource::Create({{"service.name", "checkout"}, {"host.cores", 8}, {"deployment.environment", "test"}}));
  auto tracer = provider->GetTracer("lib", "1.0");

  trace_api::StartSpanOptions options;
  options.kind = trace_api::SpanKind::kConsumer;
  options.parent = trace_api::SpanContext(TraceIdOf(0x10), SpanIdOf(2), trace_api::TraceFlags(1), true,
                                          trace_api::TraceState::FromHeader("congo=t61rcWkgMzE"));
  const trace_api::SpanContext linked(TraceIdOf(0x40), SpanIdOf(9), trace_api::TraceFlags(1), true,
                                      trace_api::TraceState::FromHeader("rojo=00f067aa0ba902b7"));
  std::vector<std::pair<trace_api::SpanContext, Attrs>> links = {{linked, {{"link.reason", "batch"}, {"link.n", 3}}}};
  auto span = tracer->StartSpan("consume orders", Attrs{{"queue", "orders"}}, links, options);
  span->End();
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 1u);
  simdjson::dom::element e = stored[0];
  EXPECT_EQ(std::string_view(e["kind"]), "consumer");
  EXPECT_EQ(std::string_view(e["trace_state"]), "congo=t61rcWkgMzE");
  simdjson::dom::element link = e["links"].at(0);
  EXPECT_EQ(simdjson::dom::array(e["links"]).size(), 1u);
  EXPECT_EQ(std::string_view(link["trace_id"]), "404142434445464748494a4b4c4d4e4f");
  EXPECT_EQ(std::string_view(link["span_id"]), "0000000000000009");
  EXPECT_EQ(std::string_view(link["trace_state"]), "rojo=00f067aa0ba902b7");
  EXPECT_EQ(std::string_view(link["attributes"]["link.reason"]), "batch");
  EXPECT_EQ(std::int64_t(link["attributes"]["link.n"]), 3);
  simdjson::dom::element resource = e["resource"];
  EXPECT_EQ(std::string_view(resource["service.name"]), "checkout");
  EXPECT_EQ(std::int64_t(resource["host.cores"]), 8);
  EXPECT_EQ(std::string_view(resource["deployment.environment"]), "test");
  EXPECT_EQ(std::string_view(resource["telemetry.sdk.language"]), "cpp");  // the SDK's default resource
  EXPECT_EQ(std::string_view(e["scope"]["name"]), "lib");
  EXPECT_EQ(std::string_view(e["scope"]["version"]), "1.0");
  EXPECT_EQ(std::int64_t(e["dropped"]["attributes"]), 0);
  EXPECT_EQ(std::int64_t(e["dropped"]["events"]), 0);
  EXPECT_EQ(std::int64_t(e["dropped"]["links"]), 0);
  EXPECT_EQ(std::string_view(e["attributes"]["queue"]), "orders");
}

TEST(OtelSdkExporterTest, EveryKindAndStatusMaps) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.extra_fields.kind = true;
  auto provider = SimpleProvider(MakeExporter(o));
  auto tracer = provider->GetTracer("lib");

  struct Case {
    const char* name;
    trace_api::SpanKind kind;
    trace_api::StatusCode code;
    const char* description;
    const char* want_kind;
    const char* want_status;
    const char* want_message;
  };
  const Case cases[] = {
      {"internal", trace_api::SpanKind::kInternal, trace_api::StatusCode::kUnset, "", "internal", "ok", ""},
      // The specification: a description is only for an error.
      {"server", trace_api::SpanKind::kServer, trace_api::StatusCode::kOk, "ignored", "server", "ok", ""},
      {"client", trace_api::SpanKind::kClient, trace_api::StatusCode::kError, "timeout", "client", "error", "timeout"},
      {"producer", trace_api::SpanKind::kProducer, trace_api::StatusCode::kError, "", "producer", "error", ""},
      {"consumer", trace_api::SpanKind::kConsumer, trace_api::StatusCode::kOk, "", "consumer", "ok", ""},
  };
  for (const Case& c : cases) {
    trace_api::StartSpanOptions options;
    options.kind = c.kind;
    auto span = tracer->StartSpan(c.name, options);
    span->SetStatus(c.code, c.description);
    span->End();
  }
  // The default kind of the API is internal.
  tracer->StartSpan("default")->End();
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 6u);
  for (const Case& c : cases) {
    simdjson::dom::element e = stored.ByOperation(c.name);
    EXPECT_EQ(std::string_view(e["kind"]), c.want_kind) << c.name;
    EXPECT_EQ(std::string_view(e["status"]), c.want_status) << c.name;
    EXPECT_EQ(std::string_view(e["status_message"]), c.want_message) << c.name;
    EXPECT_TRUE(e["parent_span_id"].is_null()) << c.name;  // a root span
  }
  EXPECT_EQ(std::string_view(stored.ByOperation("default")["kind"]), "internal");
}

TEST(OtelSdkExporterTest, ChildSpansKeepTheirParentAndTrace) {
  auto sink = StartTestSink();
  auto provider = SimpleProvider(MakeExporter(ExporterOptionsFor(*sink)));
  auto tracer = provider->GetTracer("lib");
  auto root = tracer->StartSpan("root");
  trace_api::StartSpanOptions options;
  options.parent = root->GetContext();
  auto child = tracer->StartSpan("child", options);
  child->End();
  root->End();
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 2u);
  const std::string trace_id = Hex(root->GetContext().trace_id().Id());
  EXPECT_EQ(std::string_view(stored.ByOperation("child")["trace_id"]), trace_id);
  EXPECT_EQ(std::string_view(stored.ByOperation("root")["trace_id"]), trace_id);
  EXPECT_EQ(std::string_view(stored.ByOperation("child")["parent_span_id"]), Hex(root->GetContext().span_id().Id()));
}

TEST(OtelSdkExporterTest, SpanLimitsDropCountAndCutAtACharacter) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.extra_fields.links = true;
  o.extra_fields.dropped_counts = true;
  trace_sdk::SpanLimits limits;
  limits.attribute_count_limit = 2;
  limits.attribute_value_length_limit = 4;
  limits.event_count_limit = 1;
  limits.link_count_limit = 1;
  limits.event_attribute_count_limit = 1;
  limits.link_attribute_count_limit = 1;
  auto provider = trace_sdk::TracerProviderFactory::Create(
      trace_sdk::SimpleSpanProcessorFactory::Create(MakeExporter(o)), Service("checkout"),
      trace_sdk::AlwaysOnSamplerFactory::Create(), trace_sdk::RandomIdGeneratorFactory::Create(),
      std::make_unique<opentelemetry::sdk::instrumentationscope::ScopeConfigurator<trace_sdk::TracerConfig>>(
          opentelemetry::sdk::instrumentationscope::ScopeConfigurator<trace_sdk::TracerConfig>::Builder(
              trace_sdk::TracerConfig::Default())
              .Build()),
      limits);
  auto tracer = provider->GetTracer("lib");

  const trace_api::SpanContext l1(TraceIdOf(1), SpanIdOf(1), trace_api::TraceFlags(1), true);
  const trace_api::SpanContext l2(TraceIdOf(2), SpanIdOf(2), trace_api::TraceFlags(1), true);
  std::vector<std::pair<trace_api::SpanContext, Attrs>> links = {{l1, {{"x", 1}, {"y", 2}}}, {l2, {}}};
  // "a", "é" and "€" take 1, 2 and 3 bytes: 4 bytes keep "aé".
  auto span = tracer->StartSpan("limited", Attrs{{"first", "a\xC3\xA9\xE2\x82\xAC"}, {"second", 2}}, links);
  span->SetAttribute("third", 3);    // over the count: dropped
  span->SetAttribute("second", 22);  // an existing key: still allowed
  span->AddEvent("e1", Attrs{{"k1", 1}, {"k2", 2}});
  span->AddEvent("e2");
  span->End();
  ASSERT_TRUE(provider->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 1u);
  simdjson::dom::element e = stored[0];
  EXPECT_EQ(Fields(e["attributes"]), 2u);
  EXPECT_EQ(std::string_view(e["attributes"]["first"]), "a\xC3\xA9");
  EXPECT_EQ(std::int64_t(e["attributes"]["second"]), 22);
  EXPECT_EQ(simdjson::dom::array(e["events"]).size(), 1u);
  EXPECT_EQ(Fields(e["events"].at(0)["attributes"]), 1u);
  EXPECT_EQ(simdjson::dom::array(e["links"]).size(), 1u);
  EXPECT_EQ(Fields(e["links"].at(0)["attributes"]), 1u);
  EXPECT_EQ(std::int64_t(e["dropped"]["attributes"]), 1);
  EXPECT_EQ(std::int64_t(e["dropped"]["events"]), 1);
  EXPECT_EQ(std::int64_t(e["dropped"]["links"]), 1);
}

TEST(OtelSdkExporterTest, ADeclaredFormatIsWhatTheAdapterSends) {
  // The adapter takes the exporter's options whole, the backend's declared
  // format included: NDJSON to the format's path, its own event.
  auto format = Format::Parse(R"(framing: ndjson
traces:
  path: /ingest/spans?v=2
  event:
    name: $name
    svc: $service
    kind: $kind
    took_us: $duration | us
    http_route: $attributes["http.route"]
    attrs: $attributes | json
)",
                              "adapter.yaml");
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  sink::SinkOptions so;
  so.format = *format;
  auto sink = StartTestSink(so);
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.format = *format;
  auto provider = SimpleProvider(MakeExporter(o));
  auto tracer = provider->GetTracer("lib");
  trace_api::StartSpanOptions options;
  options.kind = trace_api::SpanKind::kServer;
  const auto start = std::chrono::system_clock::now();
  options.start_system_time = common::SystemTimestamp(start);
  auto span = tracer->StartSpan("GET /cart", {{"http.route", "/cart"}, {"n", 3}}, options);
  trace_api::EndSpanOptions end;
  end.end_steady_time = common::SteadyTimestamp(std::chrono::steady_clock::now());
  span->End(end);
  ASSERT_TRUE(provider->ForceFlush());

  Result<std::vector<std::string>> events = sink->AllEvents();
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(simdjson::padded_string((*events)[0]));
  EXPECT_EQ(std::string_view(e["name"]), "GET /cart");
  EXPECT_EQ(std::string_view(e["svc"]), "checkout");
  EXPECT_EQ(std::string_view(e["kind"]), "server");
  EXPECT_TRUE(e["took_us"].is_uint64() || e["took_us"].is_int64()) << (*events)[0];
  EXPECT_EQ(std::string_view(e["http_route"]), "/cart");
  EXPECT_EQ(std::string_view(e["attrs"]), R"({"http.route":"/cart","n":3})");
}

TEST(OtelSdkExporterTest, ProviderShutdownDeliversWhatTheBatchProcessorHolds) {
  auto sink = StartTestSink();
  // Ten requests of 100 ms each, two at a time: delivery takes about 500 ms.
  sink->SetFaults({.latency = 100ms});
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.max_batch_events = 100;
  auto exporter = MakeExporter(o);
  OtelpackSpanExporter* raw = exporter.get();
  trace_sdk::BatchSpanProcessorOptions batch;
  batch.max_queue_size = 4096;
  batch.max_export_batch_size = 4096;  // no export before Shutdown: the queue never gets half full
  batch.schedule_delay_millis = std::chrono::milliseconds(3'600'000);
  auto provider = trace_sdk::TracerProviderFactory::Create(
      trace_sdk::BatchSpanProcessorFactory::Create(std::move(exporter), batch), Service("checkout"));
  auto tracer = provider->GetTracer("lib");
  // The processor's worker exports whatever it finds when it first looks, then
  // sleeps for the schedule delay: let it look at an empty queue first.
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 1000; ++i) tracer->StartSpan("op " + std::to_string(i))->End();

  std::this_thread::sleep_for(400ms);  // twice the core's flush interval
  EXPECT_EQ(*sink->CountEvents(), 0u) << "the processor held the spans until Shutdown";
  // No timeout: the processor hands the exporter 1 µs, which must not drop them.
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(provider->Shutdown());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 400ms) << "Shutdown waited for the deliveries";
  EXPECT_EQ(*sink->CountEvents(), 1000u);
  EXPECT_EQ(raw->Stats().spans_sent, 1000u);
  EXPECT_EQ(raw->Stats().spans_dropped(), 0u);
}

TEST(OtelSdkExporterTest, ForceFlushReturnsOnceDeliveredAndFalseOnTimeoutOrFailure) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.flush_interval = 60s;  // only ForceFlush closes the batch
  o.retry.enabled = false;
  auto exporter = MakeExporter(o);
  OtelpackSpanExporter* raw = exporter.get();
  auto provider = SimpleProvider(std::move(exporter));
  auto tracer = provider->GetTracer("lib");

  for (int i = 0; i < 10; ++i) tracer->StartSpan("first")->End();
  EXPECT_EQ(*sink->CountEvents(), 0u);
  ASSERT_TRUE(provider->ForceFlush());
  EXPECT_EQ(*sink->CountEvents(), 10u) << "ForceFlush returns after delivery, not after handing over";

  // A slow backend: a short timeout says false, a long one true.
  sink->SetFaults({.latency = 1500ms});
  for (int i = 0; i < 5; ++i) tracer->StartSpan("slow")->End();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(raw->ForceFlush(200ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
  EXPECT_TRUE(raw->ForceFlush(10s));
  EXPECT_EQ(*sink->CountEvents(), 15u);

  // A backend that refuses the batch for good: false.
  sink->SetFaults({.fail_ratio = 1.0, .fail_status = 400});
  tracer->StartSpan("refused")->End();
  EXPECT_FALSE(raw->ForceFlush(10s));
  EXPECT_EQ(*sink->CountEvents(), 15u);
  EXPECT_EQ(raw->Stats().spans_dropped_permanent, 1u);
}

// Recordables filled by hand, as a processor would: Export straight.
void Fill(opentelemetry::sdk::trace::Recordable& r, const std::string& name, const Resource& resource,
          const InstrumentationScope& scope, std::uint8_t id) {
  r.SetIdentity(trace_api::SpanContext(TraceIdOf(id), SpanIdOf(id), trace_api::TraceFlags(1), false),
                trace_api::SpanId());
  r.SetName(name);
  r.SetResource(resource);
  r.SetInstrumentationScope(scope);
  r.SetStartTime(common::SystemTimestamp(std::chrono::nanoseconds(1'700'000'000'000'000'000)));
  r.SetDuration(std::chrono::milliseconds(5));
}

TEST(OtelSdkExporterTest, ExportAfterShutdownFails) {
  auto sink = StartTestSink();
  auto exporter = MakeExporter(ExporterOptionsFor(*sink));
  const Resource resource = Service("checkout");
  auto scope = InstrumentationScope::Create("lib");

  std::vector<std::unique_ptr<opentelemetry::sdk::trace::Recordable>> batch;
  batch.push_back(exporter->MakeRecordable());
  Fill(*batch.back(), "before", resource, *scope, 1);
  EXPECT_EQ(exporter->Export({batch.data(), batch.size()}), ExportResult::kSuccess);
  EXPECT_TRUE(exporter->Shutdown());
  EXPECT_EQ(*sink->CountEvents(), 1u) << "Shutdown delivers what is pending";

  batch.clear();
  batch.push_back(exporter->MakeRecordable());
  Fill(*batch.back(), "after", resource, *scope, 2);
  EXPECT_EQ(exporter->Export({batch.data(), batch.size()}), ExportResult::kFailure);
  EXPECT_TRUE(exporter->Shutdown()) << "idempotent";
  EXPECT_EQ(exporter->Stats().spans_received, 1u);
  EXPECT_EQ(*sink->CountEvents(), 1u);
}

TEST(OtelSdkExporterTest, OneExportWithSeveralResourcesAndScopesKeepsEachSpansOwn) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.extra_fields.scope = true;
  auto exporter = MakeExporter(o);
  const Resource a = Service("a");
  const Resource b = Service("b");
  auto s1 = InstrumentationScope::Create("s1", "1");
  auto s2 = InstrumentationScope::Create("s2", "2");
  struct Want {
    const Resource* resource;
    const InstrumentationScope* scope;
    const char* service;
    const char* scope_name;
  };
  const Want wants[] = {{&a, s1.get(), "a", "s1"}, {&b, s2.get(), "b", "s2"}, {&a, s2.get(), "a", "s2"},
                        {&b, s1.get(), "b", "s1"}, {&a, s1.get(), "a", "s1"}, {&b, s2.get(), "b", "s2"}};
  std::vector<std::unique_ptr<opentelemetry::sdk::trace::Recordable>> batch;
  for (std::size_t i = 0; i < std::size(wants); ++i) {
    batch.push_back(exporter->MakeRecordable());
    // A temporary name: the recordable must have copied it by Export.
    Fill(*batch.back(), std::string("span-") + std::to_string(i), *wants[i].resource, *wants[i].scope,
         static_cast<std::uint8_t>(i + 1));
  }
  ASSERT_EQ(exporter->Export({batch.data(), batch.size()}), ExportResult::kSuccess);
  batch.clear();  // the recordables are gone: the core encoded them in Export
  ASSERT_TRUE(exporter->ForceFlush());

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), std::size(wants));
  for (std::size_t i = 0; i < std::size(wants); ++i) {
    simdjson::dom::element e = stored.ByOperation("span-" + std::to_string(i));
    EXPECT_EQ(std::string_view(e["service"]), wants[i].service) << i;
    EXPECT_EQ(std::string_view(e["scope"]["name"]), wants[i].scope_name) << i;
    EXPECT_DOUBLE_EQ(double(e["duration_ms"]), 5.0);
  }
}

TEST(OtelSdkExporterTest, AFullQueueIsFailureFull) {
  auto sink = StartTestSink();
  sink->SetFaults({.latency = 2000ms});
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.max_batch_events = 1;
  o.max_batch_bytes = 4096;
  o.concurrency = 1;
  o.queue.memory_max_bytes = 4096;
  o.queue.when_full = WhenFull::kDropNewest;
  auto exporter = MakeExporter(o);
  const Resource resource = Service("checkout");
  auto scope = InstrumentationScope::Create("lib");

  ExportResult last = ExportResult::kSuccess;
  for (int i = 0; i < 1000 && last == ExportResult::kSuccess; ++i) {
    std::vector<std::unique_ptr<opentelemetry::sdk::trace::Recordable>> batch;
    batch.push_back(exporter->MakeRecordable());
    Fill(*batch.back(), std::string(1000, 'x'), resource, *scope, 1);
    last = exporter->Export({batch.data(), batch.size()});
  }
  EXPECT_EQ(last, ExportResult::kFailureFull);
  EXPECT_GT(exporter->Stats().spans_refused, 0u);
  exporter->Shutdown(100ms);
}

TEST(OtelSdkExporterTest, InvalidOptionsAreAnErrorNamingTheOption) {
  auto exporter = OtelpackSpanExporterFactory::Create(ExporterOptions{});
  ASSERT_FALSE(exporter.ok());
  EXPECT_EQ(exporter.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(exporter.status().message().find("endpoint"), std::string_view::npos) << exporter.status().ToString();
}

TEST(OtelSdkExporterTest, TheFactoryReadsTheEnvironment) {
  auto sink = StartTestSink();
  ::setenv("OTELPACK_ENDPOINT", sink->endpoint().c_str(), 1);
  ::setenv("OTELPACK_PROJECT_ID", "proj", 1);
  ::setenv("OTELPACK_API_KEY", kTestApiKey, 1);
  ::setenv("OTELPACK_COMPRESSION", "gzip", 1);
  auto exporter = OtelpackSpanExporterFactory::Create();
  ::unsetenv("OTELPACK_ENDPOINT");
  ::unsetenv("OTELPACK_PROJECT_ID");
  ::unsetenv("OTELPACK_API_KEY");
  ::unsetenv("OTELPACK_COMPRESSION");
  ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();

  auto provider = trace_sdk::TracerProviderFactory::Create(
      trace_sdk::BatchSpanProcessorFactory::Create(std::move(*exporter), trace_sdk::BatchSpanProcessorOptions{}),
      Service("checkout"));
  provider->GetTracer("lib")->StartSpan("from the environment")->End();
  ASSERT_TRUE(provider->Shutdown());
  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(std::string_view(stored[0]["operation"]), "from the environment");
}

TEST(OtelSdkExporterTest, SpansFromManyThreadsArriveExactlyOnce) {
  auto sink = StartTestSink();
  trace_sdk::BatchSpanProcessorOptions batch;
  batch.max_queue_size = 8192;
  batch.max_export_batch_size = 256;
  batch.schedule_delay_millis = std::chrono::milliseconds(20);
  auto provider = trace_sdk::TracerProviderFactory::Create(
      trace_sdk::BatchSpanProcessorFactory::Create(MakeExporter(ExporterOptionsFor(*sink)), batch), Service("checkout"));
  constexpr int kThreads = 4;
  constexpr int kSpans = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto tracer = provider->GetTracer("worker-" + std::to_string(t));
      for (int i = 0; i < kSpans; ++i) {
        auto span = tracer->StartSpan("work", Attrs{{"thread", t}, {"i", i}});
        span->AddEvent("tick");
        span->End();
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(provider->Shutdown(30s));

  StoredEvents stored(*sink);
  ASSERT_EQ(stored.size(), std::size_t{kThreads * kSpans});
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  std::set<std::string> span_ids;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    simdjson::dom::element e = stored[i];
    seen.insert({std::int64_t(e["attributes"]["thread"]), std::int64_t(e["attributes"]["i"])});
    span_ids.insert(std::string(std::string_view(e["span_id"])));
  }
  EXPECT_EQ(seen.size(), std::size_t{kThreads * kSpans});
  EXPECT_EQ(span_ids.size(), std::size_t{kThreads * kSpans});
}

}  // namespace
}  // namespace otelpack::otel
