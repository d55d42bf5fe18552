// The encoders of a declared format: each runs its signal's compiled plan
// (plan.h) over the records, one event per span, log record or data point,
// into the EventSink as the hand-written encoders do (encoder.h).
//
// Per record there is no interpretation beyond one dispatch per op (none
// for a plan of a shape known when otelpack is built, shape.h): the texts
// were merged and escaped when compiling, what depends only on the
// resource, scope or metric is written once for it and copied whole, and
// picked attributes are found in one pass. Like the hand-written encoders
// they never allocate per record once their buffers have grown, never fail
// (any input gives valid JSON in valid UTF-8) and are not thread-safe: one
// per exporter lane, all sharing one immutable plan.
#ifndef OTELPACK_FORMAT_DECLARED_DECLARED_ENCODER_H_
#define OTELPACK_FORMAT_DECLARED_DECLARED_ENCODER_H_

#include <memory>

#include "format/declared/plan.h"
#include "format/encoder.h"

namespace otelpack::format::declared {

std::unique_ptr<TracesEncoder> NewDeclaredTracesEncoder(std::shared_ptr<const Plan> plan);
std::unique_ptr<LogsEncoder> NewDeclaredLogsEncoder(std::shared_ptr<const Plan> plan);
std::unique_ptr<MetricsEncoder> NewDeclaredMetricsEncoder(std::shared_ptr<const MetricPlans> plans);

// Whether NewDeclaredTracesEncoder(traces_plan) runs the plan without a
// dispatch per op: its codes are a shape known when otelpack was built
// (shape.h), as the built-in article declaration's are.
bool RunsShaped(const Plan& traces_plan);

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_DECLARED_ENCODER_H_
