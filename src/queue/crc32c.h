// CRC32C (Castagnoli), the checksum of every fragment in a queue segment.
//
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run
// time) and a slicing-by-8 table otherwise; both give identical results.
#ifndef OTELPACK_QUEUE_CRC32C_H_
#define OTELPACK_QUEUE_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace otelpack::crc32c {

// The crc32c of concat(A, data[0,n-1]) where init_crc is the crc32c of A.
std::uint32_t Extend(std::uint32_t init_crc, const char* data, std::size_t n);

// The crc32c of data[0,n-1].
inline std::uint32_t Value(const char* data, std::size_t n) { return Extend(0, data, n); }

// Why mask: computing the CRC of a string that itself contains embedded CRCs
// is weak (leveldb's reasoning), so stored checksums are rotated and offset.
constexpr std::uint32_t kMaskDelta = 0xa282ead8u;
constexpr std::uint32_t Mask(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}
constexpr std::uint32_t Unmask(std::uint32_t masked) {
  std::uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

namespace internal {
// Exposed so tests can check both paths against the same vectors.
std::uint32_t ExtendPortable(std::uint32_t init_crc, const char* data, std::size_t n);
// False when the CPU (or the build target) lacks SSE4.2.
bool HardwareAvailable();
// REQUIRES: HardwareAvailable()
std::uint32_t ExtendHardware(std::uint32_t init_crc, const char* data, std::size_t n);
}  // namespace internal

}  // namespace otelpack::crc32c

#endif  // OTELPACK_QUEUE_CRC32C_H_
