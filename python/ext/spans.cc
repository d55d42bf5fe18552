// The Python SDK's ReadableSpans as otelpack's model (spans.h).
#include "spans.h"

#include <cstdint>
#include <span>
#include <utility>

#include "grouping.h"
#include "py_read.h"
#include "py_ref.h"
#include "values.h"

namespace otelpack::python {
namespace {

// The parts of a SpanContext. It is a tuple (trace_id, span_id, is_remote,
// trace_flags, trace_state, ...) in the SDK; read by name otherwise.
struct ContextParts {
  PyObject* trace_id = nullptr;  // borrowed from `holder` or the tuple
  PyObject* span_id = nullptr;
  PyObject* trace_flags = nullptr;
  PyObject* trace_state = nullptr;
  PyRef holder[4];
};

ContextParts ReadContext(PyObject* context) {
  ContextParts p;
  if (PyTuple_Check(context) && PyTuple_GET_SIZE(context) >= 5) {
    p.trace_id = PyTuple_GET_ITEM(context, 0);
    p.span_id = PyTuple_GET_ITEM(context, 1);
    p.trace_flags = PyTuple_GET_ITEM(context, 3);
    p.trace_state = PyTuple_GET_ITEM(context, 4);
    return p;
  }
  p.holder[0] = Optional(context, names.trace_id);
  p.holder[1] = Optional(context, names.span_id);
  p.holder[2] = Optional(context, names.trace_flags);
  p.holder[3] = Optional(context, names.trace_state);
  p.trace_id = p.holder[0].get();
  p.span_id = p.holder[1].get();
  p.trace_flags = p.holder[2].get();
  p.trace_state = p.holder[3].get();
  return p;
}

// The W3C tracestate header of a TraceState; empty when there is none.
std::string_view TraceStateHeader(PyObject* state, Arena& arena) {
  if (state == nullptr || state == Py_None) return {};
  if (PyUnicode_Check(state)) return CopyStr(state, arena);
  PyRef header(PyObject_CallMethodNoArgs(state, names.to_header));
  if (!header) {
    PyErr_Clear();
    return {};
  }
  return CopyStr(header.get(), arena);
}

SpanKind KindOf(const Fields& span) {
  PyRef kind = span.Get(names.private_kind, names.kind);
  // The Python API numbers INTERNAL..CONSUMER 0..4, OTLP 1..5.
  const long v = EnumValue(kind.get(), -1);
  return v >= 0 && v <= 4 ? static_cast<SpanKind>(v + 1) : SpanKind::kUnspecified;
}

void ReadStatus(const Fields& span, Span& out, Arena& arena) {
  PyRef status = span.Get(names.private_status, names.status);
  if (!status) return;
  const Fields fields(status.get());
  PyRef code = fields.Get(names.private_status_code, names.status_code);
  const long v = EnumValue(code.get(), 0);
  out.status_code = v == 1 ? SpanStatusCode::kOk : v == 2 ? SpanStatusCode::kError : SpanStatusCode::kUnset;
  PyRef description = fields.Get(names.private_description, names.description);
  if (description) out.status_message = CopyStr(description.get(), arena);
}

// A sequence attribute (events, links) as a fast sequence; none when absent.
PyRef FastSequence(PyObject* o, PyObject* name) {
  PyRef seq = Optional(o, name);
  if (!seq) return PyRef();
  PyRef fast(PySequence_Fast(seq.get(), "events and links must be sequences"));
  return fast;
}

// The SDK's events as a fast sequence: its BoundedList's deque, which C
// walks without calling the list's Python __iter__; none when absent.
PyRef FastEvents(const Fields& span) {
  PyRef events = span.Get(names.private_events, names.events);
  if (!events) return PyRef();
  if (!PyTuple_Check(events.get()) && !PyList_Check(events.get())) {
    if (PyRef dq = Optional(events.get(), names.private_dq)) events = std::move(dq);
    if (PyErr_Occurred()) return PyRef();
  }
  return PyRef(PySequence_Fast(events.get(), "events must be a sequence"));
}

bool ReadEvents(const Fields& span, Span& out, Arena& arena) {
  PyRef events = FastEvents(span);
  if (!events) return !PyErr_Occurred();
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(events.get());
  std::span<SpanEvent> list = arena.Make<SpanEvent>(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* e = PySequence_Fast_GET_ITEM(events.get(), i);
    SpanEvent& event = list[static_cast<std::size_t>(i)];
    const Fields fields(e);
    PyRef name = fields.Get(names.private_name, names.name);
    if (name) event.name = CopyStr(name.get(), arena);
    event.time_unix_nano = UnsignedValue(fields.Get(names.private_timestamp, names.timestamp).get(), 0);
    PyRef attributes = fields.Get(names.private_attributes, names.attributes);
    if (!CopyAttributes(attributes.get(), arena, &event.attributes)) return false;
  }
  out.events = list;
  return true;
}

bool ReadLinks(PyObject* span, Span& out, Arena& arena) {
  PyRef links = FastSequence(span, names.links);
  if (!links) return !PyErr_Occurred();
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(links.get());
  std::span<SpanLink> list = arena.Make<SpanLink>(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* l = PySequence_Fast_GET_ITEM(links.get(), i);
    SpanLink& link = list[static_cast<std::size_t>(i)];
    if (PyRef context = Optional(l, names.context)) {
      ContextParts c = ReadContext(context.get());
      IdBytes(c.trace_id, link.trace_id.bytes);
      IdBytes(c.span_id, link.span_id.bytes);
      link.flags = Flags(c.trace_flags);
      link.trace_state = TraceStateHeader(c.trace_state, arena);
    }
    PyRef attributes = Optional(l, names.attributes);
    if (!CopyAttributes(attributes.get(), arena, &link.attributes)) return false;
    link.dropped_attributes_count = Count(l, names.dropped_attributes);
  }
  out.links = list;
  return true;
}

// The span's fields are read through `f` (Fields: the SDK's private ones).
// Its `attributes` is a MappingProxy over `_attributes`, which could only be
// walked through Python calls; links and dropped counts (optional fields)
// are read through the public names.
bool ReadSpan(PyObject* py, const Fields& f, const ExtraFields& extra, Arena& arena, Span& out) {
  PyRef context = f.Get(names.private_context, names.context);
  if (!context) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a span without a context cannot be exported");
    return false;
  }
  ContextParts c = ReadContext(context.get());
  IdBytes(c.trace_id, out.trace_id.bytes);
  IdBytes(c.span_id, out.span_id.bytes);
  out.flags = Flags(c.trace_flags);
  if (extra.trace_state) out.trace_state = TraceStateHeader(c.trace_state, arena);
  if (PyRef parent = f.Get(names.private_parent, names.parent)) {
    ContextParts p = ReadContext(parent.get());
    IdBytes(p.span_id, out.parent_span_id.bytes);
  }
  if (PyRef name = f.Get(names.private_name, names.name)) out.name = CopyStr(name.get(), arena);
  if (extra.kind) out.kind = KindOf(f);
  out.start_time_unix_nano = UnsignedValue(f.Get(names.private_start_time, names.start_time).get(), 0);
  // An unended span lasts 0 rather than until the end of time.
  out.end_time_unix_nano =
      UnsignedValue(f.Get(names.private_end_time, names.end_time).get(), out.start_time_unix_nano);
  ReadStatus(f, out, arena);
  PyRef attributes = f.Get(names.private_attributes, names.attributes);
  if (!CopyAttributes(attributes.get(), arena, &out.attributes)) return false;
  if (!ReadEvents(f, out, arena)) return false;
  if (extra.links && !ReadLinks(py, out, arena)) return false;
  if (extra.dropped_counts) {
    out.dropped_attributes_count = Count(py, names.dropped_attributes);
    out.dropped_events_count = Count(py, names.dropped_events);
    out.dropped_links_count = Count(py, names.dropped_links);
  }
  return !PyErr_Occurred();
}

struct SpanGroups {
  using ResourceGroup = ResourceSpans;
  using ScopeGroup = ScopeSpans;
  using Record = Span;
  static std::span<const ScopeSpans>& Scopes(ResourceSpans& r) { return r.scope_spans; }
  static std::span<const Span>& Records(ScopeSpans& s) { return s.spans; }
};

}  // namespace

bool ConvertSpans(PyObject* spans, const ExtraFields& extra, Arena& arena, TracesView* out) {
  auto read_one = [&](PyObject* py, Span& span, PyRef& resource, PyRef& scope) {
    const Fields fields(py);
    if (!ReadSpan(py, fields, extra, arena, span)) return false;
    resource = fields.Get(names.private_resource, names.resource);
    scope = fields.Get(names.private_instrumentation_scope, names.instrumentation_scope);
    return true;
  };
  return ConvertGrouped<SpanGroups>(spans, "spans must be a sequence of ReadableSpan", arena, read_one, out);
}

}  // namespace otelpack::python
