// Times and durations as a declared format asks for them (docs/formats.md,
// "Conversions"): Unix integers in ns, us, ms or s, rounded down or half up,
// decimals of a unit, and RFC 3339 text. The article's own fields keep their
// writers in json_writer.h (WriteUint of ns / 1e6, WriteDurationMs); the
// Unix form here with unit ms and 3 decimals writes exactly what
// WriteDurationMs writes, which the tests check.
//
// Like json_writer.h these write through a raw pointer into room reserved
// beforehand, with no allocation and no printf.
#ifndef OTELPACK_FORMAT_TIME_WRITER_H_
#define OTELPACK_FORMAT_TIME_WRITER_H_

#include <cstddef>
#include <cstdint>

namespace otelpack::format {

// How a time or a duration, given in ns, is written.
struct TimeFormat {
  enum class Style : std::uint8_t {
    kUnix,     // a JSON number in the unit
    kRfc3339,  // a JSON string: "2024-11-24T20:26:40.123Z"
  };
  Style style = Style::kUnix;
  // kUnix: the unit is 10^unit_digits ns: 0 ns, 3 us, 6 ms, 9 s.
  std::uint8_t unit_digits = 0;
  // kUnix: 0 writes an integer; N writes at most N decimals (no more than
  // the unit has below it), half up at the last, trailing zeros dropped but
  // one kept ("12.5", "5.0").
  std::uint8_t decimals = 0;
  // kUnix integers: round half up instead of down.
  bool round_nearest = false;
  // kRfc3339: fraction digits, 0 to 9 (truncated, as RFC 3339 readers expect).
  std::uint8_t digits = 3;

  // The article's times: integer Unix milliseconds, rounded down.
  static constexpr TimeFormat UnixMs() { return {Style::kUnix, 6, 0, false, 3}; }
};

// The room any WriteTime call needs: the longest text (an RFC 3339 time
// with 9 digits and its quotes is 32 bytes; a uint64 with 9 decimals 30)
// plus the scratch bytes the digit writers may store after it.
constexpr std::size_t kMaxTimeChars = 48;

// The longest text WriteTime writes in format `f` (without scratch bytes):
// what a body's envelope reserves for its send time.
constexpr std::size_t MaxTimeTextSize(const TimeFormat& f) {
  if (f.style == TimeFormat::Style::kRfc3339) return 22 + (f.digits > 0 ? 1 + (f.digits < 9 ? f.digits : 9) : 0);
  const unsigned decimals = f.decimals < f.unit_digits ? f.decimals : f.unit_digits;
  return 20 + (decimals > 0 ? 1 + decimals : 0);
}

// `ns` as a Unix number in the unit of `f` (Style kUnix).
// REQUIRES: kMaxTimeChars room.
char* WriteUnixTime(const TimeFormat& f, std::uint64_t ns, char* out);

// `ns` since the epoch as RFC 3339 UTC text without quotes:
// "2024-11-24T20:26:40.123Z" for 3 digits, "...:40Z" for 0.
// REQUIRES: kMaxTimeChars room.
char* WriteRfc3339(std::uint64_t ns, unsigned digits, char* out);

// `ns` as JSON in format `f`: a number, or a quoted RFC 3339 string.
// REQUIRES: kMaxTimeChars room.
inline char* WriteTime(const TimeFormat& f, std::uint64_t ns, char* out) {
  if (f.style == TimeFormat::Style::kUnix) return WriteUnixTime(f, ns, out);
  *out++ = '"';
  out = WriteRfc3339(ns, f.digits, out);
  *out++ = '"';
  return out;
}

}  // namespace otelpack::format

#endif  // OTELPACK_FORMAT_TIME_WRITER_H_
