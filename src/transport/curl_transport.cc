// The libcurl Transport: one easy handle per Transport, reused so that its
// connection stays open between requests (see transport.h).
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <utility>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "transport/transport.h"

#ifndef OTELPACK_VERSION
#define OTELPACK_VERSION "unknown"
#endif

namespace otelpack {
namespace {

// curl_global_init is not thread-safe and must run once before any handle;
// a function-local static gives exactly that. Never cleaned up: other
// libraries in the process may use curl too.
CURLcode GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

// Owns a curl_slist.
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

bool HasLineBreakOrNul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Appends a copy of `line` to `*list`; false when out of memory.
bool Append(Slist* list, const char* line) {
  curl_slist* head = curl_slist_append(list->get(), line);
  if (head == nullptr) return false;  // *list is unchanged and still owned
  (void)list->release();  // `head` is the same list, grown (or a new one when empty)
  list->reset(head);
  return true;
}

// Maps a transfer failure to the data's fate. Connection-level trouble is
// retryable. A certificate the client cannot verify, or a local TLS
// configuration error, is permanent: it will not fix itself between retries
// and someone must act, so it is reported at once rather than retried.
Status CurlError(CURLcode code, const char* error_buffer) {
  std::string message = StrCat("curl: ", curl_easy_strerror(code));
  if (error_buffer[0] != '\0') StrAppend(&message, " (", error_buffer, ")");
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::DeadlineExceeded(message);
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_PROXY:
    // The handshake was cut short (reset, closed): usually a server under load.
    case CURLE_SSL_CONNECT_ERROR:
      return Status::Unavailable(message);
    // The server could not prove who it is.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
      return Status::Unauthenticated(StrCat("TLS: server certificate not trusted: ", message));
    // Our own TLS configuration is broken (CA file, client certificate or key).
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return Status::InvalidArgument(StrCat("TLS configuration: ", message));
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    // Not an HTTP server at that address (or a TLS port spoken to in clear).
    case CURLE_WEIRD_SERVER_REPLY:
      return Status::InvalidArgument(message);
    case CURLE_OUT_OF_MEMORY:
      return Status::ResourceExhausted(message);
    default:
      // Unknown failures are retried: the retry policy bounds the cost, and
      // dropping data on an error we do not understand would be worse.
      return Status::Unavailable(message);
  }
}

class CurlTransport final : public Transport {
 public:
  CurlTransport(CURL* curl, TransportOptions options)
      : curl_(curl), options_(std::move(options)) {}

  Status Configure();
  SendResult Post(const HttpRequest& request) override;

 private:
  static size_t OnBody(char* data, size_t size, size_t count, void* self);
  static size_t OnHeader(char* data, size_t size, size_t count, void* self);
  static int OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  // curl_easy_setopt; true when libcurl accepted the option.
  template <typename T>
  bool Set(CURLoption option, T value) {
    return curl_easy_setopt(curl_.get(), option, value) == CURLE_OK;
  }

  const std::unique_ptr<CURL, CurlDeleter> curl_;
  const TransportOptions options_;
  std::string user_agent_;
  char error_buffer_[CURL_ERROR_SIZE] = {};

  // The request and response of the current Post().
  const std::atomic<bool>* abandon_ = nullptr;
  bool abandoned_ = false;
  int status_line_ = 0;  // the final response's status, once its line arrived
  std::optional<std::chrono::steady_clock::time_point> headers_done_;  // a final response's
  bool body_cut_ = false;  // closed before the body's end: too long or too slow
  std::size_t body_read_ = 0;
  std::string body_;
  std::string retry_after_;
  bool has_retry_after_ = false;
  std::string location_;
};

// Every option that does not depend on the request: set once, kept by the
// handle across requests.
Status CurlTransport::Configure() {
  user_agent_ =
      options_.user_agent.empty() ? StrCat("otelpack/", OTELPACK_VERSION) : options_.user_agent;
  if (HasLineBreakOrNul(user_agent_)) {
    return Status::InvalidArgument("transport: user_agent contains CR, LF or NUL");
  }
  const long verify = options_.tls_verify ? 1L : 0L;
  bool ok = Set(CURLOPT_NOSIGNAL, 1L) &&  // no SIGALRM for DNS timeouts: we are a library
            Set(CURLOPT_ERRORBUFFER, error_buffer_) &&
            Set(CURLOPT_PROTOCOLS_STR, "http,https") &&
            Set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count())) &&
            Set(CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count())) &&
            Set(CURLOPT_TCP_KEEPALIVE, 1L) && Set(CURLOPT_TCP_KEEPIDLE, 30L) &&
            Set(CURLOPT_TCP_KEEPINTVL, 15L) && Set(CURLOPT_TCP_NODELAY, 1L) &&
            Set(CURLOPT_SSL_VERIFYPEER, verify) && Set(CURLOPT_SSL_VERIFYHOST, 2 * verify) &&
            Set(CURLOPT_FOLLOWLOCATION, 0L) &&
            // The body is kept as sent for logs; never decoded.
            Set(CURLOPT_HTTP_CONTENT_DECODING, 0L) &&
            Set(CURLOPT_USERAGENT, user_agent_.c_str()) &&
            Set(CURLOPT_WRITEFUNCTION, &CurlTransport::OnBody) && Set(CURLOPT_WRITEDATA, this) &&
            Set(CURLOPT_HEADERFUNCTION, &CurlTransport::OnHeader) &&
            Set(CURLOPT_HEADERDATA, this) &&
            // Called several times a second while a transfer runs, idle or
            // not: where a request is abandoned or a stalled body cut.
            Set(CURLOPT_NOPROGRESS, 0L) && Set(CURLOPT_XFERINFOFUNCTION, &CurlTransport::OnProgress) &&
            Set(CURLOPT_XFERINFODATA, this);
  if (ok && !options_.ca_file.empty()) ok = Set(CURLOPT_CAINFO, options_.ca_file.c_str());
  if (ok && !options_.client_cert_file.empty()) {
    ok = Set(CURLOPT_SSLCERT, options_.client_cert_file.c_str()) &&
         Set(CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (ok && !options_.client_key_file.empty()) {
    ok = Set(CURLOPT_SSLKEY, options_.client_key_file.c_str()) && Set(CURLOPT_SSLKEYTYPE, "PEM");
  }
  // Proxies: curl reads http_proxy, https_proxy, all_proxy and no_proxy from
  // the environment by default; that is left on on purpose.
  if (!ok) return Status::Internal("transport: libcurl refused an option (too old a libcurl?)");
  return Status::Ok();
}

size_t CurlTransport::OnBody(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<CurlTransport*>(self);
  const size_t n = size * count;
  const size_t room = t->options_.max_response_body - std::min(t->body_.size(),
                                                               t->options_.max_response_body);
  t->body_.append(data, std::min(n, room));
  t->body_read_ += n;
  if (t->body_read_ > t->options_.max_response_read) {
    t->body_cut_ = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR and closes the connection
  }
  return n;  // the rest is read and dropped: the connection stays reusable
}

int CurlTransport::OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<CurlTransport*>(self);
  if (t->abandon_ != nullptr && t->abandon_->load(std::memory_order_relaxed)) {
    t->abandoned_ = true;
    return 1;  // CURLE_ABORTED_BY_CALLBACK
  }
  if (t->headers_done_ && std::chrono::steady_clock::now() - *t->headers_done_ > t->options_.body_timeout) {
    t->body_cut_ = true;
    return 1;
  }
  return 0;
}

size_t CurlTransport::OnHeader(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<CurlTransport*>(self);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    // A new response begins (after a 1xx, say): forget the previous one's headers.
    t->has_retry_after_ = false;
    t->retry_after_.clear();
    t->location_.clear();
    // "HTTP/1.1 200 OK", "HTTP/2 200": the code follows the first space.
    const std::size_t space = line.find(' ');
    int code = 0;
    for (std::size_t i = space == std::string_view::npos ? line.size() : space + 1;
         i < line.size() && line[i] >= '0' && line[i] <= '9' && code < 1000; ++i) {
      code = code * 10 + (line[i] - '0');
    }
    t->status_line_ = code;
  } else if (line.empty()) {
    // The end of a response's headers; a 1xx's is followed by the real one.
    if (t->status_line_ >= 200) t->headers_done_ = std::chrono::steady_clock::now();
  } else if (StartsWithIgnoreCase(line, "Retry-After:")) {
    t->retry_after_.assign(line.substr(12));
    t->has_retry_after_ = true;
  } else if (StartsWithIgnoreCase(line, "Location:")) {
    t->location_.assign(TrimSpaces(line.substr(9)).substr(0, 8192));
  }
  return n;
}

SendResult CurlTransport::Post(const HttpRequest& request) {
  SendResult result;
  Slist headers;
  bool has_content_type = false;
  for (const HttpHeader& h : request.headers) {
    if (h.name.empty() || HasLineBreakOrNul(h.name) || HasLineBreakOrNul(h.value) ||
        h.name.find(':') != std::string::npos) {
      // The name is configuration, never a secret; the value may be one.
      result.status = Status::InvalidArgument(
          StrCat("transport: header \"", HasLineBreakOrNul(h.name) ? "?" : h.name,
                 "\" has an invalid name or a value with CR, LF or NUL"));
      return result;
    }
    if (EqualsIgnoreCase(h.name, "Content-Type")) {
      has_content_type = true;
    }
    // "Name;" is curl's way to send a header with an empty value.
    std::string line = h.value.empty() ? StrCat(h.name, ";") : StrCat(h.name, ": ", h.value);
    if (!Append(&headers, line.c_str())) {
      result.status = Status::ResourceExhausted("transport: out of memory building headers");
      return result;
    }
  }
  // "Expect: 100-continue" costs a round trip before large bodies; the server
  // is expected to read what we send. Without a given Content-Type, curl would
  // add a form-urlencoded one, which would be a lie.
  if (!Append(&headers, "Expect:") ||
      (!has_content_type && !Append(&headers, "Content-Type:"))) {
    result.status = Status::ResourceExhausted("transport: out of memory building headers");
    return result;
  }

  abandon_ = request.abandon;
  abandoned_ = false;
  status_line_ = 0;
  headers_done_.reset();
  body_cut_ = false;
  body_read_ = 0;
  body_.clear();
  retry_after_.clear();
  has_retry_after_ = false;
  location_.clear();
  error_buffer_[0] = '\0';
  // An empty body must still be a non-null pointer: a null POSTFIELDS makes
  // curl read the body from a callback instead.
  const char* body = request.body.empty() ? "" : request.body.data();
  bool ok = Set(CURLOPT_URL, request.url.c_str()) && Set(CURLOPT_POST, 1L) &&
            Set(CURLOPT_POSTFIELDS, body) &&
            Set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())) &&
            Set(CURLOPT_HTTPHEADER, headers.get());
  if (!ok) {
    result.status = Status::InvalidArgument("transport: libcurl refused the request options");
    return result;
  }
  CURLcode code = curl_easy_perform(curl_.get());
  // The list dies with this call: the handle must not keep a pointer to it.
  Set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  Set(CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));

  abandon_ = nullptr;
  if (abandoned_) {
    result.status = Status::DeadlineExceeded("transport: request abandoned (Shutdown deadline)");
    return result;
  }
  // A body cut short still has its status line, which decides.
  if (code != CURLE_OK && !(body_cut_ && status_line_ >= 200)) {
    result.status = CurlError(code, error_buffer_);
    return result;
  }
  long http_status = status_line_;
  if (code == CURLE_OK) curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &http_status);
  result.http_status = static_cast<int>(http_status);
  result.body = std::move(body_);
  body_ = std::string();
  if (result.http_status >= 300 && result.http_status < 400) result.location = std::move(location_);
  result.status = ClassifyHttpStatus(result.http_status, result.body, result.location);
  if (has_retry_after_) {
    result.retry_after = ParseRetryAfter(retry_after_, std::chrono::system_clock::now());
  }
  return result;
}

}  // namespace

Result<std::unique_ptr<Transport>> NewHttpTransport(const TransportOptions& options) {
  if (options.timeout.count() <= 0 || options.connect_timeout.count() <= 0) {
    return Status::InvalidArgument("transport: timeout and connect_timeout must be positive");
  }
  if (GlobalInit() != CURLE_OK) return Status::Internal("transport: curl_global_init failed");
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("transport: curl_easy_init failed");
  auto transport = std::make_unique<CurlTransport>(curl, options);
  if (Status s = transport->Configure(); !s.ok()) return s;
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace otelpack
