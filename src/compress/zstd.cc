// zstd (RFC 8878): one frame per body, with a reused ZSTD_CCtx, and a
// streaming ZSTD_DCtx decoder with a size cap.
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <limits>

#include "common/str_cat.h"
#include "compress/capped_output.h"
#include "compress/codecs.h"

namespace otelpack::compress {
namespace {

class ZstdCompressor final : public Compressor {
 public:
  ZstdCompressor(int level, ZSTD_CCtx* cctx) : level_(level), cctx_(cctx) {}
  ~ZstdCompressor() override { ZSTD_freeCCtx(cctx_); }
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;

  // The parameters stay on the context: ZSTD_compress2 resets only the session.
  Status Init() {
    const std::pair<ZSTD_cParameter, int> params[] = {
        {ZSTD_c_compressionLevel, level_},
        {ZSTD_c_contentSizeFlag, 1},  // lets the decoder size its output at once
        // No frame checksum (libzstd's default, and what Vector and Fluent Bit
        // send): XXH64 costs 7% of zstd-3's time on our events (0.1 us a
        // span), and TCP, TLS and the backend's JSON validation already
        // guard the body. The decoder still checks one when a sender adds it.
        {ZSTD_c_checksumFlag, 0},
    };
    for (const auto& [param, value] : params) {
      const std::size_t r = ZSTD_CCtx_setParameter(cctx_, param, value);
      if (ZSTD_isError(r)) return Status::Internal(StrCat("zstd: ", ZSTD_getErrorName(r)));
    }
    return Status::Ok();
  }

  Compression algorithm() const override { return Compression::kZstd; }
  int level() const override { return level_; }

  Status Compress(std::string_view input, Buffer* out) override {
    out->Clear();
    const std::size_t bound = ZSTD_compressBound(input.size());
    if (ZSTD_isError(bound)) return Status::InvalidArgument("zstd: input too large");
    char* dst = out->ReserveAppend(bound);
    const std::size_t n = ZSTD_compress2(cctx_, dst, bound, input.data(), input.size());
    if (ZSTD_isError(n)) return Status::Internal(StrCat("zstd: ", ZSTD_getErrorName(n)));
    out->Commit(n);
    return Status::Ok();
  }

 private:
  const int level_;
  ZSTD_CCtx* const cctx_;
};

class ZstdDecompressor final : public Decompressor {
 public:
  explicit ZstdDecompressor(ZSTD_DCtx* dctx) : dctx_(dctx) {}
  ~ZstdDecompressor() override { ZSTD_freeDCtx(dctx_); }
  ZstdDecompressor(const ZstdDecompressor&) = delete;
  ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;

  Status Init() {
    const std::size_t r = ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, kZstdMaxWindowLog);
    if (ZSTD_isError(r)) return Status::Internal(StrCat("zstd: ", ZSTD_getErrorName(r)));
    return Status::Ok();
  }

  Compression algorithm() const override { return Compression::kZstd; }

  // Accepts one or more frames (RFC 8878 allows a body of several, and the
  // zstd tool writes them); anything after the last frame that is not a frame
  // is an error.
  Status Decompress(std::string_view input, std::size_t max_output, Buffer* out) override {
    // A previous call may have stopped mid-frame.
    ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_only);
    CappedOutput sink(out, max_output, SizeHint(input, max_output));
    if (input.empty()) return FailDecode(out, Status::DataLoss("zstd: empty input"));
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    for (;;) {
      const CappedOutput::Window w = sink.Next();
      ZSTD_outBuffer o{w.data, w.size, 0};
      const std::size_t consumed_before = in.pos;
      const std::size_t r = ZSTD_decompressStream(dctx_, &o, &in);
      if (ZSTD_isError(r)) return FailDecode(out, Error(r));
      if (!sink.Commit(o.pos)) return FailDecode(out, sink.TooLargeError("zstd"));
      if (r == 0) {  // a frame is complete and flushed
        if (in.pos == in.size) return Status::Ok();
        continue;
      }
      if (o.pos == 0 && in.pos == consumed_before) {
        if (in.pos == in.size) return FailDecode(out, Status::DataLoss("zstd: truncated stream"));
        return FailDecode(out, Status::Internal("zstd: decoder made no progress"));
      }
    }
  }

 private:
  // The first frame's declared content size, when it has one. A frame that
  // lies is caught by the decoder; the cap bounds what the lie can reserve.
  static std::size_t SizeHint(std::string_view input, std::size_t cap) {
    const unsigned long long declared = ZSTD_getFrameContentSize(input.data(), input.size());
    if (declared == ZSTD_CONTENTSIZE_UNKNOWN || declared == ZSTD_CONTENTSIZE_ERROR) {
      return GuessDecodedSize(input.size(), cap);
    }
    return static_cast<std::size_t>(
        std::min<unsigned long long>(declared, std::numeric_limits<std::size_t>::max()));
  }

  static Status Error(std::size_t code) {
    if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge) {
      return Status::TooLarge(StrCat("zstd: the frame needs a window over ",
                                     (std::size_t{1} << kZstdMaxWindowLog) >> 20,
                                     " MiB, the decoder's limit"));
    }
    return Status::DataLoss(StrCat("zstd: corrupt stream (", ZSTD_getErrorName(code), ")"));
  }

  ZSTD_DCtx* const dctx_;
};

}  // namespace

Result<std::unique_ptr<Compressor>> NewZstdCompressor(int level) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (cctx == nullptr) return Status::Internal("zstd: cannot allocate a compression context");
  auto c = std::make_unique<ZstdCompressor>(level, cctx);
  if (Status s = c->Init(); !s.ok()) return s;
  return std::unique_ptr<Compressor>(std::move(c));
}

Result<std::unique_ptr<Decompressor>> NewZstdDecompressor() {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (dctx == nullptr) return Status::Internal("zstd: cannot allocate a decompression context");
  auto d = std::make_unique<ZstdDecompressor>(dctx);
  if (Status s = d->Init(); !s.ok()) return s;
  return std::unique_ptr<Decompressor>(std::move(d));
}

}  // namespace otelpack::compress
