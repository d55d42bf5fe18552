// OTLP/HTTP on the shared HTTP server (http/server.h): the checks HTTP makes
// before the body is read (path, method, token, content type and encoding,
// size), the body inflated with a cap, then the signal's row
// (signal_routes.h) decodes and hands it over, and the Outcome becomes the
// answer: status, body and headers.
#include "receiver/http_receiver.h"

#include <array>
#include <string_view>

#include "auth/crypto.h"
#include "common/ascii.h"
#include "common/json_text.h"
#include "common/str_cat.h"
#include "http/server.h"
#include "otelpack/arena.h"
#include "otelpack/buffer.h"
#include "otelpack/compression.h"
#include "otelpack/log.h"
#include "receiver/otlp_response.h"
#include "receiver/outcome.h"
#include "receiver/signal_routes.h"

namespace otelpack::receiver {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view kProtobufType = "application/x-protobuf";
constexpr std::string_view kJsonType = "application/json";

// The media type without parameters ("application/json; charset=utf-8").
std::string_view MediaType(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

std::string_view ContentType(BodyFormat format) {
  return format == BodyFormat::kJson ? kJsonType : kProtobufType;
}

// What the 404 answers name, from the table: "POST /v1/traces" and
// "traces" for one row; "POST /v1/traces or /v1/logs" and "traces and logs"
// for two.
std::string ServedPaths() {
  std::string out = "POST";
  bool first = true;
  for (const SignalRoute& route : SignalRoutes()) {
    StrAppend(&out, first ? " " : " or ", route.http_path);
    first = false;
  }
  return out;
}
// "traces, logs and metrics".
std::string ServedSignals() {
  const std::span<const SignalRoute> routes = SignalRoutes();
  std::string out;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    StrAppend(&out, i == 0 ? "" : i + 1 == routes.size() ? " and " : ", ", SignalName(routes[i].signal));
  }
  return out;
}

// An OTLP signal's path, served here or not: "/v1/traces", "/v1/logs",
// "/v1/metrics", and the profiles signal's, which OTLP defines and otelpack
// does not carry.
bool IsOtlpSignalPath(std::string_view path) {
  if (path == "/v1/profiles" || path == "/v1development/profiles") return true;
  if (!path.starts_with("/v1/")) return false;
  path.remove_prefix(4);
  for (Signal s : kAllSignals) {
    if (path == SignalName(s)) return true;
  }
  return false;
}

// One worker thread's reusable state: the arena the request is decoded into
// and the buffer it is decompressed into. libmicrohttpd calls a connection's
// handlers on one of its pool threads, so thread_local is enough.
struct Workspace {
  // The model of a request takes about 1.5 bytes per byte of protobuf: one
  // block holds a request of up to ~650 KB (SDKs send a few hundred), so
  // Reset() frees nothing and the next request allocates nothing.
  Arena arena{1 << 20};
  Buffer inflated;
  std::array<std::unique_ptr<Decompressor>, 4> decompressors;  // by Compression

  Decompressor* For(Compression c) {
    auto& d = decompressors[static_cast<std::size_t>(c)];
    if (d == nullptr) {
      Result<std::unique_ptr<Decompressor>> made = NewDecompressor(c);
      if (!made.ok()) return nullptr;
      d = std::move(*made);
    }
    return d.get();
  }
};

class ExportHandler final : public http::HttpHandler {
 public:
  ExportHandler(const HttpReceiverOptions& options, const otlp::DecodeLimits& limits,
                Consumer* consumer, TransportCounters* counters)
      : options_(options),
        limits_(limits),
        consumer_(consumer),
        counters_(counters),
        served_paths_(ServedPaths()),
        served_signals_(ServedSignals()) {}

  std::optional<HttpResponse> OnHeaders(const HttpRequest& request) override {
    const BodyFormat format = FormatOf(request);
    const SignalRoute* route = RouteForHttpPath(request.path);
    if (route == nullptr) {
      if (IsOtlpSignalPath(request.path)) {
        return Error(format, 404, RpcCode::kUnimplemented,
                     StrCat(request.path, ": this agent receives ", served_signals_, " only (",
                            served_paths_, ")"));
      }
      return Error(format, 404, RpcCode::kNotFound,
                   StrCat("no such path: ", PrintableExcerpt(request.path), " (", served_paths_, ")"));
    }
    if (request.method != "POST") {
      HttpResponse r = Error(format, 405, RpcCode::kInvalidArgument, "method not allowed: use POST");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    if (!options_.bearer_token.empty()) {
      std::optional<std::string_view> auth = request.headers("Authorization");
      constexpr std::string_view kBearer = "Bearer ";
      if (!auth.has_value() || !StartsWithIgnoreCase(*auth, kBearer) ||
          !auth::SecretEquals(auth->substr(kBearer.size()), options_.bearer_token)) {
        ReceiverCounters& counters = (*counters_)[route->signal];
        counters.requests.fetch_add(1, std::memory_order_relaxed);
        return Answer(format, *route,
                      RequestFailed(Status::Unauthenticated(
                                        auth.has_value() ? "wrong bearer token"
                                                         : "missing Authorization: Bearer <token>"),
                                    counters));
      }
    }
    std::optional<std::string_view> type = request.headers("Content-Type");
    const std::string_view media = type.has_value() ? MediaType(*type) : std::string_view();
    if (!EqualsIgnoreCase(media, kProtobufType) && !EqualsIgnoreCase(media, kJsonType)) {
      return Unsupported(format, *route,
                         StrCat("unsupported Content-Type ",
                                type.has_value() ? PrintableExcerpt(*type) : std::string("(none)"),
                                ": use application/x-protobuf or application/json"));
    }
    std::optional<std::string_view> encoding = request.headers("Content-Encoding");
    if (encoding.has_value() && !CompressionFromContentEncoding(*encoding).ok()) {
      return Unsupported(format, *route,
                         StrCat("unsupported Content-Encoding ", PrintableExcerpt(*encoding),
                                ": use gzip, zstd, lz4 or none"));
    }
    if (request.content_length.has_value() && *request.content_length > options_.max_body_bytes) {
      // Answered before the body is read, and the connection closed: a
      // client may otherwise hold it while it sends (or never sends) the body.
      HttpResponse r = Answer(format, *route, RequestFailed(TooLarge(), (*counters_)[route->signal]));
      r.close_connection = true;
      return r;
    }
    return std::nullopt;
  }

  HttpResponse OnRequest(const HttpRequest& request) override {
    const BodyFormat format = FormatOf(request);
    const SignalRoute* route = RouteForHttpPath(request.path);
    if (route == nullptr) {  // OnHeaders has refused it already
      return Error(format, 404, RpcCode::kNotFound, "no such path");
    }
    ReceiverCounters& counters = (*counters_)[route->signal];
    counters.requests.fetch_add(1, std::memory_order_relaxed);
    counters.bytes_received.fetch_add(request.body.size(), std::memory_order_relaxed);
    if (request.body_over_cap) return Answer(format, *route, RequestFailed(TooLarge(), counters));

    thread_local Workspace w;
    std::string_view body = request.body;
    if (Status s = Inflate(request, w, &body); !s.ok()) {
      return Answer(format, *route, RequestFailed(s, counters));
    }
    const ExportCall call{.body = body,
                          .format = format,
                          .arena = &w.arena,
                          .limits = &limits_,
                          .consumer = consumer_,
                          .counters = &counters};
    return Answer(format, *route, route->export_request(call));
  }

 private:
  static BodyFormat FormatOf(const HttpRequest& request) {
    std::optional<std::string_view> type = request.headers("Content-Type");
    return type.has_value() && EqualsIgnoreCase(MediaType(*type), kJsonType) ? BodyFormat::kJson
                                                                            : BodyFormat::kProtobuf;
  }

  Status TooLarge() const {
    return Status::TooLarge(StrCat("request body larger than ", options_.max_body_bytes,
                                   " bytes (max_request_body_size)"));
  }

  // Points *body at the request's body decoded by its Content-Encoding.
  Status Inflate(const HttpRequest& request, Workspace& w, std::string_view* body) const {
    Compression compression = Compression::kNone;
    if (std::optional<std::string_view> encoding = request.headers("Content-Encoding")) {
      compression = *CompressionFromContentEncoding(*encoding);  // checked in OnHeaders
    }
    if (compression == Compression::kNone) return Status::Ok();
    Decompressor* d = w.For(compression);
    if (d == nullptr) return Status::Internal("cannot create a decompressor");
    Status s = d->Decompress(*body, options_.max_decompressed_bytes, &w.inflated);
    if (s.code() == StatusCode::kTooLarge) {
      return Status::TooLarge(StrCat("the ", CompressionName(compression), " body inflates past ",
                                     options_.max_decompressed_bytes,
                                     " bytes (max_decompressed_size)"));
    }
    if (!s.ok()) {
      return Status::InvalidArgument(
          StrCat("the body is not valid ", CompressionName(compression), ": ", s.message()));
    }
    *body = w.inflated.view();
    return Status::Ok();
  }

  // The Outcome as OTLP/HTTP answers it: the Export*ServiceResponse when
  // accepted, else a google.rpc.Status with Retry-After when there is a
  // delay. `http_status`, when not 0, replaces the outcome's.
  static HttpResponse Answer(BodyFormat format, const SignalRoute& route, const Outcome& o,
                             int http_status = 0) {
    HttpResponse r;
    r.status = http_status != 0 ? http_status : o.http_status;
    r.content_type = std::string(ContentType(format));
    if (o.accepted()) {
      r.body = ExportResponse(route.signal, format, o.records_rejected, o.message);
      return r;
    }
    r.body = RpcStatus(format, o.rpc_code, o.message, o.retry_delay);
    if (o.retry_delay.count() > 0) {
      r.headers.emplace_back("Retry-After", std::to_string(o.retry_delay.count()));
    }
    if (o.kind == OutcomeKind::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    if (o.kind == OutcomeKind::kInvalid || o.kind == OutcomeKind::kTooLarge ||
        o.kind == OutcomeKind::kInternal) {
      Log(LogLevel::kDebug, StrCat("otlp/http: ", r.status, ": ", o.message));
    }
    return r;
  }

  // A body we cannot read (content type or encoding): an invalid request
  // that HTTP answers with 415 rather than 400.
  HttpResponse Unsupported(BodyFormat format, const SignalRoute& route, std::string_view message) {
    return Answer(format, route, RequestFailed(Status::InvalidArgument(message), (*counters_)[route.signal]),
                  415);
  }

  // Refusals before the request is the receivers' business (no such path,
  // wrong method): not counted.
  static HttpResponse Error(BodyFormat format, int http_status, RpcCode code, std::string_view message) {
    HttpResponse r;
    r.status = http_status;
    r.body = RpcStatus(format, code, message);
    r.content_type = std::string(ContentType(format));
    return r;
  }

  const HttpReceiverOptions options_;
  const otlp::DecodeLimits limits_;
  Consumer* const consumer_;
  TransportCounters* const counters_;
  const std::string served_paths_;    // "POST /v1/traces"
  const std::string served_signals_;  // "traces"
};

}  // namespace

struct HttpReceiver::Impl {
  std::unique_ptr<ExportHandler> handler;
  std::unique_ptr<http::HttpServer> server;
};

HttpReceiver::HttpReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpReceiver::~HttpReceiver() { Shutdown(); }

Result<std::unique_ptr<HttpReceiver>> HttpReceiver::Start(const HttpReceiverOptions& options,
                                                          const otlp::DecodeLimits& limits,
                                                          Consumer* consumer,
                                                          TransportCounters* counters) {
  http::ServerOptions server_options;
  server_options.name = "otlp/http receiver";
  if (Status s = http::ParseListenAddress(options.listen, &server_options.host, &server_options.port);
      !s.ok()) {
    return Status::InvalidArgument(StrCat("otlp/http receiver: ", s.message()));
  }
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.threads = options.threads;
  server_options.idle_timeout = options.idle_timeout;
  server_options.max_connections = options.max_connections;
  server_options.max_connections_per_client = options.max_connections_per_client;
  server_options.read_header_timeout = options.read_header_timeout;
  server_options.counters = &counters->connections;
  if (options.tls.requested()) {
    Result<http::TlsCredentials> tls = http::LoadTlsCredentials(options.tls);
    if (!tls.ok()) return Status::InvalidArgument(StrCat("otlp/http receiver: ", tls.status().message()));
    server_options.tls = std::move(*tls);
  }
  auto impl = std::make_unique<Impl>();
  impl->handler = std::make_unique<ExportHandler>(options, limits, consumer, counters);
  Result<std::unique_ptr<http::HttpServer>> server =
      http::HttpServer::Start(server_options, impl->handler.get());
  if (!server.ok()) return server.status();
  impl->server = std::move(*server);
  return std::unique_ptr<HttpReceiver>(new HttpReceiver(std::move(impl)));
}

std::uint16_t HttpReceiver::port() const { return impl_->server->port(); }
std::string HttpReceiver::endpoint() const { return impl_->server->endpoint(); }
void HttpReceiver::Shutdown() {
  if (impl_->server != nullptr) impl_->server->Close();
}

}  // namespace otelpack::receiver
