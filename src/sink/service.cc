// Routing, the read endpoints (GET /v1/stats, GET /v1/traces/{trace_id},
// GET /v1/events) and the ingest answer counters.
#include "sink/service.h"

#include <array>
#include <charconv>
#include <string>

#include "common/str_cat.h"
#include "common/json_text.h"
#include "sink/validator.h"

namespace otelpack::sink {
namespace {

constexpr std::string_view kStatsPath = "/v1/stats";
constexpr std::string_view kTracesPrefix = "/v1/traces/";
constexpr std::string_view kEventsPath = "/v1/events";

std::string StatsJson(const SinkStats& s) {
  std::string out = StrCat("{\"events\":", s.events, ",\"by_type\":{\"span\":", s.by_type.span,
                           ",\"log\":", s.by_type.log, ",\"metric\":", s.by_type.metric,
                           "},\"batches\":", s.batches, ",\"duplicates\":", s.duplicates,
                           ",\"requests\":{");
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

// 1 to kMaxEventsLimit in decimal digits.
bool ParseLimit(std::string_view text, std::size_t* limit) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != text.npos) {
    return false;
  }
  std::from_chars(text.data(), text.data() + text.size(), *limit);
  return *limit >= 1 && *limit <= kMaxEventsLimit;
}

}  // namespace

Result<EventFilter> ParseEventFilter(
    const std::vector<std::pair<std::string_view, std::string_view>>& query) {
  constexpr std::array<std::string_view, 4> kParameters = {"type", "service", "name", "limit"};
  std::array<bool, kParameters.size()> seen{};
  EventFilter filter;
  for (const auto& [key, value] : query) {
    std::size_t index = 0;
    while (index < kParameters.size() && kParameters[index] != key) ++index;
    if (index == kParameters.size()) {
      return Status::InvalidArgument(StrCat(PrintableExcerpt(key), ": unknown parameter"));
    }
    if (seen[index]) return Status::InvalidArgument(StrCat(key, ": given more than once"));
    seen[index] = true;
    switch (index) {
      case 0:
        filter.type = EventTypeFromName(value);
        if (!filter.type.has_value()) {
          return Status::InvalidArgument("type: expected span, log or metric");
        }
        break;
      case 1: filter.service = std::string(value); break;
      case 2: filter.name = std::string(value); break;
      default:
        if (!ParseLimit(value, &filter.limit)) {
          return Status::InvalidArgument(
              StrCat("limit: expected an integer from 1 to ", kMaxEventsLimit));
        }
    }
  }
  return filter;
}

SinkService::SinkService(const SinkOptions& options, std::unique_ptr<IngestProtocol> protocol,
                         std::unique_ptr<Verifier> verifier, Store* store, const SinkStats& stored)
    : project_id_(options.project_id),
      max_body_bytes_(options.max_body_bytes),
      protocol_(std::move(protocol)),
      verifier_(std::move(verifier)),
      store_(store),
      faults_(options.faults),
      stats_(stored),
      ingest_(IngestConfig{options.max_decompressed_bytes}, protocol_.get(), verifier_.get(), store,
              &faults_, &stats_) {}

SinkService::Route SinkService::RouteOf(std::string_view path) const {
  if (protocol_->Serves(path)) return Route::kIngest;
  if (path == kStatsPath) return Route::kStats;
  if (path == kEventsPath) return Route::kEvents;
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
    case Route::kEvents:
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
  switch (route) {
    case Route::kStats: {
      HttpResponse response;
      response.body = StatsJson(stats_.Snapshot());
      return response;
    }
    case Route::kTrace: return Trace(request.path);
    default: return Events(request);
  }
}

HttpResponse SinkService::Trace(std::string_view path) const {
  const std::string_view trace_id = path.substr(kTracesPrefix.size());
  if (!IsLowerHex(trace_id, 32)) {
    return ErrorResponse(400, "trace_id: expected 32 lowercase hex digits");
  }
  Result<std::string> body = store_->TraceJson(trace_id);
  if (!body.ok()) return ErrorResponse(500, body.status().message());
  HttpResponse response;
  response.body = std::move(body).value();
  return response;
}

HttpResponse SinkService::Events(const HttpRequest& request) const {
  Result<EventFilter> filter = ParseEventFilter(request.query);
  if (!filter.ok()) return ErrorResponse(400, filter.status().message());
  Result<std::vector<std::string>> events = store_->FindEvents(*filter);
  if (!events.ok()) return ErrorResponse(500, events.status().message());
  HttpResponse response;
  response.body = "{\"events\":[";
  for (std::size_t i = 0; i < events->size(); ++i) {
    if (i > 0) response.body.push_back(',');
    response.body.append((*events)[i]);
  }
  response.body.append("]}");
  return response;
}

}  // namespace otelpack::sink
