// OTLP protobuf decoding, the receivers' hot path: one ExportTraceServiceRequest
// of 512 realistic spans (loadgen defaults, about 700 bytes of backend JSON
// each) decoded by
//   - otlp::DecodeTracesProto, our hand-written decoder, into a reused Arena
//     (strings stay views into the request: no copies);
//   - libprotobuf's generated ExportTraceServiceRequest::ParseFromString, on a
//     google::protobuf::Arena, on the heap, and into a reused message;
//   - otlp::DecodeTracesJson, the same request in the OTLP JSON mapping as
//     libprotobuf prints it (hex ids, enums as numbers, as the SDKs send).
// Items are spans, bytes are request bytes (of that benchmark's encoding).
// Then logs and metrics (BM_*Logs, BM_*Metrics): 512 log records of a web
// service, and 512 data points of an HTTP service's SDK export (histograms
// with the SDK's default buckets and an exemplar, exponential histograms,
// counters, gauges), made here by hand since loadgen makes spans only; items
// are log records or data points.
// Run in Release: --benchmark_repetitions=5 --benchmark_min_time=0.5
// BM_HandWritten moves by some 13% with where malloc happens to place the
// request, the arena and the scratch stacks (the same decoder code, linked
// into two programs, measured 172 and 196 us); to compare two builds of the
// decoder, take that out with
// GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432 (nothing from mmap).
#include <benchmark/benchmark.h>

#include <google/protobuf/arena.h>

#include <array>
#include <deque>
#include <string>
#include <vector>

#include "loadgen/loadgen.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/testing/otlp_json.h"

namespace otelpack {
namespace {

using ExportRequest = ::opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

constexpr std::size_t kSpans = 512;

const std::string& Request() {
  static const std::string* request = [] {
    loadgen::SpanGenerator gen;
    auto* bytes = new std::string;
    otlp::EncodeTracesProto(gen.Next(kSpans), bytes);
    return bytes;
  }();
  return *request;
}

void Count(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * Request().size()));
  state.counters["request_bytes"] = static_cast<double>(Request().size());
}

void BM_HandWritten(benchmark::State& state) {
  const std::string& request = Request();
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Result<otlp::DecodedTraces> decoded = otlp::DecodeTracesProto(request, arena);
    if (!decoded.ok() || decoded->records != kSpans) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  Count(state);
}
BENCHMARK(BM_HandWritten);

void BM_LibprotobufArena(benchmark::State& state) {
  const std::string& request = Request();
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* message = google::protobuf::Arena::CreateMessage<ExportRequest>(&arena);
    if (!message->ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  Count(state);
}
BENCHMARK(BM_LibprotobufArena);

void BM_LibprotobufHeap(benchmark::State& state) {
  const std::string& request = Request();
  for (auto _ : state) {
    ExportRequest message;
    if (!message.ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  Count(state);
}
BENCHMARK(BM_LibprotobufHeap);

// The message kept across requests: its repeated fields' storage is reused.
void BM_LibprotobufReusedMessage(benchmark::State& state) {
  const std::string& request = Request();
  ExportRequest message;
  for (auto _ : state) {
    if (!message.ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  Count(state);
}
BENCHMARK(BM_LibprotobufReusedMessage);

const std::string& JsonRequest() {
  static const std::string* request = [] {
    ExportRequest message;
    if (!message.ParseFromString(Request())) return new std::string;
    return new std::string(testing::OtlpJson(message));
  }();
  return *request;
}

void BM_JsonHandWritten(benchmark::State& state) {
  const std::string& request = JsonRequest();
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Result<otlp::DecodedTraces> decoded = otlp::DecodeTracesJson(request, arena);
    if (!decoded.ok() || decoded->records != kSpans) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSpans));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request.size()));
  state.counters["request_bytes"] = static_cast<double>(request.size());
}
BENCHMARK(BM_JsonHandWritten);

// --- Logs and metrics --------------------------------------------------------

constexpr std::size_t kRecords = 512;

// Storage for the hand-made models until they are encoded.
struct Storage {
  std::deque<std::string> strings;
  std::deque<std::vector<KeyValue>> attributes;

  std::string_view Str(std::string s) { return strings.emplace_back(std::move(s)); }
  Attributes Attrs(std::vector<KeyValue> kvs) { return attributes.emplace_back(std::move(kvs)); }
};

const KeyValue kResourceAttributes[] = {
    {"service.name", AnyValue::String("checkout")},
    {"service.version", AnyValue::String("2.14.1")},
    {"service.instance.id", AnyValue::String("7f3c9a2e-5b1d-4e8f-9c6a-2d4b8e1f0a37")},
    {"host.name", AnyValue::String("ip-10-0-12-34.ec2.internal")},
    {"telemetry.sdk.name", AnyValue::String("opentelemetry")},
    {"telemetry.sdk.language", AnyValue::String("java")},
    {"telemetry.sdk.version", AnyValue::String("1.32.0")}};

template <typename Id>
Id MakeId(std::size_t seed) {
  Id id;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>(seed * 131 + i * 29 + 1);
  return id;
}

std::string LogsRequest() {
  static const char* const kRoutes[] = {"/api/cart", "/api/checkout", "/api/orders/{id}", "/health"};
  static const char* const kMessages[] = {
      "Processed checkout for cart 8f2c41 in 184 ms (3 items, total 129.90 EUR)",
      "Payment authorization declined by provider: insufficient funds (code 51)",
      "Cache miss for product catalogue page 12, loading from the database",
      "Retrying call to inventory-service after timeout (attempt 2 of 3)"};
  Storage storage;
  std::vector<LogRecord> records(kRecords);
  for (std::size_t i = 0; i < kRecords; ++i) {
    LogRecord& r = records[i];
    r.time_unix_nano = 1'700'000'000'000'000'000 + i * 1'000'000;
    r.observed_time_unix_nano = r.time_unix_nano + 250'000;
    r.severity_number = i % 10 == 0 ? 17 : i % 4 == 0 ? 13 : 9;
    r.severity_text = r.severity_number == 17 ? "ERROR" : r.severity_number == 13 ? "WARN" : "INFO";
    r.body = AnyValue::String(kMessages[i % 4]);
    r.attributes = storage.Attrs({{"http.request.method", AnyValue::String("POST")},
                                  {"http.route", AnyValue::String(kRoutes[i % 4])},
                                  {"thread.name", AnyValue::String("http-nio-8080-exec-7")},
                                  {"code.function", AnyValue::String("com.example.checkout.CartService.checkout")},
                                  {"enduser.id", AnyValue::String(storage.Str("user-" + std::to_string(i % 97)))},
                                  {"retry.count", AnyValue::Int(static_cast<std::int64_t>(i % 3))}});
    r.flags = 1;
    r.trace_id = MakeId<TraceId>(i / 4);
    r.span_id = MakeId<SpanId>(i);
  }
  const ScopeLogs scope{.scope = {.name = "com.example.checkout", .version = "2.14.1"}, .log_records = records};
  const ResourceLogs resource{.resource = {.attributes = kResourceAttributes},
                              .scope_logs = {&scope, 1},
                              .schema_url = "https://opentelemetry.io/schemas/1.24.0"};
  std::string out;
  otlp::EncodeLogsProto({&resource, 1}, &out);
  return out;
}

// An HTTP service's export: per route and status, a duration histogram
// (the SDK's default bounds, one exemplar) and a request counter; per
// downstream, an exponential histogram of client durations; gauges of pools.
std::string MetricsRequest() {
  static const char* const kRoutes[] = {"/api/cart", "/api/checkout", "/api/orders/{id}", "/api/products",
                                        "/api/search", "/api/users/{id}", "/health", "/metrics"};
  static const std::int64_t kStatuses[] = {200, 201, 404, 500};
  static const double kBounds[] = {0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000};
  static const std::uint64_t kCounts[] = {0, 3, 9, 27, 51, 40, 22, 12, 6, 2, 1, 1, 0, 0, 0, 0};
  static std::array<std::uint64_t, 40> exponential_counts;
  for (std::size_t i = 0; i < exponential_counts.size(); ++i) exponential_counts[i] = (i * 7919) % 53;
  Storage storage;
  const std::uint64_t start = 1'700'000'000'000'000'000, now = start + 60'000'000'000;
  std::deque<Exemplar> exemplars;
  std::vector<HistogramDataPoint> durations;
  std::vector<NumberDataPoint> requests, pools;
  std::vector<ExponentialHistogramDataPoint> clients;
  for (std::size_t i = 0; i < 256; ++i) {  // 8 routes x 4 statuses x 2 methods x 4 instances
    const Attributes attrs = storage.Attrs({{"http.request.method", AnyValue::String(i % 2 ? "GET" : "POST")},
                                            {"http.route", AnyValue::String(kRoutes[i / 2 % 8])},
                                            {"http.response.status_code", AnyValue::Int(kStatuses[i / 16 % 4])},
                                            {"network.protocol.version", AnyValue::String("1.1")},
                                            {"server.port", AnyValue::Int(static_cast<std::int64_t>(8080 + i / 64))}});
    if (i < 128) {
      Exemplar& e = exemplars.emplace_back();
      e.time_unix_nano = now - i;
      e.value = NumberValue::Double(212.5);
      e.trace_id = MakeId<TraceId>(i);
      e.span_id = MakeId<SpanId>(i);
      durations.push_back({.attributes = attrs, .start_time_unix_nano = start, .time_unix_nano = now, .count = 174,
                           .sum = 18'245.5, .bucket_counts = kCounts, .explicit_bounds = kBounds,
                           .exemplars = {&e, 1}, .min = 1.25, .max = 1'204.0});
    } else {
      requests.push_back({.attributes = attrs, .start_time_unix_nano = start, .time_unix_nano = now,
                          .value = NumberValue::Int(static_cast<std::int64_t>(i * 37))});
    }
  }
  for (std::size_t i = 0; i < 64; ++i) {
    const Attributes attrs = storage.Attrs({{"server.address", AnyValue::String(storage.Str("svc-" + std::to_string(i % 16)))},
                                            {"http.request.method", AnyValue::String("GET")},
                                            {"http.response.status_code", AnyValue::Int(200)}});
    clients.push_back({.attributes = attrs, .start_time_unix_nano = start, .time_unix_nano = now, .count = 820,
                       .sum = 51'230.25, .scale = 3, .zero_count = 0,
                       .positive = {.offset = 18, .bucket_counts = exponential_counts}, .min = 3.5, .max = 980});
  }
  for (std::size_t i = 0; i < 192; ++i) {
    const Attributes attrs = storage.Attrs({{"pool.name", AnyValue::String(storage.Str("pool-" + std::to_string(i % 24)))},
                                            {"state", AnyValue::String(i % 2 ? "used" : "idle")}});
    pools.push_back({.attributes = attrs, .time_unix_nano = now, .value = NumberValue::Double(static_cast<double>(i))});
  }
  const Metric metrics[] = {
      {.name = "http.server.request.duration", .description = "Duration of HTTP server requests.", .unit = "ms",
       .kind = MetricKind::kHistogram, .temporality = AggregationTemporality::kCumulative,
       .histogram_points = durations},
      {.name = "http.server.requests", .unit = "{request}", .kind = MetricKind::kSum,
       .temporality = AggregationTemporality::kCumulative, .monotonic = true, .number_points = requests},
      {.name = "http.client.request.duration", .unit = "ms", .kind = MetricKind::kExponentialHistogram,
       .temporality = AggregationTemporality::kCumulative, .exponential_histogram_points = clients},
      {.name = "db.client.connections.usage", .unit = "{connection}", .kind = MetricKind::kGauge,
       .number_points = pools}};
  const ScopeMetrics scope{.scope = {.name = "io.opentelemetry.http", .version = "1.32.0"}, .metrics = metrics};
  const ResourceMetrics resource{.resource = {.attributes = kResourceAttributes}, .scope_metrics = {&scope, 1}};
  std::string out;
  otlp::EncodeMetricsProto({&resource, 1}, &out);
  return out;
}

const std::string& Logs() {
  static const std::string* request = new std::string(LogsRequest());
  return *request;
}

const std::string& Metrics() {
  static const std::string* request = new std::string(MetricsRequest());
  return *request;
}

void CountRecords(benchmark::State& state, const std::string& request) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRecords));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request.size()));
  state.counters["request_bytes"] = static_cast<double>(request.size());
}

template <typename Decoded>
void HandWritten(benchmark::State& state, const std::string& request,
                 Result<Decoded> (*decode)(std::string_view, Arena&, const otlp::DecodeLimits&)) {
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Result<Decoded> decoded = decode(request, arena, {});
    if (!decoded.ok() || decoded->records != kRecords || decoded->rejected != 0) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  CountRecords(state, request);
}

template <typename Message>
void Libprotobuf(benchmark::State& state, const std::string& request) {
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* message = google::protobuf::Arena::CreateMessage<Message>(&arena);
    if (!message->ParseFromString(request)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(message);
  }
  CountRecords(state, request);
}

void BM_HandWrittenLogs(benchmark::State& state) { HandWritten(state, Logs(), otlp::DecodeLogsProto); }
BENCHMARK(BM_HandWrittenLogs);

void BM_LibprotobufArenaLogs(benchmark::State& state) {
  Libprotobuf<::opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest>(state, Logs());
}
BENCHMARK(BM_LibprotobufArenaLogs);

void BM_HandWrittenMetrics(benchmark::State& state) { HandWritten(state, Metrics(), otlp::DecodeMetricsProto); }
BENCHMARK(BM_HandWrittenMetrics);

void BM_LibprotobufArenaMetrics(benchmark::State& state) {
  Libprotobuf<::opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest>(state, Metrics());
}
BENCHMARK(BM_LibprotobufArenaMetrics);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
