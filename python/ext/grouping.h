// From the SDK's flat list of records (spans, log records), each pointing at
// its resource and scope, to otelpack's model, which groups records as OTLP
// does (resource -> scope -> records: otelpack/model/grouping.h, shared with
// the C++ SDK's adapter). Records are grouped by the identity of
// their resource and scope objects, which the SDK shares among all the
// records of a provider and of a tracer or logger, so each resource's and
// scope's attributes are read once per export. REQUIRES: the GIL is held.
#ifndef OTELPACK_PYTHON_EXT_GROUPING_H_
#define OTELPACK_PYTHON_EXT_GROUPING_H_

#include <Python.h>

#include <cstddef>
#include <span>
#include <vector>

#include "otelpack/arena.h"
#include "otelpack/model/grouping.h"
#include "py_read.h"
#include "py_ref.h"

namespace otelpack::python {

// Groups as for GroupByResourceAndScope (otelpack/model/grouping.h).
// `read_one(item, record, resource, scope)` reads one item of `sequence`
// into `record` and sets the new references `resource` and `scope` (either
// may stay null); false with a Python error set when the item is unreadable.
// The records are kept in the SDK's order within each group.
template <typename Groups, typename ReadOne>
bool ConvertGrouped(PyObject* sequence, const char* what, Arena& arena, ReadOne read_one,
                    std::span<const typename Groups::ResourceGroup>* out) {
  using Record = typename Groups::Record;
  *out = {};
  PyRef fast(PySequence_Fast(sequence, what));
  if (!fast) return false;
  const std::size_t n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast.get()));
  if (n == 0) return true;

  std::vector<GroupKey> keys(n);
  // The resource and scope of each record stay alive while the records are
  // read (a property may return a new object each time).
  std::vector<PyRef> owners(2 * n);
  std::span<Record> records = arena.Make<Record>(n);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(fast.get(), static_cast<Py_ssize_t>(i));
    if (!read_one(item, records[i], owners[2 * i], owners[2 * i + 1])) return false;
    keys[i] = {owners[2 * i].get(), owners[2 * i + 1].get(), i};
  }
  return GroupByResourceAndScope<Groups>(
      keys, arena, [&](std::size_t i) { return records[i]; },
      [&](const GroupKey& key, typename Groups::ResourceGroup& group) {
        return ReadResource(static_cast<PyObject*>(const_cast<void*>(key.resource)), arena, group.resource,
                            group.schema_url);
      },
      [&](const GroupKey& key, typename Groups::ScopeGroup& group) {
        return ReadScope(static_cast<PyObject*>(const_cast<void*>(key.scope)), arena, group.scope, group.schema_url);
      },
      out);
}

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_GROUPING_H_
