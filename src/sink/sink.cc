// Sink: wires the store, the service and the HTTP server together, and runs
// the timer that reopens the port after RefuseConnectionsFor.
#include "sink/sink.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "common/str_cat.h"
#include "common/thread_name.h"
#include "otelpack/log.h"
#include "sink/faults.h"
#include "sink/ingest_protocol.h"
#include "http/server.h"
#include "sink/service.h"
#include "sink/store.h"
#include "sink/validator.h"

namespace otelpack::sink {
namespace {

using http::HttpServer;
using http::ParseListenAddress;
using http::ServerOptions;

using Clock = std::chrono::steady_clock;

// How soon to retry listening when the port could not be bound again.
constexpr std::chrono::milliseconds kReopenRetry{50};

Status ValidateOptions(const SinkOptions& o) {
  if (o.threads < 1) return Status::InvalidArgument("sink: threads must be at least 1");
  if (o.max_body_bytes < 1) return Status::InvalidArgument("sink: max_body_bytes must be > 0");
  if (o.max_decompressed_bytes < 1) {
    return Status::InvalidArgument("sink: max_decompressed_bytes must be > 0");
  }
  if (o.max_events_per_request < 1) {
    return Status::InvalidArgument("sink: max_events_per_request must be > 0");
  }
  if (o.max_json_depth < 4) return Status::InvalidArgument("sink: max_json_depth must be >= 4");
  if (o.idle_timeout.count() < 1) return Status::InvalidArgument("sink: idle_timeout must be >= 1 s");
  if (o.project_id.empty()) return Status::InvalidArgument("sink: project_id must not be empty");
  return ValidateFaultOptions(o.faults);
}

}  // namespace

struct Sink::Impl {
  std::string serves;  // IngestProtocol::Describe
  std::unique_ptr<Store> store;
  std::unique_ptr<SinkService> service;
  std::unique_ptr<HttpServer> server;

  std::mutex mu;
  std::condition_variable wake;
  bool stopped = false;                       // guarded by mu
  std::optional<Clock::time_point> reopen_at;  // guarded by mu; set while refusing
  std::thread reopener;

  void ReopenLoop() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopped) {
      if (!reopen_at.has_value()) {
        wake.wait(lock);
      } else if (Clock::now() < *reopen_at) {
        wake.wait_until(lock, *reopen_at);
      } else if (Status s = server->Reopen(); s.ok()) {
        reopen_at.reset();
      } else {
        Log(LogLevel::kWarn, StrCat("sink: listening again failed, retrying: ", s.ToString()));
        reopen_at = Clock::now() + kReopenRetry;
      }
    }
  }
};

Result<std::unique_ptr<Sink>> Sink::Start(const SinkOptions& options) {
  if (Status s = ValidateOptions(options); !s.ok()) return s;
  ServerOptions server_options;
  server_options.name = "sink";
  if (Status s = ParseListenAddress(options.listen, &server_options.host, &server_options.port);
      !s.ok()) {
    return s;
  }
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.threads = options.threads;
  server_options.idle_timeout = options.idle_timeout;

  Result<std::unique_ptr<Verifier>> verifier = NewVerifier(options.auth);
  if (!verifier.ok()) return verifier.status();
  const BodyLimits limits{options.max_events_per_request, options.max_json_depth};
  Result<std::unique_ptr<IngestProtocol>> protocol = NewArticleProtocol(options.project_id, limits);
  if (options.format != nullptr) {
    protocol = NewDeclaredProtocol(*options.format, options.project_id, limits);
    if (!protocol.ok()) return protocol.status();
  }
  auto impl = std::make_unique<Impl>();
  impl->serves = (*protocol)->Describe();
  Result<std::unique_ptr<Store>> store = Store::Open(options.db_path, options.keep_events);
  if (!store.ok()) return store.status();
  impl->store = std::move(store).value();
  SinkStats stored;
  Result<std::uint64_t> events = impl->store->CountEvents();
  if (!events.ok()) return events.status();
  stored.events = *events;
  Result<std::uint64_t> batches = impl->store->CountBatches();
  if (!batches.ok()) return batches.status();
  stored.batches = *batches;
  Result<EventCounts> by_type = impl->store->CountByType();
  if (!by_type.ok()) return by_type.status();
  stored.by_type = *by_type;

  impl->service = std::make_unique<SinkService>(options, std::move(protocol).value(),
                                                std::move(verifier).value(), impl->store.get(), stored);
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(server_options, impl->service.get());
  if (!server.ok()) return server.status();
  impl->server = std::move(server).value();
  Impl* raw = impl.get();
  impl->reopener = std::thread([raw] { raw->ReopenLoop(); });
  NameThread(impl->reopener, "otelpack-reopen");
  return std::unique_ptr<Sink>(new Sink(std::move(impl)));
}

Sink::Sink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Sink::~Sink() { Stop(); }

void Sink::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->wake.notify_one();
  impl_->reopener.join();
  impl_->server->Close();
}

std::uint16_t Sink::port() const { return impl_->server->port(); }

std::string Sink::endpoint() const { return impl_->server->endpoint(); }

std::string Sink::serves() const { return impl_->serves; }

void Sink::SetFaults(const FaultOptions& faults) { impl_->service->SetFaults(faults); }

void Sink::RefuseConnectionsFor(std::chrono::milliseconds duration) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->stopped) return;
  const Clock::time_point until = Clock::now() + duration;
  if (!impl_->reopen_at.has_value() || *impl_->reopen_at < until) impl_->reopen_at = until;
  impl_->server->Close();
  impl_->wake.notify_one();
}

SinkStats Sink::Stats() const { return impl_->service->Stats(); }

Result<std::uint64_t> Sink::CountEvents() const { return impl_->store->CountEvents(); }

Result<std::string> Sink::TraceJson(std::string_view trace_id) const {
  if (!IsLowerHex(trace_id, 32)) {
    return Status::InvalidArgument("trace_id: expected 32 lowercase hex digits");
  }
  return impl_->store->TraceJson(trace_id);
}

Result<std::vector<std::string>> Sink::AllEvents() const { return impl_->store->AllEvents(); }

Result<std::vector<std::string>> Sink::FindEvents(const EventFilter& filter) const {
  return impl_->store->FindEvents(filter);
}

}  // namespace otelpack::sink
