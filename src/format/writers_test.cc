// Tests for the writers of declared formats: times and durations
// (time_writer.h) against independent references (128-bit arithmetic for
// the Unix forms, the C library's gmtime for RFC 3339), values written as
// strings and JSON in strings (string_writers.h) read back with simdjson.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <ctime>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "common/base64.h"
#include "format/json_writer.h"
#include "format/string_writers.h"
#include "format/time_writer.h"

namespace otelpack::format {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::string Unix(std::uint64_t ns, unsigned unit_digits, unsigned decimals = 0, bool nearest = false) {
  TimeFormat f;
  f.unit_digits = static_cast<std::uint8_t>(unit_digits);
  f.decimals = static_cast<std::uint8_t>(decimals);
  f.round_nearest = nearest;
  char out[kMaxTimeChars];
  return std::string(out, WriteTime(f, ns, out));
}

std::string Rfc3339(std::uint64_t ns, unsigned digits) {
  TimeFormat f;
  f.style = TimeFormat::Style::kRfc3339;
  f.digits = static_cast<std::uint8_t>(digits);
  char out[kMaxTimeChars];
  return std::string(out, WriteTime(f, ns, out));
}

// The documented rule computed another way: ns / 10^unit in 128 bits,
// rounded half up to `decimals` digits, trailing zeros dropped but one kept.
std::string ReferenceUnix(std::uint64_t ns, unsigned unit_digits, unsigned decimals) {
  __extension__ typedef unsigned __int128 U128;
  U128 unit = 1, scale = 1;
  for (unsigned i = 0; i < unit_digits; ++i) unit *= 10;
  if (decimals > unit_digits) decimals = unit_digits;
  for (unsigned i = 0; i < decimals; ++i) scale *= 10;
  const U128 q = (static_cast<U128>(ns) * scale * 2 + unit) / (2 * unit);
  std::string whole = std::to_string(static_cast<std::uint64_t>(q / scale));
  if (decimals == 0) return whole;
  std::string frac = std::to_string(static_cast<std::uint64_t>(q % scale));
  frac.insert(0, decimals - frac.size(), '0');
  while (frac.size() > 1 && frac.back() == '0') frac.pop_back();
  return whole + "." + frac;
}

TEST(TimeWriterTest, UnixIntegersRoundDownOrHalfUp) {
  const std::uint64_t t = 1'732'480'000'123'456'789ULL;
  EXPECT_EQ(Unix(t, 0), "1732480000123456789");
  EXPECT_EQ(Unix(t, 3), "1732480000123456");
  EXPECT_EQ(Unix(t, 6), "1732480000123");
  EXPECT_EQ(Unix(t, 9), "1732480000");
  EXPECT_EQ(Unix(t, 3, 0, true), "1732480000123457");
  EXPECT_EQ(Unix(t, 6, 0, true), "1732480000123");
  EXPECT_EQ(Unix(1'500'000, 6, 0, true), "2");  // half up
  EXPECT_EQ(Unix(1'499'999, 6, 0, true), "1");
  EXPECT_EQ(Unix(0, 9), "0");
  EXPECT_EQ(Unix(kMax, 0), "18446744073709551615");
  EXPECT_EQ(Unix(kMax, 9, 0, true), "18446744074");  // no overflow at the top
}

TEST(TimeWriterTest, UnixDecimalsAsDocumented) {
  const std::uint64_t t = 1'732'480'000'123'456'789ULL;
  EXPECT_EQ(Unix(t, 9, 3), "1732480000.123");
  EXPECT_EQ(Unix(t, 9, 9), "1732480000.123456789");
  EXPECT_EQ(Unix(t, 9, 4), "1732480000.1235");  // half up at the last
  EXPECT_EQ(Unix(t, 6, 9), "1732480000123.456789");  // no more decimals than ns give a ms
  EXPECT_EQ(Unix(t, 3, 9), "1732480000123456.789");
  EXPECT_EQ(Unix(1'732'480'000'000'000'000ULL, 9, 3), "1732480000.0");  // one zero kept
  EXPECT_EQ(Unix(12'500'000, 6, 3), "12.5");
  EXPECT_EQ(Unix(999'999'999, 9, 3), "1.0");  // carries into the integer part
  EXPECT_EQ(Unix(kMax, 9, 9), "18446744073.709551615");
  EXPECT_EQ(Unix(kMax, 3, 2), "18446744073709551.62");
}

TEST(TimeWriterTest, UnixFormsMatchA128BitReference) {
  std::mt19937_64 rng(7);
  std::vector<std::uint64_t> values = {0, 1, 499, 500, 999'999, kMax, kMax - 1};
  for (int i = 0; i < 3000; ++i) {
    std::uint64_t v = rng();
    values.push_back(v >> (rng() % 64));
  }
  for (std::uint64_t ns : values) {
    for (unsigned unit : {3u, 6u, 9u}) {
      for (unsigned d = 1; d <= 9; ++d) ASSERT_EQ(Unix(ns, unit, d), ReferenceUnix(ns, unit, d)) << ns;
      ASSERT_EQ(Unix(ns, unit, 0, true), ReferenceUnix(ns, unit, 0)) << ns;
    }
  }
}

TEST(TimeWriterTest, MillisecondsWithThreeDecimalsAreTheArticlesDuration) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t ns = i < 5000 ? static_cast<std::uint64_t>(i) * 997 : rng() >> (rng() % 64);
    char a[kMaxNumberChars], b[kMaxTimeChars];
    ASSERT_EQ(std::string(a, WriteDurationMs(0, ns, a)), std::string(b, WriteUnixTime({TimeFormat::Style::kUnix, 6, 3}, ns, b)))
        << ns;
  }
}

TEST(TimeWriterTest, Rfc3339AsDocumented) {
  const std::uint64_t t = 1'732'480'000'123'456'789ULL;
  EXPECT_EQ(Rfc3339(t, 3), "\"2024-11-24T20:26:40.123Z\"");
  EXPECT_EQ(Rfc3339(t, 0), "\"2024-11-24T20:26:40Z\"");
  EXPECT_EQ(Rfc3339(t, 9), "\"2024-11-24T20:26:40.123456789Z\"");
  EXPECT_EQ(Rfc3339(999'999'999, 3), "\"1970-01-01T00:00:00.999Z\"");  // truncated, never rounded up
  EXPECT_EQ(Rfc3339(0, 1), "\"1970-01-01T00:00:00.0Z\"");
  EXPECT_EQ(Rfc3339(951'782'400'000'000'000ULL, 0), "\"2000-02-29T00:00:00Z\"");  // a leap day
  EXPECT_EQ(Rfc3339(kMax, 9), "\"2554-07-21T23:34:33.709551615Z\"");
  TimeFormat f{TimeFormat::Style::kRfc3339, 0, 0, false, 9};
  char out[kMaxTimeChars];
  EXPECT_EQ(static_cast<std::size_t>(WriteTime(f, kMax, out) - out), MaxTimeTextSize(f));
}

TEST(TimeWriterTest, Rfc3339MatchesGmtime) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t ns = rng() >> (rng() % 8);
    const auto secs = static_cast<std::time_t>(ns / 1'000'000'000);
    std::tm tm{};
    ASSERT_NE(gmtime_r(&secs, &tm), nullptr);
    char date[64];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[16];
    std::snprintf(frac, sizeof frac, "%09llu", static_cast<unsigned long long>(ns % 1'000'000'000));
    const unsigned digits = static_cast<unsigned>(i % 10);
    const std::string expected = "\"" + std::string(date) + (digits > 0 ? "." + std::string(frac, digits) : "") + "Z\"";
    ASSERT_EQ(Rfc3339(ns, digits), expected) << ns;
  }
}

// Each writer's output, written through a fresh cursor.
template <typename F>
std::string Written(F write) {
  Buffer b;
  Cursor c(&b, 16);
  write(c);
  c.Done();
  return std::string(b.view());
}

std::string ParsedString(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view s;
  EXPECT_TRUE(simdjson::validate_utf8(json.data(), json.size())) << json;
  EXPECT_EQ(parser.parse(json).get_string().get(s), simdjson::SUCCESS) << json;
  return std::string(s);
}

TEST(StringWritersTest, ValuesAsStrings) {
  Buffer scratch;
  const auto text = [&](const AnyValue& v) { return Written([&](Cursor& c) { WriteValueAsString(c, v, &scratch); }); };
  EXPECT_EQ(text(AnyValue::String("a \"q\"\n")), R"("a \"q\"\n")");
  EXPECT_EQ(text(AnyValue::Int(-42)), R"("-42")");
  EXPECT_EQ(text(AnyValue::Double(2.5)), R"("2.5")");
  EXPECT_EQ(text(AnyValue::Double(3)), R"("3.0")");
  EXPECT_EQ(text(AnyValue::Double(std::nan(""))), R"("null")");
  EXPECT_EQ(text(AnyValue::Bool(true)), R"("true")");
  EXPECT_EQ(text(AnyValue()), R"("null")");
  EXPECT_EQ(text(AnyValue::Bytes("hello")), R"("aGVsbG8=")");
  const AnyValue items[] = {AnyValue::Int(1), AnyValue::String("x\"y")};
  EXPECT_EQ(ParsedString(text(AnyValue::Array(items))), R"([1,"x\"y"])");
  const KeyValue kv[] = {{"k", AnyValue::Bool(false)}};
  EXPECT_EQ(ParsedString(text(AnyValue::KvList(kv))), R"({"k":false})");
  // Invalid UTF-8 is repaired inside the nested text, which stays valid.
  const AnyValue bad[] = {AnyValue::String("\xC0\xAF")};
  EXPECT_EQ(ParsedString(text(AnyValue::Array(bad))), "[\"\xEF\xBF\xBD\xEF\xBF\xBD\"]");
}

TEST(StringWritersTest, StringsObjectAndJsonStrings) {
  Buffer scratch;
  const AnyValue inner[] = {AnyValue::Int(7)};
  const KeyValue attrs[] = {{"http.method", AnyValue::String("GET")},
                            {"http.status_code", AnyValue::Int(200)},
                            {"ok", AnyValue::Bool(true)},
                            {"list", AnyValue::Array(inner)}};
  EXPECT_EQ(Written([&](Cursor& c) { WriteStringsObject(c, attrs, &scratch); }),
            R"({"http.method":"GET","http.status_code":"200","ok":"true","list":"[7]"})");
  EXPECT_EQ(Written([&](Cursor& c) { WriteStringsObject(c, {}, &scratch); }), "{}");
  const std::string json = Written([&](Cursor& c) { WriteObjectAsJsonString(c, attrs, &scratch); });
  EXPECT_EQ(json, R"("{\"http.method\":\"GET\",\"http.status_code\":200,\"ok\":true,\"list\":[7]}")");
  EXPECT_EQ(ParsedString(json), R"({"http.method":"GET","http.status_code":200,"ok":true,"list":[7]})");
  EXPECT_EQ(Written([&](Cursor& c) { WriteValueAsJsonString(c, AnyValue::String("a\"b"), &scratch); }),
            R"("\"a\\\"b\"")");
  EXPECT_EQ(Written([&](Cursor& c) { WriteObjectAsJsonString(c, {}, &scratch); }), R"("{}")");
}

TEST(StringWritersTest, AScratchBufferIsReusedAcrossBigValues) {
  Buffer scratch;
  std::string big(100000, 'x');
  big[500] = '"';
  const AnyValue items[] = {AnyValue::String(big)};
  for (int i = 0; i < 3; ++i) {
    const std::string json = Written([&](Cursor& c) { WriteValueAsString(c, AnyValue::Array(items), &scratch); });
    simdjson::dom::parser parser;
    simdjson::dom::array a;
    const std::string inner = ParsedString(json);
    ASSERT_EQ(parser.parse(inner).get_array().get(a), simdjson::SUCCESS);
    EXPECT_EQ(std::string(a.at(0).get_string().value()), big);
  }
}

TEST(StringWritersTest, Base64Ids) {
  const std::uint8_t id[16] = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
                               0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
  char out[32];
  EXPECT_EQ(std::string(out, WriteBase64(id, 16, out)), "S/kvNXezTaajzpKdDg5HNg==");  // docs/formats.md
  EXPECT_EQ(std::string(out, WriteBase64(id, 8, out)), Base64Encode(std::string_view(reinterpret_cast<const char*>(id), 8)));
}

}  // namespace
}  // namespace otelpack::format
