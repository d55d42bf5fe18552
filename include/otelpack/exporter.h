// Exporter: the article's CompressedBatchExporter, in C++.
//
//   otelpack::ExporterOptions options = otelpack::ExporterOptions::FromEnvironment();
//   options.endpoint = "https://analytics.example.com";  // code overrides the environment
//   auto exporter = otelpack::Exporter::Create(options);
//   if (!exporter.ok()) { ... exporter.status().ToString() ... }
//   otelpack::Status s = (*exporter)->Export(traces);   // converts, batches, compresses, sends
//
// Export converts spans to the backend's JSON events (docs/wire-protocol.md),
// splits them into requests by event count and body bytes, compresses each
// request and POSTs it with the configured authentication. The returned
// Status says what happened to the data: OK (all delivered), retryable (some
// request failed in a way that may succeed later) or permanent.
//
// Thread-safe. Shutdown is idempotent; Export after Shutdown fails at once
// with FailedPrecondition.
#ifndef OTELPACK_EXPORTER_H_
#define OTELPACK_EXPORTER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "otelpack/auth.h"
#include "otelpack/compression.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model.h"
#include "otelpack/status.h"

namespace otelpack {

struct ExporterOptions {
  // Base URL of the backend; requests go to `{endpoint}/v1/ingest`.
  // Env: OTELPACK_ENDPOINT. Required.
  std::string endpoint;
  // Sent as X-Project-ID and in the body. Env: OTELPACK_PROJECT_ID. Required.
  std::string project_id;
  // How requests are authenticated; default `Authorization: ApiKey <auth.api_key>`.
  // Env: OTELPACK_API_KEY (the key), OTELPACK_AUTH (scheme name).
  AuthOptions auth;
  // A scheme of one's own; when set it replaces `auth`.
  std::shared_ptr<const Authenticator> authenticator;
  // Static headers added to every request.
  std::vector<HttpHeader> headers;

  // At most this many events per request (the article's max_batch_size). Default 500.
  std::size_t max_batch_events = 500;
  // At most this many bytes of uncompressed body per request: the backend's
  // limit. An event larger than this alone is dropped and counted. Default 5 MiB.
  std::size_t max_batch_bytes = 5 * 1024 * 1024;

  // Default zstd (the article's recommendation). Env: OTELPACK_COMPRESSION.
  Compression compression = Compression::kZstd;
  // 0 = the algorithm's default (gzip 6, zstd 3, lz4 fast). Env: OTELPACK_COMPRESSION_LEVEL.
  int compression_level = 0;

  // Whole-request timeout (the article's 30 s) and connect timeout (10 s).
  std::chrono::milliseconds timeout{30'000};
  std::chrono::milliseconds connect_timeout{10'000};
  // TLS: verification is on; a CA bundle and a client certificate are optional.
  std::string ca_file;
  std::string client_cert_file;
  std::string client_key_file;
  bool tls_verify = true;

  ExtraFields extra_fields;

  // Defaults overlaid with the OTELPACK_* environment variables above.
  // InvalidArgument names the variable when one cannot be parsed.
  static Result<ExporterOptions> FromEnvironment();
  // InvalidArgument naming the first field that is missing or out of range.
  Status Validate() const;
};

// Counters since creation. Bytes are request bodies before/after compression.
struct ExporterStats {
  std::uint64_t spans_received = 0;
  std::uint64_t spans_sent = 0;
  std::uint64_t spans_dropped_oversized = 0;  // an event alone above max_batch_bytes
  std::uint64_t spans_failed = 0;             // in requests that failed
  std::uint64_t requests_ok = 0;
  std::uint64_t requests_failed_retryable = 0;
  std::uint64_t requests_failed_permanent = 0;
  std::uint64_t bytes_uncompressed = 0;
  std::uint64_t bytes_compressed = 0;
  std::string last_error;  // never holds a credential
};

class Exporter {
 public:
  // InvalidArgument when the options do not validate.
  static Result<std::unique_ptr<Exporter>> Create(const ExporterOptions& options);
  virtual ~Exporter() = default;

  // Delivers `traces`. The views may be released as soon as Export returns.
  virtual Status Export(TracesView traces) = 0;
  // Sends whatever is pending. OK when nothing is left undelivered.
  virtual Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30)) = 0;
  // Flushes, then refuses further Exports. Idempotent.
  virtual Status Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30)) = 0;
  virtual ExporterStats Stats() const = 0;
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_H_
