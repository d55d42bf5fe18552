// Inputs and helpers shared by the compression tests.
#ifndef OTELPACK_COMPRESS_COMPRESS_TEST_UTIL_H_
#define OTELPACK_COMPRESS_COMPRESS_TEST_UTIL_H_

#include <zlib.h>

#include <algorithm>
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

// `n` zero bytes deflated by zlib (window_bits 15 + 16: a gzip member; 15: a
// zlib stream), fed 1 MiB at a time: a decompression bomb of n:1000 or so.
inline std::string DeflateZeros(std::size_t n, int window_bits) {
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  std::string zeros(kChunk, '\0');  // not const: zlib's next_in may be Bytef* (no ZLIB_CONST)
  z_stream zs{};
  // Z_RLE finds the same 258-byte runs as the default strategy, 2x faster.
  if (deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_RLE) != Z_OK) return {};
  std::string out;
  char buf[1 << 16];
  for (std::size_t fed = 0; fed < n; fed += kChunk) {
    const std::size_t piece = std::min(kChunk, n - fed);
    zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
    zs.avail_in = static_cast<uInt>(piece);
    const int flush = fed + piece == n ? Z_FINISH : Z_NO_FLUSH;
    int rc;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof(buf);
      rc = deflate(&zs, flush);
      out.append(buf, sizeof(buf) - zs.avail_out);
    } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  deflateEnd(&zs);
  return out;
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
