// The table of signal_routes.h. A row names its decoders and its consumer
// method; ExportWith turns them into the one function both transports call.
#include "receiver/signal_routes.h"

#include <array>

namespace otelpack::receiver {
namespace {

template <typename View>
using DecodeFunction = Result<otlp::Decoded<View>> (*)(std::string_view, Arena&,
                                                       const otlp::DecodeLimits&);

// Decode, hand over, count: the same steps for every signal.
template <Signal kSignal, typename View, DecodeFunction<View> kDecodeProto,
          DecodeFunction<View> kDecodeJson, Status (Consumer::*kConsume)(View)>
Outcome ExportWith(const ExportCall& call) {
  call.arena->Reset();
  Result<otlp::Decoded<View>> decoded =
      call.format == BodyFormat::kJson ? kDecodeJson(call.body, *call.arena, *call.limits)
                                       : kDecodeProto(call.body, *call.arena, *call.limits);
  if (!decoded.ok()) return RequestFailed(decoded.status(), *call.counters);
  const Status consumed =
      decoded->records > 0 ? (call.consumer->*kConsume)(decoded->data) : Status::Ok();
  return RequestConsumed(kSignal, decoded->records, decoded->rejected, decoded->rejection,
                         consumed, *call.counters);
}

constexpr std::array kRoutes = {
    SignalRoute{Signal::kTraces, "/v1/traces",
                "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                &ExportWith<Signal::kTraces, TracesView, otlp::DecodeTracesProto,
                            otlp::DecodeTracesJson, &Consumer::ConsumeTraces>},
    SignalRoute{Signal::kLogs, "/v1/logs", "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
                &ExportWith<Signal::kLogs, LogsView, otlp::DecodeLogsProto, otlp::DecodeLogsJson,
                            &Consumer::ConsumeLogs>},
    SignalRoute{Signal::kMetrics, "/v1/metrics",
                "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
                &ExportWith<Signal::kMetrics, MetricsView, otlp::DecodeMetricsProto, otlp::DecodeMetricsJson,
                            &Consumer::ConsumeMetrics>},
};

}  // namespace

std::span<const SignalRoute> SignalRoutes() { return kRoutes; }

const SignalRoute* RouteForHttpPath(std::string_view path) {
  for (const SignalRoute& route : kRoutes) {
    if (route.http_path == path) return &route;
  }
  return nullptr;
}

}  // namespace otelpack::receiver
