// Python attribute values as otelpack's model (values.h).
#include "values.h"

#include <cstdint>
#include <span>

#include "py_ref.h"

namespace otelpack::python {
namespace {

PyObject* DictName() {
  static PyObject* name = PyUnicode_InternFromString("_dict");  // never freed: outlives finalization
  return name;
}

// The dict behind a mapping when there is one to walk without calling into
// Python per item: the mapping itself, or the SDK's BoundedAttributes' own.
// A new reference, or null.
PyObject* BackingDict(PyObject* mapping) {
  if (PyDict_Check(mapping)) {
    Py_INCREF(mapping);
    return mapping;
  }
  if (PyTuple_Check(mapping) || PyList_Check(mapping)) return nullptr;
  PyObject* inner = PyObject_GetAttr(mapping, DictName());
  if (inner == nullptr) {
    PyErr_Clear();
    return nullptr;
  }
  if (!PyDict_Check(inner)) {
    Py_DECREF(inner);
    return nullptr;
  }
  return inner;
}

std::string_view CopyKey(PyObject* key, Arena& arena) {
  if (PyUnicode_Check(key)) return CopyStr(key, arena);
  PyRef text(PyObject_Str(key));
  if (text.get() == nullptr) {
    PyErr_Clear();
    return {};
  }
  return CopyStr(text.get(), arena);
}

AnyValue CopyInt(PyObject* value, Arena& arena) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
  if (overflow == 0 && !(v == -1 && PyErr_Occurred())) return AnyValue::Int(v);
  PyErr_Clear();
  PyRef text(PyObject_Str(value));
  if (text.get() == nullptr) {
    PyErr_Clear();
    return AnyValue();
  }
  return AnyValue::String(CopyStr(text.get(), arena));
}

AnyValue CopySequence(PyObject* value, Arena& arena, int depth) {
  PyRef fast(PySequence_Fast(value, "not a sequence"));
  if (fast.get() == nullptr) {
    PyErr_Clear();
    return AnyValue();
  }
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(fast.get());
  PyObject** items = PySequence_Fast_ITEMS(fast.get());
  std::span<AnyValue> out = arena.Make<AnyValue>(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = CopyValue(items[i], arena, depth + 1);
  return AnyValue::Array(out);
}

}  // namespace

std::string_view CopyStr(PyObject* s, Arena& arena) {
  if (!PyUnicode_Check(s)) return {};
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(s, &size);
  if (utf8 != nullptr) return arena.Copy(std::string_view(utf8, static_cast<std::size_t>(size)));
  // Lone surrogates have no UTF-8; their bytes as they are.
  PyErr_Clear();
  PyRef bytes(PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass"));
  if (bytes.get() == nullptr) {
    PyErr_Clear();
    return {};
  }
  return arena.Copy(std::string_view(PyBytes_AS_STRING(bytes.get()), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.get()))));
}

AnyValue CopyValue(PyObject* value, Arena& arena, int depth) {
  if (value == Py_None) return AnyValue();
  if (PyUnicode_Check(value)) return AnyValue::String(CopyStr(value, arena));
  if (PyBool_Check(value)) return AnyValue::Bool(value == Py_True);
  if (PyLong_Check(value)) return CopyInt(value, arena);
  if (PyFloat_Check(value)) return AnyValue::Double(PyFloat_AS_DOUBLE(value));
  if (PyBytes_Check(value)) {
    return AnyValue::Bytes(arena.Copy(std::string_view(PyBytes_AS_STRING(value), static_cast<std::size_t>(PyBytes_GET_SIZE(value)))));
  }
  if (PyByteArray_Check(value)) {
    return AnyValue::Bytes(arena.Copy(std::string_view(PyByteArray_AS_STRING(value), static_cast<std::size_t>(PyByteArray_GET_SIZE(value)))));
  }
  if (depth >= kMaxValueDepth) return AnyValue();
  if (PyTuple_Check(value) || PyList_Check(value)) return CopySequence(value, arena, depth);
  if (PyDict_Check(value) || PyMapping_Check(value)) {
    Attributes kv;
    if (CopyAttributes(value, arena, &kv, depth + 1)) return AnyValue::KvList(kv);
    PyErr_Clear();
  }
  if (PySequence_Check(value)) return CopySequence(value, arena, depth);
  PyRef text(PyObject_Str(value));
  if (text.get() == nullptr) {
    PyErr_Clear();
    return AnyValue();
  }
  return AnyValue::String(CopyStr(text.get(), arena));
}

bool CopyAttributes(PyObject* mapping, Arena& arena, Attributes* out, int depth) {
  *out = {};
  if (mapping == nullptr || mapping == Py_None) return true;
  if (PyRef dict(BackingDict(mapping)); dict.get() != nullptr) {
    std::span<KeyValue> kv = arena.Make<KeyValue>(static_cast<std::size_t>(PyDict_Size(dict.get())));
    Py_ssize_t pos = 0;
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    std::size_t i = 0;
    while (i < kv.size() && PyDict_Next(dict.get(), &pos, &key, &value)) {
      kv[i].key = CopyKey(key, arena);
      kv[i].value = CopyValue(value, arena, depth);
      ++i;
    }
    *out = kv.first(i);
    return true;
  }
  PyRef items(PyMapping_Items(mapping));
  if (items.get() == nullptr) return false;
  const Py_ssize_t n = PyList_GET_SIZE(items.get());
  std::span<KeyValue> kv = arena.Make<KeyValue>(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* pair = PyList_GET_ITEM(items.get(), i);
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
      PyErr_SetString(PyExc_TypeError, "a mapping's items() must be (key, value) pairs");
      return false;
    }
    kv[static_cast<std::size_t>(i)].key = CopyKey(PyTuple_GET_ITEM(pair, 0), arena);
    kv[static_cast<std::size_t>(i)].value = CopyValue(PyTuple_GET_ITEM(pair, 1), arena, depth);
  }
  *out = kv;
  return true;
}

}  // namespace otelpack::python
