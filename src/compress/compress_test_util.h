// Inputs and helpers shared by the compression tests.
#ifndef OTELPACK_COMPRESS_COMPRESS_TEST_UTIL_H_
#define OTELPACK_COMPRESS_COMPRESS_TEST_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "common/str_cat.h"
#include "compress/codecs.h"
#include "otelpack/compression.h"

namespace otelpack::compress::testing {

// Bytes no codec can shrink.
inline std::string RandomBytes(std::size_t n, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t v = rng();
    for (std::size_t j = 0; j < 8 && i + j < n; ++j) s[i + j] = static_cast<char>(v >> (8 * j));
  }
  return s;
}

// Span-event JSON of about `n` bytes: repetitive like real telemetry, with
// ids and timings that vary.
inline std::string SpanJson(std::size_t n, std::uint64_t seed = 7) {
  static constexpr const char* kServices[] = {"checkout", "cart", "payment", "auth", "search"};
  static constexpr const char* kOps[] = {"GET /api/cart", "POST /api/pay", "SELECT orders",
                                         "redis GET", "grpc Search/Query"};
  std::mt19937_64 rng(seed);
  std::string s = R"({"project_id":"prod-main","events":[)";
  char hex[33];
  while (s.size() < n) {
    std::snprintf(hex, sizeof(hex), "%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    const std::uint64_t r = rng();
    StrAppend(&s, R"({"type":"span","trace_id":")", hex, R"(","span_id":")",
              std::string_view(hex, 16), R"(","parent_span_id":null,"service":")", kServices[r % 5],
              R"(","operation":")", kOps[(r >> 8) % 5], R"(","start_time_ms":)",
              1732480000000 + (r >> 20) % 100000, R"(,"duration_ms":)",
              static_cast<double>((r >> 40) % 100000) / 1000,
              R"(,"status":"ok","status_message":"","attributes":{"http.status_code":200,)",
              R"("net.peer.name":"10.0.)", (r >> 12) % 256, ".", (r >> 16) % 256,
              R"(","retry":false},"events":[]},)");
  }
  s.back() = ']';
  s += R"(,"sent_at":1732480000000})";
  return s;
}

// The compressor a test case names: the public factory, or the zlib gzip
// compressor that only the benchmark and these tests use.
inline std::unique_ptr<Compressor> MakeCompressor(Compression c, int level, bool zlib = false) {
  Result<std::unique_ptr<Compressor>> r =
      zlib ? NewZlibGzipCompressor(level == 0 ? DefaultCompressionLevel(c) : level)
           : NewCompressor(c, level);
  return r.ok() ? std::move(r).value() : nullptr;
}

inline std::unique_ptr<Decompressor> MakeDecompressor(Compression c) {
  Result<std::unique_ptr<Decompressor>> r = NewDecompressor(c);
  return r.ok() ? std::move(r).value() : nullptr;
}

// The capacity a Buffer grows to when asked to hold exactly `n` bytes: the
// tightest bound a capped decoder can promise, since Buffer grows in steps.
inline std::size_t BufferCapacityFor(std::size_t n) {
  Buffer b;
  b.Reserve(n);  // allocates without touching the pages
  return b.capacity();
}

}  // namespace otelpack::compress::testing

#endif  // OTELPACK_COMPRESS_COMPRESS_TEST_UTIL_H_
