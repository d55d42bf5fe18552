// The zlib wrapper (RFC 1950) of the capped inflater, which the gRPC
// receiver uses for gRPC's "deflate": zlib itself writes the streams (an
// implementation independent of the decoder's framing checks), and every
// defence of the gzip decoder holds for it too: the cap enforced while
// inflating, a bomb stopped without allocating past the cap, truncated,
// corrupted and padded streams refused, the other wrapper refused.
#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <string>

#include "compress/compress_test_util.h"

namespace otelpack::compress {
namespace {

using testing::BufferCapacityFor;
using testing::DeflateZeros;
using testing::MakeDecompressor;
using testing::SpanJson;

constexpr std::size_t kCap = std::size_t{64} << 20;

std::unique_ptr<Decompressor> Zlib() {
  Result<std::unique_ptr<Decompressor>> d = NewZlibDecompressor();
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? std::move(d).value() : nullptr;
}

// `input` as a zlib stream (RFC 1950), by zlib's one-shot compress2.
std::string ZlibStream(const std::string& input, int level = Z_DEFAULT_COMPRESSION) {
  uLongf size = compressBound(input.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(input.data()), input.size(), level),
            Z_OK);
  out.resize(size);
  return out;
}

// DataLoss with a message that starts "zlib:".
::testing::AssertionResult IsZlibDataLoss(const Status& s) {
  if (s.code() == StatusCode::kDataLoss && s.message().substr(0, 5) == "zlib:") {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "want DataLoss \"zlib: ...\", got " << s.ToString();
}

TEST(ZlibDecompress, RoundTripsWhatZlibWrites) {
  std::unique_ptr<Decompressor> d = Zlib();
  ASSERT_NE(d, nullptr);
  Buffer out;
  for (const std::string& input : {std::string(), std::string("x"), SpanJson(200'000),
                                   testing::RandomBytes(100'000)}) {
    for (int level : {0, 1, 9}) {
      SCOPED_TRACE(input.size());
      ASSERT_TRUE(d->Decompress(ZlibStream(input, level), kCap, &out).ok());
      EXPECT_TRUE(out.view() == input) << input.size() << " bytes at level " << level;
    }
  }
}

TEST(ZlibDecompress, TheCapIsExactAndEnforcedWhileInflating) {
  const std::string input = SpanJson(100'000);
  const std::string stream = ZlibStream(input);
  Buffer out;
  ASSERT_TRUE(Zlib()->Decompress(stream, input.size(), &out).ok()) << "exactly at the cap";
  EXPECT_EQ(out.size(), input.size());
  Status s = Zlib()->Decompress(stream, input.size() - 1, &out);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
  EXPECT_NE(s.message().find("zlib: decoded size exceeds the limit of "), std::string_view::npos)
      << s.message();
  EXPECT_EQ(out.size(), 0u) << "no partial output is left behind";
}

TEST(ZlibDecompress, ABombStopsAtTheCapWithoutAllocatingPastIt) {
  const std::string bomb = DeflateZeros(std::size_t{1} << 30, /*window_bits=*/15);  // 1 GiB of zeros
  ASSERT_LT(bomb.size(), std::size_t{8} << 20);
  ASSERT_EQ(static_cast<unsigned char>(bomb[0]) & 0x0f, 8) << "a zlib header: deflate";
  Buffer out;
  Status s = Zlib()->Decompress(bomb, kCap, &out);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
  EXPECT_EQ(out.size(), 0u);
  EXPECT_LE(out.capacity(), BufferCapacityFor(kCap));
  EXPECT_LE(out.capacity(), kCap + kCap / 8);
  // Under a cap it fits in, a smaller bomb decodes: it was the cap that stopped it.
  ASSERT_TRUE(Zlib()->Decompress(DeflateZeros(std::size_t{8} << 20, 15), kCap, &out).ok());
  EXPECT_EQ(out.size(), std::size_t{8} << 20);
}

TEST(ZlibDecompress, EveryTruncationIsDataLoss) {
  const std::string stream = ZlibStream(SpanJson(20'000, 5));
  std::unique_ptr<Decompressor> d = Zlib();
  Buffer out;
  int failures = 0;
  for (std::size_t n = 0; n < stream.size() && failures < 3; ++n) {
    ::testing::AssertionResult r = IsZlibDataLoss(d->Decompress(stream.substr(0, n), kCap, &out));
    if (!r) {
      ++failures;
      ADD_FAILURE() << "prefix of " << n << " bytes: " << r.message();
    }
  }
  EXPECT_NE(d->Decompress("", kCap, &out).message().find("empty input"), std::string_view::npos);
  Status s = d->Decompress(stream.substr(0, stream.size() - 1), kCap, &out);
  EXPECT_NE(s.message().find("truncated"), std::string_view::npos) << s.message();
}

// The header's check bits and the Adler-32 trailer catch every byte turned
// over; the decoder stays good after all those errors.
TEST(ZlibDecompress, EveryCorruptedByteIsDataLoss) {
  const std::string input = SpanJson(20'000, 11);
  const std::string stream = ZlibStream(input);
  std::unique_ptr<Decompressor> d = Zlib();
  Buffer out;
  int failures = 0;
  for (std::size_t i = 0; i < stream.size() && failures < 3; ++i) {
    std::string corrupt = stream;
    corrupt[i] = static_cast<char>(~corrupt[i]);
    ::testing::AssertionResult r = IsZlibDataLoss(d->Decompress(corrupt, kCap, &out));
    if (!r) {
      ++failures;
      ADD_FAILURE() << "byte " << i << " of " << stream.size() << ": " << r.message();
    }
  }
  ASSERT_TRUE(d->Decompress(stream, kCap, &out).ok());
  EXPECT_TRUE(out.view() == input);
}

TEST(ZlibDecompress, TrailingBytesAreDataLoss) {
  const std::string stream = ZlibStream(SpanJson(5'000));
  for (const std::string& tail : {std::string("x"), std::string("garbage!"), stream}) {
    Buffer out;
    Status s = Zlib()->Decompress(stream + tail, kCap, &out);
    EXPECT_TRUE(IsZlibDataLoss(s));
    EXPECT_NE(s.message().find("trailing data after the zlib stream"), std::string_view::npos)
        << s.message();
    EXPECT_EQ(out.size(), 0u);
  }
}

// gRPC says which wrapper a message has: each decoder takes only its own.
TEST(ZlibDecompress, TheOtherWrapperAndRawDeflateAreRefused) {
  const std::string input = SpanJson(5'000);
  Buffer gzip;
  ASSERT_TRUE(NewCompressor(Compression::kGzip).value()->Compress(input, &gzip).ok());
  Buffer out;
  EXPECT_TRUE(IsZlibDataLoss(Zlib()->Decompress(gzip.view(), kCap, &out)));
  Status s = MakeDecompressor(Compression::kGzip)->Decompress(ZlibStream(input), kCap, &out);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
  EXPECT_EQ(s.message().substr(0, 5), "gzip:") << s.message();
  // Raw deflate (negative window bits): no zlib header.
  const std::string stream = ZlibStream(input);
  EXPECT_TRUE(IsZlibDataLoss(Zlib()->Decompress(stream.substr(2, stream.size() - 6), kCap, &out)));
  EXPECT_TRUE(IsZlibDataLoss(Zlib()->Decompress(R"({"events":[]})", kCap, &out)));
}

}  // namespace
}  // namespace otelpack::compress
