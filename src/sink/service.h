// SinkService: the sink's HTTP API on top of HttpServer. It routes requests,
// refuses unknown paths (404) and methods (405), hands POSTs to the ingest
// paths (/v1/ingest, or a declared format's) to the IngestPipeline, serves the read endpoints (GET /v1/stats,
// /v1/traces/{trace_id}, /v1/events), and counts every ingest answer.
#ifndef OTELPACK_SINK_SERVICE_H_
#define OTELPACK_SINK_SERVICE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/verifier.h"
#include "sink/faults.h"
#include "sink/ingest.h"
#include "http/server.h"
#include "sink/sink.h"
#include "sink/store.h"

namespace otelpack::sink {

using http::HttpHandler;
using http::HttpRequest;
using http::HttpResponse;

class SinkService final : public HttpHandler {
 public:
  // `store` must outlive the service; `stored` is what it holds already (the
  // start of the stats: events, by_type, batches). `protocol` says which
  // paths take events and how their bodies are read.
  SinkService(const SinkOptions& options, std::unique_ptr<IngestProtocol> protocol,
              std::unique_ptr<Verifier> verifier, Store* store, const SinkStats& stored);

  std::optional<HttpResponse> OnHeaders(const HttpRequest& request) override;
  HttpResponse OnRequest(const HttpRequest& request) override;

  void SetFaults(const FaultOptions& faults) { faults_.Set(faults); }
  SinkStats Stats() const { return stats_.Snapshot(); }

 private:
  enum class Route { kIngest, kStats, kTrace, kEvents, kUnknown };
  Route RouteOf(std::string_view path) const;
  // 404 / 405 for the request's path and method, if any.
  std::optional<HttpResponse> Refuse(Route route, std::string_view method) const;
  HttpResponse Read(Route route, const HttpRequest& request) const;
  HttpResponse Trace(std::string_view path) const;
  HttpResponse Events(const HttpRequest& request) const;

  const std::string project_id_;
  const std::size_t max_body_bytes_;
  const std::unique_ptr<IngestProtocol> protocol_;
  const std::unique_ptr<Verifier> verifier_;
  Store* const store_;
  FaultInjector faults_;
  StatsCounters stats_;
  IngestPipeline ingest_;
};

// The filter of GET /v1/events?type=&service=&name=&limit= (each optional,
// none repeated, no other). InvalidArgument naming the parameter otherwise.
Result<EventFilter> ParseEventFilter(
    const std::vector<std::pair<std::string_view, std::string_view>>& query);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_SERVICE_H_
