// Tests for the low-level JSON pieces: string escaping and UTF-8 repair
// (against an independent brute-force reference), numbers, durations, ids.
#include "format/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>


namespace otelpack {
namespace {

std::string Json(std::string_view s) {
  Buffer b;
  AppendJsonString(s, &b);
  return std::string(b.view());
}

// The string simdjson reads back from our JSON (which must parse and be
// valid UTF-8).
std::string RoundTrip(std::string_view s) {
  std::string json = Json(s);
  EXPECT_TRUE(simdjson::validate_utf8(json.data(), json.size())) << json;
  simdjson::dom::parser parser;
  std::string_view out;
  auto err = parser.parse(json).get_string().get(out);
  EXPECT_EQ(err, simdjson::SUCCESS) << json;
  return std::string(out);
}

// ---- An independent reference for UTF-8 repair, derived by enumerating
// every Unicode scalar value's encoding (no hand-written byte ranges).
class Utf8Reference {
 public:
  Utf8Reference() : complete2_(1 << 16), complete3_(1 << 24), prefix2_(1 << 16), prefix3_(1 << 24) {
    for (std::uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      std::uint8_t b[4];
      int n = Encode(cp, b);
      prefix1_[b[0]] = true;
      if (n == 2) complete2_[Key(b, 2)] = true;
      if (n >= 3) prefix2_[Key(b, 2)] = true;
      if (n == 3) complete3_[Key(b, 3)] = true;
      if (n == 4) {
        prefix3_[Key(b, 3)] = true;
        complete4_.insert(Key(b, 4));
      }
    }
  }

  // s with each maximal invalid subpart replaced by U+FFFD.
  std::string Repair(std::string_view s) const {
    std::string out;
    const auto* u = reinterpret_cast<const std::uint8_t*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
      if (u[i] < 0x80) {
        out.push_back(s[i++]);
        continue;
      }
      const std::size_t left = s.size() - i;
      std::size_t done = 0;
      for (std::size_t n = 2; n <= 4 && n <= left; ++n)
        if (Complete(u + i, n)) done = n;
      if (done != 0) {
        out.append(s.substr(i, done));
        i += done;
        continue;
      }
      std::size_t prefix = 1;
      for (std::size_t n = 1; n <= 3 && n <= left; ++n)
        if (Prefix(u + i, n)) prefix = n;
      out.append("\xEF\xBF\xBD");
      i += prefix;
    }
    return out;
  }

 private:
  static int Encode(std::uint32_t cp, std::uint8_t* b) {
    if (cp < 0x800) {
      b[0] = static_cast<std::uint8_t>(0xC0 | (cp >> 6));
      b[1] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
      return 2;
    }
    if (cp < 0x10000) {
      b[0] = static_cast<std::uint8_t>(0xE0 | (cp >> 12));
      b[1] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
      b[2] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
      return 3;
    }
    b[0] = static_cast<std::uint8_t>(0xF0 | (cp >> 18));
    b[1] = static_cast<std::uint8_t>(0x80 | ((cp >> 12) & 0x3F));
    b[2] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
    b[3] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
    return 4;
  }
  static std::uint32_t Key(const std::uint8_t* b, std::size_t n) {
    std::uint32_t k = 0;
    for (std::size_t i = 0; i < n; ++i) k = k << 8 | b[i];
    return k;
  }
  bool Complete(const std::uint8_t* b, std::size_t n) const {
    if (n == 2) return complete2_[Key(b, 2)];
    if (n == 3) return complete3_[Key(b, 3)];
    return complete4_.count(Key(b, 4)) != 0;
  }
  bool Prefix(const std::uint8_t* b, std::size_t n) const {
    if (n == 1) return prefix1_[b[0]];
    if (n == 2) return prefix2_[Key(b, 2)];
    return prefix3_[Key(b, 3)];
  }

  bool prefix1_[256] = {};
  std::vector<bool> complete2_, complete3_, prefix2_, prefix3_;
  std::unordered_set<std::uint32_t> complete4_;
};

const Utf8Reference& Reference() {
  static const Utf8Reference r;
  return r;
}

constexpr char kFFFD[] = "\xEF\xBF\xBD";

TEST(JsonStringTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Json(""), "\"\"");
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
  EXPECT_EQ(Json(std::string_view("\0\x01\x1f\x7f/", 5)), "\"\\u0000\\u0001\\u001f\x7f/\"");
  for (int c = 0; c < 0x20; ++c) {
    std::string s(1, static_cast<char>(c));
    std::string json = Json(s);
    EXPECT_EQ(json[1], '\\') << c;
    EXPECT_EQ(RoundTrip(s), s) << c;
  }
}

TEST(JsonStringTest, KeepsValidUnicode) {
  for (std::string_view s : {"h\xC3\xA9llo", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x8E\x89!",
                             "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF", "\xEE\x80\x80", "\xE2\x80\xA8\xE2\x80\xA9"}) {
    EXPECT_EQ(Json(s), "\"" + std::string(s) + "\"");
  }
}

TEST(JsonStringTest, ReplacesEachMaximalInvalidSubpart) {
  struct Case {
    std::string_view in;
    std::string want;
  };
  const std::string r = kFFFD;
  const Case cases[] = {
      {"\xC0\xAF", r + r},                    // overlong lead, then a lone continuation
      {"\xC1\xBF", r + r},
      {"\xE0\x80\xAF", r + r + r},            // overlong 3-byte
      {"\xE0\x9F\xBF", r + r + r},
      {"\xF0\x80\x80\x80", r + r + r + r},    // overlong 4-byte
      {"\xF0\x8F\xBF\xBF", r + r + r + r},
      {"\xED\xA0\x80", r + r + r},            // surrogate
      {"\xED\xBF\xBF", r + r + r},
      {"\xF4\x90\x80\x80", r + r + r + r},    // above U+10FFFF
      {"\xF5\x80", r + r},
      {"\xFF", r},
      {"\x80", r},
      {"\xC2", r},                            // truncated at the end
      {"\xE2\x82", r},
      {"\xF0\x9F\x98", r},
      {"\xE2\x82x", r + "x"},                 // truncated in the middle
      {"\xF0\x9F\x98" "A", r + "A"},
      {"\xE2\x82\xE2\x82\xAC", r + "\xE2\x82\xAC"},
      // Unicode 15 Table 3-8.
      {"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", "a" + r + r + r + "b" + r + "c" + r + r + "d"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RoundTrip(c.in), c.want) << Json(c.in);
    EXPECT_EQ(Reference().Repair(c.in), c.want);
  }
}

TEST(JsonStringTest, EveryPositionAndLengthTakesTheSamePath) {
  // Special bytes at every offset of strings up to 70 bytes exercise the
  // 16-byte loop, both overlapping tails and the byte loop.
  const std::string_view specials[] = {"\"", "\\", "\n", std::string_view("\0", 1), "\x1f",
                                       "\xC3\xA9", "\xF0\x9F\x8E\x89", "\xE2\x82", "\xFF", "\xED\xA0\x80"};
  for (std::size_t len = 0; len <= 70; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      for (std::string_view sp : specials) {
        std::string s(len, 'a');
        s.insert(at, sp);
        ASSERT_EQ(RoundTrip(s), Reference().Repair(s)) << "len " << len << " at " << at;
      }
    }
  }
}

TEST(JsonStringTest, MatchesTheReferenceOnRandomBytes) {
  std::mt19937_64 rng(7);
  const std::string_view alphabet[] = {
      "a", "Z", " ", "\"", "\\", "\n", "\t", std::string_view("\0", 1), "\x7f", "\x80", "\xBF", "\xC0",
      "\xC2", "\xDF", "\xE0", "\xE0\xA0", "\xED", "\xED\x9F", "\xEF", "\xF0", "\xF0\x90", "\xF4",
      "\xF4\x8F", "\xF5", "\xFF", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x8E\x89", "abcdefghijklmnopq"};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    const std::size_t parts = rng() % 40;
    for (std::size_t i = 0; i < parts; ++i) s.append(alphabet[rng() % std::size(alphabet)]);
    ASSERT_EQ(RoundTrip(s), Reference().Repair(s)) << Json(s);
  }
}

TEST(JsonStringTest, LongStringsFillTheWorstCase) {
  // All controls: 6 output bytes per input byte, the bound the cursor reserves.
  std::string s(10000, '\x01');
  std::string json = Json(s);
  EXPECT_EQ(json.size(), 6 * s.size() + 2);
  EXPECT_EQ(RoundTrip(s), s);
  std::string bad(10000, '\xFF');
  EXPECT_EQ(Json(bad).size(), 3 * bad.size() + 2);
}

std::string Duration(std::uint64_t start, std::uint64_t end) {
  char buf[64];
  return std::string(buf, format::WriteDurationMs(start, end, buf));
}

TEST(JsonNumbersTest, DurationRoundsHalfAwayFromZeroOnIntegers) {
  EXPECT_EQ(Duration(0, 12'345'678), "12.346");
  EXPECT_EQ(Duration(0, 12'345'499), "12.345");
  EXPECT_EQ(Duration(0, 12'300'000), "12.3");
  EXPECT_EQ(Duration(0, 12'340'000), "12.34");
  EXPECT_EQ(Duration(0, 5'000'000), "5.0");
  EXPECT_EQ(Duration(0, 0), "0.0");
  EXPECT_EQ(Duration(0, 499), "0.0");
  EXPECT_EQ(Duration(0, 500), "0.001");
  EXPECT_EQ(Duration(0, 2'500), "0.003");
  EXPECT_EQ(Duration(0, 999'500), "1.0");
  EXPECT_EQ(Duration(100, 50), "0.0");
  EXPECT_EQ(Duration(1'732'480'000'000'000'000ULL, 1'732'480'001'500'000'000ULL), "1500.0");
  EXPECT_EQ(Duration(0, std::numeric_limits<std::uint64_t>::max()), "18446744073709.552");
}

TEST(JsonNumbersTest, IntegersAreExact) {
  auto w = [](std::int64_t v) {
    char buf[32];
    return std::string(buf, format::WriteInt(v, buf));
  };
  EXPECT_EQ(w(0), "0");
  EXPECT_EQ(w(9), "9");
  EXPECT_EQ(w(10), "10");
  EXPECT_EQ(w(-1), "-1");
  EXPECT_EQ(w(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(w(std::numeric_limits<std::int64_t>::max()), "9223372036854775807");
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) {
    std::int64_t v = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    ASSERT_EQ(w(v), std::to_string(v));
  }
  for (std::uint64_t p = 1, i = 0; i < 20; ++i, p *= 10) {
    char buf[32];
    for (std::uint64_t v : {p - 1, p, p + 1}) ASSERT_EQ(std::string(buf, format::WriteUint(v, buf)), std::to_string(v));
  }
  char buf[32];
  EXPECT_EQ(std::string(buf, format::WriteUint(std::numeric_limits<std::uint64_t>::max(), buf)),
            "18446744073709551615");
}

TEST(JsonNumbersTest, DoublesAreShortestAndNonFiniteIsNull) {
  auto w = [](double v) {
    char buf[32];
    return std::string(buf, format::WriteDouble(v, buf));
  };
  EXPECT_EQ(w(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(w(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(w(-std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(w(0.1), "0.1");
  EXPECT_EQ(w(-0.0), "-0.0");
  EXPECT_EQ(w(1e300), "1e+300");
  EXPECT_EQ(w(-2.2250738585072014e-308).size(), 24u);
  EXPECT_EQ(w(12.345678), "12.345678");
  EXPECT_EQ(w(-0.001), "-0.001");
  EXPECT_EQ(w(0.0001), "1e-04");  // shorter than "0.0001"
  EXPECT_EQ(w(100000.0), "1e+05");
  EXPECT_EQ(w(99999.0), "99999.0");
  EXPECT_EQ(w(5.0), "5.0");
}

std::string ToChars(double v) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

// std::to_chars, with ".0" after an integral value.
std::string Expected(double v) {
  std::string s = ToChars(v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string Written(double v) {
  char buf[64];
  return std::string(buf, format::WriteDouble(v, buf));
}

TEST(JsonNumbersTest, DoublesMatchToCharsExactly) {
  // The fast path must be indistinguishable from std::to_chars.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0, 1);
  auto check = [](double v) {
    if (!std::isfinite(v)) return;
    ASSERT_EQ(Written(v), Expected(v)) << std::hexfloat << v;
    ASSERT_EQ(Written(-v), Expected(-v)) << std::hexfloat << -v;
  };
  for (int i = 0; i < 300000; ++i) {
    std::uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    check(v);                                              // any double
    check(std::exp(unit(rng) * 50 - 9));                   // log-uniform 1e-4 .. 1e18
    check(unit(rng) * 1000);                               // telemetry-like
    check(static_cast<double>(rng() % 1000000) / 1000);    // "nice" decimals
    check(static_cast<double>(rng() % 100000000) / 100);
    check(static_cast<double>(rng() % 10000000));          // whole numbers
    check(std::ldexp(1.0, static_cast<int>(rng() % 120) - 60));  // powers of two
  }
  // Around the edges of the fast path and of each decade.
  for (double edge : {1e-3, 1e-2, 1e-1, 1.0, 10.0, 99999.0, 100000.0, 1e15, 4503599627370496.0,
                      9007199254740992.0, 0.5, 0.25, 0.1 + 0.2, 1.0 / 3, 2.0 / 3}) {
    double v = edge;
    for (int i = 0; i < 50; ++i) v = std::nextafter(v, 0.0);
    for (int i = 0; i < 100; ++i) {
      check(v);
      v = std::nextafter(v, 1e300);
    }
  }
  check(0.0);
  check(std::numeric_limits<double>::min());
  check(std::numeric_limits<double>::denorm_min());
  check(std::numeric_limits<double>::max());
}

TEST(JsonHexTest, IdsAreLowercaseHex) {
  std::uint8_t id[16];
  for (int i = 0; i < 16; ++i) id[i] = static_cast<std::uint8_t>(i * 17 + 0x0a);
  char buf[40];
  EXPECT_EQ(std::string(buf, format::WriteHex16(id, buf)), "0a1b2c3d4e5f708192a3b4c5d6e7f809");
  EXPECT_EQ(std::string(buf, format::WriteHex8(id, buf)), "0a1b2c3d4e5f7081");
  EXPECT_EQ(std::string(buf, format::WriteHex(id, 3, buf)), "0a1b2c");
  std::uint8_t all[16];
  for (int b = 0; b < 256; b += 16) {
    for (int i = 0; i < 16; ++i) all[i] = static_cast<std::uint8_t>(b + i);
    char want[33];
    for (int i = 0; i < 16; ++i) std::snprintf(want + 2 * i, 3, "%02x", all[i]);
    ASSERT_EQ(std::string(buf, format::WriteHex16(all, buf)), std::string(want, 32));
  }
}

}  // namespace
}  // namespace otelpack
