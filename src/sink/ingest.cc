// The ingest request pipeline (docs/wire-protocol.md, "Request" to "Responses").
#include "sink/ingest.h"

#include <array>
#include <chrono>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "otelpack/compression.h"
#include "common/json_text.h"

namespace otelpack::sink {
namespace {

// A workspace whose buffers grew past this after a big body is not pooled:
// the memory goes back instead of staying with an idle workspace.
constexpr std::size_t kPooledBufferCap = 8 << 20;
constexpr std::size_t kMaxPooledWorkspaces = 8;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int StatusForDecodeError(const Status& s) {
  switch (s.code()) {
    case StatusCode::kTooLarge: return 413;
    case StatusCode::kDataLoss:
    case StatusCode::kInvalidArgument: return 400;
    default: return 500;
  }
}

}  // namespace

bool IsJsonContentType(std::string_view value) {
  const std::size_t semicolon = value.find(';');
  const std::string_view media = TrimSpaces(value.substr(0, semicolon));
  return EqualsIgnoreCase(media, "application/json");
}

bool IsValidBatchId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

HttpResponse ErrorResponse(int status, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = ErrorJson(message);
  return r;
}

StatsCounters::StatsCounters(const SinkStats& stored) {
  stats_.events = stored.events;
  stats_.by_type = stored.by_type;
  stats_.batches = stored.batches;
}

void StatsCounters::CountAnswer(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.requests_by_status[status];
}

void StatsCounters::CountBatch(const EventCounts& events) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.events += events.total();
  stats_.by_type.span += events.span;
  stats_.by_type.log += events.log;
  stats_.by_type.metric += events.metric;
  ++stats_.batches;
}

void StatsCounters::CountDuplicate() {
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.duplicates;
}

SinkStats StatsCounters::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

// What one request needs, kept between requests.
struct IngestPipeline::Workspace {
  std::unique_ptr<BodyReader> reader;
  Buffer decoded;
  IngestBody body;
  std::array<std::unique_ptr<Decompressor>, 4> decompressors;  // by Compression

  Result<Decompressor*> DecompressorFor(Compression c) {
    auto& slot = decompressors[static_cast<std::size_t>(c)];
    if (slot == nullptr) {
      Result<std::unique_ptr<Decompressor>> d = NewDecompressor(c);
      if (!d.ok()) return d.status();
      slot = std::move(d).value();
    }
    return slot.get();
  }
};

IngestPipeline::IngestPipeline(IngestConfig config, const IngestProtocol* protocol,
                               const Verifier* verifier, Store* store, FaultInjector* faults,
                               StatsCounters* stats)
    : config_(std::move(config)),
      protocol_(protocol),
      verifier_(verifier),
      store_(store),
      faults_(faults),
      stats_(stats) {}

IngestPipeline::~IngestPipeline() = default;

std::unique_ptr<IngestPipeline::Workspace> IngestPipeline::Acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      std::unique_ptr<Workspace> w = std::move(pool_.back());
      pool_.pop_back();
      return w;
    }
  }
  auto w = std::make_unique<Workspace>();
  w->reader = protocol_->NewReader();
  return w;
}

void IngestPipeline::Release(std::unique_ptr<Workspace> workspace) {
  if (workspace->decoded.capacity() > kPooledBufferCap) return;  // freed
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (pool_.size() < kMaxPooledWorkspaces) pool_.push_back(std::move(workspace));
}

HttpResponse IngestPipeline::Handle(const HttpRequest& request) {
  HttpResponse response = Process(request);
  // Late, but after storing: a client that gave up will retry a batch the
  // sink already holds.
  response.delay = faults_->Latency();
  return response;
}

HttpResponse IngestPipeline::Process(const HttpRequest& request) {
  if (request.body_over_cap) return ErrorResponse(413, "body: over the request size limit");

  // Where it goes, who is asking, and for which project.
  IngestRoute route;
  if (std::optional<HttpResponse> refused = protocol_->Route(request, &route)) return *refused;
  const RequestContext context{request.method, route.signed_path, route.project, request.body};
  if (Status s = verifier_->Verify(context, request.headers, std::chrono::system_clock::now());
      !s.ok()) {
    return ErrorResponse(401, s.message());
  }
  if (std::optional<HttpResponse> refused = protocol_->CheckHeaders(request, route)) {
    return *refused;
  }

  // How the body is sent.
  Result<Compression> compression =
      CompressionFromContentEncoding(request.headers("Content-Encoding").value_or(""));
  if (!compression.ok()) {
    return ErrorResponse(415, "Content-Encoding: expected gzip, zstd or lz4, or none");
  }
  const std::optional<std::string_view> batch_id = request.headers("X-Batch-ID");
  if (batch_id.has_value() && !IsValidBatchId(*batch_id)) {
    return ErrorResponse(400, "X-Batch-ID: expected 1 to 128 characters of [A-Za-z0-9._-]");
  }

  // Misbehaviour on purpose, before anything is stored.
  const FaultInjector::Decision fault = faults_->Next();
  if (fault.status != 0) {
    HttpResponse r = ErrorResponse(fault.status, "fault injection");
    if (fault.status == 429) {
      r.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_seconds));
    }
    return r;
  }

  std::unique_ptr<Workspace> w = Acquire();
  HttpResponse response = DecodeAndStore(w.get(), request.body, *compression, route, batch_id);
  Release(std::move(w));
  return response;
}

HttpResponse IngestPipeline::DecodeAndStore(Workspace* w, std::string_view body,
                                            Compression compression, const IngestRoute& route,
                                            std::optional<std::string_view> batch_id) {
  Result<Decompressor*> decompressor = w->DecompressorFor(compression);
  if (!decompressor.ok()) return ErrorResponse(500, decompressor.status().message());
  Status decoded = (*decompressor)->Decompress(body, config_.max_decompressed_bytes, &w->decoded);
  if (!decoded.ok()) {
    return ErrorResponse(StatusForDecodeError(decoded), StrCat("body: ", decoded.message()));
  }
  w->decoded.ReserveAppend(kJsonPadding);  // the parser reads past the end
  if (Status s = w->reader->Read(w->decoded.view(), route, &w->body); !s.ok()) {
    const int status = s.code() == StatusCode::kTooLarge           ? 413
                       : s.code() == StatusCode::kPermissionDenied ? 403
                                                                   : 400;
    return ErrorResponse(status, s.message());
  }
  Result<Store::AppendResult> stored = store_->Append(batch_id, NowMs(), w->body.events);
  if (!stored.ok()) return ErrorResponse(500, stored.status().message());
  if (stored->duplicate) {
    stats_->CountDuplicate();
  } else {
    stats_->CountBatch(CountByType(w->body.events));
  }
  HttpResponse response;
  response.body =
      StrCat("{\"accepted\":", stored->accepted, ",\"duplicate\":", stored->duplicate, "}");
  return response;
}

}  // namespace otelpack::sink
