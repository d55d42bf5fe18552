// DiskQueue: the disk implementation of Queue (see disk_queue.cc for how it
// works). Declared here so its two halves can live in two files:
// disk_queue.cc (push, pop, ack bookkeeping, open) and disk_queue_acks.cc (ack
// files and the janitor thread).
#ifndef OTELPACK_QUEUE_DISK_QUEUE_H_
#define OTELPACK_QUEUE_DISK_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "queue/disk_queue_internal.h"
#include "queue/file_util.h"
#include "queue/log_writer.h"
#include "queue/queue.h"

namespace otelpack::queue {

// Thread-safe. Built by OpenDiskQueue from a locked directory and what
// RecoverDirectory found in it.
class DiskQueue final : public Queue {
 public:
  DiskQueue(const DiskQueueOptions& options, std::unique_ptr<File> lock_file,
            RecoveredState recovered);
  ~DiskQueue() override;

  Status Push(QueuedBatch batch, std::chrono::milliseconds timeout) override;
  Status AwaitRoom(std::chrono::milliseconds timeout) override;
  std::optional<Lease> Pop(std::chrono::milliseconds timeout) override;
  void Ack(std::uint64_t id) override;
  void Close() override;
  void Settle() override;
  std::vector<OpenBatch> TakeOpenBatches() override;
  QueueStats Stats() const override;

  std::uint64_t sync_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return syncs_;
  }

 private:
  // A Push waiting in writers_.
  struct Writer {
    std::string header;
    LogWriter::Payload payload;
    std::uint64_t max_size = 0;  // LogWriter::MaxPhysicalSize(payload)
    bool open_part = false;
    bool admitted = false;       // a part or a request with parts: not refused for room
    std::string batch_id;        // for Publish's bookkeeping of parts
    std::uint32_t parts = 0;     // a request: QueuedBatch::parts
    bool taken = false;  // a leader is writing it: it can no longer give up
    bool done = false;
    Status status;
    std::condition_variable cv;
  };

  // What a leader's write produced, applied under mu_ by Publish.
  struct GroupResult {
    Status status;
    struct Placed {
      std::shared_ptr<Segment> segment;
      std::uint64_t offset;
      std::uint64_t length;
    };
    std::vector<Placed> placed;  // one per writer when status is OK
    std::vector<std::shared_ptr<Segment>> created;
    std::vector<std::shared_ptr<Segment>> sealed;
    std::map<Segment*, std::uint64_t> bytes_written;
    std::vector<std::shared_ptr<File>> written_files;
    std::uint64_t syncs = 0;
    // Parts retired by Publish: their acks, written after mu_ is released.
    std::vector<std::pair<std::shared_ptr<Segment>, std::uint64_t>> retired;
  };

  // kPart: an open batch's part, never leased; kAcked once retired.
  enum class State : std::uint8_t { kReady, kLeased, kAcked, kPart };
  struct Entry {
    std::shared_ptr<Segment> segment;
    std::uint64_t offset;
    std::uint64_t length;
    State state;
  };

  Status LeadGroup(std::unique_lock<std::mutex>& lock, Writer* leader,
                   std::chrono::steady_clock::time_point deadline);
  Status WaitForRoom(std::unique_lock<std::mutex>& lock, std::uint64_t need,
                     std::chrono::steady_clock::time_point deadline);
  GroupResult WriteGroup(const std::vector<Writer*>& group);
  Status Roll(GroupResult* result);
  void Publish(const std::vector<Writer*>& group, GroupResult& result);
  void RemoveWriter(Writer* w);
  // Retires a leased record; returns its segment and offset for PersistAck.
  bool AckLocked(std::uint64_t id, std::shared_ptr<Segment>* segment, std::uint64_t* offset);
  // The entry `seq` is done with: frees its segment when it was the last.
  void RetireLocked(std::uint64_t seq);
  // Publish's bookkeeping of an open batch's part or a request retiring parts.
  void PublishPartLocked(const Writer& w, std::uint64_t seq, GroupResult* result);
  void RetirePartsLocked(const Writer& w, GroupResult* result);
  void PersistAck(const std::shared_ptr<Segment>& segment, std::uint64_t offset);
  void Doom(const std::shared_ptr<Segment>& segment);
  Result<QueuedBatch> ReadBatch(const Entry& entry);
  Status FullError() const;

  void JanitorLoop();
  void DeleteSegments(const std::vector<std::shared_ptr<Segment>>& doomed);
  void SyncAckFiles();

  // Constant after construction.
  const std::string dir_;
  const std::uint64_t max_bytes_;
  const std::uint64_t segment_bytes_;
  const FsyncPolicy fsync_;
  const std::chrono::milliseconds fsync_interval_;
  const std::unique_ptr<File> lock_file_;  // holds the flock

  mutable std::mutex mu_;
  std::condition_variable room_cv_;     // disk bytes freed, or Close
  std::condition_variable ready_cv_;    // a batch published, or Close
  std::condition_variable janitor_cv_;  // segments to delete, or stopping
  std::condition_variable idle_cv_;     // writers_ became empty
  std::condition_variable settled_cv_;  // the janitor finished a round
  // Guarded by mu_:
  std::deque<Writer*> writers_;
  bool room_wait_ = false;  // the leader is blocked on a full queue
  std::map<std::uint64_t, std::shared_ptr<Segment>> segments_;  // not yet doomed
  std::deque<Entry> entries_;   // from the oldest unacked record on
  // Parts of batches not pushed yet, by batch id; or, for a batch pushed
  // before all its parts were published (`closed`), how many are to come.
  struct PartsOf {
    std::vector<std::uint64_t> seqs;
    std::uint32_t to_come = 0;
    bool closed = false;
  };
  std::unordered_map<std::string, PartsOf> parts_;
  std::vector<std::string> recovered_open_;  // batch ids with recovered parts, oldest first
  std::uint64_t first_seq_ = 1;  // lease id of entries_.front()
  std::uint64_t next_pop_seq_ = 1;
  std::vector<std::shared_ptr<Segment>> doomed_;
  std::vector<std::shared_ptr<File>> unsynced_;  // kInterval: written since the last sync
  bool closed_ = false;
  bool stopping_ = false;
  // Settle asks for a round (settle_asked_) and waits until the janitor has
  // finished one begun after that (settle_done_ reaches it).
  std::uint64_t settle_asked_ = 0;
  std::uint64_t settle_done_ = 0;
  QueueStats stats_;
  std::uint64_t syncs_ = 0;

  // Owned by the leader (the Writer at writers_.front() while it writes).
  std::shared_ptr<Segment> active_;
  std::unique_ptr<LogWriter> log_writer_;
  std::uint64_t next_segment_number_;
  bool writer_broken_ = false;  // the active segment may end in a partial record

  // Serialises ack file writes; never held together with mu_.
  std::mutex ack_mu_;
  std::vector<std::shared_ptr<Segment>> unsynced_acks_;  // guarded by ack_mu_

  std::thread janitor_;
};

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_DISK_QUEUE_H_
