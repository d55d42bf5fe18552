// OTLP/gRPC receiver on gRPC's async API with raw Export methods, one per
// row of the signal table (signal_routes.h): the request arrives as a
// grpc::ByteBuffer and is decoded by our own decoder; its Outcome
// (outcome.h) becomes the gRPC status.
//
// Each worker thread owns a completion queue and drives it: it waits for a
// call, serves it in place (decode, consume, answer) and only then asks for
// the next call, so a thread busy in a slow consumer holds no call that an
// idle thread could take. Shutdown: the server is shut down first (requests
// for calls then fail at once), then each worker is woken by an alarm and
// shuts its own queue down once none of its operations is pending, so no
// operation is ever started on a queue that is shut down.
//
// Compressed messages are inflated here, not by gRPC: gRPC 1.51 inflates a
// message whole and only then compares it with the size limit: gzip
// compresses zeros 1000:1, and a 256 KB message took 270 MB before it was
// refused (measured). With gRPC's decompression off, its limit applies to the
// message as received, and we inflate with the compression layer's capped
// inflater (compress/: gzip, and zlib for gRPC's "deflate"), the same limit
// enforced as we go.
#include "receiver/grpc_receiver.h"

#include <grpcpp/alarm.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/support/async_unary_call.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "auth/crypto.h"
#include "common/str_cat.h"
#include "common/thread_name.h"
#include "compress/codecs.h"
#include "http/tls.h"
#include "otelpack/arena.h"
#include "otelpack/buffer.h"
#include "otelpack/compression.h"
#include "otelpack/log.h"
#include "receiver/otlp_response.h"
#include "receiver/outcome.h"
#include "receiver/signal_routes.h"

// grpc::ByteBuffer hides the message's compression algorithm, which we need
// since we inflate it ourselves. gRPC declares this peer class a friend of
// ByteBuffer for its own tests; nothing else in the program defines it.
namespace grpc::internal {
class GrpcByteBufferPeer {
 public:
  static grpc_byte_buffer* Raw(ByteBuffer* buffer) { return buffer->c_buffer(); }
};
}  // namespace grpc::internal

namespace otelpack::receiver {
namespace {

// Threads serving calls. Decoding is CPU-bound and the consumer may block for
// a while (a full queue); four threads keep the transport polled while two
// are busy, and cost nothing while idle.
constexpr int kWorkerThreads = 4;
// gRPC messages travel in HTTP/2 trailers that clients cap at about 8 KiB.
constexpr std::size_t kMaxErrorMessageBytes = 1024;
// A scratch buffer grown past this by a large message is released after the call.
constexpr std::size_t kKeepScratchBytes = 4u << 20;

std::string Clip(std::string_view message) {
  return std::string(message.substr(0, kMaxErrorMessageBytes));
}

// "host:port" or "[v6]:port" with a numeric port.
Status CheckListenAddress(std::string_view listen) {
  std::size_t colon = listen.rfind(':');
  std::string_view port = colon == std::string_view::npos ? "" : listen.substr(colon + 1);
  bool numeric = !port.empty() && port.size() <= 5 &&
                 std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (colon == 0 || !numeric || std::stoul(std::string(port)) > 65535) {
    return Status::InvalidArgument(
        StrCat("grpc.listen: \"", listen, "\" is not host:port (a port from 0 to 65535)"));
  }
  return Status::Ok();
}

// A worker's buffers for a message that is not one uncompressed slice, and
// its decompressors, made on first use.
struct MessageScratch {
  std::string joined;  // the message's slices, joined: decoders want one buffer
  Buffer inflated;     // the message inflated
  std::unique_ptr<Decompressor> gzip;
  std::unique_ptr<Decompressor> zlib;  // gRPC's "deflate" is the zlib format (RFC 1950)

  // Gives back what a large message made them grow to.
  void Trim() {
    if (joined.capacity() > kKeepScratchBytes) std::string().swap(joined);
    if (inflated.capacity() > kKeepScratchBytes) inflated.Shrink();
  }
};

// The bytes of `slices`: in place when there is one (the usual case), else
// joined into *joined.
std::string_view Contiguous(const grpc_slice_buffer& slices, std::string* joined) {
  if (slices.count == 1) {
    return {reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(slices.slices[0])),
            GRPC_SLICE_LENGTH(slices.slices[0])};
  }
  joined->clear();
  joined->reserve(slices.length);
  for (std::size_t i = 0; i < slices.count; ++i) {
    joined->append(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(slices.slices[i])),
                   GRPC_SLICE_LENGTH(slices.slices[i]));
  }
  return *joined;
}

// Inflates a gzip or deflate `message` into scratch.inflated with the
// compression layer's capped inflater: output past `max_bytes` is refused as
// soon as it is produced, before it is allocated.
Status Inflate(std::string_view message, grpc_compression_algorithm algorithm,
               std::size_t max_bytes, MessageScratch& scratch, std::string_view* body) {
  const bool gzip = algorithm == GRPC_COMPRESS_GZIP;
  std::unique_ptr<Decompressor>& d = gzip ? scratch.gzip : scratch.zlib;
  if (d == nullptr) {
    Result<std::unique_ptr<Decompressor>> made =
        gzip ? compress::NewGzipDecompressor() : compress::NewZlibDecompressor();
    if (!made.ok()) return made.status();
    d = std::move(*made);
  }
  Status s = d->Decompress(message, max_bytes, &scratch.inflated);
  if (s.code() == StatusCode::kTooLarge) {
    return Status::TooLarge(StrCat("message inflates past the limit of ", max_bytes, " bytes"));
  }
  if (s.code() == StatusCode::kDataLoss) {
    return Status::InvalidArgument(
        StrCat("the message is not valid ", gzip ? "gzip" : "deflate", ": ", s.message()));
  }
  if (!s.ok()) return s;
  *body = scratch.inflated.view();
  return Status::Ok();
}

// The request message's bytes in *body: in place when the message is one
// uncompressed slice (the usual case), else joined or inflated into scratch.
Status ReadMessage(grpc::ByteBuffer& request, std::size_t max_bytes, MessageScratch& scratch,
                   std::string_view* body) {
  grpc_byte_buffer* raw = grpc::internal::GrpcByteBufferPeer::Raw(&request);
  if (raw == nullptr) {  // an empty message may come without a buffer
    *body = {};
    return Status::Ok();
  }
  if (raw->type != GRPC_BB_RAW) return Status::Internal("unexpected message buffer type");
  const std::string_view message = Contiguous(raw->data.raw.slice_buffer, &scratch.joined);
  switch (raw->data.raw.compression) {
    case GRPC_COMPRESS_NONE:
      *body = message;
      return Status::Ok();
    case GRPC_COMPRESS_DEFLATE:
    case GRPC_COMPRESS_GZIP:
      return Inflate(message, raw->data.raw.compression, max_bytes, scratch, body);
    default:
      // Not reached: gRPC has no other message compression, and refuses a
      // grpc-encoding it does not know before the call reaches us.
      return Status::Internal("unsupported message compression");
  }
}

// The Export method of every row of the signal table, raw: what the
// generated XService::WithRawMethod_Export does for one service, done here
// for each row, so that a row added to the table is served as it is.
class RawExportService final : public grpc::Service {
 public:
  RawExportService() {
    int index = 0;
    for (const SignalRoute& route : SignalRoutes()) {
      AddMethod(new grpc::internal::RpcServiceMethod(
          route.grpc_method, grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
      MarkMethodRaw(index++);
    }
  }

  // Asks for the next call of the method of SignalRoutes()[route].
  void RequestExport(int route, grpc::ServerContext* context, grpc::ByteBuffer* request,
                     grpc::ServerAsyncResponseWriter<grpc::ByteBuffer>* responder,
                     grpc::ServerCompletionQueue* cq, void* tag) {
    RequestAsyncUnary(route, context, request, responder, cq, cq, tag);
  }
};

// google.rpc.Code is gRPC's status code: the Outcome's code is passed as is.
static_assert(static_cast<int>(RpcCode::kInvalidArgument) == grpc::StatusCode::INVALID_ARGUMENT);
static_assert(static_cast<int>(RpcCode::kResourceExhausted) == grpc::StatusCode::RESOURCE_EXHAUSTED);
static_assert(static_cast<int>(RpcCode::kInternal) == grpc::StatusCode::INTERNAL);
static_assert(static_cast<int>(RpcCode::kUnavailable) == grpc::StatusCode::UNAVAILABLE);
static_assert(static_cast<int>(RpcCode::kUnauthenticated) == grpc::StatusCode::UNAUTHENTICATED);

// The Outcome as OTLP/gRPC answers it: OK with the Export*ServiceResponse in
// *response, or the error with its message (clipped for the trailers).
// RetryInfo goes with RESOURCE_EXHAUSTED only: that is how OTLP/gRPC tells a
// throttled client when to come back; clients retry UNAVAILABLE with their
// own backoff.
grpc::Status Answer(Signal signal, const Outcome& o, std::string* response) {
  std::string message = Clip(o.message);
  if (o.accepted()) {
    *response = ExportResponse(signal, BodyFormat::kProtobuf, o.records_rejected, message);
    return grpc::Status::OK;
  }
  const auto code = static_cast<grpc::StatusCode>(o.rpc_code);
  if (code == grpc::StatusCode::RESOURCE_EXHAUSTED && o.retry_delay.count() > 0) {
    std::string details = RpcStatus(BodyFormat::kProtobuf, o.rpc_code, message, o.retry_delay);
    return {code, message, details};
  }
  return {code, message};
}

// One Export call, from the request for it to its answer.
struct Call {
  explicit Call(int method) : route(method), responder(&context) {}
  const int route;  // index in SignalRoutes(): which signal's Export this is
  grpc::ServerContext context;
  grpc::ByteBuffer request;
  grpc::ServerAsyncResponseWriter<grpc::ByteBuffer> responder;
  bool answered = false;  // the next event for this call is its Finish
};

}  // namespace

struct GrpcReceiver::Impl {
  class Worker;

  // Constant after Start.
  GrpcReceiverOptions options;
  otlp::DecodeLimits limits;
  std::string expected_authorization;  // "Bearer <token>"; empty: no check
  Consumer* consumer = nullptr;
  TransportCounters* counters = nullptr;
  std::uint16_t port = 0;

  RawExportService service;
  // Declared before `server`: the server is destroyed first.
  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<grpc::Server> server;

  std::mutex shutdown_mu;
  bool shut_down = false;  // guarded by shutdown_mu

  // Serves one call of `route`: fills *response and returns the status to
  // answer with.
  grpc::Status Handle(const SignalRoute& route, grpc::ServerContext& context,
                      grpc::ByteBuffer& request, Arena& arena, MessageScratch& scratch,
                      std::string* response);
  // Everything between a call's arrival and its Outcome.
  Outcome Receive(const SignalRoute& route, grpc::ServerContext& context,
                  grpc::ByteBuffer& request, Arena& arena, MessageScratch& scratch);
  bool Authorized(const grpc::ServerContext& context) const;
};

class GrpcReceiver::Impl::Worker {
 public:
  Worker(Impl* impl, std::unique_ptr<grpc::ServerCompletionQueue> cq)
      : impl_(impl), cq_(std::move(cq)) {}

  // Asks the server for a call of every signal's method: once, before the
  // thread starts; after that the thread asks again for each call it served.
  void RequestCalls() {
    for (int route = 0; route < static_cast<int>(SignalRoutes().size()); ++route) {
      RequestCall(route);
    }
  }

  void Start() {
    thread_ = std::thread([this] { Run(); });
    NameThread(thread_, "otelpack-grpc");
  }

  // After the server is shut down: wake the thread so it shuts its queue down.
  void Wake() { wake_.Set(cq_.get(), std::chrono::system_clock::now(), &wake_); }

  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  // Shuts down and drains the queue when the thread never ran (Start failed).
  void DrainUnstarted() {
    cq_->Shutdown();
    void* tag;
    bool ok;
    while (cq_->Next(&tag, &ok)) {
      if (tag != &wake_) delete static_cast<Call*>(tag);
    }
  }

 private:
  void Run() {
    void* tag;
    bool ok;
    while (cq_->Next(&tag, &ok)) {
      if (tag == &wake_) {
        stopping_ = true;
      } else {
        --pending_;
        Call* call = static_cast<Call*>(tag);
        if (call->answered || !ok) {
          // Answered, or a request for a call that the server's shutdown failed.
          delete call;
        } else {
          const int route = call->route;
          Serve(call);
          RequestCall(route);  // fails at once, with !ok, once the server is shut down
        }
      }
      if (stopping_ && pending_ == 0 && !queue_shut_down_) {
        cq_->Shutdown();  // Next returns false once the queue is drained
        queue_shut_down_ = true;
      }
    }
  }

  // Asks the server for the next call of the method of SignalRoutes()[route].
  void RequestCall(int route) {
    Call* call = new Call(route);
    impl_->service.RequestExport(route, &call->context, &call->request, &call->responder,
                                 cq_.get(), call);
    ++pending_;
  }

  void Serve(Call* call) {
    std::string response;
    grpc::Status status = impl_->Handle(SignalRoutes()[static_cast<std::size_t>(call->route)],
                                        call->context, call->request, arena_, scratch_, &response);
    scratch_.Trim();
    call->answered = true;
    ++pending_;
    if (!status.ok()) {
      call->responder.FinishWithError(status, call);
      return;
    }
    grpc::Slice slice(response);  // an empty response is one empty slice
    grpc::ByteBuffer buffer(&slice, 1);
    call->responder.Finish(buffer, status, call);  // serializes `buffer` now
  }

  Impl* const impl_;
  const std::unique_ptr<grpc::ServerCompletionQueue> cq_;
  grpc::Alarm wake_;
  std::thread thread_;
  // Used by the worker's thread only.
  Arena arena_;          // the decoded model of the call being served
  MessageScratch scratch_;  // a request joined from several slices, or inflated
  int pending_ = 0;      // operations started on cq_ and not yet returned by Next
  bool stopping_ = false;
  bool queue_shut_down_ = false;
};

bool GrpcReceiver::Impl::Authorized(const grpc::ServerContext& context) const {
  auto [first, last] = context.client_metadata().equal_range("authorization");
  if (first == last || std::next(first) != last) return false;  // none, or ambiguous
  std::string_view value(first->second.data(), first->second.size());
  return auth::SecretEquals(value, expected_authorization);
}

grpc::Status GrpcReceiver::Impl::Handle(const SignalRoute& route, grpc::ServerContext& context,
                                        grpc::ByteBuffer& request, Arena& arena,
                                        MessageScratch& scratch, std::string* response) {
  ReceiverCounters& c = (*counters)[route.signal];
  c.requests.fetch_add(1, std::memory_order_relaxed);
  // As received: gRPC's decompression is off, so this is the wire size.
  c.bytes_received.fetch_add(request.Length(), std::memory_order_relaxed);
  return Answer(route.signal, Receive(route, context, request, arena, scratch), response);
}

Outcome GrpcReceiver::Impl::Receive(const SignalRoute& route, grpc::ServerContext& context,
                                    grpc::ByteBuffer& request, Arena& arena,
                                    MessageScratch& scratch) {
  ReceiverCounters& c = (*counters)[route.signal];
  if (!expected_authorization.empty() && !Authorized(context)) {
    return RequestFailed(Status::Unauthenticated("missing or wrong bearer token"), c);
  }
  std::string_view body;
  if (Status s = ReadMessage(request, options.max_message_bytes, scratch, &body); !s.ok()) {
    return RequestFailed(s, c);
  }
  // gRPC enforces the limit on what it receives (SetMaxReceiveMessageSize);
  // this keeps the contract whatever the library version does.
  if (body.size() > options.max_message_bytes) {
    return RequestFailed(Status::TooLarge(StrCat("message of ", body.size(),
                                                 " bytes is over the limit of ",
                                                 options.max_message_bytes)),
                         c);
  }
  // Too large once decoded is answered as a message over the size limit,
  // without RetryInfo, so that clients do not send it again (outcome.h).
  return route.export_request({.body = body,
                               .format = BodyFormat::kProtobuf,
                               .arena = &arena,
                               .limits = &limits,
                               .consumer = consumer,
                               .counters = &c});
}

namespace {

// The listening port's credentials: plain text, or TLS from the checked
// files; with a client CA the handshake requires a certificate it signed.
Result<std::shared_ptr<grpc::ServerCredentials>> Credentials(const http::TlsOptions& tls) {
  if (!tls.requested()) {
    return grpc::InsecureServerCredentials();
  }
  // gRPC 1.51 has no public way to raise its minimum (TLS 1.2; 1.3 is
  // negotiated whenever the client offers it): refused rather than ignored.
  if (tls.min_version != http::TlsVersion::k12) {
    return Status::InvalidArgument(
        StrCat("otlp/grpc: tls.min_version ", http::TlsVersionName(tls.min_version),
               " is not available with gRPC 1.51 (its API cannot raise the minimum above 1.2)"));
  }
  Result<http::TlsCredentials> loaded = http::LoadTlsCredentials(tls);
  if (!loaded.ok()) return Status::InvalidArgument(StrCat("otlp/grpc: ", loaded.status().message()));
  grpc::SslServerCredentialsOptions ssl(loaded->require_client_cert()
                                            ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                            : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_root_certs = loaded->client_ca_pem;
  ssl.pem_key_cert_pairs.push_back({loaded->private_key_pem, loaded->cert_chain_pem});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

Result<std::unique_ptr<GrpcReceiver>> GrpcReceiver::Start(const GrpcReceiverOptions& options,
                                                          const otlp::DecodeLimits& limits,
                                                          Consumer* consumer,
                                                          TransportCounters* counters) {
  if (consumer == nullptr || counters == nullptr) {
    return Status::InvalidArgument("otlp/grpc: a consumer and counters are required");
  }
  if (Status s = CheckListenAddress(options.listen); !s.ok()) return s;
  if (options.max_message_bytes == 0 || options.max_message_bytes > INT_MAX) {
    return Status::InvalidArgument(
        StrCat("grpc.max_message_bytes: ", options.max_message_bytes, " is not in 1..", INT_MAX));
  }

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->limits = limits;
  impl->consumer = consumer;
  impl->counters = counters;
  if (!options.bearer_token.empty()) impl->expected_authorization = "Bearer " + options.bearer_token;
  Result<std::shared_ptr<grpc::ServerCredentials>> credentials = Credentials(options.tls);
  if (!credentials.ok()) return credentials.status();

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  builder.RegisterService(&impl->service);
  // On the message as received; ReadMessage applies it again while inflating.
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
  // gRPC sets SO_REUSEPORT by default: a second agent would then share the
  // port silently instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Find dead clients within minutes rather than gRPC's 2 hours, and let
  // clients keep idle connections alive with their own pings (every 10 s at
  // most) without being sent GOAWAY "too_many_pings".
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 2 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  for (int i = 0; i < kWorkerThreads; ++i) {
    impl->workers.push_back(std::make_unique<Impl::Worker>(impl.get(), builder.AddCompletionQueue()));
  }
  impl->server = builder.BuildAndStart();
  if (impl->server == nullptr || port <= 0 || port > 65535) {
    if (impl->server != nullptr) impl->server->Shutdown();
    for (auto& w : impl->workers) w->DrainUnstarted();
    return Status::Unavailable(StrCat("otlp/grpc: cannot listen on ", options.listen));
  }
  impl->port = static_cast<std::uint16_t>(port);
  for (auto& w : impl->workers) {
    w->RequestCalls();
    w->Start();
  }
  Log(LogLevel::kInfo, StrCat("otlp/grpc: listening on ", options.listen, " (port ", port,
                              options.tls.enabled() ? ", TLS" : "", ")"));
  return std::unique_ptr<GrpcReceiver>(new GrpcReceiver(std::move(impl)));
}

GrpcReceiver::GrpcReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

GrpcReceiver::~GrpcReceiver() { Shutdown(std::chrono::milliseconds(0)); }

std::uint16_t GrpcReceiver::port() const { return impl_->port; }

void GrpcReceiver::Shutdown(std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(impl_->shutdown_mu);
  if (impl_->shut_down) return;
  impl_->shut_down = true;
  // Returns once every call has finished or, after the deadline, was cancelled.
  impl_->server->Shutdown(std::chrono::system_clock::now() + timeout);
  for (auto& w : impl_->workers) w->Wake();
  for (auto& w : impl_->workers) w->Join();
}

}  // namespace otelpack::receiver
