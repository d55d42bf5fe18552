// BatchBuilder: encodes spans straight into request bodies that respect the
// backend's limits.
//
// Events are written once, directly into the open body (no intermediate copy
// in the common case). A batch closes when it holds `max_events` events or
// when the next event would push the body past `max_bytes`; an event that
// alone cannot fit in an empty body is dropped and reported. Never splits an
// event. Not thread-safe.
#ifndef OTELPACK_BATCH_BATCH_BUILDER_H_
#define OTELPACK_BATCH_BATCH_BUILDER_H_

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "format/event_encoder.h"
#include "otelpack/buffer.h"
#include "otelpack/exporter.h"
#include "otelpack/model.h"

namespace otelpack {

struct BatchLimits {
  std::size_t max_events = 500;            // events per request
  std::size_t max_bytes = 5 * 1024 * 1024; // uncompressed body bytes per request
};

// One request body, complete and not yet compressed.
struct EncodedBatch {
  std::string batch_id;  // the idempotency key sent as X-Batch-ID: 32 lowercase hex digits
  Buffer body;           // {"project_id":...,"events":[...],"sent_at":N}
  std::uint32_t events = 0;
  std::int64_t sent_at_ms = 0;
};

struct AddStats {
  std::size_t added = 0;
  std::size_t dropped_oversized = 0;
};

class BatchBuilder {
 public:
  BatchBuilder(BatchLimits limits, std::string project_id, ExtraFields extra = {});

  // Encodes every span of `traces`; batches that fill up are appended to *closed.
  AddStats Add(TracesView traces, std::vector<EncodedBatch>* closed);
  // Closes the open batch, if it holds any event, into *closed.
  void Flush(std::vector<EncodedBatch>* closed);

  std::size_t open_events() const { return open_events_; }
  std::size_t open_bytes() const { return body_.size(); }
  // When the first event of the open batch was added (meaningless when empty).
  std::chrono::steady_clock::time_point open_since() const { return open_since_; }

  // The smallest max_bytes that leaves room for at least one small event.
  static std::size_t EnvelopeBytes(std::string_view project_id);

 private:
  void StartBody();
  void Close(std::vector<EncodedBatch>* closed);
  std::string NewBatchId();

  const BatchLimits limits_;
  const std::string project_id_;
  EventEncoder encoder_;
  std::size_t envelope_bytes_;  // prefix + the longest suffix
  Buffer body_;
  Buffer scratch_;  // an event that did not fit, on its way to the next body
  std::size_t open_events_ = 0;
  std::size_t average_event_bytes_ = 1024;
  std::chrono::steady_clock::time_point open_since_;
  std::mt19937_64 rng_;
};

}  // namespace otelpack

#endif  // OTELPACK_BATCH_BATCH_BUILDER_H_
