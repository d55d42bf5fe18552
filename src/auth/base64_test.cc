// Tests of the base64 encoder in src/common (RFC 4648 vectors, binary input).
#include "common/base64.h"

#include <string>

#include <gtest/gtest.h>

namespace otelpack {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, Rfc7617BasicExample) {
  EXPECT_EQ(Base64Encode("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST(Base64Test, UsesPlusAndSlashAndHighBytes) {
  EXPECT_EQ(Base64Encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  EXPECT_EQ(Base64Encode(std::string("\x00\x00\x00", 3)), "AAAA");
  EXPECT_EQ(Base64Encode(std::string("\xff", 1)), "/w==");
}

TEST(Base64Test, AllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  std::string encoded = Base64Encode(bytes);
  ASSERT_EQ(encoded.size(), Base64EncodedSize(256));
  // Computed with `python3 -c 'import base64;print(base64.b64encode(bytes(range(256))))'`.
  EXPECT_EQ(encoded.substr(0, 24), "AAECAwQFBgcICQoLDA0ODxAR");
  EXPECT_EQ(encoded.substr(encoded.size() - 12), "+fr7/P3+/w==");
}

TEST(Base64Test, EncodeToWritesExactlyTheEncodedSize) {
  for (std::size_t n = 0; n < 10; ++n) {
    std::string in(n, 'x');
    std::string out(Base64EncodedSize(n) + 4, '#');
    char* end = Base64EncodeTo(in, out.data());
    EXPECT_EQ(static_cast<std::size_t>(end - out.data()), Base64EncodedSize(n)) << n;
    EXPECT_EQ(out.substr(Base64EncodedSize(n)), "####") << n;  // nothing past the end
  }
}

TEST(Base64Test, AppendKeepsExistingContent) {
  std::string out = "Basic ";
  Base64Append("a:b", &out);
  EXPECT_EQ(out, "Basic YTpi");
}

}  // namespace
}  // namespace otelpack
