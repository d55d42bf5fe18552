#include "exporter/sender.h"

#include "common/str_cat.h"

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

SendResult Sender::Post(Signal signal, std::string_view batch_id, Compression compression, std::string_view body) {
  const Target& target = targets_[SignalIndex(signal)];
  HttpRequest http;
  http.url = target.url;
  http.headers = target.headers;
  std::string_view encoding = ContentEncoding(compression);
  if (!encoding.empty()) http.headers.push_back({"Content-Encoding", std::string(encoding)});
  http.headers.push_back({"X-Batch-ID", std::string(batch_id)});
  Status signed_ok = auth_->Sign({"POST", target.path, project_id_, body}, &http.headers);
  if (!signed_ok.ok()) {
    SendResult failed;
    failed.status = signed_ok;
    return failed;
  }
  http.body = body;
  return transport_->Post(http);
}

}  // namespace otelpack
