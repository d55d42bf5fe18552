// The reference grammar on its own: every form docs/formats.md allows,
// whitespace where it is allowed, argument values by type, and each mistake
// with its message and the offset it points at.
#include "format/declared/reference_syntax.h"

#include <gtest/gtest.h>

#include <string>

#include "common/str_cat.h"
#include "format/declared/parse_test_util.h"

namespace otelpack::format::declared {
namespace {

// The reference as the tests' tree writer shows it, without places, and
// the offsets of its conversions.
std::string Shown(std::string_view text) {
  ReferenceSyntax r = ParseReferenceSyntax(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error << " at " << r.error_offset;
  if (!r.ok()) return "<error>";
  EXPECT_EQ(r.reference.text, text.substr(0, text.find_last_not_of(" \t\n") + 1));
  EXPECT_EQ(r.conversion_offsets.size(), r.reference.conversions.size());
  return testing::TreeWriter(false).ReferenceText(r.reference);
}

struct Mistake {
  std::string message;
  std::size_t offset;
};

Mistake ErrorOf(std::string_view text) {
  ReferenceSyntax r = ParseReferenceSyntax(text);
  EXPECT_FALSE(r.ok()) << text << " parsed";
  EXPECT_TRUE(r.reference.path.empty() && r.conversion_offsets.empty());
  return {r.error, r.error_offset};
}

// The tails of the messages about names and values.
constexpr std::string_view kNameRule = " (a name is a-z, 0-9 and _, not starting with a digit)";
constexpr std::string_view kValues = ": a \"string\", a number, true, false, null or a word; not ";

void ExpectError(std::string_view text, std::size_t offset, std::string_view message) {
  Mistake m = ErrorOf(text);
  EXPECT_EQ(m.message, message) << text;
  EXPECT_EQ(m.offset, offset) << text << ": " << m.message;
}

TEST(ReferenceSyntaxTest, Paths) {
  EXPECT_EQ(Shown("$name"), "$name");
  EXPECT_EQ(Shown("$_x9"), "$_x9");
  EXPECT_EQ(Shown("$metric.name"), "$metric.name");
  EXPECT_EQ(Shown("$parent.trace_id"), "$parent.trace_id");
  EXPECT_EQ(Shown("$resource.attributes[\"service.name\"]"), "$resource.attributes[\"service.name\"]");
  EXPECT_EQ(Shown("$attributes[\"\"]"), "$attributes[\"\"]");
  EXPECT_EQ(Shown("$attributes[\"a \\\"b\\\" \\\\ c | d(e)\"]"), "$attributes[\"a \"b\" \\ c | d(e)\"]");

  ReferenceSyntax r = ParseReferenceSyntax("$resource.attributes[\"k\"]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.reference.path, (std::vector<std::string>{"resource", "attributes"}));
  EXPECT_EQ(r.reference.key, "k");
  EXPECT_FALSE(ParseReferenceSyntax("$name").reference.key.has_value());
}

TEST(ReferenceSyntaxTest, ConversionsAndTheirOffsets) {
  ReferenceSyntax r = ParseReferenceSyntax("$start_time | unix_s(decimals=3, round=nearest)|rfc3339");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.reference.conversions.size(), 2u);
  const Conversion& unix_s = r.reference.conversions[0];
  EXPECT_EQ(unix_s.name, "unix_s");
  ASSERT_EQ(unix_s.arguments.size(), 2u);
  EXPECT_EQ(unix_s.arguments[0].name, "decimals");
  EXPECT_EQ(unix_s.arguments[0].value.type, Literal::Type::kInt);
  EXPECT_EQ(unix_s.arguments[0].value.int_value, 3);
  EXPECT_EQ(unix_s.arguments[1].name, "round");
  EXPECT_EQ(unix_s.arguments[1].value.type, Literal::Type::kString);  // a bare word
  EXPECT_EQ(unix_s.arguments[1].value.string_value, "nearest");
  EXPECT_EQ(r.reference.conversions[1].name, "rfc3339");
  EXPECT_TRUE(r.reference.conversions[1].arguments.empty());
  EXPECT_EQ(r.conversion_offsets, (std::vector<std::size_t>{14, 48}));
}

TEST(ReferenceSyntaxTest, ArgumentValues) {
  EXPECT_EQ(Shown("$x | f(\"s\", 7, -7, 2.5, -1e-3, 1E2, true, false, null, word, dotted.word-2)"),
            "$x | f (\"s\", 7, -7, 2.5d, -0.001d, 100d, true, false, null, \"word\", \"dotted.word-2\")");
  EXPECT_EQ(Shown("$x | f(a=\"s\", b=7, c=true, d=null, e=Word, f=\"with \\\"quotes\\\"\")"),
            "$x | f (a=\"s\", b=7, c=true, d=null, e=\"Word\", f=\"with \"quotes\"\")");
  EXPECT_EQ(Shown("$x | f(9223372036854775807, -9223372036854775808)"),
            "$x | f (9223372036854775807, -9223372036854775808)");
  EXPECT_EQ(Shown("$x | f(\"a,b)|c\")"), "$x | f (\"a,b)|c\")");
}

TEST(ReferenceSyntaxTest, WhitespaceAroundOperators) {
  const std::string expected = "$status_code | case (error=\"e\", else=\"ok\") | string";
  EXPECT_EQ(Shown("$status_code|case(error=\"e\",else=\"ok\")|string"), expected);
  EXPECT_EQ(Shown("$status_code  |  case ( error = \"e\" ,\telse = \"ok\" )  |  string  "), expected);
  EXPECT_EQ(Shown("$status_code | case(error=\"e\", else=\"ok\") | string\n"), expected);  // a block scalar's end
  EXPECT_EQ(ParseReferenceSyntax("$a | f \t\n").reference.text, "$a | f");  // the text for messages
}

TEST(ReferenceSyntaxTest, PathMistakes) {
  ExpectError("$", 1, StrCat("expected a field name after '$', not the end", kNameRule));
  ExpectError("$ name", 1, StrCat("expected a field name after '$', not a space", kNameRule));
  ExpectError("$9lives", 1, "a field name does not start with a digit");
  ExpectError("$spanId", 5, "a field name is lowercase: a-z, 0-9 and _");
  ExpectError("$a..b", 3, StrCat("expected a field name after '.', not '.'", kNameRule));
  ExpectError("$a.", 3, StrCat("expected a field name after '.', not the end", kNameRule));
  ExpectError("$a-b", 2, "unexpected '-': expected '|' and a conversion, or the end");
  ExpectError("$a b", 3, "unexpected 'b': expected '|' and a conversion, or the end");
  ExpectError("$attributes[key]", 12,
              "expected a quoted key after '[', such as [\"service.name\"], not 'k'");
  ExpectError("$attributes['key']", 12,
              "expected a quoted key after '[', such as [\"service.name\"], not '''");
  ExpectError("$attributes[\"key", 12, "the string has no closing '\"'");
  ExpectError("$attributes[\"key\\", 12, "the string has no closing '\"'");
  ExpectError("$attributes[\"k\\n\"]", 14, "unknown escape '\\' then 'n': a string knows only \\\" and \\\\");
  ExpectError("$attributes[\"key\"", 17, "expected ']' after the key, not the end");
  ExpectError("$attributes[\"a\"].b", 16,
              "unexpected '.': expected '|' and a conversion, or the end (the [\"key\"] ends the path)");
  ExpectError("$attributes[\"a\"][\"b\"]", 16,
              "unexpected '[': expected '|' and a conversion, or the end (the [\"key\"] ends the path)");
  ExpectError("$a\x01", 2, "unexpected byte 0x01: expected '|' and a conversion, or the end");
}

TEST(ReferenceSyntaxTest, ConversionMistakes) {
  ExpectError("$a |", 4, StrCat("expected a conversion name after '|', not the end", kNameRule));
  ExpectError("$a || b", 4, StrCat("expected a conversion name after '|', not '|'", kNameRule));
  ExpectError("$a | Unix_ms", 5, "a conversion name is lowercase: a-z, 0-9 and _");
  ExpectError("$a | 2x", 5, "a conversion name does not start with a digit");
  ExpectError("$a | f()", 7, "empty parentheses: write f without them");
  ExpectError("$a | f(", 7, StrCat("expected an argument after '('", kValues, "the end"));
  ExpectError("$a | f(1", 8, "expected ')' to close the arguments of f");
  ExpectError("$a | f(1 2)", 9, "expected ',' or ')' after an argument, not '2'");
  ExpectError("$a | f(1,)", 9, StrCat("expected an argument after ','", kValues, "')'"));
  ExpectError("$a | f(x=)", 9, StrCat("expected a value after 'x='", kValues, "')'"));
  ExpectError("$a | f(@)", 7, StrCat("expected an argument after '('", kValues, "'@'"));
  ExpectError("$a | f(Digits=3)", 7, "an argument's name is lowercase: a-z, 0-9 and _");
  ExpectError("$a | f(a.b=3)", 8, "an argument's name is a-z, 0-9 and _, not starting with a digit");
  ExpectError("$a | f(3s)", 7, "'3s' is not a number (e.g. 3, -1, 2.5 or 1e-3); quote it for a string");
  ExpectError("$a | f(1.)", 7, "'1.' is not a number (e.g. 3, -1, 2.5 or 1e-3); quote it for a string");
  ExpectError("$a | f(-)", 7, "'-' is not a number (e.g. 3, -1, 2.5 or 1e-3); quote it for a string");
  ExpectError("$a | f(9223372036854775808)", 7, "9223372036854775808 is too large an integer (64 bits)");
  ExpectError("$a | f(1e999)", 7, "1e999 is a number out of a double's range");
  ExpectError("$a | f(\"x)", 7, "the string has no closing '\"'");
  ExpectError("$a | f(x) y", 10, "unexpected 'y': expected '|' and a conversion, or the end");
}

TEST(ReferenceSyntaxTest, NotAReference) {
  ExpectError("", 0, "a reference starts with '$'");
  ExpectError("name", 0, "a reference starts with '$'");
}

}  // namespace
}  // namespace otelpack::format::declared
