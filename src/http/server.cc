// libmicrohttpd plumbing: sockets, the request state machine
// (headers -> body chunks -> answer), delayed answers by suspending the
// connection, and the connection guard's hooks.
#include "http/server.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <thread>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "common/thread_name.h"
#include "http/connection_guard.h"
#include "otelpack/log.h"

namespace otelpack::http {
namespace {

using Clock = std::chrono::steady_clock;

// Per-connection read buffer (headers and body chunks). libmicrohttpd's
// default is 32 KiB; larger chunks mean fewer callbacks for big bodies.
constexpr std::size_t kConnectionMemory = 64 << 10;
constexpr int kListenBacklog = 256;

// GnuTLS priority strings: its defaults ("NORMAL") without the protocol
// versions below the minimum.
const char* TlsPriorities(TlsVersion min_version) {
  return min_version == TlsVersion::k13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3"
                                        : "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
}

// State of one request, from its headers to its answer.
struct RequestState {
  std::string body;
  bool over_cap = false;
  std::uint64_t drained = 0;  // body bytes read and thrown away
  std::optional<std::uint64_t> content_length;
  // Decided at the headers, sent once the body has been drained (answering
  // before would make libmicrohttpd close the connection mid-body).
  std::optional<HttpResponse> early;
  // Computed, waiting for its delay to pass.
  std::optional<HttpResponse> delayed;
};

std::optional<std::string_view> LookupHeader(MHD_Connection* connection, std::string_view name) {
  const std::string key(name);
  const char* value = nullptr;
  std::size_t size = 0;
  if (MHD_lookup_connection_value_n(connection, MHD_HEADER_KIND, key.data(), key.size(), &value,
                                    &size) == MHD_YES &&
      value != nullptr) {
    return std::string_view(value, size);
  }
  return std::nullopt;
}

MHD_Result CollectQueryParameter(void* cls, MHD_ValueKind, const char* key, std::size_t key_size,
                                 const char* value, std::size_t value_size) {
  static_cast<std::vector<std::pair<std::string_view, std::string_view>>*>(cls)->emplace_back(
      std::string_view(key, key_size),
      value != nullptr ? std::string_view(value, value_size) : std::string_view());
  return MHD_YES;
}

std::optional<std::uint64_t> ParseContentLength(MHD_Connection* connection) {
  std::optional<std::string_view> v = LookupHeader(connection, "Content-Length");
  if (!v.has_value()) return std::nullopt;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size()) return std::nullopt;
  return n;
}

// RFC 9112 section 6.1: a request with both may be read differently by a
// proxy in front and by us (request smuggling); it must be refused and its
// connection closed.
bool HasConflictingFraming(MHD_Connection* connection) {
  return LookupHeader(connection, "Transfer-Encoding").has_value() &&
         LookupHeader(connection, "Content-Length").has_value();
}

HttpResponse ConflictingFraming() {
  HttpResponse r;
  r.status = 400;
  r.body = R"({"error":"both Transfer-Encoding and Content-Length: the request's length is ambiguous"})";
  r.close_connection = true;
  return r;
}

ConnectionGuard::Watched* WatchedOf(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return info != nullptr ? static_cast<ConnectionGuard::Watched*>(info->socket_context) : nullptr;
}

bool ExpectsContinue(MHD_Connection* connection) {
  std::optional<std::string_view> v = LookupHeader(connection, "Expect");
  return v.has_value() && EqualsIgnoreCase(*v, "100-continue");
}

MHD_Result Send(MHD_Connection* connection, const HttpResponse& r) {
  MHD_Response* response = MHD_create_response_from_buffer(
      r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, "Content-Type", r.content_type.c_str());
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result result =
      MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return result;
}

void LogFromMhd(void*, const char* format, va_list args) {
  if (!LogEnabled(LogLevel::kDebug)) return;
  char line[512];
  std::vsnprintf(line, sizeof(line), format, args);
  std::string_view text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  Log(LogLevel::kDebug, StrCat("http: ", text));
}

}  // namespace

// What a running daemon's callbacks need, plus the connections whose answers
// are being delayed and the thread that resumes them when their time comes.
struct HttpServer::Run {
  Run(HttpHandler* h, std::size_t max_body, std::unique_ptr<ConnectionGuard> g, bool require_cert)
      : handler(h), max_body_bytes(max_body), guard(std::move(g)), require_client_cert(require_cert) {
    resumer = std::thread([this] { ResumeLoop(); });
    NameThread(resumer, "otelpack-resume");
  }
  ~Run() { Shutdown(); }

  // Suspends `connection` until `when`. False when shutting down: the caller
  // answers at once.
  bool Suspend(MHD_Connection* connection, Clock::time_point when) {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return false;
    MHD_suspend_connection(connection);
    suspended.emplace(when, connection);
    wake.notify_one();
    return true;
  }

  // Resumes every suspended connection now (libmicrohttpd must not be
  // stopped with suspended connections) and stops delaying.
  void Shutdown() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (stopping) return;
      stopping = true;
      for (const auto& [when, connection] : suspended) MHD_resume_connection(connection);
      suspended.clear();
    }
    wake.notify_one();
    resumer.join();
  }

  void ResumeLoop() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      if (suspended.empty()) {
        wake.wait(lock);
        continue;
      }
      const Clock::time_point next = suspended.begin()->first;
      if (Clock::now() < next) {
        wake.wait_until(lock, next);
        continue;
      }
      MHD_resume_connection(suspended.begin()->second);
      suspended.erase(suspended.begin());
    }
  }

  HttpHandler* const handler;
  const std::size_t max_body_bytes;
  // Outlives the daemon: its close notifications come until MHD_stop_daemon returns.
  const std::unique_ptr<ConnectionGuard> guard;
  const bool require_client_cert;  // TLS with a client CA

  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;                                      // guarded by mu
  std::multimap<Clock::time_point, MHD_Connection*> suspended;  // guarded by mu
  std::thread resumer;
};

namespace {

MHD_Result HandleAccess(HttpServer::Run* run, MHD_Connection* connection, const char* url,
                        const char* method, const char* upload_data,
                        std::size_t* upload_data_size, void** con_cls) {
  HttpRequest request;
  request.method = method;
  request.path = url;
  request.headers = [connection](std::string_view name) { return LookupHeader(connection, name); };

  auto* state = static_cast<RequestState*>(*con_cls);
  if (state == nullptr) {  // the headers are in
    ConnectionGuard::HeadersIn(WatchedOf(connection));
    state = new RequestState;
    *con_cls = state;
    if (HasConflictingFraming(connection)) return Send(connection, ConflictingFraming());
    state->content_length = ParseContentLength(connection);
    request.content_length = state->content_length;
    std::optional<HttpResponse> early = run->handler->OnHeaders(request);
    if (early.has_value()) {
      // Answered before the body, libmicrohttpd reads no body and closes
      // the connection after the answer: what a body too large wants, and
      // a client that waits for "100 Continue" sends no body anyway. Any
      // other is drained first, to keep the connection.
      if (early->close_connection || ExpectsContinue(connection)) return Send(connection, *early);
      state->early = std::move(early);
    } else if (state->content_length.has_value()) {
      state->body.reserve(static_cast<std::size_t>(
          std::min<std::uint64_t>(*state->content_length, run->max_body_bytes)));
    }
    return MHD_YES;
  }

  if (*upload_data_size > 0) {  // a piece of the body
    const std::size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (state->early.has_value() || state->over_cap) {  // drained, not kept
      // A chunked body has no length to refuse at the headers, and
      // libmicrohttpd cannot answer mid-body: draining keeps the connection
      // for an answer, but only for so long. Past twice the cap the client
      // is cut off unanswered rather than read without end.
      state->drained += n;
      return state->drained > 2 * static_cast<std::uint64_t>(run->max_body_bytes) ? MHD_NO : MHD_YES;
    }
    if (n > run->max_body_bytes - state->body.size()) {
      state->over_cap = true;
      state->drained = state->body.size() + n;
      std::string().swap(state->body);
    } else {
      state->body.append(upload_data, n);
    }
    return MHD_YES;
  }

  // The whole request is in (or its delay has passed).
  if (state->delayed.has_value()) {
    HttpResponse response = std::move(*state->delayed);
    state->delayed.reset();
    return Send(connection, response);
  }
  HttpResponse response;
  if (state->early.has_value()) {
    response = std::move(*state->early);
  } else {
    request.content_length = state->content_length;
    request.body = state->body;
    request.body_over_cap = state->over_cap;
    MHD_get_connection_values_n(connection, MHD_GET_ARGUMENT_KIND, CollectQueryParameter,
                                &request.query);
    response = run->handler->OnRequest(request);
    std::string().swap(state->body);
  }
  if (response.delay.count() > 0) {
    const Clock::time_point when = Clock::now() + response.delay;
    state->delayed = std::move(response);
    if (run->Suspend(connection, when)) return MHD_YES;
    response = std::move(*state->delayed);
    state->delayed.reset();
  }
  return Send(connection, response);
}

// libmicrohttpd is C: no exception may cross it. One that would (an
// allocation failure) closes the connection instead.
MHD_Result OnAccess(void* cls, MHD_Connection* connection, const char* url, const char* method,
                    const char* /*version*/, const char* upload_data,
                    std::size_t* upload_data_size, void** con_cls) {
  try {
    return HandleAccess(static_cast<HttpServer::Run*>(cls), connection, url, method, upload_data,
                        upload_data_size, con_cls);
  } catch (const std::exception& e) {
    Log(LogLevel::kError, StrCat("http: request failed: ", e.what()));
    return MHD_NO;
  }
}

void OnCompleted(void* cls, MHD_Connection* connection, void** con_cls,
                 MHD_RequestTerminationCode /*code*/) {
  delete static_cast<RequestState*>(*con_cls);
  *con_cls = nullptr;
  static_cast<HttpServer::Run*>(cls)->guard->RequestDone(WatchedOf(connection));
}

MHD_Result OnAcceptPolicy(void* cls, const sockaddr* address, socklen_t /*length*/) {
  return static_cast<HttpServer::Run*>(cls)->guard->Admit(address) ? MHD_YES : MHD_NO;
}

// libmicrohttpd with a trust list only asks for a client certificate
// (GNUTLS_CERT_REQUEST) and leaves its verification to the application, per
// request. Required and verified here, the handshake itself fails for a
// client without a certificate signed by the client CA, as in Go's
// RequireAndVerifyClientCert. Called before the handshake starts. The
// verification is gnutls_session_set_verify_cert's (without it, a
// certificate from any CA completes the handshake: agent_tls_test). False
// when there is no TLS session to set: the caller then cuts the connection
// rather than serve it unverified.
bool RequireClientCertificate(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (info == nullptr || info->tls_session == nullptr) return false;
  auto session = static_cast<gnutls_session_t>(info->tls_session);
  gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE);
  gnutls_session_set_verify_cert(session, nullptr, 0);
  return true;
}

void OnConnection(void* cls, MHD_Connection* connection, void** socket_context,
                  MHD_ConnectionNotificationCode code) {
  HttpServer::Run& run = *static_cast<HttpServer::Run*>(cls);
  ConnectionGuard& guard = *run.guard;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const MHD_ConnectionInfo* fd = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    // As the guard cuts a connection: the socket reads as closed and
    // libmicrohttpd closes it the ordinary way.
    if (run.require_client_cert && !RequireClientCertificate(connection)) shutdown(fd->connect_fd, SHUT_RDWR);
    const MHD_ConnectionInfo* address =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    *socket_context = guard.Opened(fd->connect_fd, address != nullptr ? address->client_addr : nullptr);
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    guard.Closed(static_cast<ConnectionGuard::Watched*>(*socket_context));
    *socket_context = nullptr;
  }
}

// Every connection is a file descriptor: raise the soft limit to fit
// `needed` (as Go's runtime raises it to the hard limit), and say so when
// the hard limit is lower.
void FitDescriptorLimit(std::string_view server, std::size_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
  const rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? needed : std::min<rlim_t>(needed, limit.rlim_max);
  if (wanted > limit.rlim_cur) {
    limit.rlim_cur = wanted;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < needed) {
    Log(LogLevel::kWarn,
        StrCat(server, ": max_connections needs about ", needed, " file descriptors but may open only ",
               limit.rlim_cur, " (ulimit -Hn; LimitNOFILE= under systemd): near it new connections wait "
               "unanswered. Raise the limit or lower max_connections"));
  }
}

// A listening TCP socket bound to `address`.
Result<int> BindAndListen(const sockaddr* address, socklen_t length) {
  const int fd = socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Status::Unavailable(StrCat("socket: ", std::strerror(errno)));
  const int one = 1;
  // Rebinding the same port after RefuseConnectionsFor must not wait for
  // TIME_WAIT connections to expire.
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (address->sa_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (bind(fd, address, length) != 0 || listen(fd, kListenBacklog) != 0) {
    const int error = errno;
    close(fd);
    return Status::Unavailable(StrCat("cannot listen: ", std::strerror(error)));
  }
  return fd;
}

}  // namespace

Status ParseListenAddress(std::string_view listen, std::string* host, std::uint16_t* port) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument("listen address must be host:port, e.g. 127.0.0.1:8428");
  }
  std::string_view h = listen.substr(0, colon);
  const std::string_view p = listen.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value > 65535 ||
      h.empty()) {
    return Status::InvalidArgument("listen address must be host:port, e.g. 127.0.0.1:8428");
  }
  *host = std::string(h);
  *port = static_cast<std::uint16_t>(value);
  return Status::Ok();
}

HttpServer::HttpServer(const ServerOptions& options, HttpHandler* handler)
    : options_(options), handler_(handler) {}

HttpServer::~HttpServer() { Close(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options,
                                                      HttpHandler* handler) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* addresses = nullptr;
  const std::string port = std::to_string(options.port);
  if (int rc = getaddrinfo(options.host.c_str(), port.c_str(), &hints, &addresses); rc != 0) {
    return Status::InvalidArgument(
        StrCat(options.name, ": cannot resolve listen host ", options.host, ": ", gai_strerror(rc)));
  }
  FitDescriptorLimit(options.name, options.max_connections + 64);
  std::unique_ptr<HttpServer> server(new HttpServer(options, handler));
  Status status = Status::Unavailable("no address");
  for (addrinfo* a = addresses; a != nullptr; a = a->ai_next) {
    if (a->ai_addrlen > sizeof(server->address_)) continue;
    std::memcpy(&server->address_, a->ai_addr, a->ai_addrlen);
    server->address_length_ = a->ai_addrlen;
    std::lock_guard<std::mutex> lock(server->mu_);
    status = server->Listen();
    if (status.ok()) break;
  }
  freeaddrinfo(addresses);
  if (!status.ok()) {
    return Status(status.code(), StrCat(options.name, " on ", options.host, ":", options.port, ": ",
                                        status.message()));
  }
  return server;
}

Status HttpServer::Listen() {
  Result<int> fd = BindAndListen(reinterpret_cast<const sockaddr*>(&address_), address_length_);
  if (!fd.ok()) return fd.status();
  // Learn the port actually bound (port 0) and keep it for Reopen.
  socklen_t length = sizeof(address_);
  getsockname(*fd, reinterpret_cast<sockaddr*>(&address_), &length);
  address_length_ = length;
  const std::uint16_t port = ntohs(address_.ss_family == AF_INET6
                    ? reinterpret_cast<const sockaddr_in6*>(&address_)->sin6_port
                    : reinterpret_cast<const sockaddr_in*>(&address_)->sin_port);
  if (port_ == 0) port_ = port;  // written once, before Start returns: port() needs no lock

  GuardOptions guard_options;
  guard_options.max_connections = std::max<std::size_t>(1, options_.max_connections);
  guard_options.max_connections_per_client = options_.max_connections_per_client;
  guard_options.read_header_timeout = options_.read_header_timeout;
  Result<std::unique_ptr<ConnectionGuard>> guard = ConnectionGuard::Start(
      guard_options, options_.counters != nullptr ? options_.counters : &uncounted_);
  if (!guard.ok()) {
    close(*fd);
    return guard.status();
  }
  const std::optional<TlsCredentials>& tls = options_.tls;
  auto run = std::make_unique<Run>(handler_, options_.max_body_bytes, std::move(*guard),
                                   tls.has_value() && tls->require_client_cert());
  // A pool of one is no pool: libmicrohttpd wants the option left out then
  // (MHD_OPTION_ARRAY with an end marker in its place).
  const unsigned pool = options_.threads;
  MHD_OptionItem pool_option[] = {
      {pool > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, pool, nullptr},
      {MHD_OPTION_END, 0, nullptr}};
  // The PEM strings live in options_, which outlives every daemon. Without
  // TLS the first item ends the list.
  MHD_OptionItem tls_options[] = {
      {tls.has_value() ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
       tls.has_value() ? const_cast<char*>(tls->cert_chain_pem.c_str()) : nullptr},
      {MHD_OPTION_HTTPS_MEM_KEY, 0, tls.has_value() ? const_cast<char*>(tls->private_key_pem.c_str()) : nullptr},
      {MHD_OPTION_HTTPS_PRIORITIES, 0,
       const_cast<char*>(TlsPriorities(tls.has_value() ? tls->min_version : TlsVersion::k12))},
      {tls.has_value() && tls->require_client_cert() ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
       tls.has_value() ? const_cast<char*>(tls->client_ca_pem.c_str()) : nullptr},
      {MHD_OPTION_END, 0, nullptr}};
  const unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                         MHD_USE_ERROR_LOG | (tls.has_value() ? static_cast<unsigned>(MHD_USE_TLS) : 0u);
  // The guard's cap is the one that refuses; libmicrohttpd's (by default
  // FD_SETSIZE - 4, which stops accepting at ~1,020 connections even with
  // epoll) is set just above it, and is split between the workers.
  const unsigned mhd_limit = static_cast<unsigned>(std::min<std::size_t>(
      guard_options.max_connections + 2 * std::max(1u, pool), 1u << 30));
  // libmicrohttpd takes the socket and closes it when stopped.
  MHD_Daemon* daemon = MHD_start_daemon(
      flags, 0, &OnAcceptPolicy, run.get(), &OnAccess, run.get(),
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(*fd),
      MHD_OPTION_ARRAY, pool_option,
      MHD_OPTION_ARRAY, tls_options,
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(options_.idle_timeout.count()),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory,
      MHD_OPTION_CONNECTION_LIMIT, mhd_limit,
      MHD_OPTION_NOTIFY_CONNECTION, &OnConnection, run.get(),
      MHD_OPTION_NOTIFY_COMPLETED, &OnCompleted, run.get(),
      MHD_OPTION_EXTERNAL_LOGGER, &LogFromMhd, nullptr,
      MHD_OPTION_END);
  if (daemon == nullptr) {
    close(*fd);
    // The TLS files were checked before (LoadTlsCredentials); GnuTLS may
    // still refuse what OpenSSL took, and says why in the debug log.
    return Status::Unavailable(tls.has_value() ? "libmicrohttpd failed to start with TLS (why: OTELPACK_LOG_LEVEL=debug)"
                                               : "libmicrohttpd failed to start");
  }
  daemon_ = daemon;
  run_ = std::move(run);
  return Status::Ok();
}

void HttpServer::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (daemon_ == nullptr) return;
  run_->Shutdown();
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
  run_.reset();
}

Status HttpServer::Reopen() {
  std::lock_guard<std::mutex> lock(mu_);
  if (daemon_ != nullptr) return Status::Ok();
  return Listen();
}

std::string HttpServer::endpoint() const {
  std::string host = options_.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = StrCat("[", host, "]");
  return StrCat(options_.tls.has_value() ? "https://" : "http://", host, ":", port_);
}

}  // namespace otelpack::http
