// The Python metrics SDK's MetricsData as otelpack's model, in C++ against
// the Python objects. The SDK already groups metrics as OTLP does (resource
// -> scope -> metric -> data points), so the structure is kept as it is.
//
// Kinds come from the data's class (Gauge, Sum, Histogram,
// ExponentialHistogram); a number point's int stays an int and its float a
// double (an int beyond int64 becomes a double); a histogram's min and max,
// and a sum, are absent when not numbers; temporality and monotonicity are
// the SDK's. Exemplars are not carried: the metric event has no field for
// them (docs/wire-protocol.md, "Metric event").
//
// REQUIRES: the GIL is held. The result views only `arena`.
#ifndef OTELPACK_PYTHON_EXT_METRICS_H_
#define OTELPACK_PYTHON_EXT_METRICS_H_

#include <Python.h>

#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::python {

// False, with a Python error set, when `data` is not readable as MetricsData.
bool ConvertMetrics(PyObject* data, Arena& arena, MetricsView* out);

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_METRICS_H_
