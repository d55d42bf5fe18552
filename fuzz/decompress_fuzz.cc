// Fuzzes the capped decompressors: any input must give OK within the cap,
// TooLarge or DataLoss -- never a crash, a leak or an output past the cap.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "otelpack/compression.h"

namespace {
constexpr std::size_t kCap = 1 << 20;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using otelpack::Compression;
  static const Compression kAlgorithms[] = {Compression::kNone, Compression::kGzip, Compression::kZstd,
                                            Compression::kLz4};
  Compression c = kAlgorithms[data[0] % 4];
  auto decompressor = otelpack::NewDecompressor(c);
  if (!decompressor.ok()) std::abort();
  otelpack::Buffer out;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  otelpack::Status s = (*decompressor)->Decompress(input, kCap, &out);
  if (s.ok() && out.size() > kCap) std::abort();
  if (!s.ok() && s.code() != otelpack::StatusCode::kTooLarge && s.code() != otelpack::StatusCode::kDataLoss) {
    std::abort();
  }
  // Whatever compresses must come back byte-exact.
  if (s.ok() && c != Compression::kNone) {
    auto compressor = otelpack::NewCompressor(c);
    otelpack::Buffer packed, back;
    if (!(*compressor)->Compress(out.view(), &packed).ok()) std::abort();
    if (!(*decompressor)->Decompress(packed.view(), kCap, &back).ok()) std::abort();
    if (back.view() != out.view()) std::abort();
  }
  return 0;
}
