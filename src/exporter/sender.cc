#include "exporter/sender.h"

#include "common/ascii.h"
#include "common/str_cat.h"
#include "common/url.h"
#include "otelpack/log.h"

namespace otelpack {

Result<std::shared_ptr<const Authenticator>> AuthenticatorFor(const ExporterOptions& options) {
  if (options.authenticator) return options.authenticator;
  Result<std::unique_ptr<Authenticator>> auth = NewAuthenticator(options.auth);
  if (!auth.ok()) return auth.status();
  return std::shared_ptr<const Authenticator>(std::move(auth).value());
}

Result<std::unique_ptr<Sender>> Sender::Create(const ExporterOptions& options, const RequestTargets& targets,
                                               std::shared_ptr<const Authenticator> auth) {
  std::unique_ptr<Sender> s(new Sender());
  std::string_view base = options.endpoint;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  for (Signal signal : kAllSignals) {
    const RequestTarget& from = targets[SignalIndex(signal)];
    Target& to = s->targets_[SignalIndex(signal)];
    to.url = StrCat(base, from.path);
    to.path = from.path;
    to.headers = from.headers;
  }
  const std::size_t authority = base.find("://");
  const std::size_t path_start = authority == std::string_view::npos ? 0 : base.find('/', authority + 3);
  s->origin_ = std::string(base.substr(0, path_start));
  s->project_id_ = options.project_id;
  s->auth_ = std::move(auth);

  TransportOptions t;
  t.timeout = options.timeout;
  t.connect_timeout = options.connect_timeout;
  t.ca_file = options.ca_file;
  t.client_cert_file = options.client_cert_file;
  t.client_key_file = options.client_key_file;
  t.tls_verify = options.tls_verify;
  Result<std::unique_ptr<Transport>> transport = NewHttpTransport(t);
  if (!transport.ok()) return transport.status();
  s->transport_ = std::move(transport).value();
  return s;
}

std::optional<std::string> Sender::SameOriginPath(std::string_view location) const {
  if (location.starts_with("/") && !location.starts_with("//")) return std::string(location);
  // Absolute: the same scheme and authority, compared as written, then a path.
  if (location.size() > origin_.size() && EqualsIgnoreCase(location.substr(0, origin_.size()), origin_) &&
      location[origin_.size()] == '/') {
    return std::string(location.substr(origin_.size()));
  }
  return std::nullopt;
}

SendResult Sender::Post(Signal signal, std::string_view batch_id, Compression compression, std::string_view body,
                        const std::atomic<bool>* abandon) {
  const Target& target = targets_[SignalIndex(signal)];
  std::string url = target.url;
  std::string path = target.path;
  for (int hop = 0;; ++hop) {
    HttpRequest http;
    http.url = url;
    http.headers = target.headers;
    std::string_view encoding = ContentEncoding(compression);
    if (!encoding.empty()) http.headers.push_back({"Content-Encoding", std::string(encoding)});
    http.headers.push_back({"X-Batch-ID", std::string(batch_id)});
    Status signed_ok = auth_->Sign({"POST", path, project_id_, body}, &http.headers);
    if (!signed_ok.ok()) {
      SendResult failed;
      failed.status = signed_ok;
      return failed;
    }
    http.body = body;
    http.abandon = abandon;
    SendResult r = transport_->Post(http);
    if ((r.http_status != 307 && r.http_status != 308) || hop == kMaxRedirects) return r;
    std::optional<std::string> next = SameOriginPath(r.location);
    if (!next) return r;
    if (!warned_redirect_[SignalIndex(signal)]) {
      warned_redirect_[SignalIndex(signal)] = true;
      Log(LogLevel::kWarn, StrCat("the backend redirects POST ", RedactedUrl(path), " to ", RedactedUrl(*next),
                                  " (HTTP ", r.http_status, "): following it; point the endpoint or the format's "
                                  "path there to save the extra round trip"));
    }
    path = std::move(*next);
    url = StrCat(origin_, path);
  }
}

}  // namespace otelpack
