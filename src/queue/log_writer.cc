// LogWriter: fragments records into blocks and writes them with writev.
#include "queue/log_writer.h"

#include <algorithm>
#include <array>
#include <deque>

#include "queue/crc32c.h"
#include "queue/log_format.h"

namespace otelpack::queue {
namespace {

using log::kBlockSize;
using log::kHeaderSize;

constexpr char kZeros[kHeaderSize] = {};

using Header = std::array<char, kHeaderSize>;

iovec Vec(const void* p, std::size_t n) { return iovec{const_cast<void*>(p), n}; }

void EncodeFixed32(char* dst, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>((v >> (8 * i)) & 0xffu);
}

// Walks a Payload's two pieces as one sequence of bytes.
class PayloadCursor {
 public:
  explicit PayloadCursor(const LogWriter::Payload& p) : p_(p) {}
  std::uint64_t left() const { return p_.size() - pos_; }
  // Emits the next n bytes as at most two iovecs and extends *crc over them.
  void Take(std::uint64_t n, std::vector<iovec>* iov, std::uint32_t* crc) {
    while (n > 0) {
      std::string_view piece = pos_ < p_.head.size() ? p_.head.substr(pos_)
                                                     : p_.tail.substr(pos_ - p_.head.size());
      std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, piece.size()));
      iov->push_back(Vec(piece.data(), take));
      *crc = crc32c::Extend(*crc, piece.data(), take);
      pos_ += take;
      n -= take;
    }
  }

 private:
  const LogWriter::Payload& p_;
  std::uint64_t pos_ = 0;
};

}  // namespace

std::uint64_t LogWriter::PhysicalSize(std::uint64_t at, std::uint64_t n) {
  std::uint64_t pos = at;
  std::uint64_t left = n;
  do {
    std::uint64_t room = kBlockSize - pos % kBlockSize;
    if (room < kHeaderSize) {
      pos += room;  // trailer
      room = kBlockSize;
    }
    std::uint64_t fragment = std::min(left, room - kHeaderSize);
    pos += kHeaderSize + fragment;
    left -= fragment;
  } while (left > 0);
  return pos - at;
}

std::uint64_t LogWriter::MaxPhysicalSize(std::uint64_t n) {
  // At most a trailer, one partial fragment in the first block and one
  // fragment per further block.
  return n + (kHeaderSize - 1) + kHeaderSize * (n / (kBlockSize - kHeaderSize) + 2);
}

Status LogWriter::AddRecords(std::span<const Payload> records, std::vector<Placement>* placed) {
  placed->clear();
  std::deque<Header> headers;  // a deque: iovecs point into it while it grows
  std::vector<iovec> iov;
  std::uint64_t pos = size_;
  for (const Payload& record : records) {
    PayloadCursor cursor(record);
    bool begin = true;
    do {
      std::uint64_t room = kBlockSize - pos % kBlockSize;
      if (room < kHeaderSize) {
        iov.push_back(Vec(kZeros, room));
        pos += room;
        room = kBlockSize;
      }
      if (begin) placed->push_back(Placement{pos, 0});
      const std::uint64_t fragment = std::min(cursor.left(), room - kHeaderSize);
      const bool end = fragment == cursor.left();
      const log::RecordType type = begin && end ? log::kFullType
                                   : begin      ? log::kFirstType
                                   : end        ? log::kLastType
                                                : log::kMiddleType;
      Header& h = headers.emplace_back();
      h[4] = static_cast<char>(fragment & 0xffu);
      h[5] = static_cast<char>(fragment >> 8);
      h[6] = static_cast<char>(type);
      iov.push_back(Vec(h.data(), h.size()));
      std::uint32_t crc = crc32c::Value(&h[6], 1);
      cursor.Take(fragment, &iov, &crc);
      EncodeFixed32(h.data(), crc32c::Mask(crc));
      pos += kHeaderSize + fragment;
      begin = false;
    } while (cursor.left() > 0);
    placed->back().end = pos;
  }
  std::uint64_t written = 0;
  Status s = WriteFully(*file_, iov, &written);
  size_ += written;
  return s;
}

}  // namespace otelpack::queue
