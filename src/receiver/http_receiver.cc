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

namespace otelpack::receiver {
namespace {

using http::HttpRequest;
using http::HttpResponse;

constexpr std::string_view kTracesPath = "/v1/traces";
constexpr std::string_view kProtobufType = "application/x-protobuf";
constexpr std::string_view kJsonType = "application/json";
// What 429 and 503 ask clients to wait. The queue drains in well under a
// second when the backend is up; when it is down, SDKs back off further.
constexpr std::chrono::seconds kRetryAfter{1};

// gRPC codes used in google.rpc.Status bodies.
constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kResourceExhausted = 8;
constexpr int kUnimplemented = 12;
constexpr int kUnavailable = 14;
constexpr int kUnauthenticated = 16;
constexpr int kInternal = 13;

// The media type without parameters ("application/json; charset=utf-8").
std::string_view MediaType(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
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

class TracesHandler final : public http::HttpHandler {
 public:
  TracesHandler(const HttpReceiverOptions& options, const otlp::DecodeLimits& limits,
                TracesConsumer* consumer, ReceiverCounters* counters)
      : options_(options), limits_(limits), consumer_(consumer), counters_(counters) {}

  std::optional<HttpResponse> OnHeaders(const HttpRequest& request) override {
    BodyFormat format = FormatOf(request);
    if (request.path != kTracesPath) {
      if (request.path == "/v1/logs" || request.path == "/v1/metrics") {
        return Error(format, 404, kUnimplemented,
                     StrCat(request.path, ": this agent receives traces only (POST /v1/traces)"));
      }
      return Error(format, 404, kNotFound,
                   StrCat("no such path: ", PrintableExcerpt(request.path), " (POST /v1/traces)"));
    }
    if (request.method != "POST") {
      HttpResponse r = Error(format, 405, kInvalidArgument, "method not allowed: use POST");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    if (!options_.bearer_token.empty()) {
      std::optional<std::string_view> auth = request.headers("Authorization");
      constexpr std::string_view kBearer = "Bearer ";
      if (!auth.has_value() || !StartsWithIgnoreCase(*auth, kBearer) ||
          !auth::SecretEquals(auth->substr(kBearer.size()), options_.bearer_token)) {
        counters_->requests.fetch_add(1, std::memory_order_relaxed);
        counters_->requests_unauthenticated.fetch_add(1, std::memory_order_relaxed);
        HttpResponse r = Error(format, 401, kUnauthenticated,
                               auth.has_value() ? "wrong bearer token"
                                                : "missing Authorization: Bearer <token>");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
      }
    }
    std::optional<std::string_view> type = request.headers("Content-Type");
    const std::string_view media = type.has_value() ? MediaType(*type) : std::string_view();
    if (!EqualsIgnoreCase(media, kProtobufType) && !EqualsIgnoreCase(media, kJsonType)) {
      return Invalid(format, 415,
                     StrCat("unsupported Content-Type ",
                            type.has_value() ? PrintableExcerpt(*type) : std::string("(none)"),
                            ": use application/x-protobuf or application/json"));
    }
    std::optional<std::string_view> encoding = request.headers("Content-Encoding");
    if (encoding.has_value() && !CompressionFromContentEncoding(*encoding).ok()) {
      return Invalid(format, 415,
                     StrCat("unsupported Content-Encoding ", PrintableExcerpt(*encoding),
                            ": use gzip, zstd, lz4 or none"));
    }
    if (request.content_length.has_value() && *request.content_length > options_.max_body_bytes) {
      return Invalid(format, 413, TooLargeMessage());
    }
    return std::nullopt;
  }

  HttpResponse OnRequest(const HttpRequest& request) override {
    const BodyFormat format = FormatOf(request);
    counters_->requests.fetch_add(1, std::memory_order_relaxed);
    counters_->bytes_received.fetch_add(request.body.size(), std::memory_order_relaxed);
    if (request.body_over_cap) return Invalid(format, 413, TooLargeMessage());

    thread_local Workspace w;
    std::string_view body = request.body;
    Compression compression = Compression::kNone;
    if (std::optional<std::string_view> encoding = request.headers("Content-Encoding")) {
      compression = *CompressionFromContentEncoding(*encoding);  // checked in OnHeaders
    }
    if (compression != Compression::kNone) {
      Decompressor* d = w.For(compression);
      if (d == nullptr) return Invalid(format, 500, "cannot create a decompressor");
      Status s = d->Decompress(body, options_.max_decompressed_bytes, &w.inflated);
      if (s.code() == StatusCode::kTooLarge) {
        return Invalid(format, 413,
                       StrCat("the ", CompressionName(compression), " body inflates past ",
                              options_.max_decompressed_bytes, " bytes (max_decompressed_size)"));
      }
      if (!s.ok()) {
        return Invalid(format, 400,
                       StrCat("the body is not valid ", CompressionName(compression), ": ",
                              s.message()));
      }
      body = {w.inflated.data(), w.inflated.size()};
    }

    w.arena.Reset();
    Result<otlp::DecodedTraces> decoded = format == BodyFormat::kJson
                                              ? otlp::DecodeTracesJson(body, w.arena, limits_)
                                              : otlp::DecodeTracesProto(body, w.arena, limits_);
    if (!decoded.ok()) {
      return Invalid(format, decoded.status().code() == StatusCode::kTooLarge ? 413 : 400,
                     std::string(decoded.status().message()));
    }
    std::string warning = decoded->rejected > 0
                              ? StrCat(decoded->rejected, " span(s) left out: ", decoded->rejection)
                              : std::string();
    // Spans are counted (accepted and rejected) only with an answer that
    // ends the request: a refused one comes again and is counted then.
    Status s = decoded->records > 0 ? consumer_->ConsumeTraces(decoded->data) : Status::Ok();
    switch (s.code()) {
      case StatusCode::kOk:
        counters_->spans_accepted.fetch_add(decoded->records, std::memory_order_relaxed);
        counters_->spans_rejected.fetch_add(decoded->rejected, std::memory_order_relaxed);
        return Ok(format, decoded->rejected, warning);
      case StatusCode::kTooLarge:
        // Accepted but for spans larger than the backend's batch limit,
        // which the exporter counted as dropped.
        counters_->spans_accepted.fetch_add(decoded->records, std::memory_order_relaxed);
        counters_->spans_rejected.fetch_add(decoded->rejected, std::memory_order_relaxed);
        return Ok(format, decoded->rejected, StrCat(warning, warning.empty() ? "" : "; ", s.message()));
      case StatusCode::kResourceExhausted:
        return Refused(format, 429, kResourceExhausted, decoded->records,
                       "the agent's queue is full: retry later");
      case StatusCode::kFailedPrecondition:
        return Refused(format, 503, kUnavailable, decoded->records, "the agent is shutting down");
      default:
        counters_->requests_invalid.fetch_add(1, std::memory_order_relaxed);
        return Error(format, 500, kInternal, std::string(s.message()));
    }
  }

 private:
  static BodyFormat FormatOf(const HttpRequest& request) {
    std::optional<std::string_view> type = request.headers("Content-Type");
    return type.has_value() && EqualsIgnoreCase(MediaType(*type), kJsonType) ? BodyFormat::kJson
                                                                            : BodyFormat::kProtobuf;
  }

  std::string TooLargeMessage() const {
    return StrCat("request body larger than ", options_.max_body_bytes,
                  " bytes (max_request_body_size)");
  }

  static HttpResponse Error(BodyFormat format, int http_status, int rpc_code, std::string message) {
    HttpResponse r;
    r.status = http_status;
    r.body = RpcStatus(format, rpc_code, message);
    r.content_type = std::string(format == BodyFormat::kJson ? kJsonType : kProtobufType);
    return r;
  }

  HttpResponse Invalid(BodyFormat format, int http_status, std::string message) {
    counters_->requests_invalid.fetch_add(1, std::memory_order_relaxed);
    Log(LogLevel::kDebug, StrCat("otlp/http: ", http_status, ": ", message));
    return Error(format, http_status, http_status == 500 ? kInternal : kInvalidArgument,
                 std::move(message));
  }

  HttpResponse Refused(BodyFormat format, int http_status, int rpc_code, std::size_t spans,
                       std::string message) {
    counters_->requests_refused.fetch_add(1, std::memory_order_relaxed);
    counters_->spans_refused.fetch_add(spans, std::memory_order_relaxed);
    HttpResponse r;
    r.status = http_status;
    r.body = RpcStatus(format, rpc_code, message, kRetryAfter);
    r.content_type = std::string(format == BodyFormat::kJson ? kJsonType : kProtobufType);
    r.headers.emplace_back("Retry-After", std::to_string(kRetryAfter.count()));
    return r;
  }

  static HttpResponse Ok(BodyFormat format, std::uint64_t rejected, std::string_view message) {
    HttpResponse r;
    r.body = ExportTraceResponse(format, rejected, message);
    r.content_type = std::string(format == BodyFormat::kJson ? kJsonType : kProtobufType);
    return r;
  }

  const HttpReceiverOptions options_;
  const otlp::DecodeLimits limits_;
  TracesConsumer* const consumer_;
  ReceiverCounters* const counters_;
};

}  // namespace

struct HttpReceiver::Impl {
  std::unique_ptr<TracesHandler> handler;
  std::unique_ptr<http::HttpServer> server;
};

HttpReceiver::HttpReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpReceiver::~HttpReceiver() { Shutdown(); }

Result<std::unique_ptr<HttpReceiver>> HttpReceiver::Start(const HttpReceiverOptions& options,
                                                          const otlp::DecodeLimits& limits,
                                                          TracesConsumer* consumer,
                                                          ReceiverCounters* counters) {
  http::ServerOptions server_options;
  server_options.name = "otlp/http receiver";
  if (Status s = http::ParseListenAddress(options.listen, &server_options.host, &server_options.port);
      !s.ok()) {
    return Status::InvalidArgument(StrCat("otlp/http receiver: ", s.message()));
  }
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.threads = options.threads;
  server_options.idle_timeout = options.idle_timeout;
  auto impl = std::make_unique<Impl>();
  impl->handler = std::make_unique<TracesHandler>(options, limits, consumer, counters);
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
