// The record log: round trips across block boundaries, the exact size
// arithmetic, and every recovery path the reader has (after leveldb's
// log_test.cc): checksum damage, bad lengths, torn tails, zero-filled tails.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "queue/crc32c.h"
#include "queue/log_format.h"
#include "queue/log_reader.h"
#include "queue/log_writer.h"
#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using log::kBlockSize;
using log::kHeaderSize;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::unique_ptr<File> OpenFile(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  EXPECT_GE(fd, 0) << path;
  return std::make_unique<File>(fd, path);
}

std::string Payload(std::size_t n, char seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + static_cast<char>(i * 7));
  return s;
}

struct ReadBack {
  std::vector<std::string> records;
  std::vector<std::uint64_t> offsets, ends;
  std::uint64_t dropped = 0;
  std::vector<std::string> reasons;
};

ReadBack ReadAll(const std::string& path) {
  ReadBack out;
  auto file = OpenFile(path, O_RDONLY);
  LogReader reader(file.get(), [&](std::uint64_t n, std::string_view why) {
    out.dropped += n;
    out.reasons.emplace_back(why);
  });
  std::string record;
  std::uint64_t offset = 0, end = 0;
  while (reader.ReadRecord(&record, &offset, &end)) {
    out.records.push_back(record);
    out.offsets.push_back(offset);
    out.ends.push_back(end);
  }
  return out;
}

// Writes `payloads` one AddRecords call each; returns the start offsets.
std::vector<std::uint64_t> WriteAll(const std::string& path, const std::vector<std::string>& payloads) {
  auto file = OpenFile(path, O_WRONLY | O_CREAT | O_TRUNC);
  LogWriter writer(file.get(), 0);
  std::vector<std::uint64_t> starts;
  std::vector<LogWriter::Placement> placed;
  for (const std::string& p : payloads) {
    const std::uint64_t before = writer.size();
    const LogWriter::Payload record{p, {}};
    EXPECT_TRUE(writer.AddRecords({&record, 1}, &placed).ok());
    EXPECT_EQ(writer.size() - before, LogWriter::PhysicalSize(before, p.size())) << p.size();
    EXPECT_LE(writer.size() - before, LogWriter::MaxPhysicalSize(p.size()));
    EXPECT_EQ(placed.at(0).end, writer.size());
    starts.push_back(placed.at(0).offset);
  }
  return starts;
}

// Writes `payloads` in one AddRecords call (as a commit group does).
std::vector<LogWriter::Placement> WriteGroup(const std::string& path,
                                             const std::vector<std::string>& payloads) {
  auto file = OpenFile(path, O_WRONLY | O_CREAT | O_TRUNC);
  LogWriter writer(file.get(), 0);
  std::vector<LogWriter::Payload> records;
  for (const std::string& p : payloads) records.push_back({p, {}});
  std::vector<LogWriter::Placement> placed;
  EXPECT_TRUE(writer.AddRecords(records, &placed).ok());
  EXPECT_EQ(placed.size(), payloads.size());
  return placed;
}

TEST(LogFormat, RoundTripAcrossBlockBoundaries) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  // Sizes chosen to land on every edge: empty, exactly filling a block,
  // leaving 7 (a FIRST fragment of 0 bytes) or fewer (a trailer) bytes, and
  // several blocks long.
  std::vector<std::string> payloads;
  const std::size_t sizes[] = {0, 1, 100, kBlockSize - 2 * kHeaderSize - 101, 0,
                               kBlockSize - kHeaderSize - 7, 3 * kBlockSize + 17, 5,
                               kBlockSize - kHeaderSize, 100000, 0};
  char seed = 'a';
  for (std::size_t n : sizes) payloads.push_back(Payload(n, seed++));
  std::vector<std::uint64_t> starts = WriteAll(path, payloads);
  ReadBack back = ReadAll(path);
  EXPECT_EQ(back.dropped, 0u);
  ASSERT_EQ(back.records.size(), payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(back.records[i], payloads[i]) << i;
    EXPECT_EQ(back.offsets[i], starts[i]) << i;
    EXPECT_EQ(back.ends[i], i + 1 < starts.size() ? starts[i + 1] : ReadFile(path).size());
  }
}

TEST(LogFormat, OneCallReportsWhereEachRecordEndsBehindTrailers) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  // r0 leaves 3 bytes (a trailer) in block 0, r1 exactly 7 (an empty FIRST
  // fragment), r2 follows in the middle of a block.
  const std::vector<std::string> payloads = {
      Payload(kBlockSize - kHeaderSize - 3, 'a'), Payload(kBlockSize - 2 * kHeaderSize, 'b'),
      Payload(5000, 'c'), Payload(0, 'd'), Payload(70000, 'e')};
  std::vector<LogWriter::Placement> placed = WriteGroup(path, payloads);
  EXPECT_EQ(placed[0].end, kBlockSize - 3);
  EXPECT_EQ(placed[1].offset, kBlockSize);
  ReadBack back = ReadAll(path);
  ASSERT_EQ(back.records.size(), payloads.size());
  const std::string bytes = ReadFile(path);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(back.records[i], payloads[i]);
    EXPECT_EQ(placed[i].offset, back.offsets[i]) << i;
    EXPECT_EQ(placed[i].end, back.ends[i]) << i;
    // What Pop does with an index entry: decode exactly [offset, end).
    Result<std::vector<std::string_view>> fragments = DecodeRecordSpan(
        std::string_view(bytes).substr(placed[i].offset, placed[i].end - placed[i].offset),
        placed[i].offset);
    ASSERT_TRUE(fragments.ok()) << i << ": " << fragments.status().ToString();
  }
}

TEST(LogFormat, SevenBytesLeftGiveAnEmptyFirstFragment) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  // The first record leaves exactly kHeaderSize bytes in block 0.
  WriteAll(path, {Payload(kBlockSize - 2 * kHeaderSize, 'x'), Payload(50, 'y')});
  const std::string bytes = ReadFile(path);
  const std::size_t second = kBlockSize - kHeaderSize;
  EXPECT_EQ(static_cast<unsigned char>(bytes[second + 4]), 0u);  // length 0
  EXPECT_EQ(static_cast<unsigned char>(bytes[second + 6]), log::kFirstType);
  ReadBack back = ReadAll(path);
  ASSERT_EQ(back.records.size(), 2u);
  EXPECT_EQ(back.records[1], Payload(50, 'y'));
  EXPECT_EQ(back.offsets[1], second);
}

TEST(LogFormat, TwoPiecePayloadWritesTheSameBytesAsOne) {
  TempDir dir;
  const std::string whole = Payload(80000, 'q');
  WriteAll(dir.Sub("one"), {Payload(10, 'a'), whole});
  {
    auto file = OpenFile(dir.Sub("two"), O_WRONLY | O_CREAT | O_TRUNC);
    LogWriter writer(file.get(), 0);
    std::vector<LogWriter::Placement> offsets;
    const std::string first = Payload(10, 'a');
    // Both records in one call, the second split at an arbitrary point.
    const LogWriter::Payload records[] = {{first, {}},
                                          {std::string_view(whole).substr(0, 12345),
                                           std::string_view(whole).substr(12345)}};
    ASSERT_TRUE(writer.AddRecords(records, &offsets).ok());
    ASSERT_EQ(offsets.size(), 2u);
  }
  EXPECT_TRUE(ReadFile(dir.Sub("one")) == ReadFile(dir.Sub("two")));
}

TEST(LogFormat, DecodeRecordSpanChecksEveryFragment) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  const std::vector<std::string> payloads = {Payload(300, 'a'), Payload(70000, 'b'), Payload(9, 'c')};
  std::vector<std::uint64_t> starts = WriteAll(path, payloads);
  const std::string bytes = ReadFile(path);
  ReadBack back = ReadAll(path);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    std::string span = bytes.substr(starts[i], back.ends[i] - starts[i]);
    Result<std::vector<std::string_view>> fragments = DecodeRecordSpan(span, starts[i]);
    ASSERT_TRUE(fragments.ok()) << fragments.status().ToString();
    std::string joined;
    for (std::string_view f : *fragments) joined.append(f);
    EXPECT_EQ(joined, payloads[i]);
    span[span.size() / 2] ^= 0x01;
    Result<std::vector<std::string_view>> damaged = DecodeRecordSpan(span, starts[i]);
    ASSERT_FALSE(damaged.ok());
    EXPECT_EQ(damaged.status().code(), StatusCode::kDataLoss);
    EXPECT_FALSE(DecodeRecordSpan(span.substr(0, span.size() - 1), starts[i]).ok());
  }
}

TEST(LogReaderRecovery, ChecksumMismatchDropsTheRestOfTheBlockOnly) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  // Block 0: r0, r1, r2 (small). Block 1 onwards: r3, r4.
  std::vector<std::string> payloads = {Payload(1000, 'a'), Payload(1000, 'b'), Payload(1000, 'c')};
  payloads.push_back(Payload(kBlockSize - 3 * (1000 + kHeaderSize) - kHeaderSize, 'd'));
  payloads.push_back(Payload(2000, 'e'));
  payloads.push_back(Payload(2000, 'f'));
  std::vector<std::uint64_t> starts = WriteAll(path, payloads);
  ASSERT_EQ(starts[4], kBlockSize);
  std::string bytes = ReadFile(path);
  bytes[starts[1] + kHeaderSize + 10] ^= 0x40;  // inside r1's data
  WriteFile(path, bytes);
  ReadBack back = ReadAll(path);
  ASSERT_EQ(back.records.size(), 3u);  // r0, r4, r5: r1..r3 shared the damaged block
  EXPECT_EQ(back.records[0], payloads[0]);
  EXPECT_EQ(back.records[1], payloads[4]);
  EXPECT_EQ(back.records[2], payloads[5]);
  EXPECT_EQ(back.dropped, kBlockSize - starts[1]);
  EXPECT_EQ(back.reasons.at(0), "checksum mismatch");
}

TEST(LogReaderRecovery, DamageInAFragmentDropsTheRecordAndResyncs) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  // r1 spans blocks 0..2; damage in its middle fragment (block 1).
  const std::vector<std::string> payloads = {Payload(100, 'a'), Payload(2 * kBlockSize + 500, 'b'),
                                             Payload(3 * kBlockSize, 'c'), Payload(10, 'd')};
  WriteAll(path, payloads);
  std::string bytes = ReadFile(path);
  bytes[kBlockSize + 1000] ^= 0x01;
  WriteFile(path, bytes);
  ReadBack back = ReadAll(path);
  // r2 starts in block 2 after r1's LAST fragment: kept, as are r0 and r3.
  ASSERT_EQ(back.records.size(), 3u);
  EXPECT_EQ(back.records[0], payloads[0]);
  EXPECT_EQ(back.records[1], payloads[2]);
  EXPECT_EQ(back.records[2], payloads[3]);
  EXPECT_GT(back.dropped, kBlockSize);  // the FIRST fragment, block 1 and the LAST fragment
  bool missing_start = false;
  for (const auto& r : back.reasons) missing_start |= r == "missing start of fragmented record";
  EXPECT_TRUE(missing_start);
}

TEST(LogReaderRecovery, BadLengthIsReported) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  WriteAll(path, {Payload(100, 'a'), Payload(100, 'b'), Payload(kBlockSize, 'c')});
  std::string bytes = ReadFile(path);
  const std::size_t second = kHeaderSize + 100;
  bytes[second + 5] = '\xff';  // length far beyond the block
  WriteFile(path, bytes);
  ReadBack back = ReadAll(path);
  ASSERT_EQ(back.records.size(), 1u);  // r0; r2's fragments lose their start
  EXPECT_EQ(back.reasons.at(0), "bad record length");
  EXPECT_GT(back.dropped, 0u);
}

TEST(LogReaderRecovery, TornTailAtEveryOffsetKeepsEarlierRecords) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  const std::vector<std::string> payloads = {Payload(500, 'a'), Payload(kBlockSize + 300, 'b'),
                                             Payload(40, 'c')};
  std::vector<std::uint64_t> starts = WriteAll(path, payloads);
  const std::string bytes = ReadFile(path);
  // Every offset inside the last record and a sample inside the one before it.
  std::vector<std::size_t> cuts;
  for (std::size_t at = starts[2]; at < bytes.size(); ++at) cuts.push_back(at);
  for (std::size_t at = starts[1] + 1; at < starts[2]; at += 997) cuts.push_back(at);
  for (std::size_t at : cuts) {
    WriteFile(path, bytes.substr(0, at));
    ReadBack back = ReadAll(path);
    const std::size_t intact = at >= starts[2] ? 2 : 1;
    ASSERT_EQ(back.records.size(), intact) << "cut at " << at;
    for (std::size_t i = 0; i < intact; ++i) EXPECT_EQ(back.records[i], payloads[i]);
    const std::size_t torn = at - starts[intact];
    EXPECT_LE(back.dropped, torn) << "cut at " << at;
    EXPECT_EQ(back.dropped > 0, torn > 0) << "cut at " << at;
  }
}

TEST(LogReaderRecovery, ZeroFilledTailIsSkippedAndReported) {
  TempDir dir;
  const std::string path = dir.Sub("log");
  const std::vector<std::string> payloads = {Payload(3000, 'a'), Payload(50000, 'b')};
  WriteAll(path, payloads);
  std::string bytes = ReadFile(path);
  const std::size_t zeros = 100 * 1024 + 3;  // as if the size grew but the data never landed
  bytes.append(zeros, '\0');
  WriteFile(path, bytes);
  ReadBack back = ReadAll(path);
  ASSERT_EQ(back.records.size(), 2u);
  EXPECT_EQ(back.records[1], payloads[1]);
  EXPECT_EQ(back.dropped, zeros);
}

}  // namespace
}  // namespace otelpack::queue
