// The disk queue: batches appended to segment files, read back at Pop, acks
// persisted by the acking thread, synced by a background thread ("the janitor").
//
// Acks are appended to the segment's ack file by the acking thread itself (one
// small write(), so an ack survives SIGKILL as soon as Ack returns); the
// janitor thread fdatasyncs ack files every fsync_interval, deletes finished
// segments and, for kInterval, syncs segment data. Keeping the write out of
// the janitor matters: under load its fdatasync of segment data can take
// hundreds of milliseconds, and acks queued behind it were lost on SIGKILL
// (redeliveries by the hundred in the crash test).
//
// Writes use leveldb's leader/follower group commit: each Push queues itself;
// the Push at the front leads, appends its batch and those queued behind it
// with writev, fdatasyncs once (kAlways) and wakes the others. N concurrent
// pushes therefore cost about one fdatasync. The leader owns the active
// segment and its LogWriter; everything else is guarded by mu_.
//
// Bodies are not kept in memory: the index holds (segment, offset, length)
// per record and Pop reads the record back from disk.
//
// Parts of open batches (queue.h) take the same path, as records of their own
// version, and sit in the index as kPart entries that Pop steps over. parts_
// finds them by batch id: publishing a request retires its batch's parts (an
// ack each, as for a delivered request); a part published after its request
// (its Export was slower than the one that closed the batch) is retired as it
// arrives.
//
// This file: push (group commit), pop, ack bookkeeping, open.
// disk_queue_acks.cc: ack files and the janitor.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "common/str_cat.h"
#include "common/thread_name.h"
#include "otelpack/log.h"
#include "queue/batch_record.h"
#include "queue/deadline.h"
#include "queue/disk_queue.h"
#include "queue/log_format.h"
#include "queue/log_reader.h"
#include "queue/log_writer.h"

namespace otelpack::queue {
namespace {

// A group stops growing at this many payload bytes so that the leader's own
// latency stays bounded while producers keep arriving.
constexpr std::uint64_t kMaxGroupBytes = 8 << 20;

}  // namespace

DiskQueue::DiskQueue(const DiskQueueOptions& options, std::unique_ptr<File> lock_file,
                     RecoveredState recovered)
    : dir_(options.directory),
      max_bytes_(options.max_bytes),
      segment_bytes_(std::max<std::uint64_t>(
          1, std::min<std::uint64_t>(options.segment_bytes, options.max_bytes / 4))),
      fsync_(options.fsync),
      fsync_interval_(options.fsync_interval),
      lock_file_(std::move(lock_file)),
      next_segment_number_(recovered.next_segment_number) {
  for (auto& segment : recovered.segments) {
    stats_.bytes += segment->size;
    segments_[segment->number] = segment;
  }
  for (RecoveredRecord& r : recovered.records) {
    if (r.open_part) {
      PartsOf& of = parts_[r.batch_id];
      if (of.seqs.empty()) recovered_open_.push_back(r.batch_id);
      of.seqs.push_back(first_seq_ + entries_.size());
    } else {
      ++stats_.recovered;
    }
    entries_.push_back(Entry{std::move(r.segment), r.offset, r.length, r.open_part ? State::kPart : State::kReady});
  }
  stats_.depth = stats_.recovered;
  stats_.corrupted_bytes = recovered.corrupted_bytes;
  janitor_ = std::thread([this] { JanitorLoop(); });
  NameThread(janitor_, "otelpack-queue");
}

DiskQueue::~DiskQueue() {
  Close();
  {
    std::unique_lock<std::mutex> lock(mu_);
    idle_cv_.wait(lock, [&] { return writers_.empty(); });
    stopping_ = true;
  }
  settled_cv_.notify_all();
  janitor_cv_.notify_one();
  janitor_.join();
}

Status DiskQueue::FullError() const {
  return Status::ResourceExhausted(StrCat("queue full: ", max_bytes_, " bytes (disk queue ", dir_, ")"));
}

// ---- Push ------------------------------------------------------------------

Status DiskQueue::Push(QueuedBatch batch, std::chrono::milliseconds timeout) {
  if (batch.batch_id.size() > kMaxBatchIdBytes) {
    return Status::InvalidArgument(StrCat("batch id of ", batch.batch_id.size(), " bytes"));
  }
  if (SignalIndex(batch.signal) >= kSignalCount) {
    // Written, it would be read back as damage and dropped: refuse it now.
    return Status::InvalidArgument(
        StrCat("batch signal ", static_cast<unsigned>(batch.signal), " is not a known signal"));
  }
  Writer w;
  w.open_part = batch.open_part;
  w.parts = batch.parts;
  w.admitted = batch.open_part || batch.parts > 0;
  w.batch_id = batch.batch_id;
  w.header = EncodeBatchHeader(batch);
  w.payload = LogWriter::Payload{w.header, batch.body.view()};
  w.max_size = LogWriter::MaxPhysicalSize(w.payload.size());
  if (w.max_size > max_bytes_) {
    return Status::TooLarge(StrCat("batch of ", batch.body.size(), " bytes (", w.max_size,
                                   " on disk) exceeds the queue capacity of ", max_bytes_, " bytes"));
  }
  const auto deadline = DeadlineAfter(timeout);
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) return Status::FailedPrecondition("queue is closed");
  writers_.push_back(&w);
  while (!w.done && writers_.front() != &w) {
    // A follower gives up only when the queue is full (its leader is waiting
    // for room) or closed — never merely because a write is in progress.
    if (!w.taken &&
        (closed_ || (room_wait_ && !w.admitted && std::chrono::steady_clock::now() >= deadline))) {
      RemoveWriter(&w);
      if (closed_) return Status::FailedPrecondition("queue is closed");
      ++stats_.rejected_full;
      return FullError();
    }
    if (w.taken || room_wait_ == false) {
      w.cv.wait(lock);
    } else {
      w.cv.wait_until(lock, deadline);
    }
  }
  if (w.done) return w.status;
  return LeadGroup(lock, &w, deadline);
}

Status DiskQueue::AwaitRoom(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  // The janitor wakes room_cv_ as it deletes finished segments.
  const RoomWait wait =
      WaitForRoomUntil(room_cv_, lock, DeadlineAfter(timeout), closed_, [&] { return stats_.bytes < max_bytes_; });
  if (wait == RoomWait::kClosed) return Status::FailedPrecondition("queue is closed");
  if (wait == RoomWait::kRoom) return Status::Ok();
  ++stats_.rejected_full;
  return FullError();
}

void DiskQueue::RemoveWriter(Writer* w) {
  writers_.erase(std::find(writers_.begin(), writers_.end(), w));
  if (writers_.empty()) {
    idle_cv_.notify_all();
  } else {
    writers_.front()->cv.notify_one();
  }
}

Status DiskQueue::WaitForRoom(std::unique_lock<std::mutex>& lock, std::uint64_t need,
                              std::chrono::steady_clock::time_point deadline) {
  while (true) {
    if (closed_) return Status::FailedPrecondition("queue is closed");
    if (stats_.bytes + need <= max_bytes_) break;
    if (active_ != nullptr && active_->live == 0 && log_writer_->size() > 0) {
      // Everything in the active segment is acked but it is not deleted
      // while it is being appended to: seal it so the janitor can free it.
      active_->sealed = true;
      Doom(active_);
      active_.reset();
      log_writer_.reset();
      continue;
    }
    if (!room_wait_) {
      room_wait_ = true;  // followers past their deadline may now give up
      for (Writer* w : writers_) w->cv.notify_one();
    }
    if (room_cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
        stats_.bytes + need > max_bytes_ && !closed_) {
      room_wait_ = false;
      return FullError();
    }
  }
  room_wait_ = false;
  return Status::Ok();
}

Status DiskQueue::LeadGroup(std::unique_lock<std::mutex>& lock, Writer* leader,
                            std::chrono::steady_clock::time_point deadline) {
  Status s = leader->admitted ? (closed_ ? Status::FailedPrecondition("queue is closed") : Status::Ok())
                              : WaitForRoom(lock, leader->max_size, deadline);
  if (!s.ok()) {
    if (s.code() == StatusCode::kResourceExhausted) ++stats_.rejected_full;
    RemoveWriter(leader);
    return s;
  }
  // Take the writers queued behind as long as their worst case fits too.
  std::vector<Writer*> group;
  std::uint64_t room = max_bytes_ > stats_.bytes ? max_bytes_ - stats_.bytes : 0;
  std::uint64_t group_bytes = 0;
  for (Writer* w : writers_) {
    const bool fits = w->admitted || w->max_size <= room;
    if (!group.empty() && (!fits || group_bytes >= kMaxGroupBytes)) break;
    if (!w->admitted) room -= std::min(room, w->max_size);
    group_bytes += w->payload.size();
    w->taken = true;
    group.push_back(w);
  }
  lock.unlock();
  GroupResult result = WriteGroup(group);
  lock.lock();
  Publish(group, result);
  for (Writer* w : group) {
    writers_.pop_front();
    w->status = result.status;
    w->done = true;
    if (w != leader) w->cv.notify_one();
  }
  if (writers_.empty()) {
    idle_cv_.notify_all();
  } else {
    writers_.front()->cv.notify_one();
  }
  const Status status = leader->status;
  if (!result.retired.empty()) {
    lock.unlock();
    for (const auto& [segment, offset] : result.retired) PersistAck(segment, offset);
  }
  return status;
}

Status DiskQueue::Roll(GroupResult* result) {
  const std::uint64_t number = next_segment_number_++;
  const std::string path = SegmentPath(dir_, number);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("create", path, errno);
  auto segment = std::make_shared<Segment>();
  segment->number = number;
  segment->file = std::make_shared<File>(fd, path);
  // The new name must be durable before a batch in it is acknowledged.
  if (fsync_ != FsyncPolicy::kNever) {
    Status s = SyncDirectory(dir_);
    if (!s.ok()) return s;
  }
  if (active_ != nullptr) result->sealed.push_back(active_);
  result->created.push_back(segment);
  active_ = segment;
  log_writer_ = std::make_unique<LogWriter>(segment->file.get(), 0);
  writer_broken_ = false;
  return Status::Ok();
}

DiskQueue::GroupResult DiskQueue::WriteGroup(const std::vector<Writer*>& group) {
  GroupResult result;
  std::vector<LogWriter::Payload> run;  // consecutive records for the active segment
  std::vector<LogWriter::Placement> placements;

  // Appends `run` to the active segment and, for kAlways, syncs it.
  auto flush_run = [&]() -> Status {
    if (run.empty()) return Status::Ok();
    const std::uint64_t before = log_writer_->size();
    Status s = log_writer_->AddRecords(run, &placements);
    result.bytes_written[active_.get()] += log_writer_->size() - before;
    result.written_files.push_back(active_->file);
    if (s.ok() && fsync_ == FsyncPolicy::kAlways) {
      s = SyncData(*active_->file);
      ++result.syncs;
    }
    if (!s.ok()) return s;
    for (const LogWriter::Placement& p : placements) {
      result.placed.push_back({active_, p.offset, p.end - p.offset});
    }
    run.clear();
    return Status::Ok();
  };

  for (Writer* w : group) {
    const std::uint64_t n = w->payload.size();
    const bool roll =
        log_writer_ == nullptr || writer_broken_ ||
        (log_writer_->size() > 0 &&
         log_writer_->size() + LogWriter::PhysicalSize(log_writer_->size(), n) > segment_bytes_);
    if (roll) {
      result.status = flush_run();
      if (result.status.ok()) result.status = Roll(&result);
      if (!result.status.ok()) break;
    }
    run.push_back(w->payload);
  }
  if (result.status.ok()) result.status = flush_run();
  if (!result.status.ok()) {
    // Records already written stay in the file unpublished: after a restart
    // they are delivered (the same batch id), which at-least-once allows.
    writer_broken_ = true;
    result.placed.clear();
    Log(LogLevel::kWarn, StrCat("disk queue: write failed: ", result.status.message()));
  }
  return result;
}

void DiskQueue::Publish(const std::vector<Writer*>& group, GroupResult& result) {
  syncs_ += result.syncs;
  for (auto& segment : result.created) segments_[segment->number] = segment;
  for (auto& [segment, bytes] : result.bytes_written) {
    segment->size += bytes;
    stats_.bytes += bytes;
  }
  if (result.status.ok()) {
    std::uint64_t requests = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
      GroupResult::Placed& p = result.placed[i];
      ++p.segment->live;
      const std::uint64_t seq = first_seq_ + entries_.size();
      const Writer& w = *group[i];
      entries_.push_back(Entry{std::move(p.segment), p.offset, p.length, w.open_part ? State::kPart : State::kReady});
      if (w.open_part) {
        PublishPartLocked(w, seq, &result);
      } else {
        ++requests;
        RetirePartsLocked(w, &result);
      }
    }
    stats_.depth += requests;
    stats_.pushed += requests;
    if (requests > 0) ready_cv_.notify_all();
  }
  for (auto& segment : result.sealed) {
    segment->sealed = true;
    if (segment->live == 0) Doom(segment);
  }
  if (fsync_ == FsyncPolicy::kInterval) {
    for (auto& file : result.written_files) {
      if (std::find(unsynced_.begin(), unsynced_.end(), file) == unsynced_.end()) {
        unsynced_.push_back(std::move(file));
      }
    }
  }
}

void DiskQueue::PublishPartLocked(const Writer& w, std::uint64_t seq, GroupResult* result) {
  PartsOf& of = parts_[w.batch_id];
  if (!of.closed) {
    of.seqs.push_back(seq);
    return;
  }
  // Its batch was pushed before it: the request holds its events already.
  const Entry& e = entries_[seq - first_seq_];
  result->retired.emplace_back(e.segment, e.offset);
  RetireLocked(seq);
  if (--of.to_come == 0) parts_.erase(w.batch_id);
}

void DiskQueue::RetirePartsLocked(const Writer& w, GroupResult* result) {
  if (w.parts == 0 && parts_.empty()) return;
  auto it = parts_.find(w.batch_id);
  if (it == parts_.end()) {
    if (w.parts > 0) parts_[w.batch_id] = PartsOf{{}, w.parts, true};
    return;
  }
  PartsOf& of = it->second;
  for (std::uint64_t seq : of.seqs) {
    const Entry& e = entries_[seq - first_seq_];
    result->retired.emplace_back(e.segment, e.offset);
    RetireLocked(seq);
  }
  const std::uint64_t published = of.seqs.size();
  if (w.parts > published) {
    of = PartsOf{{}, static_cast<std::uint32_t>(w.parts - published), true};
  } else {
    parts_.erase(it);
  }
}

// ---- Pop / Ack -------------------------------------------------------------

Result<QueuedBatch> DiskQueue::ReadBatch(const Entry& entry) {
  std::unique_ptr<char[]> span(new char[entry.length]);
  std::size_t n = 0;
  Status s = PreadFully(*entry.segment->file, span.get(), entry.length, entry.offset, &n);
  if (!s.ok()) return s;
  if (n != entry.length) {
    return Status::DataLoss(StrCat(entry.segment->file->path(), ": record at offset ",
                                   entry.offset, " is cut short"));
  }
  Result<std::vector<std::string_view>> fragments =
      DecodeRecordSpan(std::string_view(span.get(), n), entry.offset);
  if (!fragments.ok()) {
    return Status::DataLoss(StrCat(entry.segment->file->path(), ": ", fragments.status().message()));
  }
  QueuedBatch batch;
  s = DecodeBatch(*fragments, &batch);
  if (!s.ok()) return s;
  return batch;
}

std::optional<Queue::Lease> DiskQueue::Pop(std::chrono::milliseconds timeout) {
  const auto deadline = DeadlineAfter(timeout);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // Parts are not requests: step over them (and over those already retired).
    while (next_pop_seq_ < first_seq_ + entries_.size() &&
           entries_[next_pop_seq_ - first_seq_].state != State::kReady) {
      ++next_pop_seq_;
    }
    if (next_pop_seq_ < first_seq_ + entries_.size()) {
      const std::uint64_t id = next_pop_seq_++;
      Entry& e = entries_[id - first_seq_];
      e.state = State::kLeased;
      const Entry entry = e;  // keeps the segment's file open while unlocked
      lock.unlock();
      Result<QueuedBatch> batch = ReadBatch(entry);
      if (batch.ok()) return Lease{id, std::move(batch).value()};
      // The bytes changed on disk since they were written: drop the record.
      Log(LogLevel::kWarn, StrCat("disk queue: dropping an unreadable batch: ",
                                  batch.status().message()));
      lock.lock();
      stats_.corrupted_bytes += entry.length;
      std::shared_ptr<Segment> segment;
      std::uint64_t offset = 0;
      if (AckLocked(id, &segment, &offset)) {
        lock.unlock();
        PersistAck(segment, offset);
        lock.lock();
      }
      continue;
    }
    if (closed_) return std::nullopt;
    if (ready_cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
        next_pop_seq_ == first_seq_ + entries_.size()) {
      return std::nullopt;
    }
  }
}

void DiskQueue::Ack(std::uint64_t id) {
  std::shared_ptr<Segment> segment;
  std::uint64_t offset = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!AckLocked(id, &segment, &offset)) return;
  }
  PersistAck(segment, offset);
}

bool DiskQueue::AckLocked(std::uint64_t id, std::shared_ptr<Segment>* segment,
                          std::uint64_t* offset) {
  if (id < first_seq_ || id >= next_pop_seq_) return false;  // unknown, or acked long ago
  Entry& e = entries_[id - first_seq_];
  if (e.state != State::kLeased) return false;
  --stats_.depth;
  ++stats_.acked;
  *segment = e.segment;
  *offset = e.offset;
  RetireLocked(id);
  return true;
}

void DiskQueue::RetireLocked(std::uint64_t seq) {
  Entry& e = entries_[seq - first_seq_];
  e.state = State::kAcked;
  if (--e.segment->live == 0) {
    if (e.segment->sealed) {
      Doom(e.segment);
    } else if (room_wait_) {
      room_cv_.notify_all();  // the leader can seal the active segment and free it
    }
  }
  while (!entries_.empty() && entries_.front().state == State::kAcked) {
    entries_.pop_front();
    ++first_seq_;
  }
  // Retired parts can lie past the cursor.
  next_pop_seq_ = std::max(next_pop_seq_, first_seq_);
}

std::vector<OpenBatch> DiskQueue::TakeOpenBatches() {
  std::vector<std::pair<std::string, std::vector<Entry>>> found;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::string& id : recovered_open_) {
      auto it = parts_.find(id);
      if (it == parts_.end() || it->second.closed) continue;
      std::vector<Entry> entries;
      for (std::uint64_t seq : it->second.seqs) entries.push_back(entries_[seq - first_seq_]);
      found.emplace_back(std::move(id), std::move(entries));
    }
    recovered_open_.clear();
  }
  std::vector<OpenBatch> open;
  for (auto& [id, entries] : found) {
    OpenBatch batch;
    batch.batch_id = std::move(id);
    for (const Entry& entry : entries) {
      Result<QueuedBatch> part = ReadBatch(entry);
      if (!part.ok()) {
        // Retired with the others when the batch is pushed.
        Log(LogLevel::kWarn, StrCat("disk queue: dropping an unreadable part of batch ", batch.batch_id, ": ",
                                    part.status().message()));
        continue;
      }
      batch.signal = part->signal;
      batch.parts.push_back(std::move(part).value());
    }
    if (!batch.parts.empty()) open.push_back(std::move(batch));
  }
  return open;
}

std::uint64_t DiskQueueSyncCount(const Queue& queue) {
  return dynamic_cast<const DiskQueue&>(queue).sync_count();
}

}  // namespace otelpack::queue

namespace otelpack {

Result<std::unique_ptr<Queue>> OpenDiskQueue(const DiskQueueOptions& options) {
  using queue::IoError;
  if (options.directory.empty()) return Status::InvalidArgument("disk queue: directory is empty");
  if (options.max_bytes == 0) return Status::InvalidArgument("disk queue: max_bytes is 0");
  if (options.segment_bytes == 0) return Status::InvalidArgument("disk queue: segment_bytes is 0");
  if (options.fsync_interval <= std::chrono::milliseconds::zero()) {
    return Status::InvalidArgument("disk queue: fsync_interval must be positive");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.directory, ec);
  if (ec) return IoError("create directory", options.directory, ec.value());

  const std::string lock_path = options.directory + "/LOCK";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("open", lock_path, errno);
  auto lock_file = std::make_unique<queue::File>(fd, lock_path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Status::FailedPrecondition(
          StrCat("disk queue directory ", options.directory,
                 " is already in use by another queue (", lock_path, " is locked)"));
    }
    return IoError("lock", lock_path, errno);
  }
  Result<queue::RecoveredState> recovered = queue::RecoverDirectory(options.directory, options.fsync);
  if (!recovered.ok()) return recovered.status();
  if (recovered->corrupted_bytes > 0 || !recovered->records.empty()) {
    const auto parts = static_cast<std::size_t>(std::count_if(
        recovered->records.begin(), recovered->records.end(), [](const queue::RecoveredRecord& r) { return r.open_part; }));
    Log(LogLevel::kInfo, StrCat("disk queue ", options.directory, ": recovered ",
                                recovered->records.size() - parts, " batches and ", parts,
                                " parts of open batches, skipped ", recovered->corrupted_bytes, " damaged bytes"));
  }
  return std::unique_ptr<Queue>(std::make_unique<queue::DiskQueue>(
      options, std::move(lock_file), std::move(recovered).value()));
}

}  // namespace otelpack
