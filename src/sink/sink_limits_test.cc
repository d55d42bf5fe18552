// The sink's limits over HTTP: the compressed body cap (announced, waited
// for, or chunked), the event count, and decompression bombs, which must be
// stopped at the decompressed cap without the sink's memory growing past it.
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>
#include <string>
#include <vector>

#include "common/str_cat.h"
#include "sink/sink.h"
#include "http/testing/test_client.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using testing::BodyOf;
using testing::IngestHeaderOptions;
using testing::IngestHeaders;
using testing::TestClient;

constexpr std::size_t kMiB = 1 << 20;

std::unique_ptr<Sink> StartSink(SinkOptions options) {
  auto sink = Sink::Start(options);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

long StatusOf(TestClient& client, std::string_view body, const std::vector<std::string>& headers,
              testing::RequestFraming framing = {}) {
  auto r = client.Post("/v1/ingest", body, headers, framing);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->status : -1;
}

TEST(SinkLimitsTest, BodyOverTheCapIs413AndTheSinkKeepsServing) {
  SinkOptions options = testing::TestSinkOptions();
  options.max_body_bytes = 64 << 10;
  auto sink = StartSink(options);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  const std::string big = BodyOf(200);
  ASSERT_GT(big.size(), options.max_body_bytes);
  // Announced by Content-Length, with and without waiting for 100-continue,
  // and unannounced (chunked): each is refused, nothing is stored.
  for (testing::RequestFraming framing :
       {testing::RequestFraming{false, false}, testing::RequestFraming{true, false},
        testing::RequestFraming{false, true}}) {
    auto r = client.Post("/v1/ingest", big, IngestHeaders(), framing);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 413) << framing.expect_continue << framing.chunked;
    EXPECT_EQ(r->body.rfind(R"({"error":"body: )", 0), 0u) << r->body;
    EXPECT_EQ(StatusOf(client, BodyOf(2), IngestHeaders(), framing), 200);
  }
  EXPECT_EQ(sink->CountEvents().value(), 6u);
  EXPECT_EQ(sink->Stats().requests_by_status[413], 3u);
  // A chunked body under the cap is fine.
  EXPECT_EQ(StatusOf(client, BodyOf(3, 50), IngestHeaders(), {false, true}), 200);
}

TEST(SinkLimitsTest, TooManyEventsIs413) {
  SinkOptions options = testing::TestSinkOptions();
  options.max_events_per_request = 10;
  auto sink = StartSink(options);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  EXPECT_EQ(StatusOf(client, BodyOf(10), IngestHeaders()), 200);
  auto r = client.Post("/v1/ingest", BodyOf(11), IngestHeaders());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->body, R"({"error":"events: more than 10 events in one request"})");
  EXPECT_EQ(sink->CountEvents().value(), 10u);
}

// `total` zero bytes compressed with `c`, streamed from a small buffer so the
// test itself never holds them.
std::string ZeroBomb(Compression c, std::size_t total) {
  const std::string chunk(kMiB, '\0');
  std::string out;
  if (c == Compression::kZstd) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setPledgedSrcSize(cctx, total);  // the frame header claims the real size
    std::string buffer(ZSTD_CStreamOutSize(), '\0');
    for (std::size_t done = 0; done < total; done += chunk.size()) {
      ZSTD_inBuffer in{chunk.data(), chunk.size(), 0};
      const ZSTD_EndDirective mode = done + chunk.size() >= total ? ZSTD_e_end : ZSTD_e_continue;
      std::size_t left;
      do {
        ZSTD_outBuffer o{buffer.data(), buffer.size(), 0};
        left = ZSTD_compressStream2(cctx, &o, &in, mode);
        out.append(buffer.data(), o.pos);
      } while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
    }
    ZSTD_freeCCtx(cctx);
  } else if (c == Compression::kGzip) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    std::string buffer(64 << 10, '\0');
    for (std::size_t done = 0; done < total; done += chunk.size()) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
      z.avail_in = static_cast<uInt>(chunk.size());
      const int flush = done + chunk.size() >= total ? Z_FINISH : Z_NO_FLUSH;
      int rc;
      do {
        z.next_out = reinterpret_cast<Bytef*>(buffer.data());
        z.avail_out = static_cast<uInt>(buffer.size());
        rc = deflate(&z, flush);
        out.append(buffer.data(), buffer.size() - z.avail_out);
      } while (flush == Z_FINISH ? rc != Z_STREAM_END : z.avail_in > 0);
    }
    deflateEnd(&z);
  } else {
    LZ4F_cctx* cctx = nullptr;
    LZ4F_createCompressionContext(&cctx, LZ4F_VERSION);
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.contentSize = total;
    std::string buffer(LZ4F_compressBound(chunk.size(), &prefs) + 64, '\0');
    out.append(buffer.data(), LZ4F_compressBegin(cctx, buffer.data(), buffer.size(), &prefs));
    for (std::size_t done = 0; done < total; done += chunk.size()) {
      out.append(buffer.data(), LZ4F_compressUpdate(cctx, buffer.data(), buffer.size(),
                                                    chunk.data(), chunk.size(), nullptr));
    }
    out.append(buffer.data(), LZ4F_compressEnd(cctx, buffer.data(), buffer.size(), nullptr));
    LZ4F_freeCompressionContext(cctx);
  }
  return out;
}

// This process's resident set in bytes: the current value, or (peak) the
// high-water mark since the last ResetPeakRss. 0 when unknown.
std::size_t Rss(bool peak) {
  std::ifstream status("/proc/self/status");
  const std::string key = peak ? "VmHWM:" : "VmRSS:";
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(key.size())) * 1024;
  }
  return 0;
}
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  return static_cast<bool>(clear.flush());
}

// 200 MiB of zeros compress to a few hundred KiB: the sink must stop at its
// 64 MiB decompressed cap (and answer 413) instead of inflating everything.
TEST(SinkLimitsTest, DecompressionBombsAre413WithinTheMemoryCap) {
  auto sink = StartSink(testing::TestSinkOptions());
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  for (auto [c, name] : {std::pair{Compression::kGzip, "gzip"}, {Compression::kZstd, "zstd"},
                         {Compression::kLz4, "lz4"}}) {
    const std::string bomb = ZeroBomb(c, 200 * kMiB);
    ASSERT_LT(bomb.size(), 8 * kMiB) << name;
    // A well-formed stream: a small cap stops it as too large, not as corrupt.
    auto check = NewDecompressor(c);
    ASSERT_TRUE(check.ok());
    Buffer small;
    EXPECT_EQ((*check)->Decompress(bomb, kMiB, &small).code(), StatusCode::kTooLarge) << name;

    IngestHeaderOptions o;
    o.encoding = name;
    const std::size_t before = Rss(false);
    const bool peak_known = ResetPeakRss();
    auto r = client.Post("/v1/ingest", bomb, IngestHeaders(o));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 413) << name << ": " << r->body;
    EXPECT_NE(r->body.find("exceeds the limit"), std::string::npos) << r->body;
#if !defined(__SANITIZE_THREAD__)  // TSan's shadow memory multiplies what RSS says
    if (peak_known && before > 0) {
      // The cap plus slack for the request, far below the 200 MiB a full
      // decode would touch.
      EXPECT_LT(Rss(true) - before, 64 * kMiB + 40 * kMiB) << name;
    }
#else
    (void)before;
    (void)peak_known;
#endif
    EXPECT_EQ(StatusOf(client, BodyOf(1), IngestHeaders()), 200) << "still serving after " << name;
  }
  EXPECT_EQ(sink->CountEvents().value(), 3u);
}

TEST(SinkLimitsTest, DecompressedCapIsConfigurable) {
  SinkOptions options = testing::TestSinkOptions();
  options.max_decompressed_bytes = 4096;
  auto sink = StartSink(options);
  ASSERT_NE(sink, nullptr);
  TestClient client(sink->endpoint());
  EXPECT_EQ(StatusOf(client, BodyOf(2), IngestHeaders()), 200);
  const std::string body = BodyOf(20);
  ASSERT_GT(body.size(), 4096u);
  EXPECT_EQ(StatusOf(client, body, IngestHeaders()), 413);  // identity too
  IngestHeaderOptions o;
  o.encoding = "zstd";
  EXPECT_EQ(StatusOf(client, testing::Compress(Compression::kZstd, body), IngestHeaders(o)), 413);
}

}  // namespace
}  // namespace otelpack::sink
