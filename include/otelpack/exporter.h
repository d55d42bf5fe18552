// Exporter: the article's CompressedBatchExporter, in C++, that loses nothing.
//
//   otelpack::ExporterOptions options = *otelpack::ExporterOptions::FromEnvironment();
//   options.endpoint = "https://analytics.example.com";  // code overrides the environment
//   auto exporter = otelpack::Exporter::Create(options);
//   if (!exporter.ok()) { ... exporter.status().ToString() ... }
//   otelpack::Status s = (*exporter)->Export(traces);   // hands over, returns quickly
//   (*exporter)->Export(logs);                           // log records, metric data
//   (*exporter)->Export(metrics);                        // points: the same way
//   ...
//   (*exporter)->Shutdown();                             // delivers what is left
//
// Export converts records (spans, log records, metric data points) to the
// backend's JSON events (docs/wire-protocol.md) in the caller's thread (fast:
// GB/s) into the open batch of their signal and returns. A batch holds one
// signal and closes at max_batch_events, max_batch_bytes or flush_interval; it is then
// compressed off the caller's thread, queued, and POSTed by one of
// `concurrency` senders, retried with backoff while the failure is retryable.
// With the disk queue, Export returns only once its data is durable.
//
// Export's Status says whether the data was accepted: OK; ResourceExhausted
// when the queue is full (nothing of the call was accepted); TooLarge when
// some record alone exceeded max_batch_bytes (the others were accepted);
// FailedPrecondition after Shutdown. What happens later is in Stats() and in
// the Status of ForceFlush.
//
// Thread-safe. Shutdown is idempotent.
#ifndef OTELPACK_EXPORTER_H_
#define OTELPACK_EXPORTER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "otelpack/auth.h"
#include "otelpack/compression.h"
#include "otelpack/delivery.h"
#include "otelpack/extra_fields.h"
#include "otelpack/format.h"
#include "otelpack/model.h"
#include "otelpack/status.h"

namespace otelpack {

struct ExporterOptions {
  // Base URL of the backend; requests go to `{endpoint}/v1/ingest`, or to
  // `{endpoint}{path}` with the path a declared format gives each signal.
  // Env: OTELPACK_ENDPOINT. Required.
  std::string endpoint;
  // Sent as X-Project-ID and in the body. Env: OTELPACK_PROJECT_ID. Required,
  // unless a declared format never sends it (Format::uses_project_id).
  std::string project_id;
  // How requests are authenticated; default `Authorization: ApiKey <auth.api_key>`.
  // Env: OTELPACK_API_KEY (the key), OTELPACK_AUTH (scheme name).
  AuthOptions auth;
  // A scheme of one's own; when set it replaces `auth`.
  std::shared_ptr<const Authenticator> authenticator;
  // Static headers added to every request.
  std::vector<HttpHeader> headers;

  // At most this many events per request (the article's max_batch_size), for
  // each signal's batches. Default 500.
  std::size_t max_batch_events = 500;
  // At most this many bytes of uncompressed body per request: the backend's
  // limit. An event larger than this alone is dropped and counted. Default 5 MiB.
  std::size_t max_batch_bytes = 5 * 1024 * 1024;

  // Default zstd (the article's recommendation). Env: OTELPACK_COMPRESSION.
  Compression compression = Compression::kZstd;
  // 0 = the algorithm's default (gzip 6, zstd 1, lz4 fast). Env: OTELPACK_COMPRESSION_LEVEL.
  int compression_level = 0;

  // Whole-request timeout (the article's 30 s) and connect timeout (10 s).
  std::chrono::milliseconds timeout{30'000};
  std::chrono::milliseconds connect_timeout{10'000};
  // TLS: verification is on; a CA bundle and a client certificate are optional.
  std::string ca_file;
  std::string client_cert_file;
  std::string client_key_file;
  bool tls_verify = true;

  // The backend's format (docs/formats.md): each signal's events, the
  // body's framing, the request's path and headers. Null (the default): the
  // built-in format, the article's events (docs/wire-protocol.md).
  // Env: OTELPACK_FORMAT (the path of a declaration file).
  std::shared_ptr<const Format> format;
  // Fields added to the built-in events (docs/wire-protocol.md, "Optional
  // fields"); with a declared format, to the signals it leaves out.
  ExtraFields extra_fields;

  // Delivery. An open batch is closed this long after its first event at the
  // latest. Default 200 ms (the Collector's batch processor timeout).
  std::chrono::milliseconds flush_interval{200};
  // Requests in flight at once (sender threads). Default 2.
  int concurrency = 2;
  RetryOptions retry;
  QueueOptions queue;

  // Defaults overlaid with the OTELPACK_* environment variables above.
  // InvalidArgument names the variable when one cannot be parsed.
  static Result<ExporterOptions> FromEnvironment();
  // InvalidArgument naming the first field that is missing or out of range.
  Status Validate() const;
};

// One signal's counters since creation, in records: spans, log records or
// metric data points. Every record received ends up refused, sent, dropped
// (by reason), left on disk, or is still pending (open batch, queue, in
// flight): received = refused + sent + dropped() + left_on_disk + pending.
struct SignalStats {
  std::uint64_t received = 0;  // handed to Export
  std::uint64_t refused = 0;   // not accepted: queue full (Export said ResourceExhausted)
  std::uint64_t sent = 0;      // acknowledged by the backend
  // Dropped after acceptance, by reason:
  std::uint64_t dropped_oversized = 0;          // an event alone above max_batch_bytes
  std::uint64_t dropped_permanent = 0;          // the backend refused them (4xx but 408/429, 501)
  std::uint64_t dropped_retries_exhausted = 0;  // retryable, but max_elapsed_time passed
  std::uint64_t dropped_shutdown = 0;           // memory queue: not delivered by the Shutdown deadline
  std::uint64_t left_on_disk = 0;               // disk queue: kept for the next start at Shutdown

  // Requests to the backend carrying this signal, and their bodies.
  std::uint64_t requests_ok = 0;
  std::uint64_t requests_failed_retryable = 0;  // attempts; each is retried or counted as exhausted
  std::uint64_t requests_failed_permanent = 0;
  // Of the retryable failures, those answered with a redirect otelpack does
  // not follow: the endpoint is wrong (docs/wire-protocol.md, "Redirects").
  std::uint64_t requests_redirected = 0;
  std::uint64_t retries = 0;
  std::uint64_t bytes_uncompressed = 0;  // request bodies sent, before compression
  std::uint64_t bytes_compressed = 0;    // and after

  std::uint64_t dropped() const {
    return dropped_oversized + dropped_permanent + dropped_retries_exhausted + dropped_shutdown;
  }
};

// Counters since creation: per signal, and for the whole exporter.
struct ExporterStats {
  SignalStats traces;   // spans
  SignalStats logs;     // log records
  SignalStats metrics;  // data points
  const SignalStats& of(Signal s) const {
    return s == Signal::kTraces ? traces : s == Signal::kLogs ? logs : metrics;
  }
  SignalStats& of(Signal s) { return s == Signal::kTraces ? traces : s == Signal::kLogs ? logs : metrics; }

  // The trace counters under their first names (the same values as traces.*).
  std::uint64_t spans_received = 0;
  std::uint64_t spans_refused = 0;
  std::uint64_t spans_sent = 0;
  std::uint64_t spans_dropped_oversized = 0;
  std::uint64_t spans_dropped_permanent = 0;
  std::uint64_t spans_dropped_retries_exhausted = 0;
  std::uint64_t spans_dropped_shutdown = 0;
  std::uint64_t spans_left_on_disk = 0;
  std::uint64_t spans_dropped() const {
    return spans_dropped_oversized + spans_dropped_permanent + spans_dropped_retries_exhausted +
           spans_dropped_shutdown;
  }

  // Every signal together.
  std::uint64_t requests_ok = 0;
  std::uint64_t requests_failed_retryable = 0;
  std::uint64_t requests_failed_permanent = 0;
  std::uint64_t requests_redirected = 0;
  std::uint64_t retries = 0;
  std::uint64_t bytes_uncompressed = 0;
  std::uint64_t bytes_compressed = 0;

  std::uint64_t batches_pending = 0;  // closed and not yet delivered or dropped
  std::uint64_t queue_depth = 0;      // batches in the queue (in flight included)
  std::uint64_t queue_bytes = 0;
  std::string last_error;             // never holds a credential
};

class Exporter {
 public:
  // InvalidArgument when the options do not validate.
  static Result<std::unique_ptr<Exporter>> Create(const ExporterOptions& options);
  virtual ~Exporter() = default;

  // Hands the data over (see above): spans, log records or metric data
  // points, each signal into its own batches (a request carries one signal).
  // The views may be released as soon as Export returns.
  virtual Status Export(TracesView traces) = 0;
  virtual Status Export(LogsView logs) = 0;
  virtual Status Export(MetricsView metrics) = 0;
  // Closes the open batch and waits until every batch closed before the call
  // is delivered or definitively failed. OK when all were delivered;
  // DeadlineExceeded when `timeout` passed first; else the last failure.
  // With the disk queue, "closed" means by this process: batches a previous
  // run left complete on disk are delivered in the background (and until
  // Shutdown's deadline) but not waited for, so that a flush at start does
  // not hang on a backlog that predates it; batches it left open are closed
  // at Create and are waited for like any other.
  virtual Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30)) = 0;
  // Refuses further Exports, flushes, and delivers what it can until
  // `timeout`; then leaves the rest in the disk queue, or drops and counts it
  // with the memory queue (DeadlineExceeded says how many). Idempotent: a
  // second call returns OK at once.
  virtual Status Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30)) = 0;
  virtual ExporterStats Stats() const = 0;
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_H_
