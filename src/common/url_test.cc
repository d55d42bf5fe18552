// RedactedUrl: no credential of a URL reaches what otelpack prints.
#include "common/url.h"

#include <gtest/gtest.h>

namespace otelpack {
namespace {

TEST(RedactedUrl, MasksUserInfoAndQuery) {
  EXPECT_EQ(RedactedUrl("https://user:s3cret@backend.example:9443/v1?token=abc#x"),
            "https://***@backend.example:9443/v1?***");
  EXPECT_EQ(RedactedUrl("http://user@host"), "http://***@host");
  EXPECT_EQ(RedactedUrl("http://u:p@ss@host/path"), "http://***@host/path");  // the last '@' before the path
}

TEST(RedactedUrl, LeavesAUrlWithoutCredentialsAlone) {
  EXPECT_EQ(RedactedUrl("http://127.0.0.1:8123"), "http://127.0.0.1:8123");
  EXPECT_EQ(RedactedUrl("https://host/a@b"), "https://host/a@b");  // an '@' in the path is not user info
  EXPECT_EQ(RedactedUrl(""), "");
}

TEST(RedactedUrl, MasksWhatLooksLikeCredentialsInText) {
  EXPECT_EQ(RedactedUrl("user:pw@host"), "***@host");
  EXPECT_EQ(RedactedUrl("host?key=1"), "host?***");
}

}  // namespace
}  // namespace otelpack
