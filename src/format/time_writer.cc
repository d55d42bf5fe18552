// Times and durations as text (time_writer.h). Every divisor is a
// compile-time constant: each unit and number of decimals has its own
// instance of WriteFixed, picked by one switch, so the divisions become
// multiplications as they are in the article's hand-written writers.
#include "format/time_writer.h"

#include <cstring>

#include "format/json_writer.h"

namespace otelpack::format {
namespace {

constexpr std::uint64_t Pow10(unsigned k) {
  std::uint64_t v = 1;
  for (unsigned i = 0; i < k; ++i) v *= 10;
  return v;
}

// v rounded to a multiple of kUnit ns: down, or half up.
template <std::uint64_t kUnit>
std::uint64_t Scale(std::uint64_t ns, bool nearest) {
  if constexpr (kUnit == 1) {
    return ns;
  } else {
    // ns / kUnit <= UINT64_MAX / 10, so the + 1 cannot overflow.
    return ns / kUnit + (nearest && ns % kUnit >= kUnit / 2 ? 1 : 0);
  }
}

// ns in units of 10^kUnitDigits ns with at most kDecimals decimals, half up
// at the last one, trailing zeros dropped but one kept.
template <unsigned kUnitDigits, unsigned kDecimals>
char* WriteFixed(std::uint64_t ns, char* out) {
  static_assert(kDecimals >= 1 && kDecimals <= kUnitDigits);
  constexpr std::uint64_t kFraction = Pow10(kDecimals);
  const std::uint64_t q = Scale<Pow10(kUnitDigits - kDecimals)>(ns, true);
  out = WriteUint(q / kFraction, out);
  auto frac = static_cast<std::uint32_t>(q % kFraction);
  *out++ = '.';
  unsigned digits = kDecimals;
  while (digits > 1 && frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  for (unsigned i = digits; i-- > 0;) {
    out[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return out + digits;
}

template <unsigned kUnitDigits>
char* WriteInteger(std::uint64_t ns, bool nearest, char* out) {
  return WriteUint(Scale<Pow10(kUnitDigits)>(ns, nearest), out);
}

// Two digits of v < 100.
char* Two(unsigned v, char* out) {
  std::memcpy(out, detail::kDigitPairs.data() + 2 * v, 2);
  return out + 2;
}

}  // namespace

char* WriteUnixTime(const TimeFormat& f, std::uint64_t ns, char* out) {
  const unsigned decimals = f.decimals < f.unit_digits ? f.decimals : f.unit_digits;
  switch (f.unit_digits * 10 + decimals) {
    case 0: return WriteUint(ns, out);
    case 30: return WriteInteger<3>(ns, f.round_nearest, out);
    case 60: return WriteInteger<6>(ns, f.round_nearest, out);
    case 90: return WriteInteger<9>(ns, f.round_nearest, out);
    case 31: return WriteFixed<3, 1>(ns, out);
    case 32: return WriteFixed<3, 2>(ns, out);
    case 33: return WriteFixed<3, 3>(ns, out);
    case 61: return WriteFixed<6, 1>(ns, out);
    case 62: return WriteFixed<6, 2>(ns, out);
    case 63: return WriteFixed<6, 3>(ns, out);
    case 64: return WriteFixed<6, 4>(ns, out);
    case 65: return WriteFixed<6, 5>(ns, out);
    case 66: return WriteFixed<6, 6>(ns, out);
    case 91: return WriteFixed<9, 1>(ns, out);
    case 92: return WriteFixed<9, 2>(ns, out);
    case 93: return WriteFixed<9, 3>(ns, out);
    case 94: return WriteFixed<9, 4>(ns, out);
    case 95: return WriteFixed<9, 5>(ns, out);
    case 96: return WriteFixed<9, 6>(ns, out);
    case 97: return WriteFixed<9, 7>(ns, out);
    case 98: return WriteFixed<9, 8>(ns, out);
    case 99: return WriteFixed<9, 9>(ns, out);
    default: break;
  }
  // Not a unit the compiler makes (unit_digits is 0, 3, 6 or 9): ns.
  return WriteUint(ns, out);
}

char* WriteRfc3339(std::uint64_t ns, unsigned digits, char* out) {
  const std::uint64_t secs = ns / 1'000'000'000;
  const auto nanos = static_cast<std::uint32_t>(ns % 1'000'000'000);
  const std::uint64_t days = secs / 86400;
  const auto in_day = static_cast<std::uint32_t>(secs % 86400);
  // Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil,
  // inverted), all unsigned: the epoch is the earliest time a uint64 holds.
  const std::uint64_t z = days + 719468;
  const std::uint64_t era = z / 146097;
  const auto doe = static_cast<std::uint32_t>(z - era * 146097);
  const std::uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::uint32_t mp = (5 * doy + 2) / 153;
  const std::uint32_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::uint32_t month = mp < 10 ? mp + 3 : mp - 9;
  const auto year = static_cast<std::uint32_t>(yoe + era * 400 + (month <= 2 ? 1 : 0));  // <= 2554
  out = Two(year / 100, out);
  out = Two(year % 100, out);
  *out++ = '-';
  out = Two(month, out);
  *out++ = '-';
  out = Two(day, out);
  *out++ = 'T';
  out = Two(in_day / 3600, out);
  *out++ = ':';
  out = Two(in_day / 60 % 60, out);
  *out++ = ':';
  out = Two(in_day % 60, out);
  if (digits > 0) {
    if (digits > 9) digits = 9;
    *out++ = '.';
    // All nine digits, then keep the first `digits` (truncation).
    std::uint32_t v = nanos;
    for (unsigned i = 9; i-- > 0;) {
      out[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    out += digits;
  }
  *out++ = 'Z';
  return out;
}

}  // namespace otelpack::format
