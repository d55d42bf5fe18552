// The outcome table (outcome.h) row by row: what each Status becomes (kind,
// gRPC code, HTTP status, message, retry delay, records) and which counters
// it moves. Both receivers answer from these Outcomes; their end-to-end
// tests (agent_test, grpc_receiver_test) check the wire.
#include "receiver/outcome.h"

#include <gtest/gtest.h>

#include <string>

namespace otelpack::receiver {
namespace {

using std::chrono::seconds;

struct Counts {
  std::uint64_t invalid, unauthenticated, refused, accepted, records_refused, rejected;
  bool operator==(const Counts&) const = default;
};

Counts Read(const ReceiverCounters& c) {
  return {c.requests_invalid.load(), c.requests_unauthenticated.load(), c.requests_refused.load(),
          c.records_accepted.load(),   c.records_refused.load(),            c.records_rejected.load()};
}

std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "{invalid " << c.invalid << ", unauthenticated " << c.unauthenticated << ", refused "
            << c.refused << ", accepted " << c.accepted << ", records refused " << c.records_refused
            << ", rejected " << c.rejected << "}";
}

TEST(OutcomeTest, AcceptedCountsTheRecordsAndTheRejected) {
  ReceiverCounters c;
  Outcome o = RequestConsumed(Signal::kTraces, 510, 2, "span_id must be 8 bytes", Status::Ok(), c);
  EXPECT_EQ(o.kind, OutcomeKind::kAccepted);
  EXPECT_TRUE(o.accepted());
  EXPECT_EQ(o.rpc_code, RpcCode::kOk);
  EXPECT_EQ(o.http_status, 200);
  EXPECT_EQ(o.message, "2 span(s) left out: span_id must be 8 bytes");
  EXPECT_EQ(o.retry_delay, seconds(0));
  EXPECT_EQ(o.records_accepted, 510u);
  EXPECT_EQ(o.records_rejected, 2u);
  EXPECT_EQ(o.records_refused, 0u);
  EXPECT_EQ(Read(c), (Counts{0, 0, 0, 510, 0, 2}));
  EXPECT_EQ(c.requests.load(), 0u) << "the transport counts requests as they arrive";
}

TEST(OutcomeTest, FullSuccessHasNoMessage) {
  ReceiverCounters c;
  Outcome o = RequestConsumed(Signal::kTraces, 512, 0, "", Status::Ok(), c);
  EXPECT_TRUE(o.accepted());
  EXPECT_EQ(o.message, "");
  EXPECT_EQ(Read(c), (Counts{0, 0, 0, 512, 0, 0}));
  // An empty request: nothing handed over, still a success.
  Outcome empty = RequestConsumed(Signal::kTraces, 0, 0, "", Status::Ok(), c);
  EXPECT_TRUE(empty.accepted());
  EXPECT_EQ(empty.message, "");
}

TEST(OutcomeTest, ThePartialSuccessMessageNamesTheSignalsRecords) {
  ReceiverCounters c;
  EXPECT_EQ(RequestConsumed(Signal::kLogs, 1, 1, "bad trace_id", Status::Ok(), c).message,
            "1 log record(s) left out: bad trace_id");
  EXPECT_EQ(RequestConsumed(Signal::kMetrics, 1, 4, "no value", Status::Ok(), c).message,
            "4 data point(s) left out: no value");
}

// The exporter dropped records over the backend's size limit: the request
// is accepted, and the client is told why as partial success.
TEST(OutcomeTest, ConsumerTooLargeIsAcceptedWithAWarning) {
  ReceiverCounters c;
  Outcome o = RequestConsumed(Signal::kTraces, 3, 1, "bad id", Status::TooLarge("1 span over 1 MiB"), c);
  EXPECT_TRUE(o.accepted());
  EXPECT_EQ(o.http_status, 200);
  EXPECT_EQ(o.message, "1 span(s) left out: bad id; 1 span over 1 MiB");
  EXPECT_EQ(Read(c), (Counts{0, 0, 0, 3, 0, 1}));
  EXPECT_EQ(RequestConsumed(Signal::kTraces, 3, 0, "", Status::TooLarge("over"), c).message, "over");
}

// A full queue and a shutdown refuse the records for now: the client sends
// them again after the delay, so they are neither accepted nor rejected.
TEST(OutcomeTest, BackPressureAndShutdownRefuseWithARetryDelay) {
  struct Case {
    Status consumed;
    OutcomeKind kind;
    RpcCode rpc;
    int http;
    std::string message;
  };
  const Case cases[] = {
      {Status::ResourceExhausted("queue full: 65536 bytes queued"), OutcomeKind::kThrottled,
       RpcCode::kResourceExhausted, 429, "the agent's queue is full: retry later"},
      {Status::FailedPrecondition("Export after Shutdown"), OutcomeKind::kShuttingDown,
       RpcCode::kUnavailable, 503, "the agent is shutting down"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.consumed.ToString());
    ReceiverCounters c;
    Outcome o = RequestConsumed(Signal::kTraces, 200, 1, "bad id", k.consumed, c);
    EXPECT_EQ(o.kind, k.kind);
    EXPECT_EQ(o.rpc_code, k.rpc);
    EXPECT_EQ(o.http_status, k.http);
    EXPECT_EQ(o.retry_delay, seconds(1));
    EXPECT_EQ(o.message, k.message);
    EXPECT_EQ(o.records_refused, 200u);
    EXPECT_EQ(o.records_accepted + o.records_rejected, 0u);
    EXPECT_EQ(Read(c), (Counts{0, 0, 1, 0, 200, 0}));
  }
}

TEST(OutcomeTest, OtherConsumerErrorsArePermanentAndCountedInvalid) {
  ReceiverCounters c;
  Outcome invalid = RequestConsumed(Signal::kTraces, 3, 0, "", Status::InvalidArgument("no"), c);
  EXPECT_EQ(invalid.kind, OutcomeKind::kInvalid);
  EXPECT_EQ(invalid.rpc_code, RpcCode::kInvalidArgument);
  EXPECT_EQ(invalid.http_status, 400);
  EXPECT_EQ(invalid.message, "no");
  Outcome internal = RequestConsumed(Signal::kTraces, 3, 0, "", Status::DataLoss("disk"), c);
  EXPECT_EQ(internal.kind, OutcomeKind::kInternal);
  EXPECT_EQ(internal.rpc_code, RpcCode::kInternal);
  EXPECT_EQ(internal.http_status, 500);
  EXPECT_EQ(internal.message, "disk");
  EXPECT_EQ(internal.retry_delay, seconds(0));
  EXPECT_EQ(Read(c), (Counts{2, 0, 0, 0, 0, 0}));
}

TEST(OutcomeTest, RequestsThatFailBeforeTheConsumer) {
  struct Case {
    Status why;
    OutcomeKind kind;
    RpcCode rpc;
    int http;
    Counts counts;
  };
  const Case cases[] = {
      {Status::InvalidArgument("resource_spans: truncated"), OutcomeKind::kInvalid,
       RpcCode::kInvalidArgument, 400, {1, 0, 0, 0, 0, 0}},
      {Status::DataLoss("gzip: truncated stream"), OutcomeKind::kInvalid, RpcCode::kInvalidArgument,
       400, {1, 0, 0, 0, 0, 0}},
      // Too large is not retryable: RESOURCE_EXHAUSTED without a delay.
      {Status::TooLarge("over max_decoded_size"), OutcomeKind::kTooLarge,
       RpcCode::kResourceExhausted, 413, {1, 0, 0, 0, 0, 0}},
      {Status::Unauthenticated("wrong bearer token"), OutcomeKind::kUnauthenticated,
       RpcCode::kUnauthenticated, 401, {0, 1, 0, 0, 0, 0}},
      {Status::Internal("cannot create a decompressor"), OutcomeKind::kInternal, RpcCode::kInternal,
       500, {1, 0, 0, 0, 0, 0}},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.why.ToString());
    ReceiverCounters c;
    Outcome o = RequestFailed(k.why, c);
    EXPECT_EQ(o.kind, k.kind);
    EXPECT_FALSE(o.accepted());
    EXPECT_EQ(o.rpc_code, k.rpc);
    EXPECT_EQ(o.http_status, k.http);
    EXPECT_EQ(o.message, k.why.message());
    EXPECT_EQ(o.retry_delay, seconds(0));
    EXPECT_EQ(o.records_accepted + o.records_refused + o.records_rejected, 0u);
    EXPECT_EQ(Read(c), k.counts);
  }
}

}  // namespace
}  // namespace otelpack::receiver
