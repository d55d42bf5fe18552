// Tests for Envelope: the body around the events, the backend's and those
// of declared formats (a send time in another format, or none).
#include "format/envelope.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <limits>
#include <optional>
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

// The body `e` makes around `events`, closed at `sent_at_ms`.
std::string Body(const Envelope& e, std::initializer_list<std::string_view> events, std::int64_t sent_at_ms) {
  Buffer body;
  e.AppendPrefix(&body);
  bool first = true;
  for (std::string_view event : events) {
    if (!first) e.AppendSeparator(&body);
    body.Append(event);
    first = false;
  }
  e.AppendSuffix(sent_at_ms, &body);
  return std::string(body.view());
}

TEST(EnvelopeTest, ASendTimeInAnotherFormat) {
  format::TimeFormat seconds;
  seconds.unit_digits = 9;
  seconds.decimals = 3;
  const Envelope e("{\"batch\":[", ",", "],\"at\":", seconds, "}");
  EXPECT_EQ(Body(e, {"1", "2"}, 1732480000123), R"({"batch":[1,2],"at":1732480000.123})");
  format::TimeFormat rfc;
  rfc.style = format::TimeFormat::Style::kRfc3339;
  const Envelope r("[", ",", "],", rfc, "");
  EXPECT_EQ(Body(r, {}, 1732480000123), R"([],"2024-11-24T20:26:40.123Z")");
  EXPECT_EQ(Body(r, {}, -5), R"([],"1970-01-01T00:00:00.000Z")");  // before the epoch: the epoch
  // The overhead counts the longest time each format can write.
  EXPECT_LE(Body(e, {}, std::numeric_limits<std::int64_t>::max()).size(), e.overhead_bytes());
  EXPECT_LE(Body(r, {}, std::numeric_limits<std::int64_t>::max()).size(), r.overhead_bytes());
}

TEST(EnvelopeTest, NdjsonEndsEveryLine) {
  const Envelope e("", "\n", "\n", std::nullopt, "");
  EXPECT_EQ(Body(e, {"{\"a\":1}", "{\"a\":2}"}, 123), "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(e.overhead_bytes(), 1u);
}

}  // namespace
}  // namespace otelpack
