// Low-level JSON writing for the event encoder: a raw write cursor over a
// Buffer, string escaping with UTF-8 repair, hex ids and numbers.
//
// Speed is the point of this file (the encoder must run at several GB/s), so
// the pieces write through a raw pointer into room reserved beforehand: the
// caller reserves a worst-case bound with Cursor::Ensure() and then writes
// without further checks. Each function states the room it needs.
#ifndef OTELPACK_FORMAT_JSON_WRITER_H_
#define OTELPACK_FORMAT_JSON_WRITER_H_

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "otelpack/buffer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace otelpack::format {

// Escaping can turn one input byte into at most 6 output bytes (a control
// character becomes \u00XX; a bad UTF-8 byte becomes U+FFFD, 3 bytes).
constexpr std::size_t kMaxEscapeGrowth = 6;
// The room one number needs: the longest output ("-2.2250738585072014e-308",
// 24) plus the scratch bytes the digit writers may store after it.
constexpr std::size_t kMaxNumberChars = 32;

// A write position inside a Buffer's spare capacity. Ensure(n) guarantees n
// writable bytes at p; Done() commits what was written. While a Cursor is
// live nothing else may append to the buffer.
class Cursor {
 public:
  explicit Cursor(Buffer* buf, std::size_t first) : buf_(buf) {
    p = buf->ReserveAppend(first);
    end_ = buf->data() + buf->capacity();
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  void Ensure(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p) < n) Grow(n);
  }
  void Done() { buf_->Commit(static_cast<std::size_t>(p - (buf_->data() + buf_->size()))); }
  // The end of the reserved room: a writer may keep p and end() in locals
  // and come back to the cursor only to grow.
  char* end() const { return end_; }

  char* p;  // the next byte to write

 private:
  void Grow(std::size_t n);  // out of line: the rare case
  Buffer* buf_;
  char* end_;
};

// Copies a literal (a compile-time constant size, so the copy is a few moves).
template <std::size_t N>
inline char* Lit(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + (N - 1);
}

// ---------------------------------------------------------------- strings

namespace detail {

// Handles the byte at *s, which needs attention: a control character, '"',
// '\\', or the start of a (possibly invalid) UTF-8 sequence. Advances *s past
// what it consumed and returns the new output end.
char* EscapeSpecial(const char** s, const char* end, char* out);

// Nonzero bytes (0x80 each) where x has a byte < 0x20, '"', '\\' or >= 0x80.
// Exact per byte: no lane can carry into the next because every sum below
// is at most 0x7f + 0x7f.
inline std::uint64_t SpecialMask8(std::uint64_t x) {
  constexpr std::uint64_t k01 = 0x0101010101010101ULL;
  constexpr std::uint64_t k80 = 0x80 * k01;
  constexpr std::uint64_t k7f = 0x7f * k01;
  const std::uint64_t y = x & k7f;
  const std::uint64_t control = ~(y + 0x60 * k01);  // high bit clear iff y < 0x20
  const std::uint64_t quote = ~((y ^ (0x22 * k01)) + k7f);
  const std::uint64_t backslash = ~((y ^ (0x5c * k01)) + k7f);
  return (x | control | quote | backslash) & k80;
}

inline std::uint32_t SpecialMask4(std::uint32_t x) {
  return static_cast<std::uint32_t>(SpecialMask8(x) & 0x80808080u);
}

inline std::uint64_t Load8(const char* s) {
  std::uint64_t v;
  std::memcpy(&v, s, 8);
  return v;
}
inline std::uint32_t Load4(const char* s) {
  std::uint32_t v;
  std::memcpy(&v, s, 4);
  return v;
}

#if defined(__SSE2__)
// One bit per special byte of v.
inline unsigned SpecialBits16(__m128i v) {
  // Signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches them.
  const __m128i special =
      _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  return static_cast<unsigned>(_mm_movemask_epi8(special));
}
#endif

// True when the two words (loaded from a short string's two ends) hold no
// special byte.
inline bool Safe8x2(std::uint64_t a, std::uint64_t b) {
#if defined(__SSE2__)
  return SpecialBits16(_mm_set_epi64x(static_cast<long long>(b), static_cast<long long>(a))) == 0;
#else
  return (SpecialMask8(a) | SpecialMask8(b)) == 0;
#endif
}
inline bool Safe4x2(std::uint32_t a, std::uint32_t b) {
#if defined(__SSE2__)
  const __m128i v = _mm_unpacklo_epi32(_mm_cvtsi32_si128(static_cast<int>(a)), _mm_cvtsi32_si128(static_cast<int>(b)));
  return (SpecialBits16(v) & 0xFF) == 0;  // the upper 8 bytes are zero padding
#else
  return (SpecialMask4(a) | SpecialMask4(b)) == 0;
#endif
}

// Index of the first special byte among s[0..16), or 16.
inline unsigned FirstSpecial16(const char* s) {
#if defined(__SSE2__)
  const unsigned bits = SpecialBits16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
  return static_cast<unsigned>(std::countr_zero(bits | 0x10000u));
#else
  static_assert(std::endian::native == std::endian::little, "SWAR byte order");
  std::uint64_t m = SpecialMask8(Load8(s));
  if (m != 0) return static_cast<unsigned>(std::countr_zero(m)) / 8;
  m = SpecialMask8(Load8(s + 8));
  if (m != 0) return 8 + static_cast<unsigned>(std::countr_zero(m)) / 8;
  return 16;
#endif
}

// True when s[0..32) holds no special byte.
inline bool Safe32(const char* s) {
#if defined(__SSE2__)
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16));
  return (SpecialBits16(a) | SpecialBits16(b)) == 0;
#else
  return FirstSpecial16(s) == 16 && FirstSpecial16(s + 16) == 16;
#endif
}

inline void Copy16(char* out, const char* s) {
#if defined(__SSE2__)
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
#else
  std::memcpy(out, s, 16);
#endif
}

// The rest of EscapeTo once its fast paths do not apply, byte by byte.
char* EscapeSlow(const char* s, const char* end, char* out);

}  // namespace detail

// Writes the JSON-escaped, UTF-8-repaired form of s[0..n) (no quotes).
// REQUIRES: room for kMaxEscapeGrowth * n bytes at out.
//
// Safe ASCII is copied 32 or 16 bytes at a time (SSE2; 8-byte SWAR words
// where SSE2 is missing). The last partial block is done with one overlapping 16-byte block when
// everything it overlaps was copied verbatim; strings under 16 bytes are
// checked with two overlapping 8- or 4-byte words. Only the special bytes
// go through the slow path. U+2028 and U+2029 are not escaped: they are
// valid in JSON, and our readers are JSON parsers, not JavaScript.
inline char* EscapeTo(const char* s, std::size_t n, char* out) {
  const char* const end = s + n;
  if (n >= 16) {
    // Output bytes from here on are verbatim copies of the input.
    const char* verbatim_from = s;
    for (;;) {
      // Long safe runs 32 bytes a step (one branch for two blocks).
      while (end - s >= 32 && detail::Safe32(s)) {
        detail::Copy16(out, s);
        detail::Copy16(out + 16, s + 16);
        s += 32;
        out += 32;
      }
      if (end - s < 16) break;
      const unsigned k = detail::FirstSpecial16(s);
      // Copies all 16 bytes even when only k are safe: the room reserved
      // for this string (6n) covers it, and the rest is overwritten.
      detail::Copy16(out, s);
      s += k;
      out += k;
      if (k < 16) {
        out = detail::EscapeSpecial(&s, end, out);
        verbatim_from = s;
      }
      if (end - s < 16) break;
    }
    const std::size_t r = static_cast<std::size_t>(end - s);
    if (r == 0) return out;
    if (end - 16 >= verbatim_from && detail::FirstSpecial16(end - 16) == 16) {
      detail::Copy16(out + r - 16, end - 16);
      return out + r;
    }
    return detail::EscapeSlow(s, end, out);
  }
  // Short strings: check and copy two overlapping words from both ends.
  if (n >= 8) {
    const std::uint64_t a = detail::Load8(s), b = detail::Load8(end - 8);
    if (detail::Safe8x2(a, b)) {
      std::memcpy(out, &a, 8);
      std::memcpy(out + n - 8, &b, 8);
      return out + n;
    }
  } else if (n >= 4) {
    const std::uint32_t a = detail::Load4(s), b = detail::Load4(end - 4);
    if (detail::Safe4x2(a, b)) {
      std::memcpy(out, &a, 4);
      std::memcpy(out + n - 4, &b, 4);
      return out + n;
    }
  } else if (n > 0) {
    // 1 to 3 bytes: the first, middle and last cover them all.
    const auto b0 = static_cast<unsigned char>(s[0]);
    const auto b1 = static_cast<unsigned char>(s[n / 2]);
    const auto b2 = static_cast<unsigned char>(end[-1]);
    const std::uint32_t word = b0 | (b1 << 8) | (b2 << 16) | (std::uint32_t{'a'} << 24);
    if (detail::SpecialMask4(word) == 0) {
      out[0] = s[0];
      out[n / 2] = s[n / 2];
      out[n - 1] = end[-1];
      return out + n;
    }
  } else {
    return out;
  }
  return detail::EscapeSlow(s, end, out);
}

// ---------------------------------------------------------------- hex ids

namespace detail {
constexpr std::array<char, 512> MakeHexPairs() {
  std::array<char, 512> t{};
  constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 256; ++i) {
    t[2 * i] = kHex[i >> 4];
    t[2 * i + 1] = kHex[i & 15];
  }
  return t;
}
// "000102...ff": the two hex digits of each byte value.
inline constexpr std::array<char, 512> kHexPairs = MakeHexPairs();
}  // namespace detail

// Writes 2n lowercase hex digits for bytes[0..n).
inline char* WriteHex(const std::uint8_t* bytes, std::size_t n, char* out) {
  for (std::size_t i = 0; i < n; ++i) std::memcpy(out + 2 * i, detail::kHexPairs.data() + 2 * bytes[i], 2);
  return out + 2 * n;
}

#if defined(__SSE2__)
namespace detail {
// 16 hex digits from the low 8 bytes of v, in byte order.
inline __m128i HexDigits(__m128i nibbles) {
  const __m128i ascii = _mm_add_epi8(nibbles, _mm_set1_epi8('0'));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
  return _mm_add_epi8(ascii, letter);
}
}  // namespace detail

// 32 hex digits of a 16-byte id: nibbles split and converted 16 at a time.
inline char* WriteHex16(const std::uint8_t* bytes, char* out) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  const __m128i lo = _mm_and_si128(v, _mm_set1_epi8(0x0f));
  const __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0f));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), detail::HexDigits(_mm_unpacklo_epi8(hi, lo)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), detail::HexDigits(_mm_unpackhi_epi8(hi, lo)));
  return out + 32;
}
inline char* WriteHex8(const std::uint8_t* bytes, char* out) {
  const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes));
  const __m128i lo = _mm_and_si128(v, _mm_set1_epi8(0x0f));
  const __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0f));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), detail::HexDigits(_mm_unpacklo_epi8(hi, lo)));
  return out + 16;
}
#else
inline char* WriteHex16(const std::uint8_t* bytes, char* out) { return WriteHex(bytes, 16, out); }
inline char* WriteHex8(const std::uint8_t* bytes, char* out) { return WriteHex(bytes, 8, out); }
#endif

// ---------------------------------------------------------------- numbers

namespace detail {

constexpr std::array<char, 200> MakeDigitPairs() {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[2 * i] = static_cast<char>('0' + i / 10);
    t[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return t;
}
// "00", "01", ... "99".
inline constexpr std::array<char, 200> kDigitPairs = MakeDigitPairs();

// The 8 decimal digits of v < 10^8 as byte values 0..9, the first digit in
// the lowest byte, computed with no loop: split into 4-digit halves, then
// 2-digit quarters, then digits, every lane dividing by a multiply-shift
// that is exact for its range (x * 10486 >> 20 == x / 100 for x < 10^4;
// x * 103 >> 10 == x / 10 for x < 100). From Lemire's SWAR conversion.
inline std::uint64_t DigitBytes8(std::uint32_t v) {
  const std::uint64_t merged = (v / 10000) | (static_cast<std::uint64_t>(v % 10000) << 32);
  const std::uint64_t top = ((merged * 10486) >> 20) & ((0x7FULL << 32) | 0x7FULL);
  const std::uint64_t bot = merged - 100 * top;
  const std::uint64_t hundreds = (bot << 16) + top;
  std::uint64_t tens = (hundreds * 103) >> 10;
  tens &= (0xFULL << 48) | (0xFULL << 32) | (0xFULL << 16) | 0xFULL;
  tens += (hundreds - 10 * tens) << 8;
  return tens;
}

constexpr std::uint64_t kAsciiZeros = 0x3030303030303030ULL;

// Exactly 8 digits (leading zeros kept). REQUIRES: v < 10^8, 8 bytes room.
inline char* Write8Digits(std::uint32_t v, char* out) {
  const std::uint64_t ascii = DigitBytes8(v) + kAsciiZeros;
  std::memcpy(out, &ascii, 8);
  return out + 8;
}

// 1 to 8 digits, no leading zeros. REQUIRES: v < 10^8; writes 8 bytes.
inline char* WriteUpTo8Digits(std::uint32_t v, char* out) {
  const std::uint64_t digits = DigitBytes8(v);
  // Leading zero digits are the low zero bytes; keep at least one digit.
  const unsigned skip = digits == 0 ? 7 : static_cast<unsigned>(std::countr_zero(digits)) / 8;
  const std::uint64_t ascii = (digits + kAsciiZeros) >> (8 * skip);
  std::memcpy(out, &ascii, 8);
  return out + 8 - skip;
}

}  // namespace detail

// Decimal digits of v. REQUIRES: room for 20 bytes (it may write scratch
// bytes after the digits, within those 20).
inline char* WriteUint(std::uint64_t v, char* out) {
  static_assert(std::endian::native == std::endian::little, "digit bytes are stored little-endian");
  constexpr std::uint64_t k1e8 = 100000000ULL;
  if (v < 100) {
    // Common for attribute values; one table lookup.
    if (v < 10) {
      *out = static_cast<char>('0' + v);
      return out + 1;
    }
    std::memcpy(out, detail::kDigitPairs.data() + 2 * v, 2);
    return out + 2;
  }
  if (v < k1e8) return detail::WriteUpTo8Digits(static_cast<std::uint32_t>(v), out);
  if (v < k1e8 * k1e8) {
    out = detail::WriteUpTo8Digits(static_cast<std::uint32_t>(v / k1e8), out);
    return detail::Write8Digits(static_cast<std::uint32_t>(v % k1e8), out);
  }
  const std::uint64_t rest = v % (k1e8 * k1e8);
  out = detail::WriteUpTo8Digits(static_cast<std::uint32_t>(v / (k1e8 * k1e8)), out);
  out = detail::Write8Digits(static_cast<std::uint32_t>(rest / k1e8), out);
  return detail::Write8Digits(static_cast<std::uint32_t>(rest % k1e8), out);
}

// REQUIRES: room for kMaxNumberChars bytes (INT64_MIN is
// "-9223372036854775808"; scratch bytes may follow the digits).
inline char* WriteInt(std::int64_t v, char* out) {
  if (v < 0) {
    *out++ = '-';
    // Negate in unsigned arithmetic so INT64_MIN does not overflow.
    return WriteUint(0 - static_cast<std::uint64_t>(v), out);
  }
  return WriteUint(static_cast<std::uint64_t>(v), out);
}

namespace detail {
// What std::to_chars(double) writes (shortest round trip, fixed or
// scientific, whichever is shorter) with ".0" after an integral value,
// computed faster for the common cases of a non-integer in [1e-3, 2^52) and
// an integer below 10^5, which need no search for a '.' or an 'e'. Out of
// line. REQUIRES: d finite, kMaxNumberChars room.
char* WriteFiniteDouble(double d, char* out);
}  // namespace detail

// The shortest form that reads back to the same double, with ".0" added to
// an integral value ("5.0", "-0.0") so that readers which try integers first
// still see a double; null for NaN and infinities, which JSON cannot express.
// REQUIRES: kMaxNumberChars room (the longest form is 24 characters).
inline char* WriteDouble(double d, char* out) {
  if (!std::isfinite(d)) return Lit(out, "null");
  return detail::WriteFiniteDouble(d, out);
}

// (end - start) ns in ms with 3 decimals, rounded half away from zero on
// integers, trailing zeros dropped but one kept: "12.345", "12.3", "5.0".
// "0.0" when end < start. REQUIRES: kMaxNumberChars room.
inline char* WriteDurationMs(std::uint64_t start, std::uint64_t end, char* out) {
  const std::uint64_t ns = end > start ? end - start : 0;
  const std::uint64_t us = ns / 1000 + (ns % 1000 >= 500 ? 1 : 0);
  out = WriteUint(us / 1000, out);
  unsigned frac = static_cast<unsigned>(us % 1000);
  *out++ = '.';
  out[0] = static_cast<char>('0' + frac / 100);
  out[1] = static_cast<char>('0' + frac / 10 % 10);
  out[2] = static_cast<char>('0' + frac % 10);
  if (frac % 100 != 0) return out + (frac % 10 != 0 ? 3 : 2);
  return out + 1;
}

}  // namespace otelpack::format

namespace otelpack {

// Appends s as a JSON string: quotes, escapes ('"', '\\', control characters
// as \n \t \r \b \f or \u00XX) and UTF-8 repair (each maximal invalid subpart
// becomes U+FFFD). U+2028 and U+2029 are left as they are: valid JSON.
void AppendJsonString(std::string_view s, Buffer* out);

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_JSON_WRITER_H_
