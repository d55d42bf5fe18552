#include "batch/batch_builder.h"

#include <algorithm>

#include "common/str_cat.h"
#include "otelpack/log.h"

namespace otelpack {
namespace {

std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

BatchBuilder::BatchBuilder(BatchLimits limits, const Envelope& envelope, Signal signal)
    : limits_(limits), envelope_(envelope), signal_(signal), rng_(std::random_device{}()) {
  StartBody();
}

void BatchBuilder::StartBody() {
  body_.Clear();
  // Most batches fill to the event limit: reserve for that once, not by doubling.
  body_.Reserve(std::min(limits_.max_bytes, envelope_.overhead_bytes() + limits_.max_events *
                                                                             (average_event_bytes_ +
                                                                              envelope_.separator_bytes())));
  envelope_.AppendPrefix(&body_);
  open_events_ = 0;
  open_id_ = NewBatchId();
  open_parts_ = 0;
  part_start_ = body_.size();
  part_start_events_ = 0;
}

void BatchBuilder::BeginPart() {
  part_start_ = body_.size();
  part_start_events_ = open_events_;
}

void BatchBuilder::TakePart() {
  if (parts_ == nullptr || open_events_ == part_start_events_) return;
  std::size_t from = part_start_;
  // Parts are joined again at recovery, where the one before may be missing.
  if (part_start_events_ > 0) from += envelope_.separator_bytes();
  BatchPart part;
  part.batch_id = open_id_;
  part.signal = signal_;
  part.events = static_cast<std::uint32_t>(open_events_ - part_start_events_);
  part.events_bytes.Append(std::string_view(body_.data() + from, body_.size() - from));
  parts_->push_back(std::move(part));
  ++open_parts_;
}

Buffer& BatchBuilder::BeginEvent() {
  mark_ = body_.size();
  if (open_events_ > 0) envelope_.AppendSeparator(&body_);
  event_start_ = body_.size();
  return body_;
}

void BatchBuilder::EndEvent(std::string_view record_name) {
  const std::size_t event_bytes = body_.size() - event_start_;
  const std::size_t overhead = envelope_.overhead_bytes();
  if (overhead + event_bytes > limits_.max_bytes) {
    // It would not fit even in an empty body: the backend would refuse it.
    body_.Truncate(mark_);
    ++stats_.dropped_oversized;
    Log(LogLevel::kWarn, StrCat("dropped a ", RecordName(signal_), " event of ", event_bytes, " bytes ('",
                                record_name.substr(0, 64), "'): larger than max_batch_bytes ",
                                limits_.max_bytes, " minus the ", overhead, "-byte envelope"));
    return;
  }
  if (body_.size() + envelope_.max_suffix_bytes() > limits_.max_bytes) {
    // Full by bytes: move this event to the next body.
    scratch_.Clear();
    scratch_.Append(std::string_view(body_.data() + event_start_, event_bytes));
    body_.Truncate(mark_);
    Close(closed_);
    body_.Append(scratch_.view());
  }
  if (open_events_ == 0) open_since_ = std::chrono::steady_clock::now();
  ++open_events_;
  ++stats_.added;
  if (open_events_ >= limits_.max_events) Close(closed_);
}

void BatchBuilder::Flush(std::vector<EncodedBatch>* closed) {
  if (open_events_ > 0) Close(closed);
}

void BatchBuilder::Close(std::vector<EncodedBatch>* closed) {
  TakePart();  // what this Add put into the body before it filled up
  EncodedBatch batch;
  batch.batch_id = std::move(open_id_);
  batch.parts = open_parts_;
  batch.signal = signal_;
  batch.events = static_cast<std::uint32_t>(open_events_);
  batch.sent_at_ms = NowUnixMs();
  envelope_.AppendSuffix(batch.sent_at_ms, &body_);
  average_event_bytes_ = (body_.size() - envelope_.overhead_bytes()) / std::max<std::size_t>(open_events_, 1);
  batch.body = std::move(body_);
  closed->push_back(std::move(batch));
  body_ = Buffer();
  StartBody();
}

std::string BatchBuilder::NewBatchId() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  std::uint64_t a = rng_(), b = rng_();
  for (int i = 0; i < 16; ++i) {
    id[i] = kHex[(a >> (i * 4)) & 0xf];
    id[16 + i] = kHex[(b >> (i * 4)) & 0xf];
  }
  return id;
}

}  // namespace otelpack
