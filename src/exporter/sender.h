// Sender: one HTTP attempt for one queued batch.
//
// Where the request goes and the headers that are the same for every request
// of a signal come from the backend's format, one RequestTarget per signal
// (the article's: POST /v1/ingest, application/json, X-Project-ID). Signs the
// request (a signature may cover a timestamp, so every attempt is
// signed anew), sends it, and returns the transport's classified result. The
// body is sent as queued, with the Content-Encoding it was compressed with
// (a batch recovered from the disk queue may predate a change of codec).
// Not thread-safe: one Sender per sending thread (it owns a keep-alive
// connection).
#ifndef OTELPACK_EXPORTER_SENDER_H_
#define OTELPACK_EXPORTER_SENDER_H_

#include <array>
#include <atomic>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "otelpack/auth.h"
#include "otelpack/compression.h"
#include "otelpack/exporter.h"
#include "otelpack/signal.h"
#include "transport/transport.h"

namespace otelpack {

// Where one signal's requests go.
struct RequestTarget {
  std::string path;                 // after the endpoint, with any query string: "/v1/ingest"
  std::vector<HttpHeader> headers;  // the format's (content type first), then the user's extra headers
};
using RequestTargets = std::array<RequestTarget, kSignalCount>;

class Sender {
 public:
  static Result<std::unique_ptr<Sender>> Create(const ExporterOptions& options, const RequestTargets& targets,
                                                std::shared_ptr<const Authenticator> auth);

  // One attempt: the request, signed, and the answer classified. A 307 or
  // 308 to the same origin is followed (at most kMaxRedirects hops, the
  // request signed anew for its new path; a warning the first time): the
  // backend moved a path, and the method and body are kept as RFC 9110
  // says. Any other redirect is answered as the transport classified it
  // (retryable: the endpoint is wrong, the data is kept). `abandon`, when
  // set, gives the attempt up as it becomes true (HttpRequest::abandon).
  SendResult Post(Signal signal, std::string_view batch_id, Compression compression, std::string_view body,
                  const std::atomic<bool>* abandon = nullptr);

  static constexpr int kMaxRedirects = 3;

 private:
  Sender() = default;
  // The absolute path (with query) a Location on this endpoint's origin
  // points to; nullopt for another origin or a form not followed.
  std::optional<std::string> SameOriginPath(std::string_view location) const;

  struct Target {
    std::string url;  // the endpoint and the path
    std::string path;
    std::vector<HttpHeader> headers;
  };
  std::array<Target, kSignalCount> targets_;
  std::string origin_;  // "scheme://host[:port]" of the endpoint, as written
  std::array<bool, kSignalCount> warned_redirect_{};
  std::string project_id_;
  std::shared_ptr<const Authenticator> auth_;
  std::unique_ptr<Transport> transport_;
};

// The authenticator `options` ask for: options.authenticator, else one built
// from options.auth.
Result<std::shared_ptr<const Authenticator>> AuthenticatorFor(const ExporterOptions& options);

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_SENDER_H_
