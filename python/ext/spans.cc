// The Python SDK's ReadableSpans as otelpack's model (spans.h).
#include "spans.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "values.h"
#include "py_ref.h"

namespace otelpack::python {
namespace {

// Interned once and never freed: they must outlive interpreter finalization.
struct Names {
  PyObject* context;
  PyObject* parent;
  PyObject* trace_id;
  PyObject* span_id;
  PyObject* trace_flags;
  PyObject* trace_state;
  PyObject* to_header;
  PyObject* name;
  PyObject* kind;
  PyObject* value;
  PyObject* start_time;
  PyObject* end_time;
  PyObject* status;
  PyObject* status_code;
  PyObject* description;
  PyObject* attributes;
  PyObject* private_attributes;
  PyObject* events;
  PyObject* links;
  PyObject* timestamp;
  PyObject* resource;
  PyObject* instrumentation_scope;
  PyObject* version;
  PyObject* schema_url;
  PyObject* dropped_attributes;
  PyObject* dropped_events;
  PyObject* dropped_links;
};
Names names;

// An attribute that may be missing (AttributeError) or None: both are "none".
PyRef Optional(PyObject* o, PyObject* name) {
  PyObject* v = PyObject_GetAttr(o, name);
  if (v == nullptr) {
    if (PyErr_ExceptionMatches(PyExc_AttributeError)) PyErr_Clear();
    return PyRef();
  }
  if (v == Py_None) {
    Py_DECREF(v);
    return PyRef();
  }
  return PyRef(v);
}

// Converts an int attribute; `fallback` when absent, None or not an int.
std::uint64_t UnsignedOr(PyObject* o, PyObject* name, std::uint64_t fallback) {
  PyRef v = Optional(o, name);
  if (!v || !PyLong_Check(v.get())) return fallback;
  const unsigned long long n = PyLong_AsUnsignedLongLong(v.get());
  if (n == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
    PyErr_Clear();  // negative or too large: not a time or count we can use
    return fallback;
  }
  return n;
}

std::uint32_t Count(PyObject* o, PyObject* name) {
  const std::uint64_t n = UnsignedOr(o, name, 0);
  return n > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(n);
}

// A Python int as `N` big-endian bytes (an id). False when it is not an int
// or does not fit: the id stays invalid (all zero).
template <std::size_t N>
bool IdBytes(PyObject* v, std::array<std::uint8_t, N>& out) {
  if (v == nullptr || !PyLong_Check(v)) return false;
#if PY_VERSION_HEX >= 0x030D0000
  const Py_ssize_t n = PyLong_AsNativeBytes(v, out.data(), N, Py_ASNATIVEBYTES_BIG_ENDIAN | Py_ASNATIVEBYTES_UNSIGNED_BUFFER | Py_ASNATIVEBYTES_REJECT_NEGATIVE);
  if (n < 0 || static_cast<std::size_t>(n) > N) {
    PyErr_Clear();
    out.fill(0);
    return false;
  }
#else
  if (_PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(v), out.data(), N, /*little_endian=*/0,
                          /*is_signed=*/0) != 0) {
    PyErr_Clear();
    out.fill(0);
    return false;
  }
#endif
  return true;
}

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

std::uint32_t Flags(PyObject* flags) {
  if (flags == nullptr || !PyLong_Check(flags)) return 0;
  const unsigned long v = PyLong_AsUnsignedLongMask(flags);
  return static_cast<std::uint32_t>(v & 0xFF);
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

// An enum member's int value (SpanKind, StatusCode), or the int itself.
long EnumValue(PyObject* member, long fallback) {
  if (member == nullptr) return fallback;
  if (PyLong_Check(member)) return PyLong_AsLong(member);
  PyRef v = Optional(member, names.value);
  if (!v || !PyLong_Check(v.get())) return fallback;
  return PyLong_AsLong(v.get());
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

// One span of the call with the objects it is grouped by (borrowed: the
// spans hold them while the call lasts).
struct Entry {
  PyObject* resource;
  PyObject* scope;
  std::size_t index;
};

bool ReadResource(PyObject* resource, Arena& arena, ResourceSpans& out) {
  if (resource == nullptr) return true;
  PyRef attributes = Optional(resource, names.attributes);
  if (!CopyAttributes(attributes.get(), arena, &out.resource.attributes)) return false;
  if (PyRef url = Optional(resource, names.schema_url)) out.schema_url = CopyStr(url.get(), arena);
  return true;
}

bool ReadScope(PyObject* scope, Arena& arena, ScopeSpans& out) {
  if (scope == nullptr) return true;
  if (PyRef name = Optional(scope, names.name)) out.scope.name = CopyStr(name.get(), arena);
  if (PyRef version = Optional(scope, names.version)) out.scope.version = CopyStr(version.get(), arena);
  if (PyRef url = Optional(scope, names.schema_url)) out.schema_url = CopyStr(url.get(), arena);
  PyRef attributes = Optional(scope, names.attributes);
  return CopyAttributes(attributes.get(), arena, &out.scope.attributes);
}

}  // namespace

void InitSpanNames() {
  auto n = [](const char* s) { return PyUnicode_InternFromString(s); };
  names = Names{n("context"), n("parent"), n("trace_id"), n("span_id"), n("trace_flags"), n("trace_state"),
                n("to_header"), n("name"), n("kind"), n("value"), n("start_time"), n("end_time"), n("status"),
                n("status_code"), n("description"), n("attributes"), n("_attributes"), n("events"), n("links"),
                n("timestamp"), n("resource"), n("instrumentation_scope"), n("version"), n("schema_url"),
                n("dropped_attributes"), n("dropped_events"), n("dropped_links")};
}

bool ConvertSpans(PyObject* spans, const ExtraFields& extra, Arena& arena, TracesView* out) {
  *out = {};
  PyRef fast(PySequence_Fast(spans, "spans must be a sequence of ReadableSpan"));
  if (!fast) return false;
  const std::size_t n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast.get()));
  if (n == 0) return true;

  // The resource and scope of each span, kept alive by `owners` while the
  // spans are read (a property may return a new object each time).
  std::vector<Entry> entries(n);
  std::vector<PyRef> owners;
  owners.reserve(2 * n);
  std::span<Span> records = arena.Make<Span>(n);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* py = PySequence_Fast_GET_ITEM(fast.get(), static_cast<Py_ssize_t>(i));
    if (!ReadSpan(py, extra, arena, records[i])) return false;
    owners.push_back(Optional(py, names.resource));
    PyObject* resource = owners.back().get();
    owners.push_back(Optional(py, names.instrumentation_scope));
    entries[i] = {resource, owners.back().get(), i};
  }

  auto by_group = [](const Entry& a, const Entry& b) {
    const std::less<const void*> less;  // a total order over unrelated pointers
    if (a.resource != b.resource) return less(a.resource, b.resource);
    if (a.scope != b.scope) return less(a.scope, b.scope);
    return a.index < b.index;
  };
  if (!std::is_sorted(entries.begin(), entries.end(), by_group)) std::sort(entries.begin(), entries.end(), by_group);

  std::size_t resource_count = 0;
  std::size_t scope_count = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const bool new_resource = k == 0 || entries[k].resource != entries[k - 1].resource;
    resource_count += new_resource;
    scope_count += new_resource || entries[k].scope != entries[k - 1].scope;
  }
  std::span<ResourceSpans> resources = arena.Make<ResourceSpans>(resource_count);
  std::span<ScopeSpans> scopes = arena.Make<ScopeSpans>(scope_count);
  std::span<Span> grouped = arena.Make<Span>(n);
  std::size_t r = 0;
  std::size_t s = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Entry& e = entries[k];
    const bool new_resource = k == 0 || e.resource != entries[k - 1].resource;
    if (new_resource) {
      if (k > 0) ++r;
      if (!ReadResource(e.resource, arena, resources[r])) return false;
      resources[r].scope_spans = {scopes.data() + (k == 0 ? 0 : s + 1), 0};
    }
    if (new_resource || e.scope != entries[k - 1].scope) {
      if (k > 0) ++s;
      if (!ReadScope(e.scope, arena, scopes[s])) return false;
      scopes[s].spans = {grouped.data() + k, 0};
      resources[r].scope_spans = {resources[r].scope_spans.data(), resources[r].scope_spans.size() + 1};
    }
    grouped[k] = records[e.index];
    scopes[s].spans = {scopes[s].spans.data(), scopes[s].spans.size() + 1};
  }
  *out = resources;
  return true;
}

}  // namespace otelpack::python
