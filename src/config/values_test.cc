// The scalar syntax: durations, sizes, booleans, numbers, ${env:NAME}.
#include "config/values.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace otelpack::config {
namespace {

using std::chrono::milliseconds;

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ValuesTest, DurationsNeedAUnit) {
  EXPECT_EQ(*ParseDuration("200ms"), milliseconds(200));
  EXPECT_EQ(*ParseDuration("5s"), milliseconds(5000));
  EXPECT_EQ(*ParseDuration("1m"), milliseconds(60'000));
  EXPECT_EQ(*ParseDuration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(*ParseDuration("1m30s"), milliseconds(90'000));
  EXPECT_EQ(*ParseDuration("1.5s"), milliseconds(1500));
  EXPECT_EQ(*ParseDuration("0.25s"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("0"), milliseconds(0));
  EXPECT_EQ(*ParseDuration("0s"), milliseconds(0));

  Result<milliseconds> plain = ParseDuration("30");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("no unit"), std::string_view::npos);
  for (std::string_view bad : {"", "s", "5", "5x", "5 s", "-5s", "5s ", "1.5.2s", "0.5ms", "5sec", "1e3ms"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseDuration("999999999999999999999h").ok());
  EXPECT_FALSE(ParseDuration("1000000h").ok());  // over 100 years
}

TEST(ValuesTest, SizesAreBytesOrBinaryUnits) {
  EXPECT_EQ(*ParseSize("100"), 100u);
  EXPECT_EQ(*ParseSize("100B"), 100u);
  EXPECT_EQ(*ParseSize("512KiB"), 512u << 10);
  EXPECT_EQ(*ParseSize("20MiB"), 20u << 20);
  EXPECT_EQ(*ParseSize("20 MiB"), 20u << 20);
  EXPECT_EQ(*ParseSize("1GiB"), 1u << 30);
  EXPECT_EQ(*ParseSize("0"), 0u);

  Result<std::uint64_t> mb = ParseSize("20MB");
  ASSERT_FALSE(mb.ok());
  EXPECT_NE(mb.status().message().find("ambiguous"), std::string_view::npos);
  for (std::string_view bad : {"", "MiB", "-1", "1.5MiB", "20mib", "20 ", "20  MiB", "0x10"}) {
    EXPECT_FALSE(ParseSize(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseSize("99999999999999999999").ok());
  EXPECT_FALSE(ParseSize("99999999999TiB").ok());
}

TEST(ValuesTest, BooleansAndNumbers) {
  EXPECT_TRUE(*ParseBool("true"));
  EXPECT_FALSE(*ParseBool("false"));
  EXPECT_FALSE(ParseBool("yes").ok());
  EXPECT_FALSE(ParseBool("1").ok());
  EXPECT_EQ(*ParseInteger("-7"), -7);
  EXPECT_FALSE(ParseInteger("+7").ok());
  EXPECT_FALSE(ParseInteger("7s").ok());
  EXPECT_FALSE(ParseInteger("99999999999999999999").ok());
  EXPECT_DOUBLE_EQ(*ParseNumber("1.5"), 1.5);
  EXPECT_DOUBLE_EQ(*ParseNumber("2"), 2.0);
  EXPECT_FALSE(ParseNumber("1.5x").ok());
  EXPECT_FALSE(ParseNumber("").ok());
}

TEST(ValuesTest, ExpandsEnvironmentReferences) {
  const EnvLookup env = MapEnv({{"A", "alpha"}, {"B", "beta"}, {"EMPTY", ""}, {"REF", "${env:A}"}});
  Expansion x = ExpandEnv("${env:A}-${env:B}/${env:EMPTY}.", env);
  EXPECT_TRUE(x.errors.empty());
  EXPECT_TRUE(x.substituted);
  EXPECT_EQ(x.text, "alpha-beta/.");

  Expansion literal = ExpandEnv("cost $5, $${env:A} and $$ stay", env);
  EXPECT_TRUE(literal.errors.empty());
  EXPECT_FALSE(literal.substituted);
  EXPECT_EQ(literal.text, "cost $5, ${env:A} and $$ stay");

  // A replacement is not scanned again.
  EXPECT_EQ(ExpandEnv("${env:REF}", env).text, "${env:A}");
}

TEST(ValuesTest, EnvironmentErrorsNameTheVariableNeverTheText) {
  const EnvLookup env = MapEnv({{"SET", "x"}});
  Expansion unset = ExpandEnv("${env:NOPE_1} ${env:SET} ${env:NOPE_2}", env);
  ASSERT_EQ(unset.errors.size(), 2u);
  EXPECT_NE(unset.errors[0].find("NOPE_1"), std::string::npos);
  EXPECT_NE(unset.errors[0].find("not set"), std::string::npos);
  EXPECT_NE(unset.errors[1].find("NOPE_2"), std::string::npos);

  for (std::string_view bad : {"${s3cr3t}", "${env:9x}", "${env:}", "ab${env:s3cr3t", "${ENV:s3cr3t}"}) {
    Expansion x = ExpandEnv(bad, env);
    ASSERT_EQ(x.errors.size(), 1u) << bad;
    EXPECT_EQ(x.errors[0].find("s3cr3t"), std::string::npos) << x.errors[0];
  }
}

TEST(ValuesTest, EditDistanceCountsTranspositionsOnce) {
  EXPECT_EQ(EditDistance("endpoint", "endpoint"), 0u);
  EXPECT_EQ(EditDistance("endpiont", "endpoint"), 1u);
  EXPECT_EQ(EditDistance("Endpoint", "endpoint"), 0u);
  EXPECT_EQ(EditDistance("compresion", "compression"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(ValuesTest, ClosestNameSuggestsOnlyNearMisses) {
  const std::string_view known[] = {"framing", "traces", "logs", "metrics", "s"};
  EXPECT_EQ(ClosestName("trace", known), "traces");
  EXPECT_EQ(ClosestName("lgos", known), "logs");        // a transposition is one edit
  EXPECT_EQ(ClosestName("METRICS", known), "metrics");  // case is ignored
  EXPECT_EQ(ClosestName("framnig", known), "framing");
  EXPECT_EQ(ClosestName("headers", known), "");         // no known name is that close
  EXPECT_EQ(ClosestName("x", known), "");               // one edit from "s", but a one-letter name has no typo
  EXPECT_EQ(ClosestName("lo", known), "");              // two edits: half of "logs"
  const std::vector<std::string> owned = {"endpoint", "project_id"};
  EXPECT_EQ(ClosestName("endpiont", owned), "endpoint");
}

TEST(ValuesTest, QuotesValuesForMessages) {
  EXPECT_EQ(QuotedForMessage("5x"), "'5x'");
  EXPECT_EQ(QuotedForMessage("a\nb\x7f"), "'a?b?'");
  EXPECT_EQ(QuotedForMessage(std::string(61, 'a')), "'" + std::string(60, 'a') + "...'");
  EXPECT_EQ(QuotedForMessage(std::string(60, 'a')), "'" + std::string(60, 'a') + "'");
}

TEST(ValuesTest, FormatsForPeople) {
  EXPECT_EQ(FormatDuration(milliseconds(200)), "200ms");
  EXPECT_EQ(FormatDuration(milliseconds(5000)), "5s");
  EXPECT_EQ(FormatDuration(milliseconds(90'000)), "90s");
  EXPECT_EQ(FormatDuration(milliseconds(3'600'000)), "1h");
  EXPECT_EQ(FormatSize(20u << 20), "20MiB");
  EXPECT_EQ(FormatSize(1000), "1000B");
  EXPECT_EQ(FormatSize(1u << 30), "1GiB");
}

}  // namespace
}  // namespace otelpack::config
