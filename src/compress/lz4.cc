// LZ4 frame format (magic 04 22 4D 18, not raw blocks): one frame per body
// with a reused LZ4F_cctx, and a streaming LZ4F_dctx decoder with a size cap.
#define LZ4F_STATIC_LINKING_ONLY  // LZ4F_compressFrame_usingCDict
#include <lz4frame.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "common/str_cat.h"
#include "compress/capped_output.h"
#include "compress/codecs.h"

namespace otelpack::compress {
namespace {

class Lz4Compressor final : public Compressor {
 public:
  Lz4Compressor(int level, LZ4F_cctx* cctx) : level_(level), cctx_(cctx) {}
  ~Lz4Compressor() override { LZ4F_freeCompressionContext(cctx_); }
  Lz4Compressor(const Lz4Compressor&) = delete;
  Lz4Compressor& operator=(const Lz4Compressor&) = delete;

  Compression algorithm() const override { return Compression::kLz4; }
  int level() const override { return level_; }

  Status Compress(std::string_view input, Buffer* out) override {
    out->Clear();
    LZ4F_preferences_t prefs{};
    // 64 KiB linked blocks (the library default): the ratio of larger blocks,
    // since each block sees the previous 64 KiB, with a small decoder buffer.
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockLinked;
    // No content checksum, for zstd's reason (zstd.cc): XXH32 took 20% of
    // lz4's time on our events (1.44 against 1.15 us a span).
    prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
    prefs.frameInfo.contentSize = input.size();
    prefs.compressionLevel = level_;  // 0: LZ4_compress_fast; 3..12: LZ4 HC
    const std::size_t bound = LZ4F_compressFrameBound(input.size(), &prefs);
    char* dst = out->ReserveAppend(bound);
    const std::size_t n = LZ4F_compressFrame_usingCDict(cctx_, dst, bound, input.data(),
                                                        input.size(), nullptr, &prefs);
    if (LZ4F_isError(n)) return Status::Internal(StrCat("lz4: ", LZ4F_getErrorName(n)));
    out->Commit(n);
    return Status::Ok();
  }

 private:
  const int level_;
  LZ4F_cctx* const cctx_;
};

class Lz4Decompressor final : public Decompressor {
 public:
  explicit Lz4Decompressor(LZ4F_dctx* dctx) : dctx_(dctx) {}
  ~Lz4Decompressor() override { LZ4F_freeDecompressionContext(dctx_); }
  Lz4Decompressor(const Lz4Decompressor&) = delete;
  Lz4Decompressor& operator=(const Lz4Decompressor&) = delete;

  Compression algorithm() const override { return Compression::kLz4; }

  // Accepts one or more frames, as the lz4 tool does; anything after the last
  // frame that is not a frame is an error.
  Status Decompress(std::string_view input, std::size_t max_output, Buffer* out) override {
    LZ4F_resetDecompressionContext(dctx_);  // a previous call may have stopped mid-frame
    CappedOutput sink(out, max_output, SizeHint(input, max_output));
    if (input.empty()) return FailDecode(out, Status::DataLoss("lz4: empty input"));
    const char* next = input.data();
    std::size_t left = input.size();
    for (;;) {
      const CappedOutput::Window w = sink.Next();
      std::size_t produced = w.size;
      std::size_t consumed = left;
      const std::size_t r = LZ4F_decompress(dctx_, w.data, &produced, next, &consumed, nullptr);
      if (LZ4F_isError(r)) {
        return FailDecode(
            out, Status::DataLoss(StrCat("lz4: corrupt stream (", LZ4F_getErrorName(r), ")")));
      }
      next += consumed;
      left -= consumed;
      if (!sink.Commit(produced)) return FailDecode(out, sink.TooLargeError("lz4"));
      if (r == 0) {  // a frame is complete and flushed
        if (left == 0) return Status::Ok();
        continue;
      }
      if (produced == 0 && consumed == 0) {
        if (left == 0) return FailDecode(out, Status::DataLoss("lz4: truncated stream"));
        return FailDecode(out, Status::Internal("lz4: decoder made no progress"));
      }
    }
  }

 private:
  // The first frame's content size when its header declares one (FLG bit 3;
  // the size follows FLG and BD). Only a hint, bounded by the cap.
  static std::size_t SizeHint(std::string_view input, std::size_t cap) {
    const auto* p = reinterpret_cast<const unsigned char*>(input.data());
    const bool has_size = input.size() >= 14 && p[0] == 0x04 && p[1] == 0x22 && p[2] == 0x4d &&
                          p[3] == 0x18 && (p[4] & 0x08) != 0;
    if (!has_size) return GuessDecodedSize(input.size(), cap);
    std::uint64_t declared = 0;
    for (int i = 7; i >= 0; --i) declared = declared << 8 | p[6 + i];
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(declared, std::numeric_limits<std::size_t>::max()));
  }

  LZ4F_dctx* const dctx_;
};

}  // namespace

Result<std::unique_ptr<Compressor>> NewLz4Compressor(int level) {
  LZ4F_cctx* cctx = nullptr;
  if (LZ4F_isError(LZ4F_createCompressionContext(&cctx, LZ4F_VERSION))) {
    return Status::Internal("lz4: cannot allocate a compression context");
  }
  return std::unique_ptr<Compressor>(new Lz4Compressor(level, cctx));
}

Result<std::unique_ptr<Decompressor>> NewLz4Decompressor() {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) {
    return Status::Internal("lz4: cannot allocate a decompression context");
  }
  return std::unique_ptr<Decompressor>(new Lz4Decompressor(dctx));
}

}  // namespace otelpack::compress
