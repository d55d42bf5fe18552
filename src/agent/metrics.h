// The agent's self-metrics in the Prometheus text exposition format (0.0.4).
// Counter names follow the Collector's (otelcol_receiver_accepted_spans ->
// otelpack_receiver_spans_total{outcome="accepted"}), with the signal and the
// outcome as labels so that one query sums or splits them. Records of every
// signal (spans, log records, data points) are in the *_records_total
// families; the *_spans_total families keep counting spans as they always did.
#ifndef OTELPACK_AGENT_METRICS_H_
#define OTELPACK_AGENT_METRICS_H_

#include <string>

#include "otelpack/exporter.h"
#include "receiver/consumer.h"

namespace otelpack::agent {

struct MetricsSnapshot {
  const receiver::TransportCounters* http = nullptr;  // null: receiver disabled
  const receiver::TransportCounters* grpc = nullptr;
  ExporterStats exporter;
  std::uint64_t queue_capacity_bytes = 0;
  double uptime_seconds = 0;
};

std::string FormatPrometheus(const MetricsSnapshot& snapshot);

}  // namespace otelpack::agent

#endif  // OTELPACK_AGENT_METRICS_H_
