// BatchBuilder: request bodies within the backend's limits, for one signal.
//
// An encoder (format/encoder.h) writes its events straight into the open
// body through the builder's EventSink side; the builder wraps the body in
// the envelope (format/envelope.h) and closes it when it holds `max_events`
// events or when the next event would push it past `max_bytes` (that event
// moves to the next body). An event that alone cannot fit in an empty body
// is dropped, logged and counted. Never splits an event; knows nothing of
// what the events are. Not thread-safe.
//
// A body has its batch id from its first event on, so that the disk queue's
// mode can journal what each Add put into the open body (a BatchPart, named by
// that id) before the body closes: after a crash the parts become the request
// under the same id.
#ifndef OTELPACK_BATCH_BATCH_BUILDER_H_
#define OTELPACK_BATCH_BATCH_BUILDER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "format/encoder.h"
#include "format/envelope.h"
#include "otelpack/buffer.h"
#include "otelpack/signal.h"

namespace otelpack {

struct BatchLimits {
  std::size_t max_events = 500;            // events per request
  std::size_t max_bytes = 5 * 1024 * 1024; // uncompressed body bytes per request
};

// One request body, complete and not yet compressed.
struct EncodedBatch {
  std::string batch_id;  // the idempotency key sent as X-Batch-ID: 32 lowercase hex digits
  Signal signal = Signal::kTraces;
  Buffer body;           // the envelope around the events
  std::uint32_t events = 0;
  std::int64_t sent_at_ms = 0;
  // How many BatchParts were taken of this body (Add with `parts`): the disk
  // queue retires that many journalled parts when it takes the batch.
  std::uint32_t parts = 0;
};

// The events one Add put into one body, joined by the envelope's separator,
// without the envelope and without a separator at either end.
struct BatchPart {
  std::string batch_id;  // the body's (EncodedBatch::batch_id once it closes)
  Signal signal = Signal::kTraces;
  std::uint32_t events = 0;
  Buffer events_bytes;
};

struct AddStats {
  std::size_t added = 0;
  std::size_t dropped_oversized = 0;
};

class BatchBuilder final : private EventSink {
 public:
  // `envelope` must outlive the builder.
  BatchBuilder(BatchLimits limits, const Envelope& envelope, Signal signal);

  // Encodes `data` with `encoder`; batches that fill up are appended to
  // *closed. With `parts`, a copy of what this call put into each body (the
  // closed ones and the one left open) is appended to *parts.
  template <typename View>
  AddStats Add(SignalEncoder<View>& encoder, View data, std::vector<EncodedBatch>* closed,
               std::vector<BatchPart>* parts = nullptr) {
    closed_ = closed;
    parts_ = parts;
    stats_ = AddStats();
    BeginPart();
    encoder.Encode(data, *this);
    TakePart();
    closed_ = nullptr;
    parts_ = nullptr;
    return stats_;
  }
  // Closes the open batch, if it holds any event, into *closed.
  void Flush(std::vector<EncodedBatch>* closed);

  Signal signal() const { return signal_; }
  std::size_t open_events() const { return open_events_; }
  std::size_t open_bytes() const { return body_.size(); }
  // When the first event of the open batch was added (meaningless when empty).
  std::chrono::steady_clock::time_point open_since() const { return open_since_; }

 private:
  // EventSink: what the encoder calls, once per event.
  Buffer& BeginEvent() override;
  void EndEvent(std::string_view record_name) override;

  void StartBody();
  void Close(std::vector<EncodedBatch>* closed);
  // During an Add with parts: where this call's events in the open body start,
  // and the copy of them into *parts_.
  void BeginPart();
  void TakePart();
  std::string NewBatchId();

  const BatchLimits limits_;
  const Envelope& envelope_;
  const Signal signal_;
  Buffer body_;
  Buffer scratch_;  // an event that did not fit, on its way to the next body
  std::size_t open_events_ = 0;
  std::string open_id_;          // the open body's batch id
  std::uint32_t open_parts_ = 0;  // BatchParts taken of the open body
  std::size_t average_event_bytes_ = 1024;
  std::chrono::steady_clock::time_point open_since_;
  std::mt19937_64 rng_;
  // During Add: where closed batches go, what this Add did, and where the
  // event being written starts (after its separator) and where it started
  // before the separator.
  std::vector<EncodedBatch>* closed_ = nullptr;
  std::vector<BatchPart>* parts_ = nullptr;
  std::size_t part_start_ = 0;         // body offset of this call's first event (or its separator)
  std::size_t part_start_events_ = 0;  // events the body held there
  AddStats stats_;
  std::size_t mark_ = 0;
  std::size_t event_start_ = 0;
};

}  // namespace otelpack

#endif  // OTELPACK_BATCH_BATCH_BUILDER_H_
