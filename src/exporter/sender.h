// Sender: one HTTP attempt for one queued batch.
//
// Signs the request (a signature may cover a timestamp, so every attempt is
// signed anew), sends it, and returns the transport's classified result. The
// body is sent as queued, with the Content-Encoding it was compressed with
// (a batch recovered from the disk queue may predate a change of codec).
// Not thread-safe: one Sender per sending thread (it owns a keep-alive
// connection).
#ifndef OTELPACK_EXPORTER_SENDER_H_
#define OTELPACK_EXPORTER_SENDER_H_

#include <memory>
#include <string>
#include <vector>

#include "otelpack/auth.h"
#include "otelpack/compression.h"
#include "otelpack/exporter.h"
#include "transport/transport.h"

namespace otelpack {

class Sender {
 public:
  static Result<std::unique_ptr<Sender>> Create(const ExporterOptions& options,
                                                std::shared_ptr<const Authenticator> auth);

  SendResult Post(std::string_view batch_id, Compression compression, std::string_view body);

 private:
  Sender() = default;

  std::string url_;
  std::string project_id_;
  std::vector<HttpHeader> static_headers_;  // content type, project, the user's extra headers
  std::shared_ptr<const Authenticator> auth_;
  std::unique_ptr<Transport> transport_;
};

// The authenticator `options` ask for: options.authenticator, else one built
// from options.auth.
Result<std::shared_ptr<const Authenticator>> AuthenticatorFor(const ExporterOptions& options);

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_SENDER_H_
