// PrettyJson: what `otelpack format preview` shows people.
#include "common/json_text.h"

#include <gtest/gtest.h>

namespace otelpack {
namespace {

TEST(PrettyJson, IndentsObjectsAndArraysTwoSpacesALevel) {
  EXPECT_EQ(PrettyJson(R"({"a":1,"b":[true,null,"x"],"c":{"d":-1.5e3}})"),
            "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null,\n    \"x\"\n  ],\n  \"c\": {\n    \"d\": -1.5e3\n  }\n}");
}

TEST(PrettyJson, KeepsEmptyContainersCompact) {
  EXPECT_EQ(PrettyJson(R"({"a":{},"b":[ ]})"), "{\n  \"a\": {},\n  \"b\": []\n}");
}

TEST(PrettyJson, CopiesStringsWithTheirPunctuationAndEscapes) {
  // Brackets, commas, colons, spaces and escaped quotes inside strings are
  // text, not structure.
  EXPECT_EQ(PrettyJson(R"({"k: [x], {y}":"a \"b\", c\\"})"), "{\n  \"k: [x], {y}\": \"a \\\"b\\\", c\\\\\"\n}");
}

TEST(PrettyJson, ReplacesTheInputsWhitespace) {
  EXPECT_EQ(PrettyJson("{ \"a\" :\n\t[ 1 , 2 ] }"), "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
}

TEST(PrettyJson, SurvivesTextThatIsNotJson) {
  // Unbalanced brackets and an unterminated string: no crash, no read past
  // the end (ASan), output bounded.
  for (const char* text : {"]]]}", "{\"abc", "\"\\", "[[[[", ""}) {
    const std::string out = PrettyJson(text);
    EXPECT_LE(out.size(), 2 * std::string_view(text).size() + 64) << text;
  }
}

}  // namespace
}  // namespace otelpack
