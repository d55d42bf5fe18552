// The Python SDK's ReadableSpans as otelpack's model, in C++ against the
// Python objects: no Python code runs per span (only the SDK's own property
// getters). Spans are grouped by resource and scope object, as OTLP groups
// them, so a resource's attributes are converted once per export.
//
// The mapping follows the Python SDK's OTLP exporter (values.h for values):
// ids from the ints of the span context, the parent's span id (none for a
// root), the trace state's header, times in ns (an unended span lasts 0),
// SpanKind INTERNAL..CONSUMER as OTLP's 1..5, the status code and its
// description, events (an exception is an event named "exception"), links,
// the dropped counts, the resource and the instrumentation scope.
//
// REQUIRES: the GIL is held. The result views only `arena`: it stays valid
// after the GIL is released.
#ifndef OTELPACK_PYTHON_EXT_SPANS_H_
#define OTELPACK_PYTHON_EXT_SPANS_H_

#include <Python.h>

#include "otelpack/arena.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model.h"

namespace otelpack::python {

// `spans`: any sequence of ReadableSpan-like objects. What the event cannot
// carry under `extra` (links, trace state, dropped counts) is not read.
// False, with a Python error set, when a span is not readable as one.
bool ConvertSpans(PyObject* spans, const ExtraFields& extra, Arena& arena, TracesView* out);

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_SPANS_H_
