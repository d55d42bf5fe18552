// ExporterOptions: the environment overlay and validation.
#include <charconv>
#include <cstdlib>

#include "common/str_cat.h"
#include "common/url.h"
#include "retry/retry_policy.h"
#include "otelpack/exporter.h"

namespace otelpack {
namespace {

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

}  // namespace

Result<ExporterOptions> ExporterOptions::FromEnvironment() {
  ExporterOptions o;
  if (const char* v = Env("OTELPACK_ENDPOINT")) o.endpoint = v;
  if (const char* v = Env("OTELPACK_PROJECT_ID")) o.project_id = v;
  if (const char* v = Env("OTELPACK_API_KEY")) o.auth.api_key = v;
  if (const char* v = Env("OTELPACK_AUTH")) {
    Result<AuthScheme> scheme = ParseAuthScheme(v);
    if (!scheme.ok()) return Status::InvalidArgument(StrCat("OTELPACK_AUTH: ", scheme.status().message()));
    o.auth.scheme = *scheme;
  }
  if (const char* v = Env("OTELPACK_COMPRESSION")) {
    Result<Compression> c = ParseCompression(v);
    if (!c.ok()) return Status::InvalidArgument(StrCat("OTELPACK_COMPRESSION: ", c.status().message()));
    o.compression = *c;
  }
  if (const char* v = Env("OTELPACK_COMPRESSION_LEVEL")) {
    std::string_view s(v);
    int level = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), level);
    if (ec != std::errc() || end != s.data() + s.size()) {
      return Status::InvalidArgument(StrCat("OTELPACK_COMPRESSION_LEVEL: '", s, "' is not an integer"));
    }
    o.compression_level = level;
  }
  if (const char* v = Env("OTELPACK_FORMAT")) {
    Result<std::shared_ptr<const Format>> format = Format::Load(v);
    if (!format.ok()) return Status::InvalidArgument(StrCat("OTELPACK_FORMAT: ", format.status().message()));
    o.format = *std::move(format);
  }
  return o;
}

Status ExporterOptions::Validate() const {
  if (endpoint.empty()) return Status::InvalidArgument("endpoint is empty (set it or OTELPACK_ENDPOINT)");
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return Status::InvalidArgument(StrCat("endpoint '", RedactedUrl(endpoint), "' must start with http:// or https://"));
  }
  if (project_id.empty() && (format == nullptr || format->uses_project_id())) {
    return Status::InvalidArgument("project_id is empty (set it or OTELPACK_PROJECT_ID)");
  }
  if (max_batch_events == 0) return Status::InvalidArgument("max_batch_events must be at least 1");
  if (max_batch_bytes < 1024) return Status::InvalidArgument("max_batch_bytes must be at least 1024");
  if (timeout.count() <= 0) return Status::InvalidArgument("timeout must be positive");
  if (connect_timeout.count() <= 0) return Status::InvalidArgument("connect_timeout must be positive");
  if (flush_interval.count() <= 0) return Status::InvalidArgument("flush_interval must be positive");
  if (concurrency < 1 || concurrency > 64) return Status::InvalidArgument("concurrency must be in 1..64");
  Status retry_ok = ValidateRetryOptions(retry);
  if (!retry_ok.ok()) return retry_ok;
  if (queue.kind == QueueKind::kDisk && queue.directory.empty()) {
    return Status::InvalidArgument("queue.directory is empty (the disk queue needs one)");
  }
  if (queue.kind == QueueKind::kMemory && queue.memory_max_bytes < max_batch_bytes) {
    return Status::InvalidArgument("queue.memory_max_bytes must be at least max_batch_bytes");
  }
  if (queue.block_timeout.count() < 0) return Status::InvalidArgument("queue.block_timeout must not be negative");
  Status level = ValidateCompressionLevel(compression, compression_level);
  if (!level.ok()) return Status::InvalidArgument(StrCat("compression_level: ", level.message()));
  return Status::Ok();
}

}  // namespace otelpack
