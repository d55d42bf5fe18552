// Compression speed and ratio on a realistic batch body: which gzip
// implementation to ship (zlib vs libdeflate) and what each level costs.
//
// The corpus is one request body of ~500 span events shaped like
// docs/wire-protocol.md, built here until the load generator can supply it.
// Run a Release build: build-rel/bench/codec_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "compress/codecs.h"
#include "otelpack/compression.h"

namespace otelpack {
namespace {

// ---- the corpus -------------------------------------------------------------

class CorpusBuilder {
 public:
  CorpusBuilder() : rng_(20241124) {
    static constexpr const char* kServices[] = {
        "checkout", "cart",     "payment", "auth",      "search",   "catalog",      "inventory",
        "shipping", "pricing",  "reviews", "recommend", "frontend", "gateway",      "email",
        "ads",      "currency", "fraud",   "loyalty",   "profile",  "notifications"};
    services_.assign(std::begin(kServices), std::end(kServices));
    // 10 shapes x 20 resources = 200 operation names.
    static constexpr std::pair<const char*, const char*> kShapes[] = {
        {"GET /api/v1/", ""},    {"POST /api/v1/", ""},   {"SELECT ", ""},   {"UPDATE ", ""},
        {"redis GET ", ":{id}"}, {"redis SET ", ":{id}"}, {"grpc ", ".Get"}, {"grpc ", ".List"},
        {"kafka.produce ", ""},  {"render ", ".html"}};
    static constexpr const char* kThings[] = {
        "orders",  "items",    "users",   "sessions",  "carts",     "payments", "invoices",
        "coupons", "products", "reviews", "stock",     "shipments", "prices",   "accounts",
        "tokens",  "events",   "ratings", "addresses", "wishlists", "quotes"};
    for (const auto& [prefix, suffix] : kShapes) {
      for (const char* thing : kThings) operations_.push_back(StrCat(prefix, thing, suffix));
    }
    for (int i = 0; i < 12; ++i) traces_.push_back(Hex(16) + Hex(16));
    trace_spans_.resize(traces_.size());
  }

  std::string Body(int events) {
    std::string body = R"({"project_id":"prod-main","events":[)";
    for (int i = 0; i < events; ++i) {
      if (i > 0) body += ',';
      AppendEvent(&body, i);
    }
    body += R"(],"sent_at":1732480000000})";
    return body;
  }

 private:
  std::string Hex(int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < digits; ++i) s += kHex[rng_() % 16];
    return s;
  }
  std::uint64_t Uniform(std::uint64_t lo, std::uint64_t hi) { return lo + rng_() % (hi - lo + 1); }

  void AppendEvent(std::string* out, int index) {
    const std::size_t trace = rng_() % traces_.size();
    std::vector<std::string>& spans = trace_spans_[trace];
    const std::string span_id = Hex(16);
    const std::string parent =
        spans.empty() ? "null" : StrCat("\"", spans[rng_() % spans.size()], "\"");
    spans.push_back(span_id);
    const bool error = rng_() % 20 == 0;
    const std::uint64_t start = 1732480000000 + static_cast<std::uint64_t>(index) * 7 + rng_() % 50;
    StrAppend(out, R"({"type":"span","trace_id":")", traces_[trace], R"(","span_id":")", span_id,
              R"(","parent_span_id":)", parent, R"(,"service":")",
              services_[rng_() % services_.size()], R"(","operation":")",
              operations_[rng_() % operations_.size()], R"(","start_time_ms":)", start,
              R"(,"duration_ms":)", static_cast<double>(Uniform(50, 900000)) / 1000,
              R"(,"status":")", error ? "error" : "ok", R"(","status_message":")",
              error ? "upstream request timeout" : "", R"(","attributes":{)");
    AppendAttributes(out, static_cast<int>(Uniform(5, 15)));
    *out += R"(},"events":[)";
    if (rng_() % 5 == 0) AppendException(out, start);
    *out += "]}";
  }

  // `n` distinct attributes of mixed types, the keys real instrumentation uses.
  void AppendAttributes(std::string* out, int n) {
    constexpr int kKinds = 16;
    int kinds[kKinds];
    for (int i = 0; i < kKinds; ++i) kinds[i] = i;
    for (int i = 0; i < n; ++i) {
      std::swap(kinds[i], kinds[i + static_cast<int>(rng_() % (kKinds - i))]);
      if (i > 0) *out += ',';
      AppendAttribute(out, kinds[i]);
    }
  }

  void AppendAttribute(std::string* out, int kind) {
    switch (kind) {
      case 0: StrAppend(out, R"("http.method":")", rng_() % 3 ? "GET" : "POST", "\""); return;
      case 1: StrAppend(out, R"("http.status_code":)", rng_() % 10 ? 200 : 503); return;
      case 2:
        StrAppend(out, R"("http.url":"https://api.example.com/v1/orders/)", Uniform(1, 999999),
                  "?page=", Uniform(1, 20), "\"");
        return;
      case 3:
        StrAppend(out, R"("net.peer.ip":"10.)", Uniform(0, 255), ".", Uniform(0, 255), ".",
                  Uniform(0, 255), "\"");
        return;
      case 4: StrAppend(out, R"("db.system":"postgresql")"); return;
      case 5:
        StrAppend(out,
                  R"("db.statement":"SELECT id, total FROM orders WHERE customer_id = $1 LIMIT )",
                  Uniform(10, 100), "\"");
        return;
      case 6: StrAppend(out, R"("user.id":)", Uniform(1000, 99999999)); return;
      case 7: StrAppend(out, R"("retry":)", rng_() % 4 == 0 ? "true" : "false"); return;
      case 8:
        StrAppend(out, R"("sampling.priority":)", static_cast<double>(Uniform(0, 100)) / 100);
        return;
      case 9:
        StrAppend(out, R"("k8s.pod.name":"checkout-7d9f8b)", Hex(4), "-", Hex(5), "\"");
        return;
      case 10:
        StrAppend(out, R"("thread.name":"http-nio-8080-exec-)", Uniform(1, 200), "\"");
        return;
      case 11:
        StrAppend(out, R"("messaging.message_id":")", Hex(8), "-", Hex(4), "-", Hex(12), "\"");
        return;
      case 12: StrAppend(out, R"("http.response_content_length":)", Uniform(0, 200000)); return;
      case 13: StrAppend(out, R"("cache.hit":)", rng_() % 2 ? "true" : "false"); return;
      case 14: StrAppend(out, R"("peer.service":"inventory")"); return;
      default: StrAppend(out, R"("rpc.system":"grpc")"); return;
    }
  }

  // A Java-style stack trace of 1-2 KB, JSON-escaped.
  void AppendException(std::string* out, std::uint64_t start) {
    static constexpr const char* kFrames[] = {
        "com.example.checkout.CartService.addItem(CartService.java:",
        "com.example.checkout.OrderController.place(OrderController.java:",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:",
        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:",
        "io.grpc.stub.ClientCalls.blockingUnaryCall(ClientCalls.java:",
        "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:",
        "io.opentelemetry.javaagent.shaded.Instrumenter.end(Instrumenter.java:"};
    const std::size_t target = Uniform(1024, 2048);
    std::string trace = "java.lang.IllegalStateException: connection pool exhausted";
    while (trace.size() < target) {
      StrAppend(&trace, "\\n\\tat ", kFrames[rng_() % std::size(kFrames)], Uniform(20, 900), ")");
    }
    StrAppend(out, R"({"name":"exception","timestamp_ms":)", start + Uniform(0, 500),
              R"(,"attributes":{"exception.type":"java.lang.IllegalStateException",)",
              R"("exception.message":"connection pool exhausted","exception.stacktrace":")", trace,
              R"("}})");
  }

  std::mt19937_64 rng_;
  std::vector<std::string> services_;
  std::vector<std::string> operations_;
  std::vector<std::string> traces_;
  std::vector<std::vector<std::string>> trace_spans_;
};

const std::string& Corpus() {
  static const std::string body = CorpusBuilder().Body(500);
  return body;
}

// ---- benchmarks ---------------------------------------------------------------

enum class Impl { kZlibGzip, kLibdeflateGzip, kZstd, kLz4 };

std::unique_ptr<Compressor> Make(Impl impl, int level) {
  Result<std::unique_ptr<Compressor>> r = [&]() -> Result<std::unique_ptr<Compressor>> {
    switch (impl) {
      case Impl::kZlibGzip: return compress::NewZlibGzipCompressor(level);
      case Impl::kLibdeflateGzip: return compress::NewLibdeflateGzipCompressor(level);
      case Impl::kZstd: return compress::NewZstdCompressor(level);
      case Impl::kLz4: return compress::NewLz4Compressor(level);
    }
    return Status::InvalidArgument("unknown implementation");
  }();
  return r.ok() ? std::move(r).value() : nullptr;
}

void SetCounters(benchmark::State& state, std::size_t input, std::size_t compressed) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input));
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(state.iterations() * input) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.counters["ratio"] = static_cast<double>(input) / static_cast<double>(compressed);
  state.counters["in_bytes"] = static_cast<double>(input);
  state.counters["out_bytes"] = static_cast<double>(compressed);
}

void BM_Compress(benchmark::State& state, Impl impl, int level) {
  const std::string& input = Corpus();
  std::unique_ptr<Compressor> c = Make(impl, level);
  Buffer out;
  for (auto _ : state) {
    if (!c->Compress(input, &out).ok()) state.SkipWithError("compress failed");
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, input.size(), out.size());
}

// The sink's side: decoding with the 64 MiB cap, MB/s of decoded output.
void BM_Decompress(benchmark::State& state, Compression c, int level) {
  const std::string& input = Corpus();
  Buffer compressed, out;
  if (!(*NewCompressor(c, level))->Compress(input, &compressed).ok())
    state.SkipWithError("compress");
  std::unique_ptr<Decompressor> d = std::move(NewDecompressor(c)).value();
  for (auto _ : state) {
    if (!d->Decompress(compressed.view(), 64 << 20, &out).ok()) state.SkipWithError("decompress");
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state, input.size(), compressed.size());
}

BENCHMARK_CAPTURE(BM_Compress, zlib_gzip_1, Impl::kZlibGzip, 1);
BENCHMARK_CAPTURE(BM_Compress, zlib_gzip_6, Impl::kZlibGzip, 6);
BENCHMARK_CAPTURE(BM_Compress, zlib_gzip_9, Impl::kZlibGzip, 9);
BENCHMARK_CAPTURE(BM_Compress, libdeflate_gzip_1, Impl::kLibdeflateGzip, 1);
BENCHMARK_CAPTURE(BM_Compress, libdeflate_gzip_6, Impl::kLibdeflateGzip, 6);
BENCHMARK_CAPTURE(BM_Compress, libdeflate_gzip_9, Impl::kLibdeflateGzip, 9);
BENCHMARK_CAPTURE(BM_Compress, zstd_m1, Impl::kZstd, -1);
BENCHMARK_CAPTURE(BM_Compress, zstd_1, Impl::kZstd, 1);
BENCHMARK_CAPTURE(BM_Compress, zstd_3, Impl::kZstd, 3);
BENCHMARK_CAPTURE(BM_Compress, zstd_6, Impl::kZstd, 6);
BENCHMARK_CAPTURE(BM_Compress, lz4_fast, Impl::kLz4, 0);
BENCHMARK_CAPTURE(BM_Compress, lz4_hc9, Impl::kLz4, 9);

BENCHMARK_CAPTURE(BM_Decompress, gzip_6, Compression::kGzip, 6);
BENCHMARK_CAPTURE(BM_Decompress, zstd_3, Compression::kZstd, 3);
BENCHMARK_CAPTURE(BM_Decompress, lz4_fast, Compression::kLz4, 0);

}  // namespace
}  // namespace otelpack

BENCHMARK_MAIN();
