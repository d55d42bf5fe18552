// The Python SDK's log records as otelpack's model (logs.h).
#include "logs.h"

#include <span>

#include "grouping.h"
#include "py_read.h"
#include "py_ref.h"
#include "values.h"

namespace otelpack::python {
namespace {

struct LogGroups {
  using ResourceGroup = ResourceLogs;
  using ScopeGroup = ScopeLogs;
  using Record = LogRecord;
  static std::span<const ScopeLogs>& Scopes(ResourceLogs& r) { return r.scope_logs; }
  static std::span<const LogRecord>& Records(ScopeLogs& s) { return s.log_records; }
};

// `item`: a ReadableLogRecord (SDK 1.39 on) or a LogData, both holding the
// API's LogRecord in `log_record`; or that LogRecord itself.
bool ReadLog(PyObject* item, Arena& arena, LogRecord& out, PyRef& resource, PyRef& scope) {
  PyRef inner = Optional(item, names.log_record);
  PyObject* record = inner ? inner.get() : item;
  out.time_unix_nano = UnsignedOr(record, names.timestamp, 0);
  out.observed_time_unix_nano = UnsignedOr(record, names.observed_timestamp, 0);
  PyRef severity = Optional(record, names.severity_number);
  const long number = EnumValue(severity.get(), 0);
  out.severity_number = number >= INT32_MIN && number <= INT32_MAX ? static_cast<SeverityNumber>(number) : 0;
  if (PyRef text = Optional(record, names.severity_text)) out.severity_text = CopyStr(text.get(), arena);
  if (PyRef body = Optional(record, names.body)) out.body = CopyValue(body.get(), arena);
  PyRef attributes = Optional(record, names.attributes);
  if (!CopyAttributes(attributes.get(), arena, &out.attributes)) return false;
  PyRef trace_id = Optional(record, names.trace_id);
  IdBytes(trace_id.get(), out.trace_id.bytes);
  PyRef span_id = Optional(record, names.span_id);
  IdBytes(span_id.get(), out.span_id.bytes);
  PyRef flags = Optional(record, names.trace_flags);
  out.flags = Flags(flags.get());
  if (PyRef name = Optional(record, names.event_name)) out.event_name = CopyStr(name.get(), arena);
  out.dropped_attributes_count = Count(item, names.dropped_attributes);
  resource = Optional(item, names.resource);
  if (!resource) resource = Optional(record, names.resource);
  scope = Optional(item, names.instrumentation_scope);
  return !PyErr_Occurred();
}

}  // namespace

bool ConvertLogs(PyObject* records, Arena& arena, LogsView* out) {
  auto read_one = [&](PyObject* item, LogRecord& record, PyRef& resource, PyRef& scope) {
    return ReadLog(item, arena, record, resource, scope);
  };
  return ConvertGrouped<LogGroups>(records, "log records must be a sequence of ReadableLogRecord", arena, read_one,
                                   out);
}

}  // namespace otelpack::python
