#include "exporter/ledger.h"

#include <iterator>

#include "common/secrets.h"
#include "common/str_cat.h"

namespace otelpack {

void Ledger::Received(Signal signal, std::size_t records) {
  std::lock_guard<std::mutex> lock(mu_);
  For(signal).received += records;
}

void Ledger::Refused(Signal signal, std::size_t records) {
  std::lock_guard<std::mutex> lock(mu_);
  For(signal).refused += records;
}

void Ledger::DroppedOversized(Signal signal, std::size_t records) {
  std::lock_guard<std::mutex> lock(mu_);
  For(signal).dropped_oversized += records;
}

void Ledger::AddPending(std::span<const EncodedBatch> batches) {
  if (batches.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (const EncodedBatch& b : batches) {
    const std::uint64_t seq = ++last_seq_;
    pending_.insert(seq);
    seq_by_id_.emplace(b.batch_id, seq);
  }
}

void Ledger::Completed(const std::string& batch_id, Signal signal, std::uint32_t records, BatchOutcome outcome,
                       const Status& outcome_status) {
  std::lock_guard<std::mutex> lock(mu_);
  SignalStats& s = For(signal);
  switch (outcome) {
    case BatchOutcome::kSent: s.sent += records; break;
    case BatchOutcome::kDroppedPermanent: s.dropped_permanent += records; break;
    case BatchOutcome::kDroppedRetriesExhausted: s.dropped_retries_exhausted += records; break;
    case BatchOutcome::kDroppedShutdown: s.dropped_shutdown += records; break;
    case BatchOutcome::kLeftOnDisk: s.left_on_disk += records; break;
    case BatchOutcome::kRefused: s.refused += records; break;
  }
  auto it = seq_by_id_.find(batch_id);
  if (it != seq_by_id_.end()) {  // batches recovered from disk have no seq
    pending_.erase(it->second);
    seq_by_id_.erase(it);
  }
  if (!outcome_status.ok()) {
    ++failures_;
    last_failure_ = outcome_status;
  }
  done_cv_.notify_all();
}

void Ledger::Undelivered(Signal signal, std::uint32_t records, bool on_disk) {
  std::lock_guard<std::mutex> lock(mu_);
  (on_disk ? For(signal).left_on_disk : For(signal).dropped_shutdown) += records;
}

void Ledger::RequestOk(const QueuedBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  SignalStats& s = For(batch.signal);
  ++s.requests_ok;
  s.bytes_uncompressed += batch.uncompressed_bytes;
  s.bytes_compressed += batch.body.size();
}

void Ledger::RequestFailed(Signal signal, bool retryable, const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(retryable ? For(signal).requests_failed_retryable : For(signal).requests_failed_permanent);
  last_error_ = RedactSecrets(status.ToString());  // may quote the backend's answer
}

void Ledger::Retried(Signal signal) {
  std::lock_guard<std::mutex> lock(mu_);
  ++For(signal).retries;
}

void Ledger::Redirected(Signal signal) {
  std::lock_guard<std::mutex> lock(mu_);
  ++For(signal).requests_redirected;
}

std::uint64_t Ledger::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

Status Ledger::WaitForClosedBatches(std::uint64_t failures_before, std::chrono::steady_clock::time_point deadline,
                                    std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const std::uint64_t target = last_seq_;
  auto flushed = [&] { return pending_.empty() || *pending_.begin() > target; };
  if (!done_cv_.wait_until(lock, deadline, flushed)) {
    const auto left = std::distance(pending_.begin(), pending_.upper_bound(target));
    return Status::DeadlineExceeded(
        StrCat("ForceFlush: ", left, " batch(es) not delivered within ", timeout.count(), " ms"));
  }
  if (failures_ > failures_before) return last_failure_;
  return Status::Ok();
}

ExporterStats Ledger::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  ExporterStats out;
  for (Signal signal : kAllSignals) {
    const SignalStats& s = by_signal_[SignalIndex(signal)];
    out.of(signal) = s;
    out.requests_ok += s.requests_ok;
    out.requests_failed_retryable += s.requests_failed_retryable;
    out.requests_failed_permanent += s.requests_failed_permanent;
    out.retries += s.retries;
    out.requests_redirected += s.requests_redirected;
    out.bytes_uncompressed += s.bytes_uncompressed;
    out.bytes_compressed += s.bytes_compressed;
  }
  const SignalStats& t = out.traces;
  out.spans_received = t.received;
  out.spans_refused = t.refused;
  out.spans_sent = t.sent;
  out.spans_dropped_oversized = t.dropped_oversized;
  out.spans_dropped_permanent = t.dropped_permanent;
  out.spans_dropped_retries_exhausted = t.dropped_retries_exhausted;
  out.spans_dropped_shutdown = t.dropped_shutdown;
  out.spans_left_on_disk = t.left_on_disk;
  out.batches_pending = pending_.size();
  out.last_error = last_error_;
  return out;
}

}  // namespace otelpack
