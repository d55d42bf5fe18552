// The public face of the compression layer: names, levels, and the factories
// that pick a codec (codecs.h). The identity codec lives here too.
#include "otelpack/compression.h"

#include <optional>
#include <string>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "compress/codecs.h"

namespace otelpack {
namespace {

std::string_view TrimWhitespace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const std::size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// A caller's value echoed into a message: short and printable, so a hostile
// header cannot flood or forge a log line.
std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 64;
  std::string q = "'";
  for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
    const char c = s[i];
    q.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (s.size() > kMax) q += "...";
  q += "'";
  return q;
}

std::optional<Compression> FromName(std::string_view name) {
  for (Compression c :
       {Compression::kNone, Compression::kGzip, Compression::kZstd, Compression::kLz4}) {
    if (EqualsIgnoreCase(name, CompressionName(c))) return c;
  }
  if (EqualsIgnoreCase(name, "identity")) return Compression::kNone;
  return std::nullopt;
}

class NoneCompressor final : public Compressor {
 public:
  Compression algorithm() const override { return Compression::kNone; }
  int level() const override { return 0; }
  Status Compress(std::string_view input, Buffer* out) override {
    out->Clear();
    out->Append(input);
    return Status::Ok();
  }
};

class NoneDecompressor final : public Decompressor {
 public:
  Compression algorithm() const override { return Compression::kNone; }
  Status Decompress(std::string_view input, std::size_t max_output, Buffer* out) override {
    out->Clear();
    if (input.size() > max_output) {
      return Status::TooLarge(StrCat("none: body of ", input.size(), " bytes exceeds the limit of ",
                                     max_output, " bytes"));
    }
    out->Append(input);
    return Status::Ok();
  }
};

}  // namespace

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
    case Compression::kLz4: return "lz4";
  }
  return "unknown";
}

Result<Compression> ParseCompression(std::string_view name) {
  if (std::optional<Compression> c = FromName(name)) return *c;
  return Status::InvalidArgument(
      StrCat("unknown compression ", Quote(name), " (expected none, gzip, zstd or lz4)"));
}

std::string_view ContentEncoding(Compression c) {
  return c == Compression::kNone ? std::string_view() : CompressionName(c);
}

Result<Compression> CompressionFromContentEncoding(std::string_view header) {
  const std::string_view value = TrimWhitespace(header);
  if (value.empty()) return Compression::kNone;
  // "none" is our name, not an HTTP content coding.
  if (!EqualsIgnoreCase(value, "none")) {
    if (std::optional<Compression> c = FromName(value)) return *c;
    // RFC 9110 8.4.1.3: recipients should treat x-gzip as gzip.
    if (EqualsIgnoreCase(value, "x-gzip")) return Compression::kGzip;
  }
  return Status::InvalidArgument(StrCat("unsupported Content-Encoding ", Quote(value)));
}

int DefaultCompressionLevel(Compression c) {
  switch (c) {
    case Compression::kGzip: return 6;
    // 1, not zstd's own 3: on every signal's realistic bodies level 1 is
    // both smaller and faster (docs/benchmarks.md, "The default zstd level").
    case Compression::kZstd: return 1;
    case Compression::kNone:
    case Compression::kLz4: return 0;
  }
  return 0;
}

Status ValidateCompressionLevel(Compression c, int level) {
  if (level == 0) return Status::Ok();
  switch (c) {
    case Compression::kNone:
      return Status::InvalidArgument(
          StrCat("compression none takes no level (only 0); got ", level));
    case Compression::kGzip:
      if (level >= 1 && level <= 9) return Status::Ok();
      return Status::InvalidArgument(
          StrCat("gzip level must be 1..9 (0 means the default, 6); got ", level));
    case Compression::kZstd:
      if (level >= -7 && level <= 19) return Status::Ok();
      return Status::InvalidArgument(StrCat(
          "zstd level must be -7..19 (negative is faster; 0 means the default, 1); got ", level));
    case Compression::kLz4:
      if (level >= 3 && level <= 12) return Status::Ok();
      return Status::InvalidArgument(StrCat(
          "lz4 level must be 0 (fast, the default) or 3..12 (high compression); got ", level));
  }
  return Status::InvalidArgument("unknown compression");
}

Result<std::unique_ptr<Compressor>> NewCompressor(Compression c, int level) {
  if (Status s = ValidateCompressionLevel(c, level); !s.ok()) return s;
  if (level == 0) level = DefaultCompressionLevel(c);
  switch (c) {
    case Compression::kNone: return std::unique_ptr<Compressor>(new NoneCompressor());
    case Compression::kGzip: return compress::NewLibdeflateGzipCompressor(level);
    case Compression::kZstd: return compress::NewZstdCompressor(level);
    case Compression::kLz4: return compress::NewLz4Compressor(level);
  }
  return Status::InvalidArgument("unknown compression");
}

Result<std::unique_ptr<Decompressor>> NewDecompressor(Compression c) {
  switch (c) {
    case Compression::kNone: return std::unique_ptr<Decompressor>(new NoneDecompressor());
    case Compression::kGzip: return compress::NewGzipDecompressor();
    case Compression::kZstd: return compress::NewZstdDecompressor();
    case Compression::kLz4: return compress::NewLz4Decompressor();
  }
  return Status::InvalidArgument("unknown compression");
}

}  // namespace otelpack
