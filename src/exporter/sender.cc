#include "exporter/sender.h"

#include "common/str_cat.h"

namespace otelpack {

Result<std::unique_ptr<Sender>> Sender::Create(const ExporterOptions& options) {
  std::unique_ptr<Sender> s(new Sender());
  std::string_view base = options.endpoint;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  s->url_ = StrCat(base, "/v1/ingest");
  s->project_id_ = options.project_id;

  if (options.authenticator) {
    s->auth_ = options.authenticator;
  } else {
    Result<std::unique_ptr<Authenticator>> auth = NewAuthenticator(options.auth);
    if (!auth.ok()) return auth.status();
    s->auth_ = std::move(auth).value();
  }

  Result<std::unique_ptr<Compressor>> compressor = NewCompressor(options.compression, options.compression_level);
  if (!compressor.ok()) return compressor.status();
  s->compressor_ = std::move(compressor).value();

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

  s->static_headers_.push_back({"Content-Type", "application/json"});
  std::string_view encoding = ContentEncoding(options.compression);
  if (!encoding.empty()) s->static_headers_.push_back({"Content-Encoding", std::string(encoding)});
  s->static_headers_.push_back({"X-Project-ID", options.project_id});
  for (const HttpHeader& h : options.headers) s->static_headers_.push_back(h);
  return s;
}

Status Sender::Prepare(const EncodedBatch& batch, PreparedRequest* out) {
  out->batch_id = batch.batch_id;
  out->events = batch.events;
  out->uncompressed_bytes = batch.body.size();
  return compressor_->Compress(batch.body.view(), &out->body);
}

SendResult Sender::Post(const PreparedRequest& request) {
  HttpRequest http;
  http.url = url_;
  http.headers = static_headers_;
  http.headers.push_back({"X-Batch-ID", request.batch_id});
  RequestContext context{"POST", "/v1/ingest", project_id_, request.body.view()};
  Status signed_ok = auth_->Sign(context, &http.headers);
  if (!signed_ok.ok()) {
    SendResult failed;
    failed.status = signed_ok;
    return failed;
  }
  http.body = request.body.view();
  return transport_->Post(http);
}

}  // namespace otelpack
