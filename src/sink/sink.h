// Sink: the reference backend. It implements docs/wire-protocol.md for real
// (HTTP/1.1 with keep-alive, authentication, compression, strict schema
// checks, idempotent batch ids, a SQLite store), and it can misbehave on
// purpose (FaultOptions) so that tests exercise every retry path against a
// real server on a real socket.
//
//   SinkOptions options;
//   options.auth.api_key = "secret";
//   auto sink = Sink::Start(options);       // listens on 127.0.0.1:<free port>
//   ... POST (*sink)->endpoint() + "/v1/ingest" ...
//   (*sink)->CountEvents();
//
// Thread-safe: every method may be called from any thread while the sink
// serves requests.
#ifndef OTELPACK_SINK_SINK_H_
#define OTELPACK_SINK_SINK_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/auth.h"
#include "otelpack/format.h"
#include "otelpack/status.h"
#include "sink/event_types.h"

namespace otelpack::sink {

// Misbehaviour on purpose. All off by default; SetFaults changes them while
// the sink runs. Faults apply to POST /v1/ingest only, after authentication
// and the header checks (a misconfigured client still sees its 401).
struct FaultOptions {
  // Fraction of ingest requests answered with `fail_status` (nothing stored).
  double fail_ratio = 0;
  int fail_status = 503;  // 400..599
  // Added before answering every ingest request whose body was read, after
  // storing: a client that times out and retries exercises batch-id dedup.
  // The sink keeps serving other connections meanwhile.
  std::chrono::milliseconds latency{0};
  // Fraction of ingest requests answered 429 with Retry-After: retry_after_seconds
  // (nothing stored).
  double throttle_ratio = 0;
  int retry_after_seconds = 1;
  // The fault choice is a seeded pseudo-random sequence: the same seed and the
  // same requests give the same faults. SetFaults restarts the sequence.
  std::uint64_t seed = 1;
};

struct SinkOptions {
  // "host:port" to listen on ("[::1]:port" for IPv6); port 0 picks a free one.
  std::string listen = "127.0.0.1:0";
  // The SQLite file (created when absent); empty: a private in-memory database.
  std::string db_path;
  // false: validate, deduplicate and count every batch, but store no event
  // (TraceJson and AllEvents find nothing). For load tests, where storing
  // each event would make the sink the bottleneck. Default true.
  bool keep_events = true;
  // The project this sink serves: X-Project-ID and the body's project_id must
  // equal it (else 403).
  std::string project_id = "demo";
  // The scheme and credential the sink demands (default: ApiKey, which needs
  // auth.api_key).
  AuthOptions auth;
  // The format the sink serves (docs/formats.md): its declared paths,
  // headers and framing, each event checked for the keys the declaration
  // always writes (src/sink/README.md says what else can and cannot be
  // checked). Default null: the article's protocol, POST /v1/ingest with the
  // strict schema of docs/wire-protocol.md.
  std::shared_ptr<const Format> format;
  // Compressed request body cap (413), enforced while receiving.
  std::size_t max_body_bytes = 8 << 20;
  // Decompressed body cap (413), enforced while decoding.
  std::size_t max_decompressed_bytes = 64 << 20;
  // Events in one request (413).
  std::size_t max_events_per_request = 10000;
  // JSON nesting depth (the body object is 1); deeper is 400.
  int max_json_depth = 64;
  // HTTP worker threads (each runs its own epoll loop); at least 1.
  unsigned threads = 2;
  // A connection idle this long is closed.
  std::chrono::seconds idle_timeout{30};
  FaultOptions faults;
};

struct SinkStats {
  std::uint64_t events = 0;      // events in the store
  EventCounts by_type;           // the same events by type
  std::uint64_t batches = 0;     // batches in the store
  std::uint64_t duplicates = 0;  // duplicate batch ids answered since Start
  // Answers to requests for /v1/ingest since Start, by HTTP status.
  std::map<int, std::uint64_t> requests_by_status;
};

class Sink {
 public:
  // Opens the store and starts listening. InvalidArgument for bad options
  // (a missing credential, an unparsable listen address, bad faults, a
  // format the sink cannot serve: ingest_protocol.h),
  // Unavailable when the address cannot be bound or the store not opened.
  static Result<std::unique_ptr<Sink>> Start(const SinkOptions& options);
  ~Sink();  // Stop()
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  // The port actually bound (the same one after RefuseConnectionsFor).
  std::uint16_t port() const;
  // "http://127.0.0.1:PORT" ("http://[::1]:PORT" for IPv6).
  std::string endpoint() const;
  // What it takes in, for a banner: "the article's format at /v1/ingest", or
  // the declared format's file and paths.
  std::string serves() const;

  void SetFaults(const FaultOptions& faults);  // out-of-range values are clamped
  // Closes the listening socket and every open connection now, so clients
  // see "connection refused", and listens again on the same port after
  // `duration`. A second call while refusing extends the window.
  void RefuseConnectionsFor(std::chrono::milliseconds duration);

  SinkStats Stats() const;
  Result<std::uint64_t> CountEvents() const;
  // The body of GET /v1/traces/{trace_id}; InvalidArgument unless trace_id is
  // 32 lowercase hex digits.
  Result<std::string> TraceJson(std::string_view trace_id) const;
  // The stored events (their JSON text as received) in insertion order.
  Result<std::vector<std::string>> AllEvents() const;
  // The events of GET /v1/events: those matching `filter`, in insertion order.
  Result<std::vector<std::string>> FindEvents(const EventFilter& filter) const;

  // Stops listening and closes every connection; idempotent. The store stays
  // readable (CountEvents, AllEvents, ...) until the Sink is destroyed.
  void Stop();

 private:
  struct Impl;
  explicit Sink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_SINK_H_
