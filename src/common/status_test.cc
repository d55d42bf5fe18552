#include "otelpack/status.h"

#include <gtest/gtest.h>

namespace otelpack {
namespace {

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_FALSE(s.retryable());
}

TEST(StatusTest, RetryableMeansTheDataIsKept) {
  EXPECT_TRUE(Status::Unavailable("down").retryable());
  EXPECT_TRUE(Status::ResourceExhausted("429").retryable());
  EXPECT_TRUE(Status::DeadlineExceeded("slow").retryable());
  EXPECT_FALSE(Status::InvalidArgument("bad").retryable());
  EXPECT_FALSE(Status::Unauthenticated("key").retryable());
  EXPECT_FALSE(Status::PermissionDenied("project").retryable());
  EXPECT_FALSE(Status::TooLarge("big").retryable());
  EXPECT_FALSE(Status::FailedPrecondition("shut down").retryable());
  EXPECT_FALSE(Status::Internal("bug").retryable());
}

TEST(StatusTest, ToStringNamesCodeAndMessage) {
  EXPECT_EQ(Status::Unavailable("connection refused").ToString(), "Unavailable: connection refused");
  EXPECT_EQ(Status(StatusCode::kTooLarge, "").ToString(), "TooLarge");
  Status copy = Status::DataLoss("crc");
  Status other = copy;
  EXPECT_EQ(other.code(), StatusCode::kDataLoss);
  EXPECT_EQ(other.message(), "crc");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good(7);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad(Status::NotFound("no such trace"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  Result<std::string> moved(std::string("abc"));
  std::string taken = std::move(moved).value();
  EXPECT_EQ(taken, "abc");
}

}  // namespace
}  // namespace otelpack
