// ValidatorTest: the fixture of the body schema tests (validator_test.cc,
// validator_log_test.cc, validator_metric_test.cc): parse a text with the
// padding the parser needs, and read a refusal's message.
#ifndef OTELPACK_SINK_VALIDATOR_TEST_BASE_H_
#define OTELPACK_SINK_VALIDATOR_TEST_BASE_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sink/test_util.h"
#include "sink/validator.h"

namespace otelpack::sink::testing {

class ValidatorTest : public ::testing::Test {
 protected:
  // Parses `text` (copied with the padding the parser needs).
  Status Parse(const std::string& text, BodyLimits limits = {}) {
    text_ = text;
    text_.append(kJsonPadding, '\0');
    return parser_.Parse(std::string_view(text_.data(), text.size()), limits, &body_);
  }
  // Parses a body made of `events`; a failure names the events' first error.
  void ExpectAccepted(const std::vector<std::string>& events) {
    Status s = Parse(BodyJson(events));
    EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << BodyJson(events);
  }
  // The message of a refusal of a body made of `events`.
  std::string ErrorFor(const std::vector<std::string>& events) {
    Status s = Parse(BodyJson(events));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    return std::string(s.message());
  }
  std::string ErrorForEvent(const JsonFields& event) { return ErrorFor({event.Json()}); }

  BodyParser parser_;
  IngestBody body_;
  std::string text_;
};

}  // namespace otelpack::sink::testing

#endif  // OTELPACK_SINK_VALIDATOR_TEST_BASE_H_
