// CRC32C: SSE4.2 when available, slicing-by-8 tables otherwise.
#include "queue/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace otelpack::crc32c {
namespace {

constexpr std::uint32_t kPolyReflected = 0x82f63b78u;

// kTables[k][b]: the CRC of byte b followed by k zero bytes, so eight input
// bytes can be folded with eight lookups (slicing-by-8).
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables MakeTables() {
  Tables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t crc = b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1u) ? kPolyReflected : 0u);
    t[0][b] = crc;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::uint32_t b = 0; b < 256; ++b) {
      t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xffu];
    }
  }
  return t;
}

constexpr Tables kTables = MakeTables();

std::uint64_t LoadLittleEndian64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

bool DetectHardware() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("sse4.2");
#else
  return false;
#endif
}

const bool kHaveHardware = DetectHardware();

}  // namespace

namespace internal {

std::uint32_t ExtendPortable(std::uint32_t init_crc, const char* data, std::size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  std::uint32_t crc = ~init_crc;
  while (n >= 8) {
    std::uint64_t v = LoadLittleEndian64(reinterpret_cast<const char*>(p)) ^ crc;
    crc = kTables[7][v & 0xff] ^ kTables[6][(v >> 8) & 0xff] ^ kTables[5][(v >> 16) & 0xff] ^
          kTables[4][(v >> 24) & 0xff] ^ kTables[3][(v >> 32) & 0xff] ^
          kTables[2][(v >> 40) & 0xff] ^ kTables[1][(v >> 48) & 0xff] ^ kTables[0][v >> 56];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xffu];
  return ~crc;
}

bool HardwareAvailable() { return kHaveHardware; }

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
std::uint32_t ExtendHardware(std::uint32_t init_crc, const char* data, std::size_t n) {
  std::uint64_t crc = ~init_crc;
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, data, sizeof(v));
    crc = _mm_crc32_u64(crc, v);
    data += 8;
    n -= 8;
  }
  auto crc32 = static_cast<std::uint32_t>(crc);
  while (n-- > 0) crc32 = _mm_crc32_u8(crc32, static_cast<unsigned char>(*data++));
  return ~crc32;
}
#else
std::uint32_t ExtendHardware(std::uint32_t init_crc, const char* data, std::size_t n) {
  return ExtendPortable(init_crc, data, n);
}
#endif

}  // namespace internal

std::uint32_t Extend(std::uint32_t init_crc, const char* data, std::size_t n) {
  return kHaveHardware ? internal::ExtendHardware(init_crc, data, n)
                       : internal::ExtendPortable(init_crc, data, n);
}

}  // namespace otelpack::crc32c
