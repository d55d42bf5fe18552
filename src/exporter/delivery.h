// Delivery: the exporter's last stage. `concurrency` sender threads pop
// batches from the queue, POST them (sender.h) and retry retryable failures
// with backoff (retry/retry_policy.h) until they are delivered or given up;
// then acknowledge them in the queue and record the outcome in the ledger.
//
// Waits between retries go through the injected Clock, so tests of retries
// and budgets move time by hand instead of sleeping.
#ifndef OTELPACK_EXPORTER_DELIVERY_H_
#define OTELPACK_EXPORTER_DELIVERY_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "exporter/ledger.h"
#include "exporter/sender.h"
#include "otelpack/delivery.h"
#include "queue/queue.h"

namespace otelpack {

class Delivery {
 public:
  // Starts one thread per sender. `queue`, `ledger` and `clock` must outlive
  // the Delivery. `durable`: a batch whose retries Shutdown cuts short stays
  // in the queue (disk) instead of being dropped.
  Delivery(const RetryOptions& retry, Queue* queue, Ledger* ledger, const Clock* clock, bool durable,
           std::vector<std::unique_ptr<Sender>> senders);
  ~Delivery();  // Finish(now)
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // Shutdown: closes the queue, lets the senders deliver what it holds until
  // `deadline`, then stops the retries in progress, abandons the requests in
  // flight (within about a second: a backend that does not answer cannot hold
  // Shutdown for `timeout`) and joins the threads. True when everything was
  // delivered or given up in time. Idempotent.
  bool Finish(std::chrono::steady_clock::time_point deadline);

 private:
  void SenderLoop(Sender& sender, std::size_t index);
  void Deliver(Sender& sender, Queue::Lease& lease, std::uint64_t seed);
  void LeaveAtShutdown(Queue::Lease& lease);

  const RetryOptions retry_;
  Queue* const queue_;
  Ledger* const ledger_;
  const Clock* const clock_;
  const bool durable_;

  std::mutex mu_;
  std::condition_variable cv_;          // a sender finished, or abort
  std::size_t senders_done_ = 0;        // guarded by mu_
  std::atomic<bool> aborted_{false};    // the Shutdown deadline passed: stop retrying and sending
  std::atomic<bool> queue_closed_{false};
  std::vector<std::thread> threads_;
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_DELIVERY_H_
