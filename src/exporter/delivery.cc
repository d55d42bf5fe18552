#include "exporter/delivery.h"

#include <random>

#include "common/str_cat.h"
#include "common/thread_name.h"
#include "otelpack/log.h"
#include "retry/retry_policy.h"

namespace otelpack {

using Ms = std::chrono::milliseconds;

Delivery::Delivery(const RetryOptions& retry, Queue* queue, Ledger* ledger, const Clock* clock, bool durable,
                   std::vector<std::unique_ptr<Sender>> senders)
    : retry_(retry), queue_(queue), ledger_(ledger), clock_(clock), durable_(durable) {
  for (std::size_t i = 0; i < senders.size(); ++i) {
    threads_.emplace_back([this, s = std::move(senders[i]), i]() mutable { SenderLoop(*s, i); });
    NameThread(threads_.back(), StrCat("otelpack-send", i));
  }
}

Delivery::~Delivery() { Finish(std::chrono::steady_clock::now()); }

bool Delivery::Finish(std::chrono::steady_clock::time_point deadline) {
  queue_closed_.store(true);
  queue_->Close();
  bool finished;
  {
    std::unique_lock<std::mutex> lock(mu_);
    finished = cv_.wait_until(lock, deadline, [&] { return senders_done_ == threads_.size(); });
    if (!finished) aborted_.store(true);
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  return finished;
}

void Delivery::SenderLoop(Sender& sender, std::size_t index) {
  std::mt19937_64 seeds(std::random_device{}() + index);
  while (!aborted_.load()) {
    const bool closed_before = queue_closed_.load();
    std::optional<Queue::Lease> lease = queue_->Pop(Ms(100));
    if (!lease) {
      if (closed_before) break;
      continue;
    }
    Deliver(sender, *lease, seeds());
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++senders_done_;
  cv_.notify_all();
}

void Delivery::Deliver(Sender& sender, Queue::Lease& lease, std::uint64_t seed) {
  const QueuedBatch& b = lease.batch;
  Backoff backoff(retry_, clock_, seed);
  while (true) {
    SendResult r =
        sender.Post(b.signal, b.batch_id, static_cast<Compression>(b.compression), b.body.view(), &aborted_);
    if (r.status.ok()) {
      queue_->Ack(lease.id);
      ledger_->RequestOk(b);
      ledger_->Completed(b, BatchOutcome::kSent, Status::Ok());
      return;
    }
    if (aborted_.load()) {  // given up in flight at the Shutdown deadline
      LeaveAtShutdown(lease);
      return;
    }
    if (r.http_status >= 300 && r.http_status < 400) {
      // Not followed (sender.h): the endpoint is wrong and only a person can
      // fix it. Said at error level every time, counted, and retried.
      ledger_->Redirected(b.signal);
      Log(LogLevel::kError, StrCat("batch ", b.batch_id, ": ", r.status.message()));
    }
    std::optional<Ms> delay = backoff.NextDelay(r);
    const Clock::TimePoint retry_at = clock_->Now() + delay.value_or(Ms(0));
    // Retryable by nature (the transport's classification), whether or not
    // the policy retries it.
    const bool retryable = r.http_status != 0 ? IsRetryableHttpStatus(retry_, r.http_status) : r.status.retryable();
    ledger_->RequestFailed(b.signal, retryable, r.status);
    if (!delay) {
      queue_->Ack(lease.id);
      Log(LogLevel::kWarn, StrCat("dropped batch ", b.batch_id, " (", b.events, " ", RecordName(b.signal),
                                  "s) after ", backoff.attempts(), " attempt(s), ",
                                  !retryable           ? "permanent failure"
                                  : retry_.enabled     ? "retry time exhausted"
                                                       : "retries disabled",
                                  ": ", r.status.ToString()));
      ledger_->Completed(b, retryable ? BatchOutcome::kDroppedRetriesExhausted : BatchOutcome::kDroppedPermanent,
                         r.status);
      return;
    }
    Log(LogLevel::kInfo, StrCat("batch ", b.batch_id, " failed (", r.status.ToString(), "); retry ",
                                backoff.attempts(), " in ", delay->count(), " ms",
                                r.retry_after ? " (Retry-After)" : ""));
    ledger_->Retried(b.signal);
    bool aborted;
    {
      std::unique_lock<std::mutex> lock(mu_);
      aborted = clock_->WaitUntil(cv_, lock, retry_at, [&] { return aborted_.load(); });
    }
    if (aborted) {
      LeaveAtShutdown(lease);
      return;
    }
  }
}

void Delivery::LeaveAtShutdown(Queue::Lease& lease) {
  // Kept on disk for the next start, or counted as dropped.
  ledger_->Completed(lease.batch, durable_ ? BatchOutcome::kLeftOnDisk : BatchOutcome::kDroppedShutdown,
                     Status::DeadlineExceeded("Shutdown deadline"));
  if (!durable_) queue_->Ack(lease.id);
}

}  // namespace otelpack
