// LogReader: leveldb's recovery rules, plus reporting of torn tails (leveldb
// keeps those silent; an operator of a queue wants to know data was lost).
#include "queue/log_reader.h"

#include "common/str_cat.h"
#include "queue/crc32c.h"
#include "queue/log_format.h"

namespace otelpack::queue {
namespace {

using log::kBlockSize;
using log::kHeaderSize;

std::uint32_t DecodeFixed32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

struct Header {
  std::uint32_t masked_crc;
  std::uint32_t length;
  unsigned type;
};

Header ParseHeader(const char* p) {
  return Header{DecodeFixed32(p),
                static_cast<std::uint32_t>(static_cast<unsigned char>(p[4])) |
                    (static_cast<std::uint32_t>(static_cast<unsigned char>(p[5])) << 8),
                static_cast<unsigned char>(p[6])};
}

bool ChecksumMatches(const char* header, std::uint32_t length) {
  return crc32c::Unmask(DecodeFixed32(header)) == crc32c::Value(header + 6, 1 + length);
}

}  // namespace

LogReader::LogReader(const File* file, Reporter reporter)
    : file_(file), reporter_(std::move(reporter)), block_(new char[kBlockSize]) {}

void LogReader::Report(std::uint64_t bytes, std::string_view reason) {
  if (bytes > 0 && reporter_) reporter_(bytes, reason);
}

unsigned LogReader::ReadPhysicalRecord(std::string_view* fragment,
                                       std::uint64_t* fragment_offset) {
  while (true) {
    if (buffer_.size() < kHeaderSize) {
      if (!eof_) {
        // A full block was read before: what is left is its trailer.
        std::size_t n = 0;
        Status s = PreadFully(*file_, block_.get(), kBlockSize, buffer_end_, &n);
        if (!s.ok()) {
          Report(kBlockSize, s.message());
          buffer_ = {};
          eof_ = true;
          return kEof;
        }
        buffer_ = std::string_view(block_.get(), n);
        buffer_end_ += n;
        if (n < kBlockSize) eof_ = true;
        continue;
      }
      // A header cut short by the end of the file: the writer died in it.
      Report(buffer_.size(), "torn record header at end of file");
      buffer_ = {};
      return kEof;
    }

    const Header h = ParseHeader(buffer_.data());
    if (kHeaderSize + h.length > buffer_.size()) {
      const std::size_t drop = buffer_.size();
      buffer_ = {};
      if (!eof_) {
        Report(drop, "bad record length");
        return kBadRecord;
      }
      Report(drop, "torn record at end of file");
      return kEof;
    }
    if (h.type == log::kZeroType && h.length == 0) {
      // Never written by LogWriter: zeros, as a tail lost to power loss
      // leaves them. Nothing in the rest of the block can be trusted.
      Report(buffer_.size(), "zero-filled region");
      buffer_ = {};
      return kBadRecord;
    }
    if (!ChecksumMatches(buffer_.data(), h.length)) {
      // The length may itself be damaged: drop the whole rest of the block
      // rather than trust it and mistake payload bytes for a header.
      Report(buffer_.size(), "checksum mismatch");
      buffer_ = {};
      return kBadRecord;
    }
    *fragment_offset = buffer_end_ - buffer_.size();
    *fragment = buffer_.substr(kHeaderSize, h.length);
    buffer_.remove_prefix(kHeaderSize + h.length);
    return h.type;
  }
}

bool LogReader::ReadRecord(std::string* record, std::uint64_t* offset, std::uint64_t* end) {
  record->clear();
  bool in_fragmented_record = false;
  std::uint64_t record_offset = 0;
  std::string_view fragment;
  std::uint64_t fragment_offset = 0;
  while (true) {
    const unsigned type = ReadPhysicalRecord(&fragment, &fragment_offset);
    const std::uint64_t fragment_end = fragment_offset + kHeaderSize + fragment.size();
    switch (type) {
      case log::kFullType:
        if (in_fragmented_record) Report(record->size(), "partial record without end");
        record->assign(fragment);
        *offset = fragment_offset;
        *end = fragment_end;
        return true;
      case log::kFirstType:
        if (in_fragmented_record) Report(record->size(), "partial record without end");
        record->assign(fragment);
        record_offset = fragment_offset;
        in_fragmented_record = true;
        break;
      case log::kMiddleType:
        if (!in_fragmented_record) {
          Report(kHeaderSize + fragment.size(), "missing start of fragmented record");
        } else {
          record->append(fragment);
        }
        break;
      case log::kLastType:
        if (!in_fragmented_record) {
          Report(kHeaderSize + fragment.size(), "missing start of fragmented record");
        } else {
          record->append(fragment);
          *offset = record_offset;
          *end = fragment_end;
          return true;
        }
        break;
      case kEof:
        if (in_fragmented_record) Report(record->size(), "torn record at end of file");
        record->clear();
        return false;
      case kBadRecord:
        if (in_fragmented_record) Report(record->size(), "error in middle of record");
        in_fragmented_record = false;
        record->clear();
        break;
      default:
        Report(kHeaderSize + fragment.size() + (in_fragmented_record ? record->size() : 0),
               StrCat("unknown record type ", type));
        in_fragmented_record = false;
        record->clear();
        break;
    }
  }
}

Result<std::vector<std::string_view>> DecodeRecordSpan(std::string_view span,
                                                        std::uint64_t offset) {
  std::vector<std::string_view> fragments;
  std::size_t pos = 0;
  bool begin = true;
  while (true) {
    std::uint64_t room = kBlockSize - (offset + pos) % kBlockSize;
    if (room < kHeaderSize) {  // trailer
      pos += room;
      room = kBlockSize;
    }
    if (span.size() - std::min(pos, span.size()) < kHeaderSize) {
      return Status::DataLoss(StrCat("record at offset ", offset, " is cut short"));
    }
    const Header h = ParseHeader(span.data() + pos);
    if (h.length > span.size() - pos - kHeaderSize || h.length > room - kHeaderSize ||
        !ChecksumMatches(span.data() + pos, h.length)) {
      return Status::DataLoss(StrCat("checksum mismatch in record at offset ", offset));
    }
    const bool want_first = begin;
    const bool ok_type = want_first ? (h.type == log::kFullType || h.type == log::kFirstType)
                                    : (h.type == log::kMiddleType || h.type == log::kLastType);
    if (!ok_type) {
      return Status::DataLoss(StrCat("unexpected fragment type ", h.type,
                                     " in record at offset ", offset));
    }
    fragments.push_back(span.substr(pos + kHeaderSize, h.length));
    pos += kHeaderSize + h.length;
    if (h.type == log::kFullType || h.type == log::kLastType) break;
    begin = false;
  }
  if (pos != span.size()) {
    return Status::DataLoss(StrCat("record at offset ", offset, " has trailing bytes"));
  }
  return fragments;
}

}  // namespace otelpack::queue

