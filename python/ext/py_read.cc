// Reading the Python SDK's objects from C++ (py_read.h).
#include "py_read.h"

#include <algorithm>

#include "values.h"

namespace otelpack::python {

Names names;

void InitNames() {
  auto n = [](const char* s) { return PyUnicode_InternFromString(s); };
  names = Names{n("context"), n("parent"), n("trace_id"), n("span_id"), n("trace_flags"), n("trace_state"),
                n("to_header"), n("name"), n("kind"), n("value"), n("start_time"), n("end_time"), n("status"),
                n("status_code"), n("description"), n("attributes"), n("_attributes"), n("events"), n("links"),
                n("timestamp"), n("resource"), n("instrumentation_scope"), n("version"), n("schema_url"),
                n("dropped_attributes"), n("dropped_events"), n("dropped_links"), n("log_record"),
                n("observed_timestamp"), n("severity_text"), n("severity_number"), n("body"), n("event_name"), n("resource_metrics"),
                n("scope_metrics"), n("scope"), n("metrics"), n("unit"), n("data"), n("data_points"), n("count"),
                n("sum"), n("bucket_counts"), n("explicit_bounds"), n("min"), n("max"), n("scale"), n("zero_count"),
                n("positive"), n("negative"), n("offset"), n("flags"), n("aggregation_temporality"),
                n("is_monotonic"), n("start_time_unix_nano"), n("time_unix_nano"), n("_context"), n("_parent"),
                n("_name"), n("_kind"), n("_start_time"), n("_end_time"), n("_status"), n("_status_code"),
                n("_description"), n("_events"), n("_timestamp"), n("_resource"), n("_instrumentation_scope"),
                n("_dq"), n("_value_")};
}

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

PyRef Fields::Get(PyObject* private_name, PyObject* public_name) const {
  // For an instance attribute CPython reads the object's own values without
  // a call (and, unlike asking for its __dict__, without making one).
  PyObject* v = PyObject_GetAttr(o_, private_name);
  if (v == nullptr) {
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return PyRef();
    PyErr_Clear();
    return Optional(o_, public_name);
  }
  if (v == Py_None) {
    Py_DECREF(v);
    return PyRef();
  }
  return PyRef(v);
}

std::uint64_t UnsignedValue(PyObject* v, std::uint64_t fallback) {
  if (v == nullptr || !PyLong_Check(v)) return fallback;
  const unsigned long long n = PyLong_AsUnsignedLongLong(v);
  if (n == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
    PyErr_Clear();  // negative or too large: not a time or count we can use
    return fallback;
  }
  return n;
}

std::uint64_t UnsignedOr(PyObject* o, PyObject* name, std::uint64_t fallback) {
  PyRef v = Optional(o, name);
  return UnsignedValue(v.get(), fallback);
}

std::optional<double> OptionalDouble(PyObject* o, PyObject* name) {
  PyRef v = Optional(o, name);
  if (!v || PyBool_Check(v.get()) || !(PyFloat_Check(v.get()) || PyLong_Check(v.get()))) return std::nullopt;
  const double d = PyFloat_AsDouble(v.get());
  if (d == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();  // an int too large for a double
    return std::nullopt;
  }
  return d;
}

std::int64_t SignedOr(PyObject* o, PyObject* name, std::int64_t fallback) {
  PyRef v = Optional(o, name);
  if (!v || !PyLong_Check(v.get())) return fallback;
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(v.get(), &overflow);
  if (overflow != 0) return overflow > 0 ? INT64_MAX : INT64_MIN;
  if (n == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    return fallback;
  }
  return n;
}

std::uint32_t Count(PyObject* o, PyObject* name) {
  const std::uint64_t n = UnsignedOr(o, name, 0);
  return n > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(n);
}

bool IdBytes(PyObject* v, std::uint8_t* out, std::size_t n) {
  std::fill(out, out + n, 0);
  if (v == nullptr || !PyLong_Check(v)) return false;
#if PY_VERSION_HEX >= 0x030D0000
  const Py_ssize_t used = PyLong_AsNativeBytes(
      v, out, static_cast<Py_ssize_t>(n),
      Py_ASNATIVEBYTES_BIG_ENDIAN | Py_ASNATIVEBYTES_UNSIGNED_BUFFER | Py_ASNATIVEBYTES_REJECT_NEGATIVE);
  if (used < 0 || static_cast<std::size_t>(used) > n) {
    PyErr_Clear();
    std::fill(out, out + n, 0);
    return false;
  }
#else
  if (_PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(v), out, n, /*little_endian=*/0, /*is_signed=*/0) != 0) {
    PyErr_Clear();
    std::fill(out, out + n, 0);
    return false;
  }
#endif
  return true;
}

std::uint32_t Flags(PyObject* flags) {
  if (flags == nullptr || !PyLong_Check(flags)) return 0;
  const unsigned long v = PyLong_AsUnsignedLongMask(flags);
  return static_cast<std::uint32_t>(v & 0xFF);
}

long EnumValue(PyObject* member, long fallback) {
  if (member == nullptr) return fallback;
  if (PyLong_Check(member)) return PyLong_AsLong(member);
  // `value` is a property of Enum (a Python call); `_value_` is the member's own.
  PyRef v = Fields(member).Get(names.private_value, names.value);
  if (!v || !PyLong_Check(v.get())) return fallback;
  return PyLong_AsLong(v.get());
}

bool ReadResource(PyObject* resource, Arena& arena, Resource& out, std::string_view& schema_url) {
  if (resource == nullptr) return true;
  PyRef attributes = Optional(resource, names.attributes);
  if (!CopyAttributes(attributes.get(), arena, &out.attributes)) return false;
  if (PyRef url = Optional(resource, names.schema_url)) schema_url = CopyStr(url.get(), arena);
  return true;
}

bool ReadScope(PyObject* scope, Arena& arena, InstrumentationScope& out, std::string_view& schema_url) {
  if (scope == nullptr) return true;
  if (PyRef name = Optional(scope, names.name)) out.name = CopyStr(name.get(), arena);
  if (PyRef version = Optional(scope, names.version)) out.version = CopyStr(version.get(), arena);
  if (PyRef url = Optional(scope, names.schema_url)) schema_url = CopyStr(url.get(), arena);
  PyRef attributes = Optional(scope, names.attributes);
  return CopyAttributes(attributes.get(), arena, &out.attributes);
}

}  // namespace otelpack::python
