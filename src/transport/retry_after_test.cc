// Unit tests of the pure parts of the transport: ClassifyHttpStatus and
// ParseRetryAfter (all three HTTP-date forms, garbage, huge values).
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "transport/transport.h"

namespace otelpack {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using namespace std::chrono_literals;

// 2024-11-24 00:00:00 UTC, a Sunday.
const std::chrono::system_clock::time_point kNow{seconds(1732406400)};

TEST(ClassifyHttpStatusTest, SuccessIsOk) {
  for (int code : {200, 201, 202, 204, 299}) {
    EXPECT_TRUE(ClassifyHttpStatus(code, "{\"accepted\": 1}").ok()) << code;
  }
}

TEST(ClassifyHttpStatusTest, RetryableCodes) {
  struct Case {
    int http;
    StatusCode code;
  };
  for (Case c : {Case{408, StatusCode::kDeadlineExceeded},
                 Case{429, StatusCode::kResourceExhausted},
                 Case{500, StatusCode::kUnavailable}, Case{502, StatusCode::kUnavailable},
                 Case{503, StatusCode::kUnavailable}, Case{504, StatusCode::kDeadlineExceeded},
                 Case{507, StatusCode::kUnavailable}, Case{599, StatusCode::kUnavailable}}) {
    Status s = ClassifyHttpStatus(c.http, "");
    EXPECT_EQ(s.code(), c.code) << c.http;
    EXPECT_TRUE(s.retryable()) << c.http;
  }
}

TEST(ClassifyHttpStatusTest, ARedirectIsRetryableAndSaysWhereItPoints) {
  // Reaching the classification, a redirect was not followed: the endpoint is
  // wrong, the data is not (docs/wire-protocol.md, "Redirects").
  for (int http : {301, 302, 303, 307, 308}) {
    Status s = ClassifyHttpStatus(http, "<html>moved</html>", "https://user:pw@elsewhere.example/v1?k=s");
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << http;
    EXPECT_TRUE(s.retryable()) << http;
    EXPECT_NE(s.message().find("redirects to https://***@elsewhere.example/v1?***"), std::string_view::npos)
        << s.message();
    EXPECT_NE(s.message().find("set the endpoint"), std::string_view::npos) << s.message();
  }
  EXPECT_NE(ClassifyHttpStatus(301, "").message().find("(no Location)"), std::string_view::npos);
}

TEST(ClassifyHttpStatusTest, PermanentCodes) {
  struct Case {
    int http;
    StatusCode code;
  };
  for (Case c : {Case{400, StatusCode::kInvalidArgument}, Case{401, StatusCode::kUnauthenticated},
                 Case{403, StatusCode::kPermissionDenied}, Case{404, StatusCode::kNotFound},
                 Case{405, StatusCode::kInvalidArgument}, Case{413, StatusCode::kTooLarge},
                 Case{415, StatusCode::kInvalidArgument}, Case{501, StatusCode::kInvalidArgument},
                 Case{100, StatusCode::kInvalidArgument}}) {
    Status s = ClassifyHttpStatus(c.http, "");
    EXPECT_EQ(s.code(), c.code) << c.http;
    EXPECT_FALSE(s.retryable()) << c.http;
  }
}

TEST(ClassifyHttpStatusTest, MessageHasStatusAndUpTo200BytesOfBody) {
  EXPECT_EQ(ClassifyHttpStatus(404, "").message(), "HTTP 404");
  EXPECT_EQ(ClassifyHttpStatus(400, "{\"error\": \"events[3].trace_id\"}").message(),
            "HTTP 400: {\"error\": \"events[3].trace_id\"}");
  std::string long_body(150, 'a');
  long_body += std::string(150, 'b');
  EXPECT_EQ(ClassifyHttpStatus(503, long_body).message(),
            "HTTP 503: " + std::string(150, 'a') + std::string(50, 'b'));
}

TEST(ClassifyHttpStatusTest, MessageIsOneLineAndValidUtf8) {
  EXPECT_EQ(ClassifyHttpStatus(500, "line1\r\nline2\t!").message(), "HTTP 500: line1  line2 !");
  // 199 ASCII bytes, then a 2-byte "é" across the 200-byte cut: dropped whole.
  std::string body(199, 'x');
  body += "\xc3\xa9 tail";
  EXPECT_EQ(ClassifyHttpStatus(500, body).message(), "HTTP 500: " + std::string(199, 'x'));
  // 198 bytes then "é": fits exactly.
  std::string fits(198, 'x');
  fits += "\xc3\xa9 tail";
  EXPECT_EQ(ClassifyHttpStatus(500, fits).message(),
            "HTTP 500: " + std::string(198, 'x') + "\xc3\xa9");
  // A 4-byte emoji straddling the cut.
  std::string emoji(198, 'x');
  emoji += "\xf0\x9f\x98\x80";
  EXPECT_EQ(ClassifyHttpStatus(500, emoji).message(), "HTTP 500: " + std::string(198, 'x'));
}

TEST(ParseRetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("2", kNow), milliseconds(2000));
  EXPECT_EQ(ParseRetryAfter("0", kNow), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter(" 120 ", kNow), milliseconds(120'000));
  EXPECT_EQ(ParseRetryAfter("86400", kNow), milliseconds(86'400'000));  // not capped here
  EXPECT_EQ(ParseRetryAfter("007", kNow), milliseconds(7000));
}

TEST(ParseRetryAfterTest, ImfFixdate) {
  EXPECT_EQ(ParseRetryAfter("Sun, 24 Nov 2024 00:00:10 GMT", kNow), milliseconds(10'000));
  EXPECT_EQ(ParseRetryAfter("Wed, 25 Dec 2024 00:00:00 GMT", kNow),
            std::chrono::duration_cast<milliseconds>(std::chrono::hours(24 * 31)));
  // Sub-second "now": the wait is not rounded up to whole seconds.
  EXPECT_EQ(ParseRetryAfter("Sun, 24 Nov 2024 00:00:10 GMT", kNow + 250ms), milliseconds(9750));
}

TEST(ParseRetryAfterTest, ObsoleteRfc850Date) {
  EXPECT_EQ(ParseRetryAfter("Sunday, 24-Nov-24 00:00:10 GMT", kNow), milliseconds(10'000));
  // Two-digit years: at most 50 years ahead, else the previous century.
  EXPECT_EQ(ParseRetryAfter("Wednesday, 01-Jan-25 00:00:00 GMT", kNow),
            std::chrono::duration_cast<milliseconds>(std::chrono::hours(24 * 38)));
  EXPECT_EQ(ParseRetryAfter("Tuesday, 01-Jan-80 00:00:00 GMT", kNow), milliseconds(0));  // 1980
  std::optional<milliseconds> in_2070 = ParseRetryAfter("Wednesday, 01-Jan-70 00:00:00 GMT", kNow);
  ASSERT_TRUE(in_2070.has_value());
  EXPECT_GT(*in_2070, std::chrono::duration_cast<milliseconds>(std::chrono::hours(24 * 365 * 45)));
}

TEST(ParseRetryAfterTest, AsctimeDate) {
  EXPECT_EQ(ParseRetryAfter("Sun Nov 24 00:00:10 2024", kNow), milliseconds(10'000));
  EXPECT_EQ(ParseRetryAfter("Wed Dec 25 00:00:00 2024", kNow),
            std::chrono::duration_cast<milliseconds>(std::chrono::hours(24 * 31)));
  EXPECT_EQ(ParseRetryAfter("Sat Nov  2 08:49:37 2024", kNow), milliseconds(0));  // past
}

TEST(ParseRetryAfterTest, PastDateIsZero) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kNow), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Sun, 24 Nov 2024 00:00:00 GMT", kNow), milliseconds(0));  // now
}

TEST(ParseRetryAfterTest, GarbageIsNullopt) {
  for (const char* v : {"", "   ", "soon", "-5", "-0", "+5", "1.5", "10s", "0x10", "2 3",
                        "Sun, 32 Nov 2024 00:00:10 GMT",     // no such day
                        "Sun, 29 Feb 2023 00:00:10 GMT",     // not a leap year
                        "Sun, 24 Nov 2024 24:00:00 GMT",     // hour
                        "Sun, 24 Nov 2024 00:60:00 GMT",     // minute
                        "Sun, 24 Nov 2024 00:00:10 UTC",     // zone must be GMT
                        "Sun, 24 Nov 2024 00:00:10",         // no zone
                        "Sun, 24 Nov 2024 00:00:10 GMT x",   // trailing text
                        "Xyz, 24 Nov 2024 00:00:10 GMT",     // day name
                        "Sun, 24 Foo 2024 00:00:10 GMT",     // month name
                        "Sun, 4 Nov 2024 00:00:10 GMT",      // one-digit day
                        "Sunday, 24-Nov-2024 00:00:10 GMT",  // rfc850 has a 2-digit year
                        "Sun Nov 24 00:00:10 24",            // asctime has a 4-digit year
                        "2024-11-24T00:00:10Z"}) {
    EXPECT_EQ(ParseRetryAfter(v, kNow), std::nullopt) << '"' << v << '"';
  }
}

TEST(ParseRetryAfterTest, HugeValuesSaturateAtTheCeiling) {
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999999", kNow), kRetryAfterCeiling);
  EXPECT_EQ(ParseRetryAfter("9999999999", kNow), kRetryAfterCeiling);  // 317 years
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", kNow), kRetryAfterCeiling);
  // Below the ceiling, a value is returned as it is: the retry policy caps it.
  EXPECT_EQ(ParseRetryAfter("315360000", kNow), milliseconds(315'360'000'000));  // 10 years
  // The ceiling added to a clock does not overflow.
  auto later = std::chrono::system_clock::now() + kRetryAfterCeiling;
  EXPECT_GT(later, std::chrono::system_clock::now());
}

}  // namespace
}  // namespace otelpack
