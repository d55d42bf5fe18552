// Sender: turns one encoded batch into one HTTP request and sends it.
//
// Prepare compresses once; Post signs and sends, and may be called again for a
// retry of the same prepared request (same body, same X-Batch-ID). Not
// thread-safe: one Sender per sending thread (it owns a codec context and a
// keep-alive connection).
#ifndef OTELPACK_EXPORTER_SENDER_H_
#define OTELPACK_EXPORTER_SENDER_H_

#include <memory>
#include <string>

#include "batch/batch_builder.h"
#include "otelpack/auth.h"
#include "otelpack/buffer.h"
#include "otelpack/compression.h"
#include "otelpack/exporter.h"
#include "transport/transport.h"

namespace otelpack {

struct PreparedRequest {
  std::string batch_id;
  std::uint32_t events = 0;
  std::size_t uncompressed_bytes = 0;
  Buffer body;  // compressed as the Content-Encoding says
};

class Sender {
 public:
  static Result<std::unique_ptr<Sender>> Create(const ExporterOptions& options);

  // Compresses `batch` into *out.
  Status Prepare(const EncodedBatch& batch, PreparedRequest* out);
  // One attempt to deliver `request`.
  SendResult Post(const PreparedRequest& request);

  Compression compression() const { return compressor_->algorithm(); }

 private:
  Sender() = default;

  std::string url_;
  std::string project_id_;
  std::vector<HttpHeader> static_headers_;  // content type, encoding, project, extra headers
  std::shared_ptr<const Authenticator> auth_;
  std::unique_ptr<Compressor> compressor_;
  std::unique_ptr<Transport> transport_;
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_SENDER_H_
