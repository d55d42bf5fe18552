#include "agent/metrics.h"

#include <cstdio>

#include "common/str_cat.h"
#include "otelpack/version.h"

namespace otelpack::agent {
namespace {

class Writer {
 public:
  // Starts a metric family: HELP and TYPE lines.
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += StrCat("# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
  }
  void Sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    out_ += StrCat(name, labels.empty() ? "" : "{", labels, labels.empty() ? "" : "}", " ", value, "\n");
  }
  void Sample(std::string_view name, std::string_view labels, double value) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.3f", value);
    out_ += StrCat(name, labels.empty() ? "" : "{", labels, labels.empty() ? "" : "}", " ", buf, "\n");
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::uint64_t Load(const std::atomic<std::uint64_t>& v) { return v.load(std::memory_order_relaxed); }

}  // namespace

std::string FormatPrometheus(const MetricsSnapshot& s) {
  Writer w;
  w.Family("otelpack_build_info", "gauge", "The agent's version.");
  w.Sample("otelpack_build_info", StrCat("version=\"", kVersion, "\""), std::uint64_t{1});
  w.Family("otelpack_uptime_seconds", "gauge", "Seconds since the agent started.");
  w.Sample("otelpack_uptime_seconds", "", s.uptime_seconds);

  struct Receiver {
    std::string_view transport;
    const receiver::TransportCounters* c;
  };
  const Receiver receivers[] = {{"http", s.http}, {"grpc", s.grpc}};
  auto labels = [](Signal signal, std::string_view transport) {
    return StrCat("signal=\"", SignalName(signal), "\",transport=\"", transport, "\"");
  };

  w.Family("otelpack_receiver_requests_total", "counter",
           "OTLP export requests received, by signal, transport and outcome.");
  for (const Receiver& r : receivers) {
    if (r.c == nullptr) continue;
    for (Signal signal : kAllSignals) {
      const receiver::ReceiverCounters& c = (*r.c)[signal];
      const std::uint64_t total = Load(c.requests);
      const std::uint64_t invalid = Load(c.requests_invalid);
      const std::uint64_t unauthenticated = Load(c.requests_unauthenticated);
      const std::uint64_t refused = Load(c.requests_refused);
      const std::uint64_t bad = invalid + unauthenticated + refused;
      const std::string t = StrCat(labels(signal, r.transport), ",outcome=\"");
      w.Sample("otelpack_receiver_requests_total", StrCat(t, "ok\""), total > bad ? total - bad : 0);
      w.Sample("otelpack_receiver_requests_total", StrCat(t, "invalid\""), invalid);
      w.Sample("otelpack_receiver_requests_total", StrCat(t, "unauthenticated\""), unauthenticated);
      w.Sample("otelpack_receiver_requests_total", StrCat(t, "refused\""), refused);
    }
  }
  w.Family("otelpack_receiver_records_total", "counter",
           "Records received (spans, log records, metric data points): accepted into the pipeline, "
           "refused under back-pressure (the client may retry), or rejected as invalid (partial success).");
  for (const Receiver& r : receivers) {
    if (r.c == nullptr) continue;
    for (Signal signal : kAllSignals) {
      const receiver::ReceiverCounters& c = (*r.c)[signal];
      const std::string t = StrCat(labels(signal, r.transport), ",outcome=\"");
      w.Sample("otelpack_receiver_records_total", StrCat(t, "accepted\""), Load(c.records_accepted));
      w.Sample("otelpack_receiver_records_total", StrCat(t, "refused\""), Load(c.records_refused));
      w.Sample("otelpack_receiver_records_total", StrCat(t, "rejected\""), Load(c.records_rejected));
    }
  }
  w.Family("otelpack_receiver_spans_total", "counter",
           "Spans received: accepted into the pipeline, refused under back-pressure "
           "(the client may retry), or rejected as invalid (partial success).");
  for (const Receiver& r : receivers) {
    if (r.c == nullptr) continue;
    const receiver::ReceiverCounters& c = (*r.c)[Signal::kTraces];
    const std::string t = StrCat(labels(Signal::kTraces, r.transport), ",outcome=\"");
    w.Sample("otelpack_receiver_spans_total", StrCat(t, "accepted\""), Load(c.records_accepted));
    w.Sample("otelpack_receiver_spans_total", StrCat(t, "refused\""), Load(c.records_refused));
    w.Sample("otelpack_receiver_spans_total", StrCat(t, "rejected\""), Load(c.records_rejected));
  }
  w.Family("otelpack_receiver_bytes_total", "counter", "Request bodies received, as sent (compressed).");
  for (const Receiver& r : receivers) {
    if (r.c == nullptr) continue;
    for (Signal signal : kAllSignals) {
      w.Sample("otelpack_receiver_bytes_total", labels(signal, r.transport), Load((*r.c)[signal].bytes_received));
    }
  }

  if (s.http != nullptr) {
    const http::ConnectionCounters& c = s.http->connections;
    w.Family("otelpack_receiver_connections", "gauge", "OTLP/HTTP connections open now.");
    w.Sample("otelpack_receiver_connections", "transport=\"http\"", Load(c.open));
    w.Family("otelpack_receiver_connections_accepted_total", "counter", "OTLP/HTTP connections accepted.");
    w.Sample("otelpack_receiver_connections_accepted_total", "transport=\"http\"", Load(c.accepted));
    w.Family("otelpack_receiver_connections_refused_total", "counter",
             "OTLP/HTTP connections closed unanswered on arrival, by the limit they hit "
             "(max_connections or max_connections_per_client). Alert on any increase.");
    w.Sample("otelpack_receiver_connections_refused_total", "transport=\"http\",limit=\"max_connections\"",
             Load(c.refused_max_connections));
    w.Sample("otelpack_receiver_connections_refused_total",
             "transport=\"http\",limit=\"max_connections_per_client\"", Load(c.refused_max_connections_per_client));
    w.Family("otelpack_receiver_connections_timed_out_total", "counter",
             "OTLP/HTTP connections closed because a request's line and headers took longer than "
             "read_header_timeout.");
    w.Sample("otelpack_receiver_connections_timed_out_total", "transport=\"http\",timeout=\"read_header_timeout\"",
             Load(c.closed_read_header_timeout));
  }

  const ExporterStats& e = s.exporter;
  auto exporter_outcomes = [&](std::string_view family, Signal signal, const SignalStats& st) {
    const std::string t = StrCat("signal=\"", SignalName(signal), "\",outcome=\"");
    w.Sample(family, StrCat(t, "sent\""), st.sent);
    w.Sample(family, StrCat(t, "dropped_oversized\""), st.dropped_oversized);
    w.Sample(family, StrCat(t, "dropped_permanent_error\""), st.dropped_permanent);
    w.Sample(family, StrCat(t, "dropped_retries_exhausted\""), st.dropped_retries_exhausted);
    w.Sample(family, StrCat(t, "dropped_shutdown\""), st.dropped_shutdown);
    w.Sample(family, StrCat(t, "left_on_disk\""), st.left_on_disk);
  };
  w.Family("otelpack_exporter_records_total", "counter",
           "Records after the receivers, by signal: sent (acknowledged by the backend), dropped by "
           "reason, or left in the disk queue at shutdown.");
  for (Signal signal : kAllSignals) exporter_outcomes("otelpack_exporter_records_total", signal, e.of(signal));
  w.Family("otelpack_exporter_spans_total", "counter",
           "Spans after the receivers: sent (acknowledged by the backend), dropped by reason, "
           "or left in the disk queue at shutdown.");
  exporter_outcomes("otelpack_exporter_spans_total", Signal::kTraces, e.traces);
  w.Family("otelpack_exporter_requests_total", "counter",
           "Requests to the backend by outcome; each retryable failure is retried or ends as "
           "retries_exhausted.");
  w.Sample("otelpack_exporter_requests_total", "outcome=\"ok\"", e.requests_ok);
  w.Sample("otelpack_exporter_requests_total", "outcome=\"failed_retryable\"", e.requests_failed_retryable);
  w.Sample("otelpack_exporter_requests_total", "outcome=\"failed_permanent\"", e.requests_failed_permanent);
  w.Family("otelpack_exporter_redirects_total", "counter",
           "Failed requests the backend answered with a redirect otelpack does not follow: the endpoint is "
           "wrong (the data is kept and retried). Alert on any increase.");
  w.Sample("otelpack_exporter_redirects_total", "", e.requests_redirected);
  w.Family("otelpack_exporter_retries_total", "counter", "Requests sent again after a retryable failure.");
  w.Sample("otelpack_exporter_retries_total", "", e.retries);
  w.Family("otelpack_exporter_bytes_total", "counter", "Request bodies sent, before and after compression.");
  w.Sample("otelpack_exporter_bytes_total", "stage=\"uncompressed\"", e.bytes_uncompressed);
  w.Sample("otelpack_exporter_bytes_total", "stage=\"compressed\"", e.bytes_compressed);
  w.Family("otelpack_exporter_queue_batches", "gauge", "Batches in the queue, in flight included.");
  w.Sample("otelpack_exporter_queue_batches", "", e.queue_depth);
  w.Family("otelpack_exporter_queue_bytes", "gauge", "Bytes in the queue.");
  w.Sample("otelpack_exporter_queue_bytes", "", e.queue_bytes);
  w.Family("otelpack_exporter_queue_capacity_bytes", "gauge", "The queue's bound in bytes.");
  w.Sample("otelpack_exporter_queue_capacity_bytes", "", s.queue_capacity_bytes);
  w.Family("otelpack_exporter_batches_pending", "gauge", "Batches closed and not yet delivered or dropped.");
  w.Sample("otelpack_exporter_batches_pending", "", e.batches_pending);
  return w.Take();
}

}  // namespace otelpack::agent
