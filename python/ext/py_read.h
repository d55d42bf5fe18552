// Reading the Python SDK's objects from C++: the attribute names (interned
// once), optional attributes, ints as times, counts and ids, enum values, and
// the resource and instrumentation scope every signal is grouped by.
// REQUIRES: the GIL is held.
#ifndef OTELPACK_PYTHON_EXT_PY_READ_H_
#define OTELPACK_PYTHON_EXT_PY_READ_H_

#include <Python.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "otelpack/arena.h"
#include "otelpack/model.h"
#include "py_ref.h"

namespace otelpack::python {

// Interned at import and never freed: they must outlive interpreter finalization.
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
  PyObject* log_record;
  PyObject* observed_timestamp;
  PyObject* severity_text;
  PyObject* severity_number;
  PyObject* body;
  PyObject* event_name;
  PyObject* resource_metrics;
  PyObject* scope_metrics;
  PyObject* scope;
  PyObject* metrics;
  PyObject* unit;
  PyObject* data;
  PyObject* data_points;
  PyObject* count;
  PyObject* sum;
  PyObject* bucket_counts;
  PyObject* explicit_bounds;
  PyObject* min;
  PyObject* max;
  PyObject* scale;
  PyObject* zero_count;
  PyObject* positive;
  PyObject* negative;
  PyObject* offset;
  PyObject* flags;
  PyObject* aggregation_temporality;
  PyObject* is_monotonic;
  PyObject* start_time_unix_nano;
  PyObject* time_unix_nano;
  // The private attributes behind the SDK's properties (Fields).
  PyObject* private_context;
  PyObject* private_parent;
  PyObject* private_name;
  PyObject* private_kind;
  PyObject* private_start_time;
  PyObject* private_end_time;
  PyObject* private_status;
  PyObject* private_status_code;
  PyObject* private_description;
  PyObject* private_events;
  PyObject* private_timestamp;
  PyObject* private_resource;
  PyObject* private_instrumentation_scope;
  PyObject* private_dq;
  PyObject* private_value;
};
extern Names names;

// Fills `names`. Called once, when the module is imported.
void InitNames();

// An attribute that may be missing (AttributeError) or None: both are none.
PyRef Optional(PyObject* o, PyObject* name);

// The SDK keeps a span's fields (and a status's, an event's) in private
// attributes behind properties, and reading a property from C is a call into
// Python: 18 a span, a third of export()'s time inside the SDK's processor
// (docs/benchmarks.md, section 11). Fields reads the private attribute when
// the object has it and the public one otherwise (another kind of object,
// or one that lacks the field), so anything span-like still converts.
class Fields {
 public:
  explicit Fields(PyObject* o) : o_(o) {}
  // The field, none when absent or None.
  PyRef Get(PyObject* private_name, PyObject* public_name) const;

 private:
  PyObject* o_;  // borrowed: the caller holds it for the Fields' life
};

// An int as a time or a count; `fallback` when null, None, not an int,
// negative or over 64 bits.
std::uint64_t UnsignedValue(PyObject* v, std::uint64_t fallback);
// An int attribute; `fallback` when absent, None, not an int, negative or
// over 64 bits.
std::uint64_t UnsignedOr(PyObject* o, PyObject* name, std::uint64_t fallback);
// A float (or int) attribute; none when absent, None or not a number.
std::optional<double> OptionalDouble(PyObject* o, PyObject* name);
// An int attribute as int64, saturated; `fallback` when absent or not an int.
std::int64_t SignedOr(PyObject* o, PyObject* name, std::int64_t fallback);
// A count (dropped attributes, ...), saturated at 32 bits.
std::uint32_t Count(PyObject* o, PyObject* name);

// An int id as N big-endian bytes; all zero (invalid) when it is not an int
// or does not fit.
bool IdBytes(PyObject* v, std::uint8_t* out, std::size_t n);
template <std::size_t N>
bool IdBytes(PyObject* v, std::array<std::uint8_t, N>& out) {
  return IdBytes(v, out.data(), N);
}

// The W3C trace flags of an int (TraceFlags is one), in the low byte.
std::uint32_t Flags(PyObject* flags);

// An enum member's int value (SpanKind, StatusCode, SeverityNumber), or the
// int itself; `fallback` for anything else.
long EnumValue(PyObject* member, long fallback);

// A resource's attributes and schema URL; nothing for a null resource.
bool ReadResource(PyObject* resource, Arena& arena, Resource& out, std::string_view& schema_url);
// A scope's name, version, attributes and schema URL; nothing for a null scope.
bool ReadScope(PyObject* scope, Arena& arena, InstrumentationScope& out, std::string_view& schema_url);

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_PY_READ_H_
