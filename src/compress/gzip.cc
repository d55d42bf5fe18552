// gzip (RFC 1952): a libdeflate compressor (the default, faster), a zlib one
// (kept for the benchmark) and a streaming zlib decoder with a size cap,
// which also reads the zlib format (RFC 1950) for gRPC's "deflate".
#define ZLIB_CONST
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "common/str_cat.h"
#include "compress/capped_output.h"
#include "compress/codecs.h"

namespace otelpack::compress {
namespace {

// zlib counts bytes in 32-bit uInt: longer inputs and outputs go in chunks.
constexpr std::size_t kMaxZlibChunk = std::size_t{1} << 30;
// deflateInit2/inflateInit2: a 32 KiB window (15) with a gzip wrapper (+16);
// 15 alone means the zlib wrapper. Either accepts only its own wrapper (not
// the other, nor raw deflate).
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kZlibWindowBits = 15;
constexpr int kDefaultMemLevel = 8;

// libdeflate reads from `in` even when the length is 0.
const char* NonNull(std::string_view s) { return s.data() != nullptr ? s.data() : ""; }

class LibdeflateGzipCompressor final : public Compressor {
 public:
  LibdeflateGzipCompressor(int level, libdeflate_compressor* compressor)
      : level_(level), compressor_(compressor) {}
  ~LibdeflateGzipCompressor() override { libdeflate_free_compressor(compressor_); }
  LibdeflateGzipCompressor(const LibdeflateGzipCompressor&) = delete;
  LibdeflateGzipCompressor& operator=(const LibdeflateGzipCompressor&) = delete;

  Compression algorithm() const override { return Compression::kGzip; }
  int level() const override { return level_; }

  Status Compress(std::string_view input, Buffer* out) override {
    out->Clear();
    const std::size_t bound = libdeflate_gzip_compress_bound(compressor_, input.size());
    char* dst = out->ReserveAppend(bound);
    const std::size_t n =
        libdeflate_gzip_compress(compressor_, NonNull(input), input.size(), dst, bound);
    if (n == 0) return Status::Internal("gzip: libdeflate could not compress the input");
    out->Commit(n);
    return Status::Ok();
  }

 private:
  const int level_;
  libdeflate_compressor* const compressor_;
};

class ZlibGzipCompressor final : public Compressor {
 public:
  explicit ZlibGzipCompressor(int level) : level_(level) {}
  ~ZlibGzipCompressor() override {
    if (initialized_) deflateEnd(&stream_);
  }
  ZlibGzipCompressor(const ZlibGzipCompressor&) = delete;
  ZlibGzipCompressor& operator=(const ZlibGzipCompressor&) = delete;

  Status Init() {
    if (deflateInit2(&stream_, level_, Z_DEFLATED, kGzipWindowBits, kDefaultMemLevel,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::Internal("gzip: cannot initialise zlib deflate");
    }
    initialized_ = true;
    return Status::Ok();
  }

  Compression algorithm() const override { return Compression::kGzip; }
  int level() const override { return level_; }

  Status Compress(std::string_view input, Buffer* out) override {
    out->Clear();
    if (deflateReset(&stream_) != Z_OK) return Status::Internal("gzip: deflateReset failed");
    // With room for the bound, deflate finishes in one call; the loop only
    // matters for inputs over kMaxZlibChunk.
    out->Reserve(deflateBound(&stream_, input.size()));
    stream_.avail_in = 0;  // deflateReset leaves the input fields alone
    const char* next = input.data();
    std::size_t left = input.size();
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (stream_.avail_in == 0 && left > 0) {
        const std::size_t n = std::min(left, kMaxZlibChunk);
        stream_.next_in = reinterpret_cast<const Bytef*>(next);
        stream_.avail_in = static_cast<uInt>(n);
        next += n;
        left -= n;
      }
      if (out->capacity() == out->size()) out->ReserveAppend(64 * 1024);
      const std::size_t offered = std::min(out->capacity() - out->size(), kMaxZlibChunk);
      stream_.next_out = reinterpret_cast<Bytef*>(out->data() + out->size());
      stream_.avail_out = static_cast<uInt>(offered);
      rc = deflate(&stream_, left == 0 ? Z_FINISH : Z_NO_FLUSH);
      out->Commit(offered - stream_.avail_out);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        return Status::Internal(StrCat("gzip: deflate failed (", rc, ")"));
      }
    }
    return Status::Ok();
  }

 private:
  const int level_;
  z_stream stream_{};
  bool initialized_ = false;
};

// Deflate data in a gzip member or a zlib stream: the same inflater, told
// which wrapper to expect. Messages start with the wrapper's name.
enum class Wrapper { kGzip, kZlib };

class InflateDecompressor final : public Decompressor {
 public:
  explicit InflateDecompressor(Wrapper wrapper)
      : wrapper_(wrapper),
        name_(wrapper == Wrapper::kGzip ? "gzip" : "zlib"),
        unit_(wrapper == Wrapper::kGzip ? "gzip member" : "zlib stream") {}
  ~InflateDecompressor() override {
    if (initialized_) inflateEnd(&stream_);
  }
  InflateDecompressor(const InflateDecompressor&) = delete;
  InflateDecompressor& operator=(const InflateDecompressor&) = delete;

  Status Init() {
    if (inflateInit2(&stream_, wrapper_ == Wrapper::kGzip ? kGzipWindowBits : kZlibWindowBits) !=
        Z_OK) {
      return Status::Internal(StrCat(name_, ": cannot initialise zlib inflate"));
    }
    initialized_ = true;
    return Status::Ok();
  }

  // The zlib wrapper has no Compression of its own (it is not an HTTP
  // content coding here): it is the same deflate data as gzip.
  Compression algorithm() const override { return Compression::kGzip; }

  Status Decompress(std::string_view input, std::size_t max_output, Buffer* out) override {
    if (inflateReset(&stream_) != Z_OK) {
      return Status::Internal(StrCat(name_, ": inflateReset failed"));
    }
    CappedOutput sink(out, max_output, SizeHint(input, max_output));
    if (input.empty()) return FailDecode(out, Status::DataLoss(StrCat(name_, ": empty input")));
    stream_.avail_in = 0;  // inflateReset leaves the input fields alone
    const char* next = input.data();
    std::size_t left = input.size();
    for (;;) {
      if (stream_.avail_in == 0 && left > 0) {
        const std::size_t n = std::min(left, kMaxZlibChunk);
        stream_.next_in = reinterpret_cast<const Bytef*>(next);
        stream_.avail_in = static_cast<uInt>(n);
        next += n;
        left -= n;
      }
      const CappedOutput::Window w = sink.Next();
      const uInt offered = static_cast<uInt>(std::min(w.size, kMaxZlibChunk));
      stream_.next_out = reinterpret_cast<Bytef*>(w.data);
      stream_.avail_out = offered;
      const int rc = inflate(&stream_, Z_NO_FLUSH);
      if (!sink.Commit(offered - stream_.avail_out)) {
        return FailDecode(out, sink.TooLargeError(name_));
      }
      switch (rc) {
        case Z_OK: break;
        case Z_STREAM_END:
          if (stream_.avail_in > 0 || left > 0) {
            return FailDecode(out, Status::DataLoss(StrCat(name_, ": trailing data after the ", unit_)));
          }
          return Status::Ok();
        case Z_BUF_ERROR:  // no progress possible: inflate wants input we do not have
          if (stream_.avail_in == 0 && left == 0) {
            return FailDecode(out, Status::DataLoss(StrCat(name_, ": truncated stream")));
          }
          return FailDecode(out, Status::Internal(StrCat(name_, ": inflate made no progress")));
        case Z_NEED_DICT:
          return FailDecode(out, Status::DataLoss(StrCat(name_, ": stream needs a preset dictionary")));
        case Z_DATA_ERROR:
          return FailDecode(out, Status::DataLoss(StrCat(
                                     name_, ": corrupt stream (",
                                     stream_.msg != nullptr ? stream_.msg : "invalid data", ")")));
        case Z_MEM_ERROR: return FailDecode(out, Status::Internal(StrCat(name_, ": out of memory")));
        default:
          return FailDecode(out, Status::Internal(StrCat(name_, ": inflate failed (", rc, ")")));
      }
    }
  }

 private:
  // The gzip trailer ends with the decoded size mod 2^32 (ISIZE): a good
  // first reservation for the single member we accept. zlib's has no size.
  std::size_t SizeHint(std::string_view input, std::size_t cap) const {
    if (wrapper_ == Wrapper::kZlib || input.size() < 18) return GuessDecodedSize(input.size(), cap);
    const auto* p = reinterpret_cast<const unsigned char*>(input.data() + input.size() - 4);
    const std::uint32_t isize = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 |
                                std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
    return isize;
  }

  const Wrapper wrapper_;
  const std::string_view name_;  // "gzip": the start of every message
  const std::string_view unit_;  // "gzip member": what one input holds
  z_stream stream_{};
  bool initialized_ = false;
};

Result<std::unique_ptr<Decompressor>> NewInflateDecompressor(Wrapper wrapper) {
  auto d = std::make_unique<InflateDecompressor>(wrapper);
  if (Status s = d->Init(); !s.ok()) return s;
  return std::unique_ptr<Decompressor>(std::move(d));
}

}  // namespace

Result<std::unique_ptr<Compressor>> NewLibdeflateGzipCompressor(int level) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(level);
  if (c == nullptr) return Status::Internal("gzip: cannot allocate a libdeflate compressor");
  return std::unique_ptr<Compressor>(new LibdeflateGzipCompressor(level, c));
}

Result<std::unique_ptr<Compressor>> NewZlibGzipCompressor(int level) {
  auto c = std::make_unique<ZlibGzipCompressor>(level);
  if (Status s = c->Init(); !s.ok()) return s;
  return std::unique_ptr<Compressor>(std::move(c));
}

Result<std::unique_ptr<Decompressor>> NewGzipDecompressor() {
  return NewInflateDecompressor(Wrapper::kGzip);
}

Result<std::unique_ptr<Decompressor>> NewZlibDecompressor() {
  return NewInflateDecompressor(Wrapper::kZlib);
}

}  // namespace otelpack::compress
