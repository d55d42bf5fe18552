// DiskQueue, second half: ack files (written by the acking thread) and the
// janitor thread, which fdatasyncs ack files, deletes finished segments and,
// for kInterval, syncs segment data.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "otelpack/log.h"
#include "queue/disk_queue.h"

namespace otelpack::queue {

void DiskQueue::PersistAck(const std::shared_ptr<Segment>& segment, std::uint64_t offset) {
  std::lock_guard<std::mutex> lock(ack_mu_);
  // A deleted segment needs no acks; writing one would recreate its file.
  if (segment->deleted) return;
  if (segment->ack_writer == nullptr) {
    const std::string path = AckPath(dir_, segment->number);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
      Log(LogLevel::kWarn, IoError("open", path, errno).message());
      return;  // a lost ack: the batch is delivered again after a restart
    }
    const off_t size = ::lseek(fd, 0, SEEK_END);
    segment->ack_file = std::make_shared<File>(fd, path);
    segment->ack_writer = std::make_unique<LogWriter>(
        segment->ack_file.get(), size < 0 ? 0 : static_cast<std::uint64_t>(size));
  }
  char payload[10];
  std::size_t n = 0;
  for (std::uint64_t v = offset;; v >>= 7) {
    if (v < 0x80) {
      payload[n++] = static_cast<char>(v);
      break;
    }
    payload[n++] = static_cast<char>(v | 0x80);
  }
  std::vector<LogWriter::Placement> ignored;
  const LogWriter::Payload record{std::string_view(payload, n), {}};
  Status s = segment->ack_writer->AddRecords({&record, 1}, &ignored);
  if (!s.ok()) {
    // Start a fresh writer next time rather than append behind a partial record.
    Log(LogLevel::kWarn, s.message());
    segment->ack_writer.reset();
    segment->ack_file.reset();
    return;
  }
  if (fsync_ != FsyncPolicy::kNever && !segment->ack_unsynced) {
    segment->ack_unsynced = true;
    unsynced_acks_.push_back(segment);
  }
}

void DiskQueue::Doom(const std::shared_ptr<Segment>& segment) {
  segments_.erase(segment->number);
  doomed_.push_back(segment);
  janitor_cv_.notify_one();
}

void DiskQueue::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  room_cv_.notify_all();
  ready_cv_.notify_all();
  for (Writer* w : writers_) w->cv.notify_one();
}

void DiskQueue::Settle() {
  std::unique_lock<std::mutex> lock(mu_);
  const std::uint64_t ticket = ++settle_asked_;
  janitor_cv_.notify_one();
  settled_cv_.wait(lock, [&] { return settle_done_ >= ticket || stopping_; });
}

QueueStats DiskQueue::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

// ---- the janitor: deletes finished segments, persists acks, syncs --------

void DiskQueue::JanitorLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  auto next_tick = std::chrono::steady_clock::now() + fsync_interval_;
  while (true) {
    janitor_cv_.wait_until(lock, next_tick,
                           [&] { return stopping_ || !doomed_.empty() || settle_asked_ > settle_done_; });
    const bool stop = stopping_;
    const std::uint64_t settling = settle_asked_;  // served by this round
    const bool tick = stop || settling > settle_done_ || std::chrono::steady_clock::now() >= next_tick;
    std::vector<std::shared_ptr<Segment>> doomed = std::move(doomed_);
    doomed_.clear();
    std::uint64_t freed = 0;
    for (const auto& segment : doomed) freed += segment->size;
    std::vector<std::shared_ptr<File>> to_sync;
    if (tick) {
      next_tick = std::chrono::steady_clock::now() + fsync_interval_;
      to_sync = std::move(unsynced_);
      unsynced_.clear();
    }
    lock.unlock();

    DeleteSegments(doomed);
    doomed.clear();
    for (const auto& file : to_sync) {
      Status s = SyncData(*file);
      if (!s.ok()) Log(LogLevel::kWarn, s.message());
    }
    const std::size_t synced = to_sync.size();
    to_sync.clear();
    // Data before acks: a part's ack (its batch was pushed) must not outlive,
    // on power loss, the batch record that holds its events.
    if (tick) SyncAckFiles();

    lock.lock();
    syncs_ += synced;
    if (freed > 0) {
      stats_.bytes -= freed;
      room_cv_.notify_all();
    }
    if (settling > settle_done_) {
      settle_done_ = settling;
      settled_cv_.notify_all();
    }
    if (stop) return;
  }
}

void DiskQueue::DeleteSegments(const std::vector<std::shared_ptr<Segment>>& doomed) {
  if (doomed.empty()) return;
  {
    std::lock_guard<std::mutex> lock(ack_mu_);
    for (const auto& segment : doomed) {
      segment->deleted = true;
      segment->ack_writer.reset();
      segment->ack_file.reset();
    }
  }
  for (const auto& segment : doomed) {
    if (::unlink(segment->file->path().c_str()) != 0 && errno != ENOENT) {
      Log(LogLevel::kWarn, IoError("unlink", segment->file->path(), errno).message());
    }
  }
  // .seg before .ack (see disk_queue_internal.h): never acks lost for a live segment.
  if (fsync_ != FsyncPolicy::kNever) {
    Status s = SyncDirectory(dir_);
    if (!s.ok()) Log(LogLevel::kWarn, s.message());
  }
  for (const auto& segment : doomed) {
    const std::string ack_path = AckPath(dir_, segment->number);
    if (::unlink(ack_path.c_str()) != 0 && errno != ENOENT) {
      Log(LogLevel::kWarn, IoError("unlink", ack_path, errno).message());
    }
  }
}

void DiskQueue::SyncAckFiles() {
  std::vector<std::shared_ptr<File>> files;
  {
    std::lock_guard<std::mutex> lock(ack_mu_);
    for (const auto& segment : unsynced_acks_) {
      segment->ack_unsynced = false;
      if (!segment->deleted && segment->ack_file != nullptr) files.push_back(segment->ack_file);
    }
    unsynced_acks_.clear();
  }
  // Outside ack_mu_: an fdatasync may take milliseconds and Ack must not wait.
  for (const auto& file : files) {
    Status s = SyncData(*file);
    if (!s.ok()) Log(LogLevel::kWarn, s.message());
  }
}

}  // namespace otelpack::queue
