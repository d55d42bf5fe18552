// Encoding and decoding of a QueuedBatch record (batch_record.h).
#include "queue/batch_record.h"

#include <algorithm>
#include <cstring>

#include "common/str_cat.h"

namespace otelpack::queue {
namespace {

void PutFixed(std::string* out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xffu));
}

void PutVarint32(std::string* out, std::uint32_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads bytes across fragment boundaries (the first fragment may even be empty).
class FragmentCursor {
 public:
  explicit FragmentCursor(std::span<const std::string_view> fragments) : f_(fragments) {
    for (std::string_view s : f_) left_ += s.size();
  }
  std::uint64_t left() const { return left_; }

  bool Read(char* dst, std::size_t n) {
    if (n > left_) return false;
    while (n > 0) {
      std::string_view cur = f_[index_].substr(pos_);
      std::size_t take = std::min(n, cur.size());
      if (take > 0) std::memcpy(dst, cur.data(), take);
      dst += take;
      n -= take;
      left_ -= take;
      pos_ += take;
      if (pos_ == f_[index_].size()) {
        ++index_;
        pos_ = 0;
      }
    }
    return true;
  }

  bool ReadFixed(std::uint64_t* v, int bytes) {
    unsigned char b[8];
    if (!Read(reinterpret_cast<char*>(b), static_cast<std::size_t>(bytes))) return false;
    *v = 0;
    for (int i = bytes - 1; i >= 0; --i) *v = (*v << 8) | b[i];
    return true;
  }

  bool ReadVarint32(std::uint32_t* v) {
    *v = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
      char c;
      if (!Read(&c, 1)) return false;
      auto byte = static_cast<unsigned char>(c);
      *v |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

 private:
  std::span<const std::string_view> f_;
  std::size_t index_ = 0;
  std::size_t pos_ = 0;
  std::uint64_t left_ = 0;
};

Status Malformed(std::string_view what) {
  return Status::DataLoss(StrCat("malformed queue record: ", what));
}

Status ReadHeader(FragmentCursor* in, QueuedBatch* batch) {
  std::uint64_t version = 0;
  if (!in->ReadFixed(&version, 1)) return Malformed("empty");
  batch->open_part = version == kBatchRecordVersionOpenPart;
  if (version == kBatchRecordVersionTracesOnly) {
    batch->signal = Signal::kTraces;
  } else if (version == kBatchRecordVersion || version == kBatchRecordVersionOpenPart) {
    std::uint64_t signal = 0;
    if (!in->ReadFixed(&signal, 1)) return Malformed("cut short before the signal");
    // Writers only store signals they know, so an unknown value is a damaged
    // record or one from a newer release: either way this build cannot send
    // it to the right endpoint nor count it, and a Signal out of range would
    // index past every per-signal table. Skipping it as damaged is honest.
    if (signal >= kSignalCount) return Malformed(StrCat("unknown signal ", signal));
    batch->signal = static_cast<Signal>(signal);
  } else {
    return Malformed(StrCat("unknown version ", version));
  }
  std::uint32_t id_size = 0;
  if (!in->ReadVarint32(&id_size) || id_size > kMaxBatchIdBytes || id_size > in->left()) {
    return Malformed("bad batch id length");
  }
  batch->batch_id.resize(id_size);
  in->Read(batch->batch_id.data(), id_size);
  std::uint64_t events = 0, compression = 0, uncompressed = 0;
  if (batch->open_part) {
    if (!in->ReadFixed(&events, 4)) return Malformed("header cut short");
    uncompressed = in->left();  // parts are stored uncompressed (Compression::kNone is 0)
  } else if (!in->ReadFixed(&events, 4) || !in->ReadFixed(&compression, 1) ||
             !in->ReadFixed(&uncompressed, 8)) {
    return Malformed("header cut short");
  }
  batch->events = static_cast<std::uint32_t>(events);
  batch->compression = static_cast<std::uint8_t>(compression);
  batch->uncompressed_bytes = uncompressed;
  return Status::Ok();
}

}  // namespace

std::string EncodeBatchHeader(const QueuedBatch& batch) {
  std::string out;
  out.reserve(1 + 1 + 5 + batch.batch_id.size() + 4 + 1 + 8);
  out.push_back(static_cast<char>(batch.open_part ? kBatchRecordVersionOpenPart : kBatchRecordVersion));
  out.push_back(static_cast<char>(batch.signal));
  PutVarint32(&out, static_cast<std::uint32_t>(batch.batch_id.size()));
  out.append(batch.batch_id);
  PutFixed(&out, batch.events, 4);
  if (batch.open_part) return out;
  PutFixed(&out, batch.compression, 1);
  PutFixed(&out, batch.uncompressed_bytes, 8);
  return out;
}

Status DecodeBatchHeader(std::span<const std::string_view> fragments, QueuedBatch* batch,
                         std::uint64_t* body_size) {
  FragmentCursor in(fragments);
  Status s = ReadHeader(&in, batch);
  if (!s.ok()) return s;
  *body_size = in.left();
  return Status::Ok();
}

Status DecodeBatch(std::span<const std::string_view> fragments, QueuedBatch* batch) {
  FragmentCursor in(fragments);
  Status s = ReadHeader(&in, batch);
  if (!s.ok()) return s;
  const auto n = static_cast<std::size_t>(in.left());
  batch->body.Clear();
  char* dst = batch->body.ReserveAppend(n);
  in.Read(dst, n);
  batch->body.Commit(n);
  return Status::Ok();
}

}  // namespace otelpack::queue
