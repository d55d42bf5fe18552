// The codecs behind NewCompressor / NewDecompressor, one factory each.
//
// compression.cc picks among them; the benchmark and the tests reach the ones
// the public factory does not hand out (the zlib gzip compressor).
#ifndef OTELPACK_COMPRESS_CODECS_H_
#define OTELPACK_COMPRESS_CODECS_H_

#include <memory>

#include "otelpack/compression.h"

namespace otelpack::compress {

// REQUIRES (every compressor factory): `level` is valid for the format and
// not 0 (the caller has resolved the default). Failure means the library could
// not allocate its context (Internal).

// gzip through libdeflate: whole-buffer, the faster of the two (see
// bench/codec_bench.cc); what NewCompressor(kGzip) returns.
Result<std::unique_ptr<Compressor>> NewLibdeflateGzipCompressor(int level);
// gzip through zlib's deflate with a reused z_stream; benchmark and tests only.
Result<std::unique_ptr<Compressor>> NewZlibGzipCompressor(int level);
// One zstd frame with the content size and no checksum (zstd.cc says why).
Result<std::unique_ptr<Compressor>> NewZstdCompressor(int level);
// One LZ4 frame with the content size and no content checksum; level 0 is the
// fast compressor, 3..12 the high-compression one.
Result<std::unique_ptr<Compressor>> NewLz4Compressor(int level);

Result<std::unique_ptr<Decompressor>> NewGzipDecompressor();
// The zlib format (RFC 1950: deflate data with a 2-byte header and an
// Adler-32 trailer), which gRPC calls "deflate", with the same cap and checks
// as gzip and messages that start "zlib:". Not an HTTP content coding, so not
// a Compression of the public API: the gRPC receiver asks for it here. Its
// algorithm() says kGzip, whose deflate data it shares.
Result<std::unique_ptr<Decompressor>> NewZlibDecompressor();
Result<std::unique_ptr<Decompressor>> NewZstdDecompressor();
Result<std::unique_ptr<Decompressor>> NewLz4Decompressor();

// The window a zstd frame may ask of the decoder: 8 MiB, what RFC 8878 asks
// HTTP decoders to support and what level 19 uses. A frame that wants more is
// refused with TooLarge instead of making the decoder allocate it.
inline constexpr int kZstdMaxWindowLog = 23;

}  // namespace otelpack::compress

#endif  // OTELPACK_COMPRESS_CODECS_H_
