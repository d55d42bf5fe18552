// Transport: sends one HTTP request and says what happened, in the words the
// retry policy needs (OK, retryable or permanent; HTTP status; Retry-After).
//
// The HTTP implementation is libcurl with one reused connection per
// Transport. It honours the proxy environment variables as curl does
// (http_proxy, https_proxy, no_proxy, all_proxy), does not follow redirects
// (it reports a 3xx with its Location: following one is the sender's choice,
// since a request is signed for its path), does not decompress responses, and
// never logs or reports request headers, since they carry credentials.
//
// An answer is judged by its status line: once the headers are in, the body
// gets `body_timeout` and at most `max_response_read` bytes; past either the
// connection is closed and the status line decides (a backend that stalls
// after "200 OK" has the batch, which must not be sent again for that).
#ifndef OTELPACK_TRANSPORT_TRANSPORT_H_
#define OTELPACK_TRANSPORT_TRANSPORT_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/auth.h"
#include "otelpack/status.h"

namespace otelpack {

struct TransportOptions {
  // Time allowed to establish the connection (TCP and TLS). Default 10 s.
  std::chrono::milliseconds connect_timeout{10'000};
  // Time allowed for the whole request, connection included. Default 30 s.
  std::chrono::milliseconds timeout{30'000};
  // PEM bundle of the CAs that may sign the server certificate; empty = the
  // system default.
  std::string ca_file;
  // PEM client certificate and key for mutual TLS; both empty = none.
  std::string client_cert_file;
  std::string client_key_file;
  // Verify the server certificate and host name. Never turn off outside tests.
  bool tls_verify = true;
  // How much of a response body is kept (for logs and classification); the
  // rest is read and discarded so the connection stays reusable. Default 4 KiB.
  std::size_t max_response_body = 4096;
  // A response body longer than this is not read to its end: the connection
  // is closed instead. Default 64 KiB.
  std::size_t max_response_read = 64 * 1024;
  // Time allowed for the body once the status line and headers have arrived
  // (within `timeout`; checked about once a second). Default 2 s.
  std::chrono::milliseconds body_timeout{2'000};
  // The User-Agent header; empty = "otelpack/<version>".
  std::string user_agent;
};

struct HttpRequest {
  // The full URL, e.g. http://127.0.0.1:8428/v1/ingest. http and https only.
  std::string url;
  // Sent as given. Without a Content-Type here, none is sent. A name or value
  // with CR, LF or NUL is refused (InvalidArgument) rather than sent.
  std::vector<HttpHeader> headers;
  // Must stay valid during Post().
  std::string_view body;
  // When set, becoming true gives the request up within about a second,
  // wherever it is (connecting, sending, waiting): Post returns
  // DeadlineExceeded.
  // How Shutdown keeps its deadline with a backend that does not answer.
  const std::atomic<bool>* abandon = nullptr;
};

struct SendResult {
  // OK for 2xx; otherwise retryable or permanent as ClassifyHttpStatus says,
  // or as a transport failure maps: a timeout is DeadlineExceeded; refused,
  // reset, DNS and other connection failures are Unavailable; an untrusted
  // server certificate is Unauthenticated and a broken local TLS setup or a
  // bad URL InvalidArgument, both permanent (see curl_transport.cc).
  Status status;
  // 0 when there was no response (timeout, refused, TLS failure).
  int http_status = 0;
  // From the Retry-After header, when the response had a valid one.
  std::optional<std::chrono::milliseconds> retry_after;
  // Up to max_response_body bytes of the response body.
  std::string body;
  // A 3xx's Location header, as sent (relative or absolute); empty otherwise.
  std::string location;
};

// One HTTP connection, kept alive between calls. Not thread-safe: use one per
// sending thread.
class Transport {
 public:
  virtual ~Transport() = default;
  // POSTs `request` and waits for the answer (at most options.timeout).
  virtual SendResult Post(const HttpRequest& request) = 0;
};

Result<std::unique_ptr<Transport>> NewHttpTransport(const TransportOptions& options);

// 2xx → OK. Retryable: 408 and 504 → DeadlineExceeded, 429 → ResourceExhausted,
// other 5xx except 501 → Unavailable, and a 3xx (a redirect that reached the
// retry policy was not followed: a configuration error, but the data is kept)
// → Unavailable, its message saying where it points. Permanent: 401 Unauthenticated, 403 PermissionDenied, 404 NotFound,
// 413 TooLarge, 501 and any other code → InvalidArgument. The message is
// "HTTP 503: <first 200 bytes of body>" (cut at a UTF-8 boundary, control
// characters replaced by spaces).
Status ClassifyHttpStatus(int http_status, std::string_view body, std::string_view location = {});

// The Retry-After header (RFC 9110 section 10.2.3): delta-seconds, or an
// HTTP-date in IMF-fixdate, obsolete RFC 850 or asctime form. nullopt when
// absent, negative or unparsable; a date in the past gives 0 ms. No cap (the
// retry policy applies one) except a ceiling of kRetryAfterCeiling, so that
// adding the result to a clock's time point cannot overflow.
inline constexpr std::chrono::milliseconds kRetryAfterCeiling =
    std::chrono::hours(24 * 366 * 100);  // about a century
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace otelpack

#endif  // OTELPACK_TRANSPORT_TRANSPORT_H_
