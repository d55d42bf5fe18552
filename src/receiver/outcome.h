// Outcome: what became of one OTLP export request, whatever its transport
// and signal. Every receiver ends a request here: the Status that refused it
// (unreadable, too large, malformed, not authenticated) or the consumer's
// Status once its records were handed over becomes an Outcome, the
// receiver's counters are updated once, and the transport only writes the
// Outcome as its own answer (HTTP status and body, gRPC status and details).
//
//   what happened                      kind              HTTP  gRPC
//   consumer OK                        kAccepted         200   OK (partial success if any rejected)
//   consumer TooLarge: records over    kAccepted         200   OK, the exporter's message as
//     the backend's limit, dropped                             partial success
//   consumer ResourceExhausted         kThrottled        429   RESOURCE_EXHAUSTED, retry in 1 s
//   consumer FailedPrecondition        kShuttingDown     503   UNAVAILABLE, retry in 1 s
//   malformed (decoding, inflating),   kInvalid          400   INVALID_ARGUMENT
//     or consumer InvalidArgument
//   over a size limit                  kTooLarge         413   RESOURCE_EXHAUSTED (no retry)
//   bearer token missing or wrong      kUnauthenticated  401   UNAUTHENTICATED
//   anything else                      kInternal         500   INTERNAL
//
// Records are counted only with an answer that ends the request (accepted,
// with those rejected as invalid): a refused request comes again and is
// counted then; its records are counted as refused.
#ifndef OTELPACK_RECEIVER_OUTCOME_H_
#define OTELPACK_RECEIVER_OUTCOME_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "otelpack/signal.h"
#include "otelpack/status.h"
#include "receiver/consumer.h"
#include "receiver/otlp_response.h"

namespace otelpack::receiver {

enum class OutcomeKind {
  kAccepted,         // the consumer has the records (some may have been rejected as invalid)
  kInvalid,          // malformed: sending it again will not help
  kTooLarge,         // over a size limit: sending it again will not help
  kUnauthenticated,  // no or a wrong bearer token
  kThrottled,        // the agent's queue is full: retry after retry_delay
  kShuttingDown,     // the agent is stopping: retry after retry_delay (elsewhere)
  kInternal,         // a failure of ours (the last: outcome.cc's table counts on it)
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kAccepted;
  RpcCode rpc_code = RpcCode::kOk;
  int http_status = 200;
  // kAccepted: the partial-success message, empty when nothing was left out.
  // Otherwise: what the client is told went wrong.
  std::string message;
  // Above 0: the client should wait this long before sending it again.
  std::chrono::seconds retry_delay{0};
  std::uint64_t records_accepted = 0;
  std::uint64_t records_refused = 0;   // back-pressure or shutdown: the client may send them again
  std::uint64_t records_rejected = 0;  // left out as invalid, reported as partial success

  bool accepted() const { return kind == OutcomeKind::kAccepted; }
};

// A request that ends before any of its records reaches the consumer. The
// code of `why` decides: kTooLarge, kUnauthenticated and kInternal as such,
// anything else kInvalid. Counts the request as unauthenticated or invalid.
Outcome RequestFailed(const Status& why, ReceiverCounters& counters);

// A decoded request of `signal` once the consumer has had its `records`
// (`consumed` is what it said; OK when there were none to hand over), with
// `rejected` records left out by decoding, the first because of
// `rejection`. Counts the request and its records.
Outcome RequestConsumed(Signal signal, std::size_t records, std::size_t rejected,
                        std::string_view rejection, const Status& consumed,
                        ReceiverCounters& counters);

}  // namespace otelpack::receiver

#endif  // OTELPACK_RECEIVER_OUTCOME_H_
