#include "batch/batch_builder.h"

#include <algorithm>

#include "common/str_cat.h"
#include "otelpack/log.h"

namespace otelpack {
namespace {

// `],"sent_at":` + up to 20 digits + `}`.
constexpr std::size_t kMaxSuffixBytes = 12 + 20 + 1;

std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::size_t BatchBuilder::EnvelopeBytes(std::string_view project_id) {
  Buffer prefix;
  AppendBodyPrefix(project_id, &prefix);
  return prefix.size() + kMaxSuffixBytes;
}

BatchBuilder::BatchBuilder(BatchLimits limits, std::string project_id, ExtraFields extra)
    : limits_(limits),
      project_id_(std::move(project_id)),
      encoder_(extra),
      envelope_bytes_(EnvelopeBytes(project_id_)),
      rng_(std::random_device{}()) {
  StartBody();
}

void BatchBuilder::StartBody() {
  body_.Clear();
  // Most batches fill to the event limit: reserve for that once, not by doubling.
  body_.Reserve(std::min(limits_.max_bytes, envelope_bytes_ + limits_.max_events * (average_event_bytes_ + 1)));
  AppendBodyPrefix(project_id_, &body_);
  open_events_ = 0;
}

AddStats BatchBuilder::Add(TracesView traces, std::vector<EncodedBatch>* closed) {
  AddStats stats;
  for (const ResourceSpans& rs : traces) {
    encoder_.BeginResource(rs.resource);
    for (const ScopeSpans& ss : rs.scope_spans) {
      encoder_.BeginScope(ss.scope);
      for (const Span& span : ss.spans) {
        const std::size_t mark = body_.size();
        if (open_events_ > 0) body_.Append(',');
        const std::size_t event_start = body_.size();
        encoder_.AppendSpan(span, &body_);
        const std::size_t event_bytes = body_.size() - event_start;

        if (envelope_bytes_ + event_bytes > limits_.max_bytes) {
          // It would not fit even in an empty body: the backend would refuse it.
          body_.Truncate(mark);
          ++stats.dropped_oversized;
          Log(LogLevel::kWarn, StrCat("dropped a span event of ", event_bytes, " bytes (operation '",
                                      span.name.substr(0, 64), "'): larger than max_batch_bytes ",
                                      limits_.max_bytes, " minus the ", envelope_bytes_, "-byte envelope"));
          continue;
        }
        if (body_.size() + kMaxSuffixBytes > limits_.max_bytes) {
          // Full by bytes: move this event to the next body.
          scratch_.Clear();
          scratch_.Append(std::string_view(body_.data() + event_start, event_bytes));
          body_.Truncate(mark);
          Close(closed);
          body_.Append(scratch_.view());
        }
        if (open_events_ == 0) open_since_ = std::chrono::steady_clock::now();
        ++open_events_;
        ++stats.added;
        if (open_events_ >= limits_.max_events) Close(closed);
      }
    }
  }
  return stats;
}

void BatchBuilder::Flush(std::vector<EncodedBatch>* closed) {
  if (open_events_ > 0) Close(closed);
}

void BatchBuilder::Close(std::vector<EncodedBatch>* closed) {
  EncodedBatch batch;
  batch.batch_id = NewBatchId();
  batch.events = static_cast<std::uint32_t>(open_events_);
  batch.sent_at_ms = NowUnixMs();
  AppendBodySuffix(batch.sent_at_ms, &body_);
  average_event_bytes_ = (body_.size() - envelope_bytes_) / std::max<std::size_t>(open_events_, 1);
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
