// Opening a disk queue directory: find the segments, replay their ack files,
// keep every intact record not yet acked, and clean up what is finished.
//
// Corruption never stops the queue from opening (a queue that refuses to start
// after a crash loses everything it holds, the failure users of other disk
// buffers complain about most): damaged bytes are skipped, counted and logged.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string_view>

#include "common/str_cat.h"
#include "otelpack/log.h"
#include "queue/batch_record.h"
#include "queue/disk_queue_internal.h"
#include "queue/log_reader.h"
#include "queue/log_writer.h"

namespace otelpack::queue {
namespace {

constexpr std::string_view kSegmentSuffix = ".seg";
constexpr std::string_view kAckSuffix = ".ack";
constexpr std::string_view kTempSuffix = ".tmp";

// "00000042.seg" -> 42. Exactly the names this queue writes: 8 or more digits.
bool ParseName(std::string_view name, std::string_view suffix, std::uint64_t* number) {
  if (name.size() < 8 + suffix.size() || !name.ends_with(suffix)) return false;
  std::string_view digits = name.substr(0, name.size() - suffix.size());
  if (digits.size() > 19) return false;
  std::uint64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  *number = n;
  return true;
}

void RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    Log(LogLevel::kWarn, IoError("unlink", path, errno).message());
  }
}

// Collects the reasons for skipped bytes into one log line per file.
struct DamageReport {
  std::uint64_t bytes = 0;
  std::vector<std::string> reasons;

  void Add(std::uint64_t n, std::string_view reason) {
    bytes += n;
    if (reasons.size() < 4 &&
        std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
      reasons.emplace_back(reason);
    }
  }
  std::string Reasons() const {
    std::string out;
    for (const std::string& r : reasons) StrAppend(&out, out.empty() ? "" : "; ", r);
    return out;
  }
};

bool GetVarint64(std::string_view* in, std::uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// The offsets recorded in a segment's ack file. *damaged is set when part of
// the file could not be read (those acks are lost: redelivery, not loss).
Result<std::set<std::uint64_t>> ReadAcks(const std::string& path, bool* damaged) {
  std::set<std::uint64_t> acked;
  *damaged = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return acked;
    return IoError("open", path, errno);
  }
  File file(fd, path);
  DamageReport report;
  LogReader reader(&file, [&](std::uint64_t n, std::string_view why) { report.Add(n, why); });
  std::string record;
  std::uint64_t offset = 0, end = 0;
  while (reader.ReadRecord(&record, &offset, &end)) {
    std::string_view in = record;
    std::uint64_t v = 0;
    while (!in.empty()) {
      if (!GetVarint64(&in, &v)) {
        report.Add(in.size(), "malformed ack record");
        break;
      }
      acked.insert(v);
    }
  }
  if (report.bytes > 0) {
    *damaged = true;
    Log(LogLevel::kWarn, StrCat("disk queue: ", path, ": skipped ", report.bytes,
                                " damaged bytes of acks (", report.Reasons(),
                                "); the batches they acked will be delivered again"));
  }
  return acked;
}

// Replaces a damaged ack file with one intact record: appending behind a torn
// tail would let the damage swallow the acks written after it.
Status RewriteAckFile(const std::string& dir, std::uint64_t number,
                      const std::set<std::uint64_t>& acked, FsyncPolicy fsync) {
  const std::string path = AckPath(dir, number);
  const std::string temp = StrCat(path, kTempSuffix);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("open", temp, errno);
  {
    File file(fd, temp);
    std::string payload;
    for (std::uint64_t v : acked) {
      while (v >= 0x80) {
        payload.push_back(static_cast<char>(v | 0x80));
        v >>= 7;
      }
      payload.push_back(static_cast<char>(v));
    }
    LogWriter writer(&file, 0);
    std::vector<LogWriter::Placement> placed;
    const LogWriter::Payload record{payload, {}};
    Status s = writer.AddRecords({&record, 1}, &placed);
    if (s.ok() && fsync != FsyncPolicy::kNever) s = SyncData(file);
    if (!s.ok()) return s;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) return IoError("rename", temp, errno);
  return Status::Ok();
}

// Scans one segment: its records not acked go to state->records (live counts
// them), the ids of every request in it to *request_ids.
Result<std::shared_ptr<Segment>> RecoverSegment(const std::string& dir, std::uint64_t number, FsyncPolicy fsync,
                                                RecoveredState* state, std::set<std::string>* request_ids) {
  bool acks_damaged = false;
  Result<std::set<std::uint64_t>> acked = ReadAcks(AckPath(dir, number), &acks_damaged);
  if (!acked.ok()) return acked.status();

  const std::string path = SegmentPath(dir, number);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("open", path, errno);
  auto segment = std::make_shared<Segment>();
  segment->number = number;
  segment->file = std::make_shared<File>(fd, path);
  segment->sealed = true;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return IoError("stat", path, errno);
  segment->size = static_cast<std::uint64_t>(st.st_size);

  DamageReport report;
  LogReader reader(segment->file.get(),
                   [&](std::uint64_t n, std::string_view why) { report.Add(n, why); });
  std::string record;
  std::uint64_t offset = 0, end = 0;
  std::size_t kept = 0;
  while (reader.ReadRecord(&record, &offset, &end)) {
    QueuedBatch header;
    std::uint64_t body_size = 0;
    const std::string_view fragments[] = {record};
    Status s = DecodeBatchHeader(fragments, &header, &body_size);
    const bool is_acked = acked->count(offset) > 0;
    if (!s.ok()) {
      if (!is_acked) report.Add(end - offset, s.message());
      continue;
    }
    // A delivered request still retires the parts of its batch.
    if (!header.open_part) request_ids->insert(header.batch_id);
    if (is_acked) continue;
    state->records.push_back(RecoveredRecord{segment, offset, end - offset, header.open_part,
                                             header.open_part ? std::move(header.batch_id) : std::string()});
    ++kept;
  }
  state->corrupted_bytes += report.bytes;
  if (report.bytes > 0) {
    Log(LogLevel::kWarn, StrCat("disk queue: ", path, ": skipped ", report.bytes,
                                " torn or corrupted bytes (", report.Reasons(), "); kept ", kept,
                                " intact batches"));
  }
  segment->live = kept;
  if (kept > 0 && acks_damaged) {
    Status s = RewriteAckFile(dir, number, *acked, fsync);
    if (!s.ok()) Log(LogLevel::kWarn, s.message());
  }
  return segment;
}

// Drops the parts whose batch was pushed: the request holds their events.
// Their acks are not written: if the request is delivered and its segment
// deleted before theirs, a later start sends them again under the same id,
// which the backend deduplicates.
void DropClosedParts(const std::set<std::string>& request_ids, RecoveredState* state) {
  std::erase_if(state->records, [&](const RecoveredRecord& r) {
    if (!r.open_part || request_ids.count(r.batch_id) == 0) return false;
    --r.segment->live;
    return true;
  });
}

}  // namespace

std::string SegmentPath(const std::string& dir, std::uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "%08llu", static_cast<unsigned long long>(number));
  return StrCat(dir, "/", name, kSegmentSuffix);
}

std::string AckPath(const std::string& dir, std::uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "%08llu", static_cast<unsigned long long>(number));
  return StrCat(dir, "/", name, kAckSuffix);
}

Result<RecoveredState> RecoverDirectory(const std::string& dir, FsyncPolicy fsync) {
  std::set<std::uint64_t> segments, acks;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::uint64_t number = 0;
    if (ParseName(name, kSegmentSuffix, &number)) {
      segments.insert(number);
    } else if (ParseName(name, kAckSuffix, &number)) {
      acks.insert(number);
    } else if (name.ends_with(kTempSuffix)) {
      RemoveFile(entry.path().string());  // an interrupted ack rewrite
    }
  }
  if (ec) return IoError("list", dir, ec.value());

  RecoveredState state;
  if (!segments.empty()) state.next_segment_number = *segments.rbegin() + 1;
  if (!acks.empty()) state.next_segment_number = std::max(state.next_segment_number, *acks.rbegin() + 1);

  std::set<std::string> request_ids;
  std::vector<std::shared_ptr<Segment>> scanned;
  for (std::uint64_t number : segments) {
    Result<std::shared_ptr<Segment>> segment = RecoverSegment(dir, number, fsync, &state, &request_ids);
    if (!segment.ok()) return segment.status();
    scanned.push_back(std::move(segment).value());
  }
  DropClosedParts(request_ids, &state);
  std::vector<std::uint64_t> finished;  // fully acked or empty segments
  for (std::shared_ptr<Segment>& segment : scanned) {
    if (segment->live == 0) {
      finished.push_back(segment->number);
    } else {
      state.segments.push_back(std::move(segment));
    }
  }
  for (std::uint64_t number : finished) RemoveFile(SegmentPath(dir, number));
  // .seg before .ack, with the directory synced in between: a crash in the
  // middle leaves an orphaned .ack (removed here next time), never a segment
  // whose acks are gone (which would be delivered again).
  if (!finished.empty() && fsync != FsyncPolicy::kNever) {
    Status s = SyncDirectory(dir);
    if (!s.ok()) return s;
  }
  for (std::uint64_t number : acks) {
    if (segments.count(number) == 0 ||
        std::find(finished.begin(), finished.end(), number) != finished.end()) {
      RemoveFile(AckPath(dir, number));
    }
  }
  return state;
}

}  // namespace otelpack::queue
