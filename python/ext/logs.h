// The Python SDK's log records (ReadableLogRecord, or the older LogData) as
// otelpack's model, in C++ against the Python objects, grouped by resource
// and scope as spans are (grouping.h).
//
// The mapping follows the Python SDK's OTLP log exporter (values.h for
// values): the times in ns (None is 0: unknown), the severity number's value
// and the severity text, the body as any value (None is null), the
// attributes, the trace and span ids from their ints (0 or None: not in a
// trace), the trace flags, the event name, the dropped attribute count.
//
// REQUIRES: the GIL is held. The result views only `arena`.
#ifndef OTELPACK_PYTHON_EXT_LOGS_H_
#define OTELPACK_PYTHON_EXT_LOGS_H_

#include <Python.h>

#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::python {

// False, with a Python error set, when a record is not readable as one.
bool ConvertLogs(PyObject* records, Arena& arena, LogsView* out);

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_LOGS_H_
