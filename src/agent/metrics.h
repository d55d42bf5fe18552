// The agent's self-metrics in the Prometheus text exposition format (0.0.4).
// Counter names follow the Collector's (otelcol_receiver_accepted_spans ->
// otelpack_receiver_spans_total{outcome="accepted"}), with the signal and the
// outcome as labels so that one query sums or splits them.
#ifndef OTELPACK_AGENT_METRICS_H_
#define OTELPACK_AGENT_METRICS_H_

#include <string>

#include "otelpack/exporter.h"
#include "receiver/consumer.h"

namespace otelpack::agent {

struct MetricsSnapshot {
  const receiver::ReceiverCounters* http = nullptr;  // null: receiver disabled
  const receiver::ReceiverCounters* grpc = nullptr;
  ExporterStats exporter;
  std::uint64_t queue_capacity_bytes = 0;
  double uptime_seconds = 0;
};

std::string FormatPrometheus(const MetricsSnapshot& snapshot);

}  // namespace otelpack::agent

#endif  // OTELPACK_AGENT_METRICS_H_
