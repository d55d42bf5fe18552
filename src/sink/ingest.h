// IngestPipeline: an ingest request (POST /v1/ingest, or a declared
// format's paths), from a received request to its answer.
//
//   route -> authenticate -> project and headers -> faults -> decompress
//   (capped) -> read the body -> store (deduplicated by X-Batch-ID) -> answer
//
// Each step refuses with the status docs/wire-protocol.md gives it; the
// route, the headers and the body's reading are the protocol's
// (ingest_protocol.h: the article's, or a declared format's). Everything
// before the store runs outside any lock, on the calling worker thread, with
// a pooled workspace (parser, decompressors, buffers) so that a steady stream
// of batches allocates nothing.
#ifndef OTELPACK_SINK_INGEST_H_
#define OTELPACK_SINK_INGEST_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/verifier.h"
#include "otelpack/compression.h"
#include "sink/faults.h"
#include "sink/ingest_protocol.h"
#include "http/server.h"
#include "sink/sink.h"
#include "sink/store.h"
#include "sink/validator.h"

namespace otelpack::sink {

using http::HttpRequest;
using http::HttpResponse;

// The numbers behind GET /v1/stats. Thread-safe.
class StatsCounters {
 public:
  // Starts from what the store already holds (events, by_type, batches).
  explicit StatsCounters(const SinkStats& stored);

  void CountAnswer(int status);
  void CountBatch(const EventCounts& events);
  void CountDuplicate();
  SinkStats Snapshot() const;

 private:
  mutable std::mutex mu_;
  SinkStats stats_;  // guarded by mu_
};

struct IngestConfig {
  std::size_t max_decompressed_bytes = 64 << 20;
};

class IngestPipeline {
 public:
  // Every pointer must outlive the pipeline.
  IngestPipeline(IngestConfig config, const IngestProtocol* protocol, const Verifier* verifier,
                 Store* store, FaultInjector* faults, StatsCounters* stats);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  // The answer to one POST to a path the protocol Serves, whose body has
  // been received (or found over the cap). Thread-safe.
  HttpResponse Handle(const HttpRequest& request);

 private:
  struct Workspace;
  HttpResponse Process(const HttpRequest& request);
  HttpResponse DecodeAndStore(Workspace* w, std::string_view body, Compression compression,
                              const IngestRoute& route, std::optional<std::string_view> batch_id);
  std::unique_ptr<Workspace> Acquire();
  void Release(std::unique_ptr<Workspace> workspace);

  const IngestConfig config_;
  const IngestProtocol* const protocol_;
  const Verifier* const verifier_;
  Store* const store_;
  FaultInjector* const faults_;
  StatsCounters* const stats_;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Workspace>> pool_;  // guarded by pool_mu_
};

// Checks shared by every endpoint.
// True for "application/json", with parameters, any case.
bool IsJsonContentType(std::string_view value);
// True for 1 to 128 characters of [A-Za-z0-9._-].
bool IsValidBatchId(std::string_view id);
// A JSON answer {"error": message} with `status`.
HttpResponse ErrorResponse(int status, std::string_view message);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_INGEST_H_
