// Python attribute values as otelpack's model, copied into an Arena.
//
// The mapping follows the Python SDK's own OTLP exporter, so that a span gives
// the same event in-process as through OTLP and the agent: str is a string,
// bool a bool, int an int (an int outside int64 is its decimal text, as the
// OpenTelemetry attribute-type mapping says of a big uint64), float a double,
// bytes (and bytearray) bytes (base64 in the event), a sequence an array, a
// mapping a key-value list (an object in the event), None an empty value
// (null). Anything else is its str(), as the SDK itself does with a value of
// an unknown type.
//
// Every string is copied: the view must stay valid once the GIL is released,
// when Python may free or change the objects. REQUIRES: the GIL is held.
#ifndef OTELPACK_PYTHON_EXT_VALUES_H_
#define OTELPACK_PYTHON_EXT_VALUES_H_

#include <Python.h>

#include <string_view>

#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::python {

// Nesting deeper than this (arrays and maps in one another) is written as
// null: the backend's JSON has a depth limit (docs/wire-protocol.md) and a
// cycle of containers must end somewhere.
inline constexpr int kMaxValueDepth = 16;

// The UTF-8 of a str (lone surrogates kept as their bytes, which the encoder
// replaces with U+FFFD), copied into `arena`. Empty for anything not a str.
std::string_view CopyStr(PyObject* s, Arena& arena);

AnyValue CopyValue(PyObject* value, Arena& arena, int depth = 0);

// Every item of a mapping (a dict, the SDK's BoundedAttributes, a
// MappingProxy, ...) as key-value pairs; a key that is not a str is its
// str(). None gives an empty list. False, with a Python error set, when the
// mapping cannot be iterated.
bool CopyAttributes(PyObject* mapping, Arena& arena, Attributes* out, int depth = 0);

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_VALUES_H_
