// BatchLanes: one open batch per signal, each with its own lock and age.
//
// Export encodes a signal's data into its lane's open batch (the lane's
// encoder writing into its BatchBuilder) under that lane's lock only, so
// traces, logs and metrics exported at once from different threads do not
// wait for each other. A lane remembers when its open batch got its first
// event, so the batcher can close it flush_interval later.
#ifndef OTELPACK_EXPORTER_LANES_H_
#define OTELPACK_EXPORTER_LANES_H_

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

#include "batch/batch_builder.h"
#include "common/clock.h"
#include "exporter/ledger.h"
#include "format/encoder.h"
#include "format/envelope.h"
#include "otelpack/model.h"

namespace otelpack {

// Any signal's data; the index of the alternative is the Signal.
using TelemetryView = std::variant<TracesView, LogsView, MetricsView>;
static_assert(std::variant_size_v<TelemetryView> == kSignalCount);

inline Signal SignalOf(const TelemetryView& data) { return static_cast<Signal>(data.index()); }
std::size_t CountRecords(const TelemetryView& data);

// The encoder of each signal; a signal without one cannot be exported.
struct Encoders {
  std::unique_ptr<TracesEncoder> traces;
  std::unique_ptr<LogsEncoder> logs;
  std::unique_ptr<MetricsEncoder> metrics;
};

class Lane {
 public:
  // Every batch the lane closes is registered with `ledger` before the
  // lane's lock is released, so ForceFlush never misses one being closed.
  Lane(Signal signal, BatchLimits limits, const Envelope& envelope, const Clock* clock, Ledger* ledger);
  virtual ~Lane() = default;
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  // Encodes `data` (this lane's signal) into the open batch; batches that
  // fill up are appended to *closed. With `parts` (the disk queue's mode), a
  // copy of what this call put into each batch goes to *parts too.
  AddStats Add(const TelemetryView& data, std::vector<EncodedBatch>* closed, std::vector<BatchPart>* parts);
  // Closes the open batch, if it holds any event that arrived at or before
  // `opened_by` (nullopt: whatever its age).
  void Close(std::optional<Clock::TimePoint> opened_by, std::vector<EncodedBatch>* closed);
  // When the open batch got its first event; nullopt when it is empty.
  // Reads no lock: the batcher looks at every lane to know how long to sleep.
  std::optional<Clock::TimePoint> opened_at() const;

 protected:
  // REQUIRES: mu_ held. Runs the lane's encoder over `data`.
  virtual AddStats Encode(const TelemetryView& data, BatchBuilder& builder, std::vector<EncodedBatch>* closed,
                          std::vector<BatchPart>* parts) = 0;

 private:
  void NoteOpenedLocked();

  const Clock* const clock_;
  Ledger* const ledger_;
  std::mutex mu_;
  BatchBuilder builder_;                        // guarded by mu_
  std::atomic<std::int64_t> opened_at_ns_{0};   // written under mu_; 0: empty
};

class BatchLanes {
 public:
  BatchLanes(BatchLimits limits, const Envelope& envelope, Encoders encoders, const Clock* clock, Ledger* ledger);

  // Null when the signal has no encoder.
  Lane* For(Signal signal) { return lanes_[SignalIndex(signal)].get(); }

  // Closes every open batch (nullopt), or those opened by `opened_by`.
  void Close(std::optional<Clock::TimePoint> opened_by, std::vector<EncodedBatch>* closed);
  // When the oldest open batch opened; nullopt when all are empty.
  std::optional<Clock::TimePoint> oldest_opened_at() const;

 private:
  std::array<std::unique_ptr<Lane>, kSignalCount> lanes_;
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_LANES_H_
