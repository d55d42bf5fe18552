// HttpServer: HTTP/1.1 plumbing on libmicrohttpd for the sink, the OTLP/HTTP
// receiver and the metrics endpoint. It knows nothing of the protocol: it reads a request (headers, then a body up to a cap), hands
// it to an HttpHandler, and writes the answer, possibly later.
//
// libmicrohttpd runs `threads` worker threads, each with its own epoll loop,
// HTTP/1.1 keep-alive and chunked request bodies. A delayed answer suspends
// its connection (no thread sleeps), so a slow answer never holds up others.
// A ConnectionGuard (connection_guard.h) caps the connections, cuts requests
// whose headers are too slow and frees those whose client left. With TLS
// (libmicrohttpd's GnuTLS) the guard works on the socket beneath, so a
// handshake that never completes counts against read_header_timeout. A request
// with both Transfer-Encoding and Content-Length is refused (400) and its
// connection closed (RFC 9112 section 6.1: request smuggling).
#ifndef OTELPACK_HTTP_SERVER_H_
#define OTELPACK_HTTP_SERVER_H_

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/header_lookup.h"
#include "http/connection_counters.h"
#include "http/tls.h"
#include "otelpack/status.h"

struct MHD_Daemon;

namespace otelpack::http {

struct HttpRequest {
  std::string_view method;
  std::string_view path;  // without the query string
  // The request's headers, looked up case-insensitively. Valid during the call.
  HeaderLookup headers;
  // The Content-Length header's value when the request has a valid one.
  std::optional<std::uint64_t> content_length;
  // The whole body (OnRequest only).
  std::string_view body;
  // The query string's parameters in order, percent-decoded ('+' is a space),
  // repeats kept; a parameter without '=' has an empty value (OnRequest only).
  std::vector<std::pair<std::string_view, std::string_view>> query;
  // The body exceeded ServerOptions::max_body_bytes; `body` is then empty.
  bool body_over_cap = false;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Answer this much later; the connection is suspended meanwhile.
  std::chrono::milliseconds delay{0};
  // From OnHeaders: answer at once, without reading the body, and close the
  // connection (a body too large to read). Otherwise the body is drained
  // first and the connection kept alive.
  bool close_connection = false;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Called once the headers are in, before any byte of the body is read. A
  // response refuses the request without its body (404, 405, 413 on
  // Content-Length). Called concurrently from the worker threads.
  virtual std::optional<HttpResponse> OnHeaders(const HttpRequest& request) = 0;
  // Called with the whole body. Called concurrently from the worker threads.
  virtual HttpResponse OnRequest(const HttpRequest& request) = 0;
};

struct ServerOptions {
  // Names the server in log lines and errors ("sink", "otlp/http", ...).
  std::string name = "http";
  std::string host = "127.0.0.1";  // a name or a numeric IPv4 / IPv6 address
  std::uint16_t port = 0;          // 0: a free port
  std::size_t max_body_bytes = 8 << 20;
  unsigned threads = 2;
  std::chrono::seconds idle_timeout{30};
  // Open connections at most; more are closed unanswered at once. Each needs
  // a file descriptor: Start raises the soft RLIMIT_NOFILE to fit, within the
  // hard limit. Default 10000.
  std::size_t max_connections = 10000;
  // Open connections from one client address at most. Default 0: no cap.
  std::size_t max_connections_per_client = 0;
  // A request's line and headers must arrive within this, counted from the
  // connection's opening or the previous answer. Default 60 s; 0: no deadline.
  std::chrono::milliseconds read_header_timeout{60000};
  // Where the connections are counted; null: not counted. Must outlive the server.
  ConnectionCounters* counters = nullptr;
  // Serve HTTPS with these (LoadTlsCredentials); with a client CA, only
  // clients whose certificate it signed complete the handshake. Default
  // none: plain HTTP.
  std::optional<TlsCredentials> tls;
};

// Splits "host:port" or "[v6]:port". InvalidArgument when malformed.
Status ParseListenAddress(std::string_view listen, std::string* host, std::uint16_t* port);

class HttpServer {
 public:
  // Binds, listens and starts serving. `handler` must outlive the server.
  // Unavailable when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options,
                                                   HttpHandler* handler);
  ~HttpServer();  // Close()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://host:port" ("https://" with TLS), with 127.0.0.1 / [::1] for a
  // wildcard host.
  std::string endpoint() const;

  // Stops serving: closes the listening socket (new connections are refused)
  // and every open connection; answers being delayed are sent at once or
  // cut. Blocks until the worker threads have finished. Idempotent.
  void Close();
  // Listens again on the same port and serves. OK when already serving;
  // Unavailable when the port cannot be bound again.
  Status Reopen();

  struct Run;  // one daemon's context (server.cc)

 private:
  HttpServer(const ServerOptions& options, HttpHandler* handler);
  Status Listen();  // REQUIRES: mu_ held, daemon_ == nullptr

  const ServerOptions options_;
  HttpHandler* const handler_;
  sockaddr_storage address_{};  // the bound address, with the actual port
  socklen_t address_length_ = 0;
  std::uint16_t port_ = 0;

  std::mutex mu_;  // serialises Close and Reopen
  MHD_Daemon* daemon_ = nullptr;  // guarded by mu_; null while closed
  std::unique_ptr<Run> run_;      // guarded by mu_; what the daemon's callbacks use
  ConnectionCounters uncounted_;  // where connections count when options_.counters is null
};

}  // namespace otelpack::http

#endif  // OTELPACK_HTTP_SERVER_H_
