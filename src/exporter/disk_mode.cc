// The disk queue's mode (queue_mode.h): Export compresses and pushes its
// batches itself and returns once they are durable. The caller has to wait
// for that anyway, and concurrent Exports then share one fsync (the queue's
// group commit) instead of queueing behind one pusher thread.
#include "exporter/queue_mode.h"

namespace otelpack {
namespace {

class DiskMode final : public QueueMode {
 public:
  explicit DiskMode(const QueueModeParts& parts) : p_(parts) {}

  bool durable() const override { return true; }
  Status Admit() override { return Status::Ok(); }  // Push itself waits for room
  void BatchOpened() override {}                    // every Export closes its batch
  Status HandOffAdmitted(std::vector<EncodedBatch> closed) override { return HandOff(std::move(closed)); }

  Status HandOff(std::vector<EncodedBatch> closed) override {
    Status result;
    for (const EncodedBatch& batch : closed) {
      QueuedBatch q;
      Status s = p_.compressors->Compress(batch, &q);
      if (s.ok()) {
        const std::chrono::milliseconds wait =
            p_.options->when_full == WhenFull::kBlock ? p_.options->block_timeout : std::chrono::milliseconds(0);
        s = p_.queue->Push(std::move(q), wait);
      }
      if (!s.ok()) {
        // Refused, not failed: the caller is told (ForceFlush is not).
        p_.ledger->Completed(batch, BatchOutcome::kRefused, Status::Ok());
        if (result.ok()) result = s;
      }
    }
    return result;
  }

  void Stop() override {}
  bool Drain(std::chrono::steady_clock::time_point) override { return true; }

 private:
  const QueueModeParts p_;
};

}  // namespace

std::unique_ptr<QueueMode> NewDiskMode(const QueueModeParts& parts) { return std::make_unique<DiskMode>(parts); }

}  // namespace otelpack
