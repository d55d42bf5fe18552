// Routing, the read endpoints (GET /v1/stats, GET /v1/traces/{trace_id}) and
// the ingest answer counters.
#include "sink/service.h"

#include <string>

#include "common/str_cat.h"
#include "common/json_text.h"
#include "sink/validator.h"

namespace otelpack::sink {
namespace {

constexpr std::string_view kIngestPath = "/v1/ingest";
constexpr std::string_view kStatsPath = "/v1/stats";
constexpr std::string_view kTracesPrefix = "/v1/traces/";

std::string StatsJson(const SinkStats& s) {
  std::string out = StrCat("{\"events\":", s.events, ",\"batches\":", s.batches,
                           ",\"duplicates\":", s.duplicates, ",\"requests\":{");
  bool first = true;
  for (const auto& [status, count] : s.requests_by_status) {
    StrAppend(&out, first ? "" : ",", "\"", status, "\":", count);
    first = false;
  }
  out.append("}}");
  return out;
}

HttpResponse MethodNotAllowed(std::string_view allow) {
  HttpResponse r = ErrorResponse(405, StrCat("method not allowed (allowed: ", allow, ")"));
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

}  // namespace

SinkService::SinkService(const SinkOptions& options, std::unique_ptr<Verifier> verifier,
                         Store* store, std::uint64_t stored_events, std::uint64_t stored_batches)
    : project_id_(options.project_id),
      max_body_bytes_(options.max_body_bytes),
      verifier_(std::move(verifier)),
      store_(store),
      faults_(options.faults),
      stats_(stored_events, stored_batches),
      ingest_(IngestConfig{options.project_id, options.max_decompressed_bytes,
                           BodyLimits{options.max_events_per_request, options.max_json_depth}},
              verifier_.get(), store, &faults_, &stats_) {}

SinkService::Route SinkService::RouteOf(std::string_view path) {
  if (path == kIngestPath) return Route::kIngest;
  if (path == kStatsPath) return Route::kStats;
  if (path.size() > kTracesPrefix.size() && path.substr(0, kTracesPrefix.size()) == kTracesPrefix &&
      path.find('/', kTracesPrefix.size()) == std::string_view::npos) {
    return Route::kTrace;
  }
  return Route::kUnknown;
}

std::optional<HttpResponse> SinkService::Refuse(Route route, std::string_view method) const {
  switch (route) {
    case Route::kUnknown: return ErrorResponse(404, "not found");
    case Route::kIngest:
      if (method != "POST") return MethodNotAllowed("POST");
      return std::nullopt;
    case Route::kStats:
    case Route::kTrace:
      if (method != "GET") return MethodNotAllowed("GET");
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<HttpResponse> SinkService::OnHeaders(const HttpRequest& request) {
  const Route route = RouteOf(request.path);
  std::optional<HttpResponse> refused = Refuse(route, request.method);
  if (!refused.has_value() && route == Route::kIngest && request.content_length.has_value() &&
      *request.content_length > max_body_bytes_) {
    refused = ErrorResponse(413, StrCat("body: Content-Length over the limit of ",
                                        max_body_bytes_, " bytes"));
  }
  if (refused.has_value() && route == Route::kIngest) stats_.CountAnswer(refused->status);
  return refused;
}

HttpResponse SinkService::OnRequest(const HttpRequest& request) {
  const Route route = RouteOf(request.path);
  if (std::optional<HttpResponse> refused = Refuse(route, request.method)) return *refused;
  if (route != Route::kIngest) return Read(route, request);
  HttpResponse response = ingest_.Handle(request);
  stats_.CountAnswer(response.status);
  return response;
}

HttpResponse SinkService::Read(Route route, const HttpRequest& request) const {
  // A reader may leave X-Project-ID out: it asks this sink, whose project is
  // known (an HMAC signature then covers that project).
  const std::string_view project =
      request.headers("X-Project-ID").value_or(std::string_view(project_id_));
  const RequestContext context{request.method, request.path, project, std::string_view()};
  if (Status s = verifier_->Verify(context, request.headers, std::chrono::system_clock::now());
      !s.ok()) {
    return ErrorResponse(401, s.message());
  }
  if (project != project_id_) {
    return ErrorResponse(403, StrCat("X-Project-ID: project '", PrintableExcerpt(project),
                                     "' is not served here"));
  }
  HttpResponse response;
  if (route == Route::kStats) {
    response.body = StatsJson(stats_.Snapshot());
    return response;
  }
  const std::string_view trace_id = request.path.substr(kTracesPrefix.size());
  if (!IsLowerHex(trace_id, 32)) {
    return ErrorResponse(400, "trace_id: expected 32 lowercase hex digits");
  }
  Result<std::string> body = store_->TraceJson(trace_id);
  if (!body.ok()) return ErrorResponse(500, body.status().message());
  response.body = std::move(body).value();
  return response;
}

}  // namespace otelpack::sink
