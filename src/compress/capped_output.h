// CappedOutput: lends a streaming decoder windows of a Buffer, never past a
// cap, so a decompression bomb is stopped before it is allocated.
#ifndef OTELPACK_COMPRESS_CAPPED_OUTPUT_H_
#define OTELPACK_COMPRESS_CAPPED_OUTPUT_H_

#include <cstddef>
#include <string_view>

#include "otelpack/buffer.h"
#include "otelpack/status.h"

namespace otelpack::compress {

class CappedOutput {
 public:
  struct Window {
    char* data;
    std::size_t size;  // never 0
  };

  // Clears *out and reserves min(size_hint, cap) bytes. `size_hint` is what
  // the stream says its decoded size is (a frame header, a gzip trailer) or a
  // guess; it is never trusted past the cap.
  CappedOutput(Buffer* out, std::size_t cap, std::size_t size_hint);

  // Where the decoder may write next. Until *out holds `cap` bytes this is
  // free space in *out (grown by half its size at a time, clipped at the cap,
  // so capacity never exceeds what a Buffer needs to hold `cap` bytes). After
  // that it is a one-byte probe: a decoder that still writes has more output
  // than the cap allows.
  Window Next();

  // Records that the decoder wrote `n` bytes into the last window. False when
  // they went to the probe: the decoded size exceeds the cap.
  bool Commit(std::size_t n);

  // TooLarge naming `format`, for when Commit returned false.
  Status TooLargeError(std::string_view format) const;

 private:
  Buffer* const out_;
  const std::size_t cap_;
  bool probing_ = false;
  char probe_[1];
};

// A first reservation for a stream that does not declare its decoded size:
// a few times the compressed size, at least 64 KiB, at most `cap`.
std::size_t GuessDecodedSize(std::size_t compressed_size, std::size_t cap);

// Clears *out (no partial output is left behind) and returns `status`.
Status FailDecode(Buffer* out, Status status);

}  // namespace otelpack::compress

#endif  // OTELPACK_COMPRESS_CAPPED_OUTPUT_H_
