// Tests of the decoders' defences: a decompression bomb stops at the cap
// without allocating past it; truncated, corrupted and padded streams are
// DataLoss naming the format.
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <zstd.h>

#include <string>
#include <vector>

#include "compress/compress_test_util.h"

namespace otelpack::compress {
namespace {

using testing::BufferCapacityFor;
using testing::MakeCompressor;
using testing::MakeDecompressor;
using testing::SpanJson;

constexpr std::size_t kGiB = std::size_t{1} << 30;
constexpr std::size_t kCap = std::size_t{64} << 20;  // the sink's default
constexpr std::size_t kChunk = std::size_t{1} << 20;

// ---- bombs: 1 GiB of zeros, compressed by streaming 1 MiB at a time ----------

std::string GzipBomb() { return testing::DeflateZeros(kGiB, /*window_bits=*/15 + 16); }

std::string ZstdBomb(bool declare_size) {
  const std::string zeros(kChunk, '\0');
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  if (declare_size) ZSTD_CCtx_setPledgedSrcSize(cctx, kGiB);
  std::string out;
  std::string buf(ZSTD_CStreamOutSize(), '\0');
  for (std::size_t fed = 0; fed < kGiB; fed += kChunk) {
    const ZSTD_EndDirective mode = fed + kChunk == kGiB ? ZSTD_e_end : ZSTD_e_continue;
    ZSTD_inBuffer in{zeros.data(), zeros.size(), 0};
    std::size_t remaining;
    do {
      ZSTD_outBuffer o{buf.data(), buf.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &o, &in, mode);
      EXPECT_FALSE(ZSTD_isError(remaining));
      out.append(buf.data(), o.pos);
    } while (mode == ZSTD_e_end ? remaining != 0 : in.pos < in.size);
  }
  ZSTD_freeCCtx(cctx);
  return out;
}

std::string Lz4Bomb() {
  const std::string zeros(kChunk, '\0');
  LZ4F_cctx* cctx = nullptr;
  EXPECT_FALSE(LZ4F_isError(LZ4F_createCompressionContext(&cctx, LZ4F_VERSION)));
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.contentSize = kGiB;
  std::string buf(LZ4F_compressBound(kChunk, &prefs) + LZ4F_HEADER_SIZE_MAX, '\0');
  std::string out;
  out.append(buf.data(), LZ4F_compressBegin(cctx, buf.data(), buf.size(), &prefs));
  for (std::size_t fed = 0; fed < kGiB; fed += kChunk) {
    const std::size_t n =
        LZ4F_compressUpdate(cctx, buf.data(), buf.size(), zeros.data(), zeros.size(), nullptr);
    EXPECT_FALSE(LZ4F_isError(n));
    out.append(buf.data(), n);
  }
  out.append(buf.data(), LZ4F_compressEnd(cctx, buf.data(), buf.size(), nullptr));
  LZ4F_freeCompressionContext(cctx);
  return out;
}

void ExpectBombStopped(Compression c, const std::string& bomb) {
  SCOPED_TRACE(CompressionName(c));
  ASSERT_LT(bomb.size(), std::size_t{8} << 20) << "the bomb fits the sink's body limit";
  std::unique_ptr<Decompressor> d = MakeDecompressor(c);
  Buffer out;
  Status s = d->Decompress(bomb, kCap, &out);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
  EXPECT_NE(s.message().find(CompressionName(c)), std::string_view::npos) << s.message();
  EXPECT_EQ(out.size(), 0u);
  // Buffer grows in steps of half its size, so holding exactly kCap bytes
  // takes BufferCapacityFor(kCap) (70.2 MiB); the decoder never asks for more.
  EXPECT_LE(out.capacity(), BufferCapacityFor(kCap));
  EXPECT_LE(out.capacity(), kCap + kCap / 8);
  // The same bomb under a cap it fits in would decode: it is the cap that stopped it.
}

TEST(DecompressCap, GzipBombStopsAtTheCap) { ExpectBombStopped(Compression::kGzip, GzipBomb()); }

TEST(DecompressCap, ZstdBombStopsAtTheCap) {
  ExpectBombStopped(Compression::kZstd, ZstdBomb(/*declare_size=*/true));
  ExpectBombStopped(Compression::kZstd, ZstdBomb(/*declare_size=*/false));
}

TEST(DecompressCap, Lz4BombStopsAtTheCap) { ExpectBombStopped(Compression::kLz4, Lz4Bomb()); }

TEST(DecompressCap, NoneCopiesUpToTheCap) {
  std::unique_ptr<Decompressor> d = MakeDecompressor(Compression::kNone);
  Buffer out;
  ASSERT_TRUE(d->Decompress("hello", 5, &out).ok());
  EXPECT_EQ(out.view(), "hello");
  EXPECT_EQ(d->Decompress("hello", 4, &out).code(), StatusCode::kTooLarge);
  ASSERT_TRUE(d->Decompress("", 0, &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(DecompressCap, EmptyContentFitsACapOfZero) {
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    SCOPED_TRACE(CompressionName(c));
    Buffer compressed, out;
    ASSERT_TRUE(MakeCompressor(c, 0)->Compress("", &compressed).ok());
    EXPECT_TRUE(MakeDecompressor(c)->Decompress(compressed.view(), 0, &out).ok());
    ASSERT_TRUE(MakeCompressor(c, 0)->Compress("x", &compressed).ok());
    EXPECT_EQ(MakeDecompressor(c)->Decompress(compressed.view(), 0, &out).code(),
              StatusCode::kTooLarge);
  }
}

// A zstd frame may ask for a window up to 2 GiB (and the decoder would
// allocate it); one over 8 MiB is refused before anything is allocated.
TEST(DecompressCap, ZstdRefusesAWindowOverEightMiB) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, 26);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);  // else the window shrinks to fit
  const std::string input = SpanJson(100000);
  std::string frame(ZSTD_compressBound(input.size()), '\0');
  // Streaming without ZSTD_e_end on the first call keeps the size unknown.
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  ZSTD_outBuffer o{frame.data(), frame.size(), 0};
  ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_continue);
  ASSERT_EQ(ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_end), 0u);
  frame.resize(o.pos);
  ZSTD_freeCCtx(cctx);

  Buffer out;
  Status s = MakeDecompressor(Compression::kZstd)->Decompress(frame, kCap, &out);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
  EXPECT_NE(s.message().find("window"), std::string_view::npos) << s.message();
}

// ---- truncated, corrupted and padded streams ---------------------------------

struct Sample {
  Compression c;
  std::string input;
  std::string compressed;
};

// A zstd frame with a content checksum, as the zstd tool writes by default
// (our compressor writes none: zstd.cc says why).
std::string ZstdWithChecksum(const std::string& input) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(input.size()), '\0');
  const std::size_t n = ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

// An LZ4 frame with a content checksum, as the lz4 tool writes by default
// (our compressor writes none).
std::string Lz4WithChecksum(const std::string& input) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  std::string out(LZ4F_compressFrameBound(input.size(), &prefs), '\0');
  const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), input.data(), input.size(), &prefs);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(LZ4F_isError(n) ? 0 : n);
  return out;
}

// One stream per format, each with its format's checksum (gzip's CRC-32,
// zstd's XXH64, lz4's content checksum), which our decoders verify.
std::vector<Sample> Samples() {
  std::vector<Sample> samples;
  const std::string input = SpanJson(20000, 99);
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    Buffer compressed;
    EXPECT_TRUE(MakeCompressor(c, 0)->Compress(input, &compressed).ok());
    std::string stream = c == Compression::kZstd  ? ZstdWithChecksum(input)
                         : c == Compression::kLz4 ? Lz4WithChecksum(input)
                                                  : std::string(compressed.view());
    samples.push_back({c, input, std::move(stream)});
  }
  return samples;
}

// DataLoss with a message that starts with the format's name.
::testing::AssertionResult IsDataLoss(const Status& s, Compression c) {
  const std::string prefix = StrCat(CompressionName(c), ":");
  if (s.code() == StatusCode::kDataLoss && s.message().substr(0, prefix.size()) == prefix) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "want DataLoss \"" << prefix << " ...\", got " << s.ToString();
}

TEST(DecompressErrors, EveryTruncationIsDataLoss) {
  for (const Sample& sample : Samples()) {
    SCOPED_TRACE(CompressionName(sample.c));
    std::unique_ptr<Decompressor> d = MakeDecompressor(sample.c);
    Buffer out;
    int failures = 0;
    for (std::size_t n = 0; n < sample.compressed.size() && failures < 3; ++n) {
      Status s = d->Decompress(std::string_view(sample.compressed).substr(0, n), kCap, &out);
      ::testing::AssertionResult r = IsDataLoss(s, sample.c);
      if (!r) {
        ++failures;
        ADD_FAILURE() << "prefix of " << n << " bytes: " << r.message();
      }
    }
    Status s = d->Decompress(std::string_view(sample.compressed).substr(0, 0), kCap, &out);
    EXPECT_NE(s.message().find("empty input"), std::string_view::npos) << s.message();
    s = d->Decompress(std::string_view(sample.compressed).substr(0, sample.compressed.size() - 1),
                      kCap, &out);
    EXPECT_NE(s.message().find("truncated"), std::string_view::npos) << s.message();
  }
}

// Every byte of the compressed stream, inverted, is caught: by the format's
// structure or by its checksum, which the decoders verify. gzip's
// informational header fields (MTIME, XFL, OS) are skipped.
TEST(DecompressErrors, EveryCorruptedByteIsDataLoss) {
  for (const Sample& sample : Samples()) {
    SCOPED_TRACE(CompressionName(sample.c));
    std::unique_ptr<Decompressor> d = MakeDecompressor(sample.c);
    Buffer out;
    const std::size_t first = sample.c == Compression::kGzip ? 10 : 0;
    int failures = 0;
    for (std::size_t i = first; i < sample.compressed.size() && failures < 3; ++i) {
      std::string corrupt = sample.compressed;
      corrupt[i] = static_cast<char>(~corrupt[i]);
      ::testing::AssertionResult r = IsDataLoss(d->Decompress(corrupt, kCap, &out), sample.c);
      if (!r) {
        ++failures;
        ADD_FAILURE() << "byte " << i << " of " << sample.compressed.size() << ": " << r.message();
      }
    }
    // The decoder is still good after all those errors.
    ASSERT_TRUE(d->Decompress(sample.compressed, kCap, &out).ok());
    EXPECT_TRUE(out.view() == sample.input);
  }
}

TEST(DecompressErrors, NotTheFormatIsDataLoss) {
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    SCOPED_TRACE(CompressionName(c));
    Buffer out;
    EXPECT_TRUE(IsDataLoss(MakeDecompressor(c)->Decompress(R"({"events":[]})", kCap, &out), c));
  }
}

TEST(DecompressErrors, TrailingGarbageIsDataLoss) {
  for (const Sample& sample : Samples()) {
    SCOPED_TRACE(CompressionName(sample.c));
    Buffer out;
    Status s = MakeDecompressor(sample.c)->Decompress(sample.compressed + "garbage!", kCap, &out);
    EXPECT_TRUE(IsDataLoss(s, sample.c));
    EXPECT_EQ(out.size(), 0u);
  }
}

// gzip: one member only (the body is one member; a second is refused).
// zstd and lz4: a body of several frames is valid and decodes to their
// concatenation, as the formats and their tools define.
TEST(DecompressErrors, ConcatenatedStreams) {
  for (const Sample& sample : Samples()) {
    SCOPED_TRACE(CompressionName(sample.c));
    Buffer out;
    Status s =
        MakeDecompressor(sample.c)->Decompress(sample.compressed + sample.compressed, kCap, &out);
    if (sample.c == Compression::kGzip) {
      EXPECT_TRUE(IsDataLoss(s, sample.c));
      EXPECT_NE(s.message().find("trailing data"), std::string_view::npos) << s.message();
    } else {
      ASSERT_TRUE(s.ok()) << s.ToString();
      EXPECT_TRUE(out.view() == sample.input + sample.input);
    }
  }
}

}  // namespace
}  // namespace otelpack::compress
