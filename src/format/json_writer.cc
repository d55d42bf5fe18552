// The rare paths of json_writer.h: buffer growth, escapes and UTF-8 repair.
#include "format/json_writer.h"

#include <charconv>

namespace otelpack::format {

void Cursor::Grow(std::size_t n) {
  Done();
  p = buf_->ReserveAppend(n);
  end_ = buf_->data() + buf_->capacity();
}

namespace detail {
namespace {

// The escape of each byte below 0x20, padded to 6 bytes, and its length.
struct ControlEscapes {
  char text[32][6];
  unsigned char len[32];
};

constexpr ControlEscapes MakeControlEscapes() {
  ControlEscapes e{};
  constexpr char kHex[] = "0123456789abcdef";
  for (int c = 0; c < 32; ++c) {
    char* t = e.text[c];
    char shorthand = 0;
    switch (c) {
      case '\b': shorthand = 'b'; break;
      case '\t': shorthand = 't'; break;
      case '\n': shorthand = 'n'; break;
      case '\f': shorthand = 'f'; break;
      case '\r': shorthand = 'r'; break;
      default: break;
    }
    t[0] = '\\';
    if (shorthand != 0) {
      t[1] = shorthand;
      e.len[c] = 2;
    } else {
      t[1] = 'u';
      t[2] = '0';
      t[3] = '0';
      t[4] = kHex[c >> 4];
      t[5] = kHex[c & 15];
      e.len[c] = 6;
    }
  }
  return e;
}
constexpr ControlEscapes kControl = MakeControlEscapes();

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
constexpr char kReplacement[3] = {'\xEF', '\xBF', '\xBD'};

// Validates the UTF-8 sequence starting at s (s[0] >= 0x80). Copies it when
// valid; otherwise writes one U+FFFD for its maximal invalid subpart (Unicode
// 15, section 3.9, "U+FFFD Substitution of Maximal Subparts"): the longest
// prefix that could start a valid sequence, or the single byte when none.
char* RepairUtf8(const char** sp, const char* end, char* out) {
  const auto* u = reinterpret_cast<const unsigned char*>(*sp);
  const std::size_t avail = static_cast<std::size_t>(end - *sp);
  const unsigned c0 = u[0];
  // Sequence length and the allowed range of the second byte (Table 3-7);
  // later bytes are always 80..BF.
  std::size_t len = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    len = 2;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    len = 3;
    if (c0 == 0xE0) lo = 0xA0;  // no overlongs
    if (c0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    len = 4;
    if (c0 == 0xF0) lo = 0x90;  // no overlongs
    if (c0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  }
  std::size_t good = 1;  // bytes of a valid prefix seen so far
  if (len != 0 && avail > 1 && u[1] >= lo && u[1] <= hi) {
    good = 2;
    while (good < len && good < avail && u[good] >= 0x80 && u[good] <= 0xBF) ++good;
  }
  if (good == len) {
    std::memcpy(out, u, len);
    *sp += len;
    return out + len;
  }
  std::memcpy(out, kReplacement, 3);
  *sp += good;
  return out + 3;
}

}  // namespace

char* EscapeSpecial(const char** s, const char* end, char* out) {
  const auto c = static_cast<unsigned char>(**s);
  if (c >= 0x80) return RepairUtf8(s, end, out);
  ++*s;
  if (c < 0x20) {
    std::memcpy(out, kControl.text[c], 6);
    return out + kControl.len[c];
  }
  out[0] = '\\';
  out[1] = static_cast<char>(c);  // '"' or '\\'
  return out + 2;
}

char* EscapeSlow(const char* s, const char* end, char* out) {
  while (s < end) {
    const auto c = static_cast<unsigned char>(*s);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      *out++ = *s++;
    } else {
      out = EscapeSpecial(&s, end, out);
    }
  }
  return out;
}

// ------------------------------------------------------------- doubles
//
// std::to_chars(double) (Ryu in libstdc++) took ~650 instructions a call,
// 12% of all the instructions spent on loadgen spans. Most attribute
// doubles are non-integers between 1e-3 and 2^52, for which the shortest
// form is always fixed notation ("12.345678"); those are done below with
// exact 128-bit integer arithmetic (GCC/Clang __int128), which brought the
// doubles' share down to ~7% (callgrind). Everything else, and the
// rare cases the fast path does not decide (a power of two, whose rounding
// interval is lopsided; an exact tie), goes to std::to_chars, so the output
// is always identical to std::to_chars.

namespace {

__extension__ typedef unsigned __int128 U128;

constexpr std::uint64_t kPow10[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL, 10000000000000000000ULL};

unsigned DigitCount(std::uint64_t v) {
  unsigned n = 1;
  while (n < 20 && v >= kPow10[n]) ++n;
  return n;
}

// The last k digits of v < 10^k, leading zeros kept (1 <= k <= 8). Stores 8
// bytes.
char* WriteLastDigits(std::uint32_t v, unsigned k, char* out) {
  const std::uint64_t ascii = (DigitBytes8(v) + kAsciiZeros) >> (8 * (8 - k));
  std::memcpy(out, &ascii, 8);
  return out + k;
}

// Exactly k digits of v < 10^k (1 <= k <= 19). Stores up to 7 scratch bytes
// past the digits when k < 8.
char* WritePaddedDigits(std::uint64_t v, unsigned k, char* out) {
  constexpr std::uint64_t k1e8 = 100000000ULL;
  if (k <= 8) return WriteLastDigits(static_cast<std::uint32_t>(v), k, out);
  if (k <= 16) {
    out = WriteLastDigits(static_cast<std::uint32_t>(v / k1e8), k - 8, out);
    return Write8Digits(static_cast<std::uint32_t>(v % k1e8), out);
  }
  const std::uint64_t rest = v % (k1e8 * k1e8);
  out = WriteLastDigits(static_cast<std::uint32_t>(v / (k1e8 * k1e8)), k - 16, out);
  out = Write8Digits(static_cast<std::uint32_t>(rest / k1e8), out);
  return Write8Digits(static_cast<std::uint32_t>(rest % k1e8), out);
}

// For a = m / 2^q (m a 53-bit significand that is not a power of two,
// 1 <= q <= 62, a not an integer): the smallest k such that some k-decimal
// N / 10^k reads back as a, and that N (the nearest to a * 10^k).
//
// A decimal reads back as a when it lies in a's rounding interval, half an
// ulp (1 / 2^(q+1)) either side, bounds included when m is even (strtod
// rounds ties to even). At kmax digits (17 significant) the interval always
// holds integers [lo, hi], computed exactly in 128 bits; dropping a digit
// keeps the multiples of 10 in it: [ceil(lo / 10), floor(hi / 10)]. The
// smallest k is reached when that range empties. Returns false where
// to_chars should decide (an exact tie, or anything unexpected).
struct Shortest {
  std::uint64_t n;
  unsigned k;
};
bool FindShortest(std::uint64_t m, unsigned q, unsigned kmax, Shortest* out) {
  const U128 scale = kPow10[kmax];
  const U128 below = (2 * static_cast<U128>(m) - 1) * scale;  // the bounds times 2^(q+1)
  const U128 above = (2 * static_cast<U128>(m) + 1) * scale;
  const unsigned shift = q + 1;
  const std::uint64_t low_mask = (std::uint64_t{1} << shift) - 1;  // shift <= 63
  const bool inclusive = (m & 1) == 0;
  std::uint64_t lo = static_cast<std::uint64_t>(below >> shift);
  if ((static_cast<std::uint64_t>(below) & low_mask) != 0 || !inclusive) ++lo;  // ceil, or past an excluded bound
  std::uint64_t hi = static_cast<std::uint64_t>(above >> shift);
  if ((static_cast<std::uint64_t>(above) & low_mask) == 0 && !inclusive) --hi;
  if (lo > hi) return false;
  unsigned k = kmax;
  // Whole groups of four digits first: "nice" values (prices, rounded
  // times) lose many.
  while (k > 4 && (hi / 10000) >= (lo + 9999) / 10000) {
    lo = (lo + 9999) / 10000;
    hi /= 10000;
    k -= 4;
  }
  while (k > 1 && (hi / 10) >= (lo + 9) / 10) {
    lo = (lo + 9) / 10;
    hi /= 10;
    --k;
  }
  // The nearest k-digit decimal; with a symmetric interval it is in [lo, hi].
  const U128 p = static_cast<U128>(m) * kPow10[k];
  const std::uint64_t rem_mask = (std::uint64_t{1} << q) - 1;
  const std::uint64_t half = std::uint64_t{1} << (q - 1);
  const std::uint64_t rem = static_cast<std::uint64_t>(p) & rem_mask;
  if (rem == half) return false;
  const std::uint64_t n = static_cast<std::uint64_t>(p >> q) + (rem > half ? 1 : 0);
  if (n < lo || n > hi || n % 10 == 0) return false;
  out->n = n;
  out->k = k;
  return true;
}

}  // namespace

char* WriteFiniteDouble(double d, char* out) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  const double a = d < 0 ? -d : d;
  if (a >= 1e-3 && a < 4503599627370496.0 /* 2^52 */) {
    const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52) - 1);
    const unsigned q = 1075 - static_cast<unsigned>((bits >> 52) & 0x7ff);  // a = m / 2^q, q in [1, 62]
    const std::uint64_t m = fraction | (std::uint64_t{1} << 52);
    const std::uint64_t int_part = q < 64 ? m >> q : 0;
    const bool is_integer = (m & ((std::uint64_t{1} << q) - 1)) == 0;
    if (is_integer) {
      // Fixed notation is never longer than scientific below 10^5
      // ("99999" vs "9.9999e+04"); larger whole numbers may print as "1e+05".
      if (int_part < 100000) {
        if (d < 0) *out++ = '-';
        return Lit(WriteUint(int_part, out), ".0");
      }
    } else if (fraction != 0) {
      // Shortest round trip needs at most 17 significant digits; below 1,
      // up to two zeros follow the point first (a >= 0.001).
      const unsigned int_digits = int_part == 0 ? 0 : DigitCount(int_part);
      const unsigned kmax = int_part != 0 ? 17 - int_digits : (a < 0.01 ? 19 : a < 0.1 ? 18 : 17);
      Shortest s;
      if (FindShortest(m, q, kmax, &s)) {
        // At the smallest k the last digit is not 0 and nothing carries into
        // the integer part, which is therefore int_part.
        if (d < 0) *out++ = '-';
        out = WriteUint(int_part, out);
        *out++ = '.';
        return WritePaddedDigits(s.n - int_part * kPow10[s.k], s.k, out);
      }
    }
  }
  // The rest (0, tiny, huge and large integral values): to_chars, then the
  // ".0" when it wrote neither a '.' nor an exponent.
  char* end = std::to_chars(out, out + 24, d).ptr;
  for (const char* p = out; p != end; ++p) {
    if (*p == '.' || *p == 'e') return end;
  }
  return Lit(end, ".0");
}

}  // namespace detail
}  // namespace otelpack::format

namespace otelpack {

void AppendJsonString(std::string_view s, Buffer* out) {
  format::Cursor c(out, format::kMaxEscapeGrowth * s.size() + 2);
  char* p = c.p;
  *p++ = '"';
  p = format::EscapeTo(s.data(), s.size(), p);
  *p++ = '"';
  c.p = p;
  c.Done();
}

}  // namespace otelpack
