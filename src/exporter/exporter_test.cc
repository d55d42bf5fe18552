// The exporter against the real reference backend over loopback.
#include "otelpack/exporter.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "loadgen/loadgen.h"
#include "common/testing/log_capture.h"
#include "otelpack/log.h"
#include "sink/sink.h"

namespace otelpack {
namespace {

using testing::ExporterOptionsFor;
using testing::kTestApiKey;
using testing::StartTestSink;

// One attempt per batch: the failure is what ForceFlush reports.
ExporterOptions NoRetry(ExporterOptions o) {
  o.retry.enabled = false;
  return o;
}

std::unique_ptr<Exporter> MakeExporter(const ExporterOptions& o) {
  auto e = Exporter::Create(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

using testing::LogCapture;

TEST(ExporterTest, EverySpanArrivesWithEachCompression) {
  auto sink = StartTestSink();
  std::uint64_t expected = 0;
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    ExporterOptions o = ExporterOptionsFor(*sink);
    o.compression = c;
    auto exporter = MakeExporter(o);
    loadgen::SpanGenerator gen({.seed = 7, .all_value_types = true});
    for (int i = 0; i < 3; ++i) {
      Status s = exporter->Export(gen.Next(400));
      ASSERT_TRUE(s.ok()) << CompressionName(c) << ": " << s.ToString();
    }
    ASSERT_TRUE(exporter->ForceFlush().ok());
    expected += 1200;
    ExporterStats st = exporter->Stats();
    EXPECT_EQ(st.spans_sent, 1200u);
    EXPECT_EQ(st.requests_ok, 3u);  // 500 + 500 by count, 200 at ForceFlush
    if (c != Compression::kNone) {
      EXPECT_LT(st.bytes_compressed * 2, st.bytes_uncompressed) << CompressionName(c);
    }
    EXPECT_EQ(*sink->CountEvents(), expected) << CompressionName(c);
  }
}

TEST(ExporterTest, TheStoredEventIsTheArticlesMappingFieldByField) {
  auto sink = StartTestSink();
  auto exporter = MakeExporter(ExporterOptionsFor(*sink));

  AnyValue list[] = {AnyValue::String("a"), AnyValue::Int(2)};
  KeyValue attrs[] = {{"http.method", AnyValue::String("GET")},
                      {"http.status_code", AnyValue::Int(503)},
                      {"retry", AnyValue::Bool(true)},
                      {"ratio", AnyValue::Double(0.25)},
                      {"tags", AnyValue::Array(list)}};
  KeyValue ev_attrs[] = {{"exception.type", AnyValue::String("IOError")}};
  SpanEvent events[] = {{"exception", 1'700'000'000'123'999'999ull, ev_attrs}};
  Span span;
  for (int i = 0; i < 16; ++i) span.trace_id.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
  for (int i = 0; i < 8; ++i) span.span_id.bytes[i] = static_cast<std::uint8_t>(0x10 + i);
  span.parent_span_id.bytes[7] = 0x01;
  span.name = "GET /checkout";
  span.start_time_unix_nano = 1'700'000'000'123'456'789ull;
  span.end_time_unix_nano = span.start_time_unix_nano + 12'345'678;  // 12.345678 ms -> 12.346
  span.attributes = attrs;
  span.events = events;
  span.status_code = SpanStatusCode::kError;
  span.status_message = "upstream unavailable";
  KeyValue service[] = {{"service.name", AnyValue::String("checkout")}};
  ScopeSpans ss{{"lib", "1.0"}, {&span, 1}};
  ResourceSpans rs{{service}, {&ss, 1}};
  ASSERT_TRUE(exporter->Export({&rs, 1}).ok());
  ASSERT_TRUE(exporter->ForceFlush().ok());

  auto stored = sink->AllEvents();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element e = parser.parse(simdjson::padded_string((*stored)[0]));
  EXPECT_EQ(std::string_view(e["type"]), "span");
  EXPECT_EQ(std::string_view(e["trace_id"]), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(std::string_view(e["span_id"]), "1011121314151617");
  EXPECT_EQ(std::string_view(e["parent_span_id"]), "0000000000000001");
  EXPECT_EQ(std::string_view(e["service"]), "checkout");
  EXPECT_EQ(std::string_view(e["operation"]), "GET /checkout");
  EXPECT_EQ(int64_t(e["start_time_ms"]), 1'700'000'000'123);
  EXPECT_DOUBLE_EQ(double(e["duration_ms"]), 12.346);
  EXPECT_EQ(std::string_view(e["status"]), "error");
  EXPECT_EQ(std::string_view(e["status_message"]), "upstream unavailable");
  EXPECT_EQ(std::string_view(e["attributes"]["http.method"]), "GET");
  EXPECT_EQ(int64_t(e["attributes"]["http.status_code"]), 503);
  EXPECT_EQ(bool(e["attributes"]["retry"]), true);
  EXPECT_EQ(double(e["attributes"]["ratio"]), 0.25);
  EXPECT_EQ(std::string_view(e["attributes"]["tags"].at(0)), "a");
  EXPECT_EQ(int64_t(e["attributes"]["tags"].at(1)), 2);
  EXPECT_EQ(std::string_view(e["events"].at(0)["name"]), "exception");
  EXPECT_EQ(int64_t(e["events"].at(0)["timestamp_ms"]), 1'700'000'000'123);
  EXPECT_EQ(std::string_view(e["events"].at(0)["attributes"]["exception.type"]), "IOError");
  std::size_t fields = 0;
  for (auto field : e.get_object()) {
    (void)field;
    ++fields;
  }
  EXPECT_EQ(fields, 12u) << "exactly the article's fields by default";
}

TEST(ExporterTest, SplitsRequestsAtTheEventLimit) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.max_batch_events = 100;
  auto exporter = MakeExporter(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(1050)).ok());
  ASSERT_TRUE(exporter->ForceFlush().ok());
  EXPECT_EQ(exporter->Stats().requests_ok, 11u);
  EXPECT_EQ(sink->Stats().batches, 11u);
  EXPECT_EQ(*sink->CountEvents(), 1050u);
}

TEST(ExporterTest, SplitsRequestsAtTheByteLimit) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.max_batch_bytes = 64 * 1024;
  auto exporter = MakeExporter(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(1000)).ok());
  ASSERT_TRUE(exporter->ForceFlush().ok());
  ExporterStats st = exporter->Stats();
  EXPECT_GE(st.requests_ok, st.bytes_uncompressed / (64 * 1024));
  EXPECT_LE(st.bytes_uncompressed, st.requests_ok * 64 * 1024);
  EXPECT_EQ(*sink->CountEvents(), 1000u);
}

TEST(ExporterTest, AnOversizedEventIsDroppedCountedAndTheRestDelivered) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.max_batch_bytes = 4096;
  auto exporter = MakeExporter(o);
  std::string huge(10'000, 'x');
  Span spans[3];
  spans[0].name = "small-1";
  spans[1].name = huge;
  spans[2].name = "small-2";
  for (Span& s : spans) s.span_id.bytes[0] = 1;
  ScopeSpans ss{{}, spans};
  ResourceSpans rs{{}, {&ss, 1}};
  LogCapture logs;
  Status s = exporter->Export({&rs, 1});
  EXPECT_EQ(s.code(), StatusCode::kTooLarge);
  ASSERT_TRUE(exporter->ForceFlush().ok());
  EXPECT_EQ(exporter->Stats().spans_dropped_oversized, 1u);
  EXPECT_EQ(*sink->CountEvents(), 2u);
  EXPECT_NE(logs.text().find("bytes"), std::string::npos) << "the drop is logged with its size";
}

TEST(ExporterTest, ASlowBackendIsARetryableTimeout) {
  auto sink = StartTestSink();
  sink->SetFaults({.latency = std::chrono::milliseconds(1500)});
  ExporterOptions o = NoRetry(ExporterOptionsFor(*sink));
  o.timeout = std::chrono::milliseconds(300);
  auto exporter = MakeExporter(o);
  loadgen::SpanGenerator gen;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(exporter->Export(gen.Next(10)).ok());
  Status s = exporter->ForceFlush();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1200));
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_TRUE(s.retryable());
  EXPECT_EQ(exporter->Stats().requests_failed_retryable, 1u);
}

TEST(ExporterTest, ServerErrorsAreClassified) {
  auto sink = StartTestSink();
  loadgen::SpanGenerator gen;
  {
    sink->SetFaults({.fail_ratio = 1.0, .fail_status = 503});
    auto exporter = MakeExporter(NoRetry(ExporterOptionsFor(*sink)));
    ASSERT_TRUE(exporter->Export(gen.Next(5)).ok());
    Status s = exporter->ForceFlush();
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
    EXPECT_TRUE(s.retryable());
  }
  {
    sink->SetFaults({.throttle_ratio = 1.0, .retry_after_seconds = 2});
    auto exporter = MakeExporter(NoRetry(ExporterOptionsFor(*sink)));
    ASSERT_TRUE(exporter->Export(gen.Next(5)).ok());
    Status s = exporter->ForceFlush();
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
    EXPECT_TRUE(s.retryable());
  }
  sink->SetFaults({});
  EXPECT_EQ(*sink->CountEvents(), 0u);
}

TEST(ExporterTest, AWrongKeyIsPermanentAndNeverLogged) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  const std::string wrong = "wrong-key-91f2e7aa";
  o.auth.api_key = wrong;
  LogCapture logs;
  SetLogLevel(LogLevel::kDebug);
  auto exporter = MakeExporter(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(5)).ok());
  Status s = exporter->ForceFlush();
  SetLogLevel(LogLevel::kInfo);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << s.ToString();
  EXPECT_FALSE(s.retryable());
  EXPECT_EQ(s.ToString().find(wrong), std::string::npos);
  EXPECT_EQ(logs.text().find(wrong), std::string::npos);
  EXPECT_EQ(exporter->Stats().last_error.find(wrong), std::string::npos);
  EXPECT_NE(logs.text().find("401"), std::string::npos) << logs.text();
  EXPECT_NE(logs.text().find("ratio"), std::string::npos) << "debug logs each batch's compression ratio";
}

TEST(ExporterTest, AWrongProjectIsPermissionDenied) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.project_id = "someone-else";
  auto exporter = MakeExporter(o);
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(5)).ok());
  Status s = exporter->ForceFlush();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
}

TEST(ExporterTest, EveryAuthSchemeIsAcceptedByASinkConfiguredForIt) {
  std::vector<AuthOptions> schemes = {
      {.scheme = AuthScheme::kBearer, .api_key = "tok-123"},
      {.scheme = AuthScheme::kBasic, .username = "ingest", .password = "pw:with:colons"},
      {.scheme = AuthScheme::kHmacSha256, .key_id = "k1", .secret = "s3cr3t"},
  };
  for (const AuthOptions& auth : schemes) {
    sink::SinkOptions so;
    so.auth = auth;
    auto sink = StartTestSink(so);
    ExporterOptions o = ExporterOptionsFor(*sink);
    o.auth = auth;
    o.headers.push_back({"X-Team", "observability"});
    auto exporter = MakeExporter(o);
    loadgen::SpanGenerator gen;
    ASSERT_TRUE(exporter->Export(gen.Next(50)).ok());
    Status s = exporter->ForceFlush();
    EXPECT_TRUE(s.ok()) << AuthSchemeName(auth.scheme) << ": " << s.ToString();
    EXPECT_EQ(*sink->CountEvents(), 50u);
    // And the same sink refuses the default scheme.
    auto wrong = MakeExporter(ExporterOptionsFor(*sink));
    ASSERT_TRUE(wrong->Export(gen.Next(1)).ok());
    EXPECT_EQ(wrong->ForceFlush().code(), StatusCode::kUnauthenticated) << AuthSchemeName(auth.scheme);
  }
}

TEST(ExporterTest, ShutdownIsIdempotentAndExportAfterItFailsAtOnce) {
  auto sink = StartTestSink();
  auto exporter = MakeExporter(ExporterOptionsFor(*sink));
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(3)).ok());
  EXPECT_TRUE(exporter->ForceFlush().ok());
  ASSERT_TRUE(exporter->Export(gen.Next(4)).ok());  // pending: Shutdown delivers it
  EXPECT_TRUE(exporter->Shutdown().ok());
  EXPECT_TRUE(exporter->Shutdown().ok());
  Status s = exporter->Export(gen.Next(3));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*sink->CountEvents(), 7u);
}

// The names of this process's threads, from /proc.
std::multiset<std::string> ThreadNames() {
  std::multiset<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.insert(name);
  }
  return names;
}

TEST(ExporterTest, ItsThreadsSayWhatTheyDo) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  o.concurrency = 3;
  auto exporter = MakeExporter(o);
  const std::multiset<std::string> names = ThreadNames();
  EXPECT_EQ(names.count("otelpack-batch"), 1u);
  for (const char* sender : {"otelpack-send0", "otelpack-send1", "otelpack-send2"}) {
    EXPECT_EQ(names.count(sender), 1u) << sender;
  }
  ASSERT_TRUE(exporter->Shutdown().ok());
  EXPECT_EQ(ThreadNames().count("otelpack-batch"), 0u);
}

TEST(ExporterTest, ConcurrentExportsAllArrive) {
  auto sink = StartTestSink();
  auto exporter = MakeExporter(ExporterOptionsFor(*sink));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      loadgen::SpanGenerator gen({.seed = static_cast<std::uint64_t>(100 + t)});
      for (int i = 0; i < 10; ++i) EXPECT_TRUE(exporter->Export(gen.Next(50)).ok());
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(exporter->ForceFlush().ok());
  EXPECT_EQ(*sink->CountEvents(), 2000u);
  EXPECT_EQ(exporter->Stats().spans_sent, 2000u);
}

TEST(ExporterTest, ARefusedConnectionIsRetryable) {
  auto sink = StartTestSink();
  ExporterOptions o = ExporterOptionsFor(*sink);
  sink->Stop();
  auto exporter = MakeExporter(NoRetry(o));
  loadgen::SpanGenerator gen;
  ASSERT_TRUE(exporter->Export(gen.Next(3)).ok());
  Status s = exporter->ForceFlush();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
}

TEST(ExporterOptionsTest, ReadsTheEnvironmentAndValidates) {
  setenv("OTELPACK_ENDPOINT", "http://127.0.0.1:9", 1);
  setenv("OTELPACK_API_KEY", "k", 1);
  setenv("OTELPACK_PROJECT_ID", "p", 1);
  setenv("OTELPACK_COMPRESSION", "gzip", 1);
  setenv("OTELPACK_COMPRESSION_LEVEL", "9", 1);
  auto o = ExporterOptions::FromEnvironment();
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:9");
  EXPECT_EQ(o->auth.api_key, "k");
  EXPECT_EQ(o->project_id, "p");
  EXPECT_EQ(o->compression, Compression::kGzip);
  EXPECT_EQ(o->compression_level, 9);
  EXPECT_TRUE(o->Validate().ok());

  setenv("OTELPACK_COMPRESSION_LEVEL", "12", 1);
  auto bad_level = ExporterOptions::FromEnvironment();
  ASSERT_TRUE(bad_level.ok());
  EXPECT_EQ(bad_level->Validate().code(), StatusCode::kInvalidArgument);
  setenv("OTELPACK_COMPRESSION", "brotli", 1);
  auto bad = ExporterOptions::FromEnvironment();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("OTELPACK_COMPRESSION"), std::string_view::npos);
  for (const char* v : {"OTELPACK_ENDPOINT", "OTELPACK_API_KEY", "OTELPACK_PROJECT_ID", "OTELPACK_COMPRESSION",
                        "OTELPACK_COMPRESSION_LEVEL"})
    unsetenv(v);

  ExporterOptions empty;
  EXPECT_NE(empty.Validate().message().find("endpoint"), std::string_view::npos);
  auto created = Exporter::Create(empty);
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace otelpack
