// CRC32C: RFC 3720 test vectors through both implementations, Extend over
// split inputs, and the leveldb mask.
#include "queue/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace otelpack::crc32c {
namespace {

using ExtendFn = std::uint32_t (*)(std::uint32_t, const char*, std::size_t);

std::uint32_t Compute(ExtendFn fn, const std::string& s) { return fn(0, s.data(), s.size()); }

void CheckRfc3720Vectors(ExtendFn fn) {
  // RFC 3720, appendix B.4.
  EXPECT_EQ(Compute(fn, std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(Compute(fn, std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending(32, '\0'), descending(32, '\0');
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<char>(i);
    descending[i] = static_cast<char>(31 - i);
  }
  EXPECT_EQ(Compute(fn, ascending), 0x46dd794eu);
  EXPECT_EQ(Compute(fn, descending), 0x113fdb5cu);
  const unsigned char iscsi_read[48] = {
      0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
      0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(fn(0, reinterpret_cast<const char*>(iscsi_read), sizeof(iscsi_read)), 0xd9963a56u);
  EXPECT_EQ(Compute(fn, "123456789"), 0xe3069283u);  // the catalogue check value
  EXPECT_EQ(Compute(fn, ""), 0u);
}

TEST(Crc32c, PortableMatchesRfc3720) { CheckRfc3720Vectors(&internal::ExtendPortable); }

TEST(Crc32c, HardwareMatchesRfc3720) {
  if (!internal::HardwareAvailable()) GTEST_SKIP() << "no SSE4.2 on this CPU";
  CheckRfc3720Vectors(&internal::ExtendHardware);
}

TEST(Crc32c, DispatchMatchesRfc3720) { CheckRfc3720Vectors(&Extend); }

TEST(Crc32c, ImplementationsAgreeOnEveryLengthAndAlignment) {
  std::string data(1100, '\0');
  std::uint32_t x = 12345;
  for (char& c : data) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  for (std::size_t start = 0; start < 9; ++start) {
    for (std::size_t n = 0; n + start <= 1100; n += 37) {
      const char* p = data.data() + start;
      EXPECT_EQ(internal::ExtendPortable(0, p, n), Value(p, n)) << start << " " << n;
      if (internal::HardwareAvailable()) {
        EXPECT_EQ(internal::ExtendHardware(0, p, n), internal::ExtendPortable(0, p, n));
      }
    }
  }
}

TEST(Crc32c, ExtendEqualsValueOfConcatenation) {
  const std::string s = "hello world, this is a record payload spanning a few words";
  for (std::size_t split = 0; split <= s.size(); ++split) {
    EXPECT_EQ(Extend(Value(s.data(), split), s.data() + split, s.size() - split),
              Value(s.data(), s.size()))
        << split;
  }
}

TEST(Crc32c, MaskRoundTripsAndChangesTheValue) {
  const std::uint32_t crc = Value("foo", 3);
  EXPECT_NE(crc, Mask(crc));
  EXPECT_NE(crc, Mask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Unmask(Mask(Mask(crc)))));
  EXPECT_EQ(0u, Unmask(Mask(0)));
}

}  // namespace
}  // namespace otelpack::crc32c
