// RedactSecrets and Log: a registered credential never comes out.
#include "common/secrets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "otelpack/log.h"

namespace otelpack {
namespace {

TEST(Secrets, EveryOccurrenceOfEverySecretIsMasked) {
  RegisterSecret("k3y-0f-the-backend");
  RegisterSecret("s3cr3t-pass");
  EXPECT_EQ(RedactSecrets("401: bad key k3y-0f-the-backend (s3cr3t-pass, k3y-0f-the-backend)"),
            "401: bad key *** (***, ***)");
  EXPECT_EQ(RedactSecrets("nothing to hide"), "nothing to hide");
}

TEST(Secrets, ASecretInsideALongerOneIsMaskedWhole) {
  RegisterSecret("abcd");
  RegisterSecret("xxabcdyy");
  EXPECT_EQ(RedactSecrets("token xxabcdyy and abcd"), "token *** and ***");
}

TEST(Secrets, TooShortToTellFromTextIsNotRegistered) {
  RegisterSecret("ab1");
  RegisterSecret("");
  EXPECT_EQ(RedactSecrets("ab1 stays"), "ab1 stays");
}

TEST(Secrets, TheRegistryIsBoundedAndKeepsTheNewest) {
  for (int i = 0; i < 1000; ++i) RegisterSecret("bulk-secret-" + std::to_string(i));
  EXPECT_EQ(RedactSecrets("bulk-secret-999"), "***");
  EXPECT_EQ(RedactSecrets("bulk-secret-0"), "bulk-secret-0");  // the oldest went
}

TEST(Secrets, LogMasksThemBeforeAnyHandlerSeesTheMessage) {
  RegisterSecret("echoed-api-key-123");
  std::vector<std::string> seen;
  SetLogHandler([&](LogLevel, std::string_view m) { seen.emplace_back(m); });
  Log(LogLevel::kWarn, "backend said: invalid key 'echoed-api-key-123'");
  SetLogHandler(nullptr);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "backend said: invalid key '***'");
}

}  // namespace
}  // namespace otelpack
