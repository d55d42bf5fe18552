// ASCII case folding: every byte value, the edges of A-Z, and the bytes a
// locale-aware tolower could fold (Latin-1, UTF-8) that must stay as they are.
#include "common/ascii.h"

#include <gtest/gtest.h>

#include <string>

namespace otelpack {
namespace {

TEST(AsciiTest, FoldsExactlyTheUppercaseLetters) {
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    const char want = i >= 'A' && i <= 'Z' ? static_cast<char>(i + 32) : c;
    EXPECT_EQ(AsciiToLower(c), want) << "byte " << i;
  }
  // The neighbours of A-Z and a-z are not letters.
  EXPECT_EQ(AsciiToLower('@'), '@');
  EXPECT_EQ(AsciiToLower('['), '[');
  EXPECT_EQ(AsciiToLower('`'), '`');
  EXPECT_EQ(AsciiToLower('{'), '{');
}

TEST(AsciiTest, EqualsIgnoreCase) {
  EXPECT_TRUE(EqualsIgnoreCase("application/JSON", "Application/json"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_TRUE(EqualsIgnoreCase("x-gzip", "X-GZIP"));
  EXPECT_FALSE(EqualsIgnoreCase("gzip", "gzip "));
  EXPECT_FALSE(EqualsIgnoreCase("gzip", "gzi"));
  EXPECT_FALSE(EqualsIgnoreCase("", "a"));
  // '@' and '`' differ from 'A' and 'a' by the same 32 as the case: not folded.
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));
  EXPECT_FALSE(EqualsIgnoreCase("[", "{"));
  // Latin-1 E-acute, upper (0xC9) and lower (0xE9), is not ASCII: compared as bytes.
  EXPECT_FALSE(EqualsIgnoreCase("\xC9", "\xE9"));
  EXPECT_TRUE(EqualsIgnoreCase("caf\xC3\xA9", "CAF\xC3\xA9"));
  // Embedded NULs are compared like any byte.
  EXPECT_TRUE(EqualsIgnoreCase(std::string_view("a\0B", 3), std::string_view("A\0b", 3)));
  EXPECT_FALSE(EqualsIgnoreCase(std::string_view("a\0", 2), std::string_view("a ", 2)));
  static_assert(EqualsIgnoreCase("Bearer", "bEARER"));
}

TEST(AsciiTest, StartsWithIgnoreCase) {
  EXPECT_TRUE(StartsWithIgnoreCase("Retry-After: 5", "retry-after:"));
  EXPECT_TRUE(StartsWithIgnoreCase("bearer tok", "Bearer "));
  EXPECT_TRUE(StartsWithIgnoreCase("anything", ""));
  EXPECT_TRUE(StartsWithIgnoreCase("Content-Type", "CONTENT-TYPE"));
  EXPECT_FALSE(StartsWithIgnoreCase("Bearer", "Bearer "));  // shorter than the prefix
  EXPECT_FALSE(StartsWithIgnoreCase("Basic tok", "Bearer "));
  EXPECT_FALSE(StartsWithIgnoreCase("", "a"));
  static_assert(StartsWithIgnoreCase("Content-Encoding", "content-"));
}

TEST(AsciiTest, AsciiLowercase) {
  EXPECT_EQ(AsciiLowercase("Content-Type"), "content-type");
  EXPECT_EQ(AsciiLowercase(""), "");
  EXPECT_EQ(AsciiLowercase("ABC-xyz_019@[`{"), "abc-xyz_019@[`{");
  EXPECT_EQ(AsciiLowercase("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // UTF-8 E-acute, T, E-acute: only the T
  EXPECT_EQ(AsciiLowercase(std::string_view("A\0B", 3)), std::string("a\0b", 3));
}

}  // namespace
}  // namespace otelpack
