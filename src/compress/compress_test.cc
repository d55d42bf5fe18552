// Tests of the compression layer's names, levels, round trips, interop with
// the gzip / zstd / lz4 command-line tools and reuse of one codec over calls.
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_getFrameHeader
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <unistd.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <tuple>

#include "compress/compress_test_util.h"

namespace otelpack::compress {
namespace {

using testing::MakeCompressor;
using testing::MakeDecompressor;
using testing::RandomBytes;
using testing::SpanJson;

// ---- names and levels ----------------------------------------------------

TEST(CompressionNames, RoundTripThroughParse) {
  for (Compression c :
       {Compression::kNone, Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    Result<Compression> parsed = ParseCompression(CompressionName(c));
    ASSERT_TRUE(parsed.ok()) << CompressionName(c);
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
}

TEST(CompressionNames, ParseIsCaseInsensitiveAndKnowsIdentity) {
  EXPECT_EQ(*ParseCompression("GZip"), Compression::kGzip);
  EXPECT_EQ(*ParseCompression("ZSTD"), Compression::kZstd);
  EXPECT_EQ(*ParseCompression("Lz4"), Compression::kLz4);
  EXPECT_EQ(*ParseCompression("identity"), Compression::kNone);
  EXPECT_EQ(*ParseCompression("NONE"), Compression::kNone);
  Result<Compression> bad = ParseCompression("brotli");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'brotli'"), std::string_view::npos);
  EXPECT_FALSE(ParseCompression("").ok());
}

TEST(CompressionNames, ContentEncodingHeader) {
  EXPECT_EQ(ContentEncoding(Compression::kNone), "");
  EXPECT_EQ(ContentEncoding(Compression::kGzip), "gzip");
  EXPECT_EQ(ContentEncoding(Compression::kZstd), "zstd");
  EXPECT_EQ(ContentEncoding(Compression::kLz4), "lz4");
  EXPECT_EQ(*CompressionFromContentEncoding(""), Compression::kNone);
  EXPECT_EQ(*CompressionFromContentEncoding("identity"), Compression::kNone);
  EXPECT_EQ(*CompressionFromContentEncoding("  gzip\t"), Compression::kGzip);
  EXPECT_EQ(*CompressionFromContentEncoding("x-gzip"), Compression::kGzip);
  EXPECT_EQ(*CompressionFromContentEncoding("ZSTD"), Compression::kZstd);
  EXPECT_EQ(*CompressionFromContentEncoding(" lz4 "), Compression::kLz4);
  Result<Compression> br = CompressionFromContentEncoding("br");
  ASSERT_FALSE(br.ok());
  EXPECT_EQ(br.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(br.status().message(), "unsupported Content-Encoding 'br'");
  // "none" is a config name, not an HTTP coding; a list of codings is unsupported.
  EXPECT_FALSE(CompressionFromContentEncoding("none").ok());
  EXPECT_FALSE(CompressionFromContentEncoding("gzip, zstd").ok());
  // A hostile value is echoed short and printable.
  Result<Compression> hostile = CompressionFromContentEncoding(std::string(500, 'a') + "\n");
  ASSERT_FALSE(hostile.ok());
  EXPECT_LT(hostile.status().message().size(), 120u);
}

TEST(CompressionLevels, Defaults) {
  EXPECT_EQ(DefaultCompressionLevel(Compression::kNone), 0);
  EXPECT_EQ(DefaultCompressionLevel(Compression::kGzip), 6);
  EXPECT_EQ(DefaultCompressionLevel(Compression::kZstd), 1);
  EXPECT_EQ(DefaultCompressionLevel(Compression::kLz4), 0);
  EXPECT_EQ(MakeCompressor(Compression::kGzip, 0)->level(), 6);
  EXPECT_EQ(MakeCompressor(Compression::kZstd, 0)->level(), 1);
  EXPECT_EQ(MakeCompressor(Compression::kLz4, 0)->level(), 0);
  EXPECT_EQ(MakeCompressor(Compression::kZstd, -5)->level(), -5);
  EXPECT_EQ(MakeCompressor(Compression::kLz4, 9)->algorithm(), Compression::kLz4);
}

TEST(CompressionLevels, Validation) {
  struct Case {
    Compression c;
    int level;
    bool valid;
    const char* range;  // what the message must name when invalid
  };
  const Case cases[] = {
      {Compression::kNone, 0, true, ""},         {Compression::kNone, 1, false, "only 0"},
      {Compression::kGzip, 1, true, ""},         {Compression::kGzip, 9, true, ""},
      {Compression::kGzip, 10, false, "1..9"},   {Compression::kGzip, -1, false, "1..9"},
      {Compression::kZstd, -7, true, ""},        {Compression::kZstd, 19, true, ""},
      {Compression::kZstd, -8, false, "-7..19"}, {Compression::kZstd, 20, false, "-7..19"},
      {Compression::kLz4, 3, true, ""},          {Compression::kLz4, 12, true, ""},
      {Compression::kLz4, 2, false, "3..12"},    {Compression::kLz4, 13, false, "3..12"},
      {Compression::kLz4, -1, false, "3..12"},
  };
  for (const Case& t : cases) {
    SCOPED_TRACE(StrCat(CompressionName(t.c), " level ", t.level));
    Status s = ValidateCompressionLevel(t.c, t.level);
    Result<std::unique_ptr<Compressor>> made = NewCompressor(t.c, t.level);
    EXPECT_EQ(s.ok(), t.valid);
    EXPECT_EQ(made.ok(), t.valid);
    if (!t.valid) {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(s.message().find(t.range), std::string_view::npos) << s.message();
    }
  }
}

TEST(CompressionFactories, RejectAnUnknownEnumValue) {
  const auto bogus = static_cast<Compression>(9);
  EXPECT_EQ(NewDecompressor(bogus).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NewCompressor(bogus).status().code(), StatusCode::kInvalidArgument);
}

// ---- round trips ---------------------------------------------------------

struct Codec {
  const char* name;
  Compression c;
  int level;
  bool zlib = false;  // the zlib gzip compressor instead of libdeflate
};

std::string CodecName(const Codec& k) {
  std::string level = k.level < 0 ? StrCat("m", -k.level) : StrCat(k.level);
  return StrCat(k.name, "_", level);
}

// gtest prints these in failure messages.
void PrintTo(const Codec& k, std::ostream* os) { *os << CodecName(k); }

// The magic number that opens every non-empty stream of the format.
std::string_view Magic(Compression c) {
  switch (c) {
    case Compression::kGzip: return "\x1f\x8b";
    case Compression::kZstd: return "\x28\xb5\x2f\xfd";
    case Compression::kLz4: return "\x04\x22\x4d\x18";
    case Compression::kNone: break;
  }
  return "";
}

const Codec kCodecs[] = {
    {"none", Compression::kNone, 0},
    {"gzip", Compression::kGzip, 0},
    {"gzip", Compression::kGzip, 1},
    {"gzip", Compression::kGzip, 9},
    {"zlibgzip", Compression::kGzip, 1, true},
    {"zlibgzip", Compression::kGzip, 6, true},
    {"zlibgzip", Compression::kGzip, 9, true},
    {"zstd", Compression::kZstd, 0},
    {"zstd", Compression::kZstd, -7},
    {"zstd", Compression::kZstd, -1},
    {"zstd", Compression::kZstd, 1},
    {"zstd", Compression::kZstd, 9},
    {"zstd", Compression::kZstd, 19},
    {"lz4", Compression::kLz4, 0},
    {"lz4", Compression::kLz4, 3},
    {"lz4", Compression::kLz4, 9},
    {"lz4", Compression::kLz4, 12},
};

enum class Input { kEmpty, kOneByte, kRandom1MiB, kJson5MiB };

const std::string& InputData(Input in) {
  static const std::string empty;
  static const std::string one = "x";
  static const std::string random = RandomBytes(1 << 20);
  static const std::string json = SpanJson(5 << 20);
  switch (in) {
    case Input::kEmpty: return empty;
    case Input::kOneByte: return one;
    case Input::kRandom1MiB: return random;
    case Input::kJson5MiB: return json;
  }
  return empty;
}

void PrintTo(Input in, std::ostream* os) { *os << "input " << static_cast<int>(in); }

class RoundTripTest : public ::testing::TestWithParam<std::tuple<Codec, Input>> {};

TEST_P(RoundTripTest, DecodesToTheInputAndHonoursAnExactCap) {
  const auto& [codec, which] = GetParam();
  const std::string& input = InputData(which);
  std::unique_ptr<Compressor> c = MakeCompressor(codec.c, codec.level, codec.zlib);
  std::unique_ptr<Decompressor> d = MakeDecompressor(codec.c);
  ASSERT_NE(c, nullptr);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(c->algorithm(), codec.c);
  EXPECT_EQ(d->algorithm(), codec.c);

  Buffer compressed;
  ASSERT_TRUE(c->Compress(input, &compressed).ok());
  EXPECT_EQ(compressed.view().substr(0, Magic(codec.c).size()), Magic(codec.c));
  if (which == Input::kJson5MiB && codec.c != Compression::kNone) {
    EXPECT_LT(compressed.size(), input.size() / 4) << "JSON should compress well";
  }

  Buffer decoded;
  Status s = d->Decompress(compressed.view(), input.size(), &decoded);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(decoded.view() == input);

  if (!input.empty()) {  // one byte less than the decoded size is over the cap
    s = d->Decompress(compressed.view(), input.size() - 1, &decoded);
    EXPECT_EQ(s.code(), StatusCode::kTooLarge) << s.ToString();
    EXPECT_NE(s.message().find(CompressionName(codec.c)), std::string_view::npos);
    EXPECT_EQ(decoded.size(), 0u);
  }
}

std::string RoundTripName(const ::testing::TestParamInfo<std::tuple<Codec, Input>>& info) {
  static constexpr const char* kInputNames[] = {"Empty", "OneByte", "Random1MiB", "Json5MiB"};
  return StrCat(CodecName(std::get<0>(info.param)), "_",
                kInputNames[static_cast<int>(std::get<1>(info.param))]);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, RoundTripTest,
                         ::testing::Combine(::testing::ValuesIn(kCodecs),
                                            ::testing::Values(Input::kEmpty, Input::kOneByte,
                                                              Input::kRandom1MiB,
                                                              Input::kJson5MiB)),
                         RoundTripName);

// ---- interop with the command-line tools ---------------------------------

class TempFile {
 public:
  explicit TempFile(std::string_view tag)
      : path_(StrCat(::testing::TempDir(), "otelpack_compress_", getpid(), "_", counter_++, "_",
                     tag)) {}
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  void Write(std::string_view data) const {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    ASSERT_NE(f, nullptr) << path_;
    EXPECT_EQ(std::fwrite(data.data(), 1, data.size(), f), data.size());
    std::fclose(f);
  }
  std::string Read() const {
    std::string data;
    std::FILE* f = std::fopen(path_.c_str(), "rb");
    if (f == nullptr) return data;
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) data.append(buf, n);
    std::fclose(f);
    return data;
  }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

// Runs a shell command; true when it exits with 0.
bool RunShell(const std::string& command) { return std::system(command.c_str()) == 0; }

struct Tool {
  Compression c;
  const char* decode;  // reads %in, writes %out
  const char* encode;
};

const Tool kTools[] = {
    {Compression::kGzip, "gzip -dc", "gzip -c -6"},
    {Compression::kZstd, "zstd -q -dc", "zstd -q -c -3"},
    {Compression::kLz4, "lz4 -q -dc", "lz4 -q -c"},
};

TEST(CompressionInterop, TheToolsDecodeWhatWeWrite) {
  for (const Tool& tool : kTools) {
    for (int level : {0, tool.c == Compression::kLz4 ? 9 : 1}) {
      for (const std::string& input : {SpanJson(1 << 20, 3), std::string()}) {
        SCOPED_TRACE(StrCat(tool.decode, " level ", level, " size ", input.size()));
        std::unique_ptr<Compressor> c = MakeCompressor(tool.c, level);
        Buffer compressed;
        ASSERT_TRUE(c->Compress(input, &compressed).ok());
        TempFile in("in"), out("out");
        in.Write(compressed.view());
        ASSERT_TRUE(RunShell(StrCat(tool.decode, " '", in.path(), "' > '", out.path(), "'")));
        EXPECT_TRUE(out.Read() == input);
      }
    }
  }
  // The zlib compressor too, since the benchmark compares it.
  std::unique_ptr<Compressor> zlib = MakeCompressor(Compression::kGzip, 6, /*zlib=*/true);
  const std::string input = SpanJson(300000, 5);
  Buffer compressed;
  ASSERT_TRUE(zlib->Compress(input, &compressed).ok());
  TempFile in("in"), out("out");
  in.Write(compressed.view());
  ASSERT_TRUE(RunShell(StrCat("gzip -dc '", in.path(), "' > '", out.path(), "'")));
  EXPECT_TRUE(out.Read() == input);
}

TEST(CompressionInterop, WeDecodeWhatTheToolsWrite) {
  const std::string input = SpanJson(1 << 20, 4);
  for (const Tool& tool : kTools) {
    SCOPED_TRACE(tool.encode);
    TempFile in("in"), out("out");
    in.Write(input);
    ASSERT_TRUE(RunShell(StrCat(tool.encode, " '", in.path(), "' > '", out.path(), "'")));
    const std::string compressed = out.Read();
    std::unique_ptr<Decompressor> d = MakeDecompressor(tool.c);
    Buffer decoded;
    Status s = d->Decompress(compressed, 64 << 20, &decoded);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(decoded.view() == input);
  }
}

// Our zstd and lz4 frames say their content size (the decoder sizes its
// output at once) and carry no checksum (zstd.cc, lz4.cc: 7% and 20% of the
// codec's time on events).
TEST(CompressionFormat, ZstdFrameHeader) {
  const std::string input = SpanJson(300000, 6);
  Buffer compressed;
  ASSERT_TRUE(MakeCompressor(Compression::kZstd, 0)->Compress(input, &compressed).ok());
  ZSTD_frameHeader header;
  ASSERT_EQ(ZSTD_getFrameHeader(&header, compressed.data(), compressed.size()), 0u);
  EXPECT_EQ(header.frameContentSize, input.size());
  EXPECT_EQ(header.checksumFlag, 0u);
}

TEST(CompressionFormat, Lz4FrameHeader) {
  const std::string input = SpanJson(300000, 6);
  Buffer compressed;
  ASSERT_TRUE(MakeCompressor(Compression::kLz4, 0)->Compress(input, &compressed).ok());
  LZ4F_dctx* dctx = nullptr;
  ASSERT_FALSE(LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)));
  LZ4F_frameInfo_t info{};
  std::size_t consumed = compressed.size();
  const std::size_t r = LZ4F_getFrameInfo(dctx, &info, compressed.data(), &consumed);
  LZ4F_freeDecompressionContext(dctx);
  ASSERT_FALSE(LZ4F_isError(r));
  EXPECT_EQ(info.contentSize, input.size());
  EXPECT_EQ(info.contentChecksumFlag, LZ4F_noContentChecksum);
}

// ---- reuse -----------------------------------------------------------------

// One compressor and one decompressor over many calls of mixed sizes: every
// result is right, and once the largest input has been seen neither output
// buffer is reallocated again.
TEST(CompressionReuse, ManyCallsOnOneCodecStopAllocating) {
  const std::string inputs[] = {SpanJson(2 << 20, 11), "", RandomBytes(70000, 3),
                                SpanJson(1000, 12), "a"};
  for (const Codec& codec : kCodecs) {
    SCOPED_TRACE(CodecName(codec));
    if (codec.level == 19) continue;  // slow, and covered by the round trips
    std::unique_ptr<Compressor> c = MakeCompressor(codec.c, codec.level, codec.zlib);
    std::unique_ptr<Decompressor> d = MakeDecompressor(codec.c);
    Buffer compressed, decoded;
    const char* compressed_data = nullptr;
    const char* decoded_data = nullptr;
    for (int round = 0; round < 6; ++round) {
      for (const std::string& input : inputs) {
        ASSERT_TRUE(c->Compress(input, &compressed).ok());
        ASSERT_TRUE(d->Decompress(compressed.view(), 4 << 20, &decoded).ok());
        ASSERT_TRUE(decoded.view() == input);
      }
      if (round == 0) {
        compressed_data = compressed.data();
        decoded_data = decoded.data();
      } else {
        EXPECT_EQ(compressed.data(), compressed_data) << "round " << round;
        EXPECT_EQ(decoded.data(), decoded_data) << "round " << round;
      }
    }
  }
}

// The codec's output replaces what the buffer held.
TEST(CompressionReuse, CompressReplacesTheBuffer) {
  std::unique_ptr<Compressor> c = MakeCompressor(Compression::kZstd, 1);
  std::unique_ptr<Decompressor> d = MakeDecompressor(Compression::kZstd);
  Buffer compressed, decoded;
  compressed.Append("stale bytes");
  decoded.Append("stale bytes");
  ASSERT_TRUE(c->Compress("hello", &compressed).ok());
  ASSERT_TRUE(d->Decompress(compressed.view(), 100, &decoded).ok());
  EXPECT_EQ(decoded.view(), "hello");
}

}  // namespace
}  // namespace otelpack::compress
