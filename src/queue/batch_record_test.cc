// The batch record format (batch_record.h): version 2 round trips with every
// signal and across any fragment split, its exact bytes, version 3 (an open
// batch's part) round trips with its exact bytes, version 1 records
// (written by hand here, as the old writer laid them out) read as traces, and
// the records a reader must refuse: unknown versions, unknown signals, cuts.
#include "queue/batch_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "queue/queue_test_util.h"

namespace otelpack::queue {
namespace {

using testing::BodyFor;

QueuedBatch Sample(Signal signal, std::size_t body_size) {
  QueuedBatch b;
  b.batch_id = "0123456789abcdef-" + std::string(SignalName(signal));
  b.events = 0x01020304;
  b.compression = 3;
  b.uncompressed_bytes = 5'000'000'000ull;  // needs the high half of the fixed64
  b.signal = signal;
  b.body.Append(BodyFor(7, body_size));
  return b;
}

void ExpectSameBatch(const QueuedBatch& got, const QueuedBatch& want) {
  EXPECT_EQ(got.batch_id, want.batch_id);
  EXPECT_EQ(got.events, want.events);
  EXPECT_EQ(got.compression, want.compression);
  EXPECT_EQ(got.uncompressed_bytes, want.uncompressed_bytes);
  EXPECT_EQ(SignalName(got.signal), SignalName(want.signal));
  EXPECT_TRUE(got.body.view() == want.body.view()) << "body differs";
}

// A version 1 record exactly as the writer before signals laid it out.
std::string V1Record(const std::string& id, std::uint32_t events, std::uint8_t compression,
                     std::uint64_t uncompressed, const std::string& body) {
  std::string r;
  r.push_back('\x01');
  for (std::uint32_t n = static_cast<std::uint32_t>(id.size()); ; n >>= 7) {
    if (n < 0x80) {
      r.push_back(static_cast<char>(n));
      break;
    }
    r.push_back(static_cast<char>((n & 0x7f) | 0x80));
  }
  r += id;
  for (int i = 0; i < 4; ++i) r.push_back(static_cast<char>(events >> (8 * i)));
  r.push_back(static_cast<char>(compression));
  for (int i = 0; i < 8; ++i) r.push_back(static_cast<char>(uncompressed >> (8 * i)));
  return r + body;
}

Status DecodeWhole(const std::string& record, QueuedBatch* out) {
  const std::string_view fragments[] = {record};
  return DecodeBatch(fragments, out);
}

TEST(BatchRecord, Version2RoundTripsEverySignal) {
  for (Signal signal : kAllSignals) {
    SCOPED_TRACE(SignalName(signal));
    const QueuedBatch batch = Sample(signal, 3000);
    const std::string record = EncodeBatchHeader(batch) + std::string(batch.body.view());
    EXPECT_EQ(record[0], '\x02');
    QueuedBatch got;
    got.signal = signal == Signal::kLogs ? Signal::kMetrics : Signal::kLogs;  // must be overwritten
    ASSERT_TRUE(DecodeWhole(record, &got).ok());
    ExpectSameBatch(got, batch);

    QueuedBatch header;
    std::uint64_t body_size = 0;
    const std::string_view fragments[] = {record};
    ASSERT_TRUE(DecodeBatchHeader(fragments, &header, &body_size).ok());
    EXPECT_EQ(body_size, 3000u);
    EXPECT_EQ(SignalName(header.signal), SignalName(signal));
  }
}

// The log splits records at block boundaries wherever they fall, so the header
// (the signal byte included) must decode from any cut, even an empty first fragment.
TEST(BatchRecord, Version2DecodesFromAnyFragmentSplit) {
  const QueuedBatch batch = Sample(Signal::kMetrics, 40);
  const std::string record = EncodeBatchHeader(batch) + std::string(batch.body.view());
  for (std::size_t a = 0; a <= record.size(); ++a) {
    for (std::size_t b = a; b <= record.size(); b += 7) {
      const std::string_view r = record;
      const std::string_view fragments[] = {r.substr(0, a), r.substr(a, b - a), r.substr(b)};
      QueuedBatch got;
      ASSERT_TRUE(DecodeBatch(fragments, &got).ok()) << "split at " << a << ", " << b;
      ExpectSameBatch(got, batch);
    }
  }
}

TEST(BatchRecord, Version2LayoutPutsTheSignalBehindTheVersion) {
  QueuedBatch b;
  b.batch_id = "ab";
  b.events = 0x01020304;
  b.compression = 2;
  b.uncompressed_bytes = 0x0102030405060708ull;
  b.signal = Signal::kMetrics;
  const std::string want("\x02\x02\x02"
                         "ab"
                         "\x04\x03\x02\x01"
                         "\x02"
                         "\x08\x07\x06\x05\x04\x03\x02\x01",
                         18);
  EXPECT_EQ(EncodeBatchHeader(b), want);
}

TEST(BatchRecord, Version1ReadsAsTraces) {
  const std::string body = BodyFor(3, 5000);
  const std::string id(128, 'v');  // a two-byte varint length
  const std::string record = V1Record(id, 0x01020304, 1, 5'000'000'000ull, body);
  QueuedBatch got;
  got.signal = Signal::kLogs;  // a reused batch: the decoder must set the signal
  ASSERT_TRUE(DecodeWhole(record, &got).ok());
  EXPECT_EQ(got.batch_id, id);
  EXPECT_EQ(got.events, 0x01020304u);
  EXPECT_EQ(got.compression, 1);
  EXPECT_EQ(got.uncompressed_bytes, 5'000'000'000ull);
  EXPECT_EQ(SignalName(got.signal), "traces");
  EXPECT_TRUE(got.body.view() == body);

  QueuedBatch header;
  std::uint64_t body_size = 0;
  const std::string_view r = record;
  const std::string_view fragments[] = {r.substr(0, 1), r.substr(1, 200), r.substr(201)};
  ASSERT_TRUE(DecodeBatchHeader(fragments, &header, &body_size).ok());
  EXPECT_EQ(body_size, body.size());
  EXPECT_EQ(SignalName(header.signal), "traces");
  EXPECT_EQ(header.batch_id, id);
}

TEST(BatchRecord, Version1WithAnEmptyBody) {
  QueuedBatch got;
  ASSERT_TRUE(DecodeWhole(V1Record("e", 0, 0, 0, ""), &got).ok());
  EXPECT_EQ(got.batch_id, "e");
  EXPECT_EQ(got.body.size(), 0u);
  EXPECT_EQ(SignalName(got.signal), "traces");
}

// Both decoders refuse `record` with a message containing `why`.
void ExpectDataLoss(const std::string& record, const std::string& why) {
  QueuedBatch got;
  Status s = DecodeWhole(record, &got);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << why;
  EXPECT_NE(s.message().find(why), std::string_view::npos) << s.message();
  QueuedBatch header;
  std::uint64_t body_size = 0;
  const std::string_view fragments[] = {record};
  EXPECT_EQ(DecodeBatchHeader(fragments, &header, &body_size).code(), StatusCode::kDataLoss) << why;
}

TEST(BatchRecord, UnknownSignalIsDataLoss) {
  const QueuedBatch batch = Sample(Signal::kTraces, 100);
  for (int bad : {3, 0x7f, 0x80, 0xff}) {
    std::string record = EncodeBatchHeader(batch) + std::string(batch.body.view());
    record[1] = static_cast<char>(bad);
    ExpectDataLoss(record, "unknown signal " + std::to_string(bad));
  }
}

TEST(BatchRecord, UnknownVersionIsDataLoss) {
  const QueuedBatch batch = Sample(Signal::kLogs, 100);
  for (int version : {0, 4, 0xff}) {
    std::string record = EncodeBatchHeader(batch) + std::string(batch.body.view());
    record[0] = static_cast<char>(version);
    ExpectDataLoss(record, "unknown version " + std::to_string(version));
  }
}

TEST(BatchRecord, AnOpenBatchsPartIsVersionThreeWithoutCompressionFields) {
  QueuedBatch part = testing::MakePart("ab", Signal::kMetrics, "{\"m\":1},{\"m\":2}", 2);
  const std::string header = EncodeBatchHeader(part);
  EXPECT_EQ(header, std::string("\x03\x02\x02" "ab" "\x02\x00\x00\x00", 9));
  QueuedBatch got;
  ASSERT_TRUE(DecodeWhole(header + std::string(part.body.view()), &got).ok());
  EXPECT_TRUE(got.open_part);
  EXPECT_EQ(got.batch_id, "ab");
  EXPECT_EQ(SignalName(got.signal), "metrics");
  EXPECT_EQ(got.events, 2u);
  EXPECT_EQ(got.compression, 0u);
  EXPECT_EQ(got.uncompressed_bytes, part.body.size());
  EXPECT_EQ(got.body.view(), part.body.view());
  for (std::size_t n = 0; n < header.size(); ++n) {
    EXPECT_EQ(DecodeWhole(header.substr(0, n), &got).code(), StatusCode::kDataLoss) << n << " bytes";
  }
  // A request is still written as version 2 (a release before parts reads it).
  part.open_part = false;
  EXPECT_EQ(EncodeBatchHeader(part)[0], '\x02');
}

TEST(BatchRecord, CutShortHeadersAreDataLoss) {
  const QueuedBatch batch = Sample(Signal::kLogs, 0);
  const std::string header = EncodeBatchHeader(batch);
  // Every strict prefix of a header (the body is empty) is missing a field.
  for (std::size_t n = 0; n < header.size(); ++n) {
    QueuedBatch got;
    Status s = DecodeWhole(header.substr(0, n), &got);
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << n << " bytes";
  }
  QueuedBatch got;
  Status s = DecodeWhole(header.substr(0, 1), &got);
  EXPECT_NE(s.message().find("before the signal"), std::string::npos) << s.message();
  ASSERT_TRUE(DecodeWhole(header, &got).ok());
  EXPECT_EQ(got.body.size(), 0u);
}

}  // namespace
}  // namespace otelpack::queue
