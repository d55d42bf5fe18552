// The Python SDK's ReadableSpans as otelpack's model (spans.h).
#include "spans.h"

#include <cstdint>
#include <span>

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

SpanKind KindOf(PyObject* span) {
  PyRef kind = Optional(span, names.kind);
  // The Python API numbers INTERNAL..CONSUMER 0..4, OTLP 1..5.
  const long v = EnumValue(kind.get(), -1);
  return v >= 0 && v <= 4 ? static_cast<SpanKind>(v + 1) : SpanKind::kUnspecified;
}

void ReadStatus(PyObject* span, Span& out, Arena& arena) {
  PyRef status = Optional(span, names.status);
  if (!status) return;
  PyRef code = Optional(status.get(), names.status_code);
  const long v = EnumValue(code.get(), 0);
  out.status_code = v == 1 ? SpanStatusCode::kOk : v == 2 ? SpanStatusCode::kError : SpanStatusCode::kUnset;
  PyRef description = Optional(status.get(), names.description);
  if (description) out.status_message = CopyStr(description.get(), arena);
}

// A sequence attribute (events, links) as a fast sequence; none when absent.
PyRef FastSequence(PyObject* o, PyObject* name) {
  PyRef seq = Optional(o, name);
  if (!seq) return PyRef();
  PyRef fast(PySequence_Fast(seq.get(), "events and links must be sequences"));
  return fast;
}

bool ReadEvents(PyObject* span, Span& out, Arena& arena) {
  PyRef events = FastSequence(span, names.events);
  if (!events) return !PyErr_Occurred();
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(events.get());
  std::span<SpanEvent> list = arena.Make<SpanEvent>(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* e = PySequence_Fast_GET_ITEM(events.get(), i);
    SpanEvent& event = list[static_cast<std::size_t>(i)];
    PyRef name = Optional(e, names.name);
    if (name) event.name = CopyStr(name.get(), arena);
    event.time_unix_nano = UnsignedOr(e, names.timestamp, 0);
    PyRef attributes = Optional(e, names.attributes);
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

// The SDK's span keeps its BoundedAttributes in `_attributes`; its public
// `attributes` wraps them in a MappingProxy, which can only be walked through
// Python calls. Any other span-like object is read through `attributes`.
PyRef SpanAttributes(PyObject* span) {
  PyRef own = Optional(span, names.private_attributes);
  if (own) return own;
  return Optional(span, names.attributes);
}

bool ReadSpan(PyObject* py, const ExtraFields& extra, Arena& arena, Span& out) {
  PyRef context = Optional(py, names.context);
  if (!context) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a span without a context cannot be exported");
    return false;
  }
  ContextParts c = ReadContext(context.get());
  IdBytes(c.trace_id, out.trace_id.bytes);
  IdBytes(c.span_id, out.span_id.bytes);
  out.flags = Flags(c.trace_flags);
  if (extra.trace_state) out.trace_state = TraceStateHeader(c.trace_state, arena);
  if (PyRef parent = Optional(py, names.parent)) {
    ContextParts p = ReadContext(parent.get());
    IdBytes(p.span_id, out.parent_span_id.bytes);
  }
  if (PyRef name = Optional(py, names.name)) out.name = CopyStr(name.get(), arena);
  if (extra.kind) out.kind = KindOf(py);
  out.start_time_unix_nano = UnsignedOr(py, names.start_time, 0);
  // An unended span lasts 0 rather than until the end of time.
  out.end_time_unix_nano = UnsignedOr(py, names.end_time, out.start_time_unix_nano);
  ReadStatus(py, out, arena);
  PyRef attributes = SpanAttributes(py);
  if (!CopyAttributes(attributes.get(), arena, &out.attributes)) return false;
  if (!ReadEvents(py, out, arena)) return false;
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
    if (!ReadSpan(py, extra, arena, span)) return false;
    resource = Optional(py, names.resource);
    scope = Optional(py, names.instrumentation_scope);
    return true;
  };
  return ConvertGrouped<SpanGroups>(spans, "spans must be a sequence of ReadableSpan", arena, read_one, out);
}

}  // namespace otelpack::python
