// Tests for Envelope: the body around the events.
#include "format/envelope.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace otelpack {
namespace {

TEST(EnvelopeTest, TheBackendsEnvelopeAroundNoEvents) {
  Envelope e = Envelope::ForProject("prod \"main\"");
  Buffer body;
  e.AppendPrefix(&body);
  e.AppendSuffix(1732480000000, &body);
  EXPECT_EQ(body.view(), R"({"project_id":"prod \"main\"","events":[],"sent_at":1732480000000})");
  simdjson::dom::parser parser;
  simdjson::padded_string json(body.view());
  simdjson::dom::object o = parser.parse(json).get_object();
  EXPECT_EQ(std::string_view(o["project_id"]), "prod \"main\"");
  EXPECT_EQ(o["events"].get_array().value().size(), 0u);
  EXPECT_EQ(o["sent_at"].get_int64().value(), 1732480000000);
}

TEST(EnvelopeTest, OverheadIsThePrefixAndTheLongestSuffix) {
  Envelope e = Envelope::ForProject("p");
  Buffer body;
  e.AppendPrefix(&body);
  const std::size_t prefix = body.size();
  e.AppendSuffix(-9223372036854775807 - 1, &body);  // the longest time there is
  EXPECT_EQ(e.overhead_bytes(), body.size());
  EXPECT_EQ(e.max_suffix_bytes(), body.size() - prefix);
  Buffer sep;
  e.AppendSeparator(&sep);
  EXPECT_EQ(sep.view(), ",");
  EXPECT_EQ(e.separator_bytes(), 1u);
}

TEST(EnvelopeTest, AnEnvelopeWithoutTime) {
  Envelope e("[", ",", "]", false, "");
  Buffer body;
  e.AppendPrefix(&body);
  body.Append("1");
  e.AppendSeparator(&body);
  body.Append("2");
  e.AppendSuffix(123, &body);
  EXPECT_EQ(body.view(), "[1,2]");
  EXPECT_EQ(e.overhead_bytes(), 2u);
}

}  // namespace
}  // namespace otelpack
