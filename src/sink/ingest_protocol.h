// IngestProtocol: what an ingest request must look like, and how its body is
// read -- the one thing the sink does differently with a declared format.
//
//   the article's protocol (docs/wire-protocol.md): POST /v1/ingest, the
//     X-Project-ID header, the strict schema of each event (validator.h);
//   a declared format (docs/formats.md, SinkOptions::format): the declared
//     paths, headers and framing, each event checked for the keys the
//     declaration always writes (declared_protocol.cc).
//
// IngestPipeline runs the steps both share (authentication, encodings,
// batch ids, faults, decompression, the store) and asks the protocol for
// the rest, so the pipeline reads the same top to bottom in both modes.
#ifndef OTELPACK_SINK_INGEST_PROTOCOL_H_
#define OTELPACK_SINK_INGEST_PROTOCOL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/server.h"
#include "otelpack/format.h"
#include "otelpack/status.h"
#include "sink/validator.h"

namespace otelpack::sink {

// What the protocol made of a request's head, for the steps after it.
struct IngestRoute {
  // The path the client signed (an HMAC covers it): the declared path with
  // its query string, as the exporter sends it, or the request's path.
  std::string_view signed_path;
  // The project the client names (authentication covers it too).
  std::string_view project;
  // The protocol's own: which declared route the body is read for.
  int route = 0;
};

// Reads one body for a route. Reusable between bodies; not thread-safe (a
// pipeline workspace holds one).
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Fills *body (views valid until the next Read, as long as `json` lives).
  // REQUIRES: kJsonPadding readable bytes follow json's end.
  // InvalidArgument (400) names the problem; TooLarge (413) for too many
  // events; PermissionDenied (403) for a body naming another project.
  virtual Status Read(std::string_view json, const IngestRoute& route, IngestBody* body) = 0;
};

class IngestProtocol {
 public:
  virtual ~IngestProtocol() = default;

  // Whether POSTs to `path` (without its query string) are ingest requests:
  // decided on the headers, before the body is read.
  virtual bool Serves(std::string_view path) const = 0;
  // The route of a request whose path Serves, or its refusal (404 for a
  // query string no route declares).
  virtual std::optional<http::HttpResponse> Route(const http::HttpRequest& request,
                                                  IngestRoute* route) const = 0;
  // After authentication: the project and the headers the protocol demands
  // (400 missing, 403 another project, 415 content type), or nullopt.
  virtual std::optional<http::HttpResponse> CheckHeaders(const http::HttpRequest& request,
                                                         const IngestRoute& route) const = 0;
  virtual std::unique_ptr<BodyReader> NewReader() const = 0;
  // What the sink serves, for its banner: "the article's format (/v1/ingest)".
  virtual std::string Describe() const = 0;
};

// The article's protocol for `project_id`.
std::unique_ptr<IngestProtocol> NewArticleProtocol(std::string project_id, BodyLimits limits);

// A declared format's, for `project_id` ($project_id's value). InvalidArgument
// when the sink cannot serve it: a path that is one of the sink's read
// endpoints, signals sharing a path with no literal key telling their events
// apart, or `$events` inside an array.
Result<std::unique_ptr<IngestProtocol>> NewDeclaredProtocol(const Format& format, std::string project_id,
                                                            BodyLimits limits);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_INGEST_PROTOCOL_H_
