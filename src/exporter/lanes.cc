#include "exporter/lanes.h"

namespace otelpack {
namespace {

// A lane whose encoder takes `View`.
template <typename View>
class TypedLane final : public Lane {
 public:
  TypedLane(Signal signal, BatchLimits limits, const Envelope& envelope, const Clock* clock, Ledger* ledger,
            std::unique_ptr<SignalEncoder<View>> encoder)
      : Lane(signal, limits, envelope, clock, ledger), encoder_(std::move(encoder)) {}

 private:
  AddStats Encode(const TelemetryView& data, BatchBuilder& builder, std::vector<EncodedBatch>* closed,
                  std::vector<BatchPart>* parts) override {
    return builder.Add(*encoder_, std::get<View>(data), closed, parts);
  }

  const std::unique_ptr<SignalEncoder<View>> encoder_;
};

template <typename View>
std::unique_ptr<Lane> MakeLane(Signal signal, BatchLimits limits, const Envelope& envelope, const Clock* clock,
                               Ledger* ledger, std::unique_ptr<SignalEncoder<View>> encoder) {
  if (encoder == nullptr) return nullptr;
  return std::make_unique<TypedLane<View>>(signal, limits, envelope, clock, ledger, std::move(encoder));
}

}  // namespace

std::size_t CountRecords(const TelemetryView& data) {
  switch (SignalOf(data)) {
    case Signal::kTraces: return CountSpans(std::get<TracesView>(data));
    case Signal::kLogs: return CountLogRecords(std::get<LogsView>(data));
    case Signal::kMetrics: return CountDataPoints(std::get<MetricsView>(data));
  }
  return 0;
}

Lane::Lane(Signal signal, BatchLimits limits, const Envelope& envelope, const Clock* clock, Ledger* ledger)
    : clock_(clock), ledger_(ledger), builder_(limits, envelope, signal) {}

AddStats Lane::Add(const TelemetryView& data, std::vector<EncodedBatch>* closed, std::vector<BatchPart>* parts) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::size_t closed_before = closed->size();
  AddStats added = Encode(data, builder_, closed, parts);
  // A batch that closed took the events it was opened with: what is open
  // now got its first event during this call.
  if (closed->size() > closed_before) {
    opened_at_ns_.store(0, std::memory_order_relaxed);
    ledger_->AddPending(std::span<const EncodedBatch>(*closed).subspan(closed_before));
  }
  NoteOpenedLocked();
  return added;
}

void Lane::Close(std::optional<Clock::TimePoint> opened_by, std::vector<EncodedBatch>* closed) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t at = opened_at_ns_.load(std::memory_order_relaxed);
  if (at == 0 || (opened_by.has_value() && at > opened_by->time_since_epoch().count())) return;
  const std::size_t closed_before = closed->size();
  builder_.Flush(closed);
  ledger_->AddPending(std::span<const EncodedBatch>(*closed).subspan(closed_before));
  NoteOpenedLocked();
}

void Lane::NoteOpenedLocked() {
  if (builder_.open_events() == 0) {
    opened_at_ns_.store(0, std::memory_order_relaxed);
  } else if (opened_at_ns_.load(std::memory_order_relaxed) == 0) {
    // The open batch got its first event during this call: its age starts now.
    opened_at_ns_.store(std::max<std::int64_t>(1, clock_->Now().time_since_epoch().count()),
                        std::memory_order_relaxed);
  }
}

std::optional<Clock::TimePoint> Lane::opened_at() const {
  const std::int64_t at = opened_at_ns_.load(std::memory_order_relaxed);
  if (at == 0) return std::nullopt;
  return Clock::TimePoint(Clock::TimePoint::duration(at));
}

BatchLanes::BatchLanes(BatchLimits limits, const Envelope& envelope, Encoders encoders, const Clock* clock,
                       Ledger* ledger)
    : lanes_{MakeLane(Signal::kTraces, limits, envelope, clock, ledger, std::move(encoders.traces)),
             MakeLane(Signal::kLogs, limits, envelope, clock, ledger, std::move(encoders.logs)),
             MakeLane(Signal::kMetrics, limits, envelope, clock, ledger, std::move(encoders.metrics))} {}

void BatchLanes::Close(std::optional<Clock::TimePoint> opened_by, std::vector<EncodedBatch>* closed) {
  for (const std::unique_ptr<Lane>& lane : lanes_) {
    if (lane != nullptr) lane->Close(opened_by, closed);
  }
}

std::optional<Clock::TimePoint> BatchLanes::oldest_opened_at() const {
  std::optional<Clock::TimePoint> oldest;
  for (const std::unique_ptr<Lane>& lane : lanes_) {
    if (lane == nullptr) continue;
    std::optional<Clock::TimePoint> at = lane->opened_at();
    if (at.has_value() && (!oldest.has_value() || *at < *oldest)) oldest = at;
  }
  return oldest;
}

}  // namespace otelpack
