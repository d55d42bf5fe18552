// The telemetry model: OpenTelemetry traces, logs and metrics as otelpack
// sees them, shaped as in OTLP (resource -> scope -> records).
//
//   model/common.h   attribute values, ids, resource, instrumentation scope
//   model/traces.h   spans                      (TracesView)
//   model/logs.h     log records                (LogsView)
//   model/metrics.h  metrics and data points    (MetricsView)
//
// Every type is a *view* over storage the caller owns (see model/common.h).
#ifndef OTELPACK_MODEL_H_
#define OTELPACK_MODEL_H_

#include "otelpack/model/common.h"
#include "otelpack/model/logs.h"
#include "otelpack/model/metrics.h"
#include "otelpack/model/traces.h"
#include "otelpack/signal.h"

#endif  // OTELPACK_MODEL_H_
