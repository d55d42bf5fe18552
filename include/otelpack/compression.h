// Compression: turns an encoded body into the bytes sent, and back.
//
// A Compressor keeps its codec context between calls (no per-request
// allocation of large buffers) and is not thread-safe: give each sending
// thread its own. A Decompressor enforces a cap on the decoded size *while*
// decoding, so a decompression bomb never allocates past the cap.
#ifndef OTELPACK_COMPRESSION_H_
#define OTELPACK_COMPRESSION_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "otelpack/buffer.h"
#include "otelpack/status.h"

namespace otelpack {

enum class Compression : unsigned char { kNone, kGzip, kZstd, kLz4 };

// "none", "gzip", "zstd", "lz4".
std::string_view CompressionName(Compression c);
// Accepts the names above (case-insensitive); "identity" means kNone.
Result<Compression> ParseCompression(std::string_view name);
// The Content-Encoding header value; empty for kNone.
std::string_view ContentEncoding(Compression c);
// Maps a Content-Encoding header value ("" or "identity" is kNone).
Result<Compression> CompressionFromContentEncoding(std::string_view header);

// The level used when a caller passes level 0: gzip 6, zstd 1, lz4 0 (fast).
// zstd 1 rather than zstd's own default of 3: on our events it compresses
// smaller and faster (docs/benchmarks.md).
int DefaultCompressionLevel(Compression c);
// InvalidArgument naming the accepted range when `level` is not valid for `c`:
// gzip 1..9, zstd -7..19 (negative is faster), lz4 0 (fast) or 3..12 (HC);
// kNone accepts only 0. Level 0 always means the default.
Status ValidateCompressionLevel(Compression c, int level);

class Compressor {
 public:
  virtual ~Compressor() = default;
  virtual Compression algorithm() const = 0;
  virtual int level() const = 0;
  // Replaces the contents of *out with the compressed form of `input`,
  // reusing out's capacity.
  virtual Status Compress(std::string_view input, Buffer* out) = 0;
};

// level 0 means DefaultCompressionLevel(c).
Result<std::unique_ptr<Compressor>> NewCompressor(Compression c, int level = 0);

class Decompressor {
 public:
  virtual ~Decompressor() = default;
  virtual Compression algorithm() const = 0;
  // Replaces the contents of *out with the decoded form of `input`.
  // TooLarge when the output would exceed `max_output` bytes (detected before
  // more than max_output bytes are written); DataLoss when `input` is not a
  // complete, valid stream of the format (trailing garbage included).
  virtual Status Decompress(std::string_view input, std::size_t max_output, Buffer* out) = 0;
};

Result<std::unique_ptr<Decompressor>> NewDecompressor(Compression c);

}  // namespace otelpack

#endif  // OTELPACK_COMPRESSION_H_
