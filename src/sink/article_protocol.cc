// The article's ingest protocol (docs/wire-protocol.md, "Request"): POST
// /v1/ingest with X-Project-ID and a JSON body checked strictly against the
// schema (validator.h).
#include <utility>

#include "common/json_text.h"
#include "common/str_cat.h"
#include "sink/ingest.h"
#include "sink/ingest_protocol.h"

namespace otelpack::sink {
namespace {

constexpr std::string_view kIngestPath = "/v1/ingest";

class ArticleReader final : public BodyReader {
 public:
  explicit ArticleReader(const BodyLimits& limits) : limits_(limits) {}

  Status Read(std::string_view json, const IngestRoute& route, IngestBody* body) override {
    if (Status s = parser_.Parse(json, limits_, body); !s.ok()) return s;
    if (body->project_id != route.project) {
      return Status::PermissionDenied("project_id: differs from the X-Project-ID header");
    }
    return Status::Ok();
  }

 private:
  const BodyLimits& limits_;
  BodyParser parser_;
};

class ArticleProtocol final : public IngestProtocol {
 public:
  ArticleProtocol(std::string project_id, BodyLimits limits)
      : project_id_(std::move(project_id)), limits_(limits) {}

  bool Serves(std::string_view path) const override { return path == kIngestPath; }

  std::optional<http::HttpResponse> Route(const http::HttpRequest& request, IngestRoute* route) const override {
    route->signed_path = request.path;
    route->project = request.headers("X-Project-ID").value_or(std::string_view());
    return std::nullopt;
  }

  std::optional<http::HttpResponse> CheckHeaders(const http::HttpRequest& request,
                                                 const IngestRoute& route) const override {
    if (route.project.empty()) return ErrorResponse(400, "X-Project-ID: missing");
    if (route.project != project_id_) {
      return ErrorResponse(403, StrCat("X-Project-ID: project '", PrintableExcerpt(route.project),
                                       "' is not served here"));
    }
    const std::optional<std::string_view> content_type = request.headers("Content-Type");
    if (!content_type.has_value() || !IsJsonContentType(*content_type)) {
      return ErrorResponse(415, "Content-Type: expected application/json");
    }
    return std::nullopt;
  }

  std::unique_ptr<BodyReader> NewReader() const override { return std::make_unique<ArticleReader>(limits_); }

  std::string Describe() const override { return "the article's format at /v1/ingest"; }

 private:
  const std::string project_id_;
  const BodyLimits limits_;
};

}  // namespace

std::unique_ptr<IngestProtocol> NewArticleProtocol(std::string project_id, BodyLimits limits) {
  return std::make_unique<ArticleProtocol>(std::move(project_id), limits);
}

}  // namespace otelpack::sink
