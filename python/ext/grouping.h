// From the SDK's flat list of records (spans, log records), each pointing at
// its resource and scope, to otelpack's model, which groups records as OTLP
// does (resource -> scope -> records). Records are grouped by the identity of
// their resource and scope objects, which the SDK shares among all the
// records of a provider and of a tracer or logger, so each resource's and
// scope's attributes are read once per export. REQUIRES: the GIL is held.
#ifndef OTELPACK_PYTHON_EXT_GROUPING_H_
#define OTELPACK_PYTHON_EXT_GROUPING_H_

#include <Python.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "otelpack/arena.h"
#include "py_read.h"
#include "py_ref.h"

namespace otelpack::python {

// Groups says which model types a signal uses, for example for spans:
//   struct SpanGroups {
//     using ResourceGroup = ResourceSpans;  using ScopeGroup = ScopeSpans;  using Record = Span;
//     static std::span<const ScopeSpans>& Scopes(ResourceSpans& r) { return r.scope_spans; }
//     static std::span<const Span>& Records(ScopeSpans& s) { return s.spans; }
//   };
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

  struct Entry {
    PyObject* resource;  // borrowed from `owners`
    PyObject* scope;
    std::size_t index;
  };
  std::vector<Entry> entries(n);
  // The resource and scope of each record stay alive while the records are
  // read (a property may return a new object each time).
  std::vector<PyRef> owners(2 * n);
  std::span<Record> records = arena.Make<Record>(n);
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(fast.get(), static_cast<Py_ssize_t>(i));
    if (!read_one(item, records[i], owners[2 * i], owners[2 * i + 1])) return false;
    entries[i] = {owners[2 * i].get(), owners[2 * i + 1].get(), i};
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
  std::span<typename Groups::ResourceGroup> resources = arena.Make<typename Groups::ResourceGroup>(resource_count);
  std::span<typename Groups::ScopeGroup> scopes = arena.Make<typename Groups::ScopeGroup>(scope_count);
  std::span<Record> grouped = arena.Make<Record>(n);
  std::size_t r = 0;
  std::size_t s = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Entry& e = entries[k];
    const bool new_resource = k == 0 || e.resource != entries[k - 1].resource;
    if (new_resource) {
      if (k > 0) ++r;
      if (!ReadResource(e.resource, arena, resources[r].resource, resources[r].schema_url)) return false;
      Groups::Scopes(resources[r]) = {scopes.data() + (k == 0 ? 0 : s + 1), 0};
    }
    if (new_resource || e.scope != entries[k - 1].scope) {
      if (k > 0) ++s;
      if (!ReadScope(e.scope, arena, scopes[s].scope, scopes[s].schema_url)) return false;
      Groups::Records(scopes[s]) = {grouped.data() + k, 0};
      auto& of_resource = Groups::Scopes(resources[r]);
      of_resource = {of_resource.data(), of_resource.size() + 1};
    }
    grouped[k] = records[e.index];
    auto& of_scope = Groups::Records(scopes[s]);
    of_scope = {of_scope.data(), of_scope.size() + 1};
  }
  *out = resources;
  return true;
}

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_GROUPING_H_
