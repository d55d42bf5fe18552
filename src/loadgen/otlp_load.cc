#include "loadgen/otlp_load.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "common/str_cat.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/buffer.h"
#include "otlp/decode.h"
#include "transport/transport.h"

namespace otelpack::loadgen {

using Clock = std::chrono::steady_clock;

namespace {

std::string GrpcMethod(Signal signal) {
  switch (signal) {
    case Signal::kTraces: return "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    case Signal::kLogs: return "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    case Signal::kMetrics: return "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  }
  return {};
}

// Makes each distinct request of `options.signal`, encoded.
class RequestMaker {
 public:
  explicit RequestMaker(const OtlpLoadOptions& options) : options_(options) {
    const auto now = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    switch (options.signal) {
      case Signal::kTraces:
        spans_ = std::make_unique<SpanGenerator>(GeneratorOptions{.seed = options.seed, .start_unix_nano = now});
        break;
      case Signal::kLogs:
        logs_ = std::make_unique<LogGenerator>(LogGeneratorOptions{.seed = options.seed, .start_unix_nano = now});
        break;
      case Signal::kMetrics:
        metrics_ =
            std::make_unique<MetricGenerator>(MetricGeneratorOptions{.seed = options.seed, .start_unix_nano = now});
        break;
    }
  }

  void Next(std::string* body) {
    const std::size_t n = options_.records_per_request;
    if (spans_ != nullptr) otlp::EncodeTracesProto(spans_->Next(n), body);
    if (logs_ != nullptr) otlp::EncodeLogsProto(logs_->Next(n), body);
    if (metrics_ != nullptr) otlp::EncodeMetricsProto(metrics_->Next(n), body);
  }

 private:
  const OtlpLoadOptions& options_;
  std::unique_ptr<SpanGenerator> spans_;
  std::unique_ptr<LogGenerator> logs_;
  std::unique_ptr<MetricGenerator> metrics_;
};

}  // namespace

struct OtlpLoad::State {
  OtlpLoadOptions options;
  std::vector<std::string> bodies;  // encoded (and compressed) requests
  std::size_t raw_bytes = 0;        // their size before compression
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  std::atomic<std::uint64_t> requests_ok{0}, records_ok{0}, requests_refused{0},
      requests_failed{0}, bytes_sent{0};
  mutable std::mutex mu;
  std::string last_error;  // guarded by mu

  enum class Outcome { kOk, kRefused, kFailed };
  // One request over one connection; `retry_after` is set for kRefused.
  using SendFn = std::function<Outcome(const std::string& body, std::chrono::milliseconds* retry_after)>;

  SendFn HttpSender() {
    TransportOptions transport_options;
    transport_options.timeout = std::chrono::seconds(30);
    Result<std::unique_ptr<Transport>> made = NewHttpTransport(transport_options);
    if (!made.ok()) {
      SetError(std::string(made.status().message()));
      return nullptr;
    }
    auto transport = std::shared_ptr<Transport>(std::move(*made));
    auto request = std::make_shared<HttpRequest>();
    request->url = options.url;
    request->headers.push_back({"Content-Type", "application/x-protobuf"});
    if (options.compression != Compression::kNone) {
      request->headers.push_back({"Content-Encoding", std::string(ContentEncoding(options.compression))});
    }
    if (!options.bearer_token.empty()) {
      request->headers.push_back({"Authorization", StrCat("Bearer ", options.bearer_token)});
    }
    return [this, transport, request](const std::string& body, std::chrono::milliseconds* retry_after) {
      request->body = body;
      SendResult r = transport->Post(*request);
      if (r.status.ok()) return Outcome::kOk;
      if (r.http_status == 429 || r.http_status == 503) {
        *retry_after = r.retry_after.value_or(std::chrono::milliseconds(1000));
        return Outcome::kRefused;
      }
      SetError(StrCat(r.http_status == 0 ? "" : StrCat("HTTP ", r.http_status, ": "), r.status.message()));
      return Outcome::kFailed;
    };
  }

  SendFn GrpcSender() {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(-1);
    // One TCP connection per channel: gRPC would otherwise share one
    // connection among channels to the same address.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto stub = std::make_shared<grpc::GenericStub>(
        grpc::CreateCustomChannel(options.url, grpc::InsecureChannelCredentials(), args));
    return [this, stub](const std::string& body, std::chrono::milliseconds* retry_after) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      if (options.compression == Compression::kGzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
      if (!options.bearer_token.empty()) {
        context.AddMetadata("authorization", StrCat("Bearer ", options.bearer_token));
      }
      grpc::Slice slice(body.data(), body.size());
      grpc::ByteBuffer request(&slice, 1);
      grpc::ByteBuffer response;
      std::promise<grpc::Status> done;
      stub->UnaryCall(&context, GrpcMethod(options.signal), {}, &request, &response, [&done](grpc::Status s) { done.set_value(std::move(s)); });
      const grpc::Status s = done.get_future().get();
      if (s.ok()) return Outcome::kOk;
      if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
          s.error_code() == grpc::StatusCode::UNAVAILABLE) {
        *retry_after = std::chrono::milliseconds(1000);
        return Outcome::kRefused;
      }
      SetError(StrCat("gRPC ", static_cast<int>(s.error_code()), ": ", s.error_message()));
      return Outcome::kFailed;
    };
  }

  void Run(int connection) {
    SendFn send = options.protocol == OtlpProtocol::kGrpc ? GrpcSender() : HttpSender();
    if (send == nullptr) return;
    // Each connection paces itself at its share of the rate.
    const double per_connection = options.records_per_second / options.connections;
    const auto interval = per_connection > 0
        ? std::chrono::duration_cast<Clock::duration>(
              std::chrono::duration<double>(static_cast<double>(options.records_per_request) / per_connection))
        : Clock::duration::zero();
    Clock::time_point next = Clock::now();
    std::size_t i = static_cast<std::size_t>(connection);
    while (!stop.load(std::memory_order_relaxed)) {
      if (interval > Clock::duration::zero()) {
        while (Clock::now() < next && !stop.load(std::memory_order_relaxed)) {
          std::this_thread::sleep_for(std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(50)));
        }
        next += interval;
        if (stop.load(std::memory_order_relaxed)) break;
      }
      const std::string& body = bodies[i % bodies.size()];
      std::chrono::milliseconds retry_after{0};
      switch (send(body, &retry_after)) {
        case Outcome::kOk:
          ++i;
          requests_ok.fetch_add(1, std::memory_order_relaxed);
          records_ok.fetch_add(options.records_per_request, std::memory_order_relaxed);
          bytes_sent.fetch_add(body.size(), std::memory_order_relaxed);
          break;
        case Outcome::kRefused:  // the same request again later, as an SDK retries it
          requests_refused.fetch_add(1, std::memory_order_relaxed);
          for (auto until = Clock::now() + retry_after; Clock::now() < until && !stop.load();) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
          next = Clock::now();
          break;
        case Outcome::kFailed:
          ++i;
          requests_failed.fetch_add(1, std::memory_order_relaxed);
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          break;
      }
    }
  }

  void SetError(std::string e) {
    std::lock_guard<std::mutex> lock(mu);
    last_error = std::move(e);
  }
};

OtlpLoad::OtlpLoad(std::unique_ptr<State> state) : state_(std::move(state)) {}
OtlpLoad::~OtlpLoad() { Stop(); }

Result<std::unique_ptr<OtlpLoad>> OtlpLoad::Start(const OtlpLoadOptions& options) {
  if (options.connections < 1) return Status::InvalidArgument("load: connections must be at least 1");
  if (options.records_per_request < 1 || options.distinct_requests < 1) {
    return Status::InvalidArgument("load: records_per_request and distinct_requests must be at least 1");
  }
  auto state = std::make_unique<State>();
  state->options = options;
  RequestMaker requests(options);
  if (options.protocol == OtlpProtocol::kGrpc && options.compression != Compression::kNone &&
      options.compression != Compression::kGzip) {
    return Status::InvalidArgument("load: gRPC requests can only be gzip-compressed");
  }
  std::unique_ptr<Compressor> compressor;
  if (options.compression != Compression::kNone && options.protocol == OtlpProtocol::kHttp) {
    Result<std::unique_ptr<Compressor>> made = NewCompressor(options.compression);
    if (!made.ok()) return made.status();
    compressor = std::move(*made);
  }
  Buffer compressed;
  for (int i = 0; i < options.distinct_requests; ++i) {
    std::string body;
    requests.Next(&body);
    state->raw_bytes += body.size();
    if (compressor != nullptr) {
      if (Status s = compressor->Compress(body, &compressed); !s.ok()) return s;
      body.assign(compressed.data(), compressed.size());
    }
    state->bodies.push_back(std::move(body));
  }
  State* s = state.get();
  for (int c = 0; c < options.connections; ++c) s->threads.emplace_back([s, c] { s->Run(c); });
  return std::unique_ptr<OtlpLoad>(new OtlpLoad(std::move(state)));
}

void OtlpLoad::Stop() {
  state_->stop.store(true);
  for (std::thread& t : state_->threads) {
    if (t.joinable()) t.join();
  }
}

OtlpLoadStats OtlpLoad::Stats() const {
  OtlpLoadStats s;
  s.requests_ok = state_->requests_ok.load();
  s.records_ok = state_->records_ok.load();
  s.requests_refused = state_->requests_refused.load();
  s.requests_failed = state_->requests_failed.load();
  s.bytes_sent = state_->bytes_sent.load();
  std::lock_guard<std::mutex> lock(state_->mu);
  s.last_error = state_->last_error;
  return s;
}

double OtlpLoad::bytes_per_record() const {
  return static_cast<double>(state_->raw_bytes) /
         static_cast<double>(state_->bodies.size() * state_->options.records_per_request);
}

}  // namespace otelpack::loadgen
