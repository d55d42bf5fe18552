// Outcome: see outcome.h. The table there is this file.
#include "receiver/outcome.h"

#include <atomic>
#include <iterator>

#include "common/str_cat.h"

namespace otelpack::receiver {
namespace {

// What 429 and 503 ask clients to wait. The queue drains in well under a
// second when the backend is up; when it is down, SDKs back off further.
constexpr std::chrono::seconds kRetryDelay{1};

void Add(std::atomic<std::uint64_t>& counter, std::uint64_t n) {
  counter.fetch_add(n, std::memory_order_relaxed);
}

// How each kind is answered, in OutcomeKind's order: the one place a kind
// becomes the codes both transports use.
struct KindAnswer {
  OutcomeKind kind;  // the row's own kind, checked below
  RpcCode rpc_code;
  int http_status;
  std::chrono::seconds retry_delay;
};
constexpr KindAnswer kAnswers[] = {
    {OutcomeKind::kAccepted, RpcCode::kOk, 200, std::chrono::seconds(0)},
    {OutcomeKind::kInvalid, RpcCode::kInvalidArgument, 400, std::chrono::seconds(0)},
    // Not retryable: no retry delay, so that gRPC clients do not send it again.
    {OutcomeKind::kTooLarge, RpcCode::kResourceExhausted, 413, std::chrono::seconds(0)},
    {OutcomeKind::kUnauthenticated, RpcCode::kUnauthenticated, 401, std::chrono::seconds(0)},
    {OutcomeKind::kThrottled, RpcCode::kResourceExhausted, 429, kRetryDelay},
    {OutcomeKind::kShuttingDown, RpcCode::kUnavailable, 503, kRetryDelay},
    {OutcomeKind::kInternal, RpcCode::kInternal, 500, std::chrono::seconds(0)},
};
constexpr bool InKindOrder() {
  for (std::size_t i = 0; i < std::size(kAnswers); ++i) {
    if (static_cast<std::size_t>(kAnswers[i].kind) != i) return false;
  }
  return true;
}
static_assert(InKindOrder() && std::size(kAnswers) == static_cast<std::size_t>(OutcomeKind::kInternal) + 1,
              "one row per OutcomeKind, in its order");

Outcome OfKind(OutcomeKind kind, std::string message) {
  const KindAnswer& a = kAnswers[static_cast<std::size_t>(kind)];
  Outcome o;
  o.kind = kind;
  o.rpc_code = a.rpc_code;
  o.http_status = a.http_status;
  o.retry_delay = a.retry_delay;
  o.message = std::move(message);
  return o;
}

}  // namespace

Outcome RequestFailed(const Status& why, ReceiverCounters& counters) {
  OutcomeKind kind = OutcomeKind::kInvalid;
  switch (why.code()) {
    case StatusCode::kTooLarge: kind = OutcomeKind::kTooLarge; break;
    case StatusCode::kUnauthenticated: kind = OutcomeKind::kUnauthenticated; break;
    case StatusCode::kInternal: kind = OutcomeKind::kInternal; break;
    default: break;
  }
  Add(kind == OutcomeKind::kUnauthenticated ? counters.requests_unauthenticated
                                            : counters.requests_invalid,
      1);
  return OfKind(kind, std::string(why.message()));
}

Outcome RequestConsumed(Signal signal, std::size_t records, std::size_t rejected,
                        std::string_view rejection, const Status& consumed,
                        ReceiverCounters& counters) {
  switch (consumed.code()) {
    case StatusCode::kOk:
    case StatusCode::kTooLarge: {
      // TooLarge: accepted but for records larger than the backend's batch
      // limit, which the exporter dropped and counted: a warning.
      std::string message;
      if (rejected > 0) {
        StrAppend(&message, rejected, " ", RecordName(signal), "(s) left out: ", rejection);
      }
      if (!consumed.ok()) StrAppend(&message, message.empty() ? "" : "; ", consumed.message());
      Outcome o = OfKind(OutcomeKind::kAccepted, std::move(message));
      o.records_accepted = records;
      o.records_rejected = rejected;
      Add(counters.records_accepted, records);
      Add(counters.records_rejected, rejected);
      return o;
    }
    case StatusCode::kResourceExhausted:
    case StatusCode::kFailedPrecondition: {
      const bool full = consumed.code() == StatusCode::kResourceExhausted;
      Outcome o = full ? OfKind(OutcomeKind::kThrottled, "the agent's queue is full: retry later")
                       : OfKind(OutcomeKind::kShuttingDown, "the agent is shutting down");
      o.records_refused = records;
      Add(counters.requests_refused, 1);
      Add(counters.records_refused, records);
      return o;
    }
    case StatusCode::kInvalidArgument:
      return RequestFailed(consumed, counters);
    default:
      // Permanent for this data (consumer.h): a code the client does not retry.
      return RequestFailed(Status::Internal(consumed.message()), counters);
  }
}

}  // namespace otelpack::receiver
