// Records grouped as OTLP nests them (resource -> scope -> records), for the
// adapters whose SDK hands an exporter a flat list in which each record
// points at its resource and scope: the OpenTelemetry C++ SDK's recordables
// (src/otel) and the Python SDK's ReadableSpans and log records (python/).
// The groups are views built in an Arena, so a caller that reuses the arena
// from one export to the next allocates nothing once it has grown.
#ifndef OTELPACK_MODEL_GROUPING_H_
#define OTELPACK_MODEL_GROUPING_H_

#include <algorithm>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "otelpack/arena.h"

namespace otelpack {

// One record of the flat list: the identities of its resource and scope
// (pointers that are equal exactly when the resource or the scope is the
// same, as the SDKs' objects are) and its position in the list.
struct GroupKey {
  const void* resource;
  const void* scope;
  std::size_t index;
};

// `Groups` says which model types a signal uses, for example for spans:
//   struct SpanGroups {
//     using ResourceGroup = ResourceSpans;  using ScopeGroup = ScopeSpans;  using Record = Span;
//     static std::span<const ScopeSpans>& Scopes(ResourceSpans& r) { return r.scope_spans; }
//     static std::span<const Span>& Records(ScopeSpans& s) { return s.spans; }
//   };
// Sorts `keys` by resource and scope unless they are grouped already (the
// common case: one provider, one tracer or logger), then builds the groups
// in `arena`, the records in their list order within each group:
//   record_of(index)           the record at `index` of the flat list;
//   fill_resource(key, group)  sets a ResourceGroup's resource and schema
//                              URL from the first key of the group;
//   fill_scope(key, group)     the same for a ScopeGroup.
// The fill functions return false to stop (the caller's error is set):
// GroupByResourceAndScope then returns false. REQUIRES: keys is not empty.
template <typename Groups, typename RecordOf, typename FillResource, typename FillScope>
bool GroupByResourceAndScope(std::vector<GroupKey>& keys, Arena& arena, RecordOf record_of,
                             FillResource fill_resource, FillScope fill_scope,
                             std::span<const typename Groups::ResourceGroup>* out) {
  auto by_group = [](const GroupKey& a, const GroupKey& b) {
    const std::less<const void*> less;  // a total order over unrelated pointers
    if (a.resource != b.resource) return less(a.resource, b.resource);
    if (a.scope != b.scope) return less(a.scope, b.scope);
    return a.index < b.index;
  };
  if (!std::is_sorted(keys.begin(), keys.end(), by_group)) std::sort(keys.begin(), keys.end(), by_group);

  const std::size_t n = keys.size();
  std::size_t resource_count = 0;
  std::size_t scope_count = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const bool new_resource = k == 0 || keys[k].resource != keys[k - 1].resource;
    resource_count += new_resource;
    scope_count += new_resource || keys[k].scope != keys[k - 1].scope;
  }
  std::span<typename Groups::ResourceGroup> resources = arena.Make<typename Groups::ResourceGroup>(resource_count);
  std::span<typename Groups::ScopeGroup> scopes = arena.Make<typename Groups::ScopeGroup>(scope_count);
  std::span<typename Groups::Record> grouped = arena.Make<typename Groups::Record>(n);
  std::size_t r = 0;
  std::size_t s = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const GroupKey& key = keys[k];
    const bool new_resource = k == 0 || key.resource != keys[k - 1].resource;
    if (new_resource) {
      if (k > 0) ++r;
      if (!fill_resource(key, resources[r])) return false;
      Groups::Scopes(resources[r]) = {scopes.data() + (k == 0 ? 0 : s + 1), 0};
    }
    if (new_resource || key.scope != keys[k - 1].scope) {
      if (k > 0) ++s;
      if (!fill_scope(key, scopes[s])) return false;
      Groups::Records(scopes[s]) = {grouped.data() + k, 0};
      auto& of_resource = Groups::Scopes(resources[r]);
      of_resource = {of_resource.data(), of_resource.size() + 1};
    }
    grouped[k] = record_of(key.index);
    auto& of_scope = Groups::Records(scopes[s]);
    of_scope = {of_scope.data(), of_scope.size() + 1};
  }
  *out = resources;
  return true;
}

}  // namespace otelpack

#endif  // OTELPACK_MODEL_GROUPING_H_
