// From the SDK's recordables to one Exporter::Export, for the span and the
// log record exporters alike. The SDK hands an exporter a flat list of
// recordables, each pointing at its resource and scope; otelpack's model
// groups records as OTLP does (resource -> scope -> records). The grouping is
// built as views in an arena the exporter reuses from one Export to the
// next: only the record structs are copied (their strings and lists stay in
// the recordables) and the resource and scope attributes view the SDK's own.
#ifndef OTELPACK_OTEL_GROUPING_H_
#define OTELPACK_OTEL_GROUPING_H_

#include <algorithm>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include <memory>
#include <string_view>
#include <typeinfo>

#include "common/str_cat.h"
#include "opentelemetry/nostd/span.h"
#include "opentelemetry/sdk/common/exporter_utils.h"
#include "opentelemetry/sdk/instrumentationscope/instrumentation_scope.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "otel/pipeline_lease.h"
#include "otel/values.h"
#include "otelpack/arena.h"
#include "otelpack/log.h"

namespace otelpack::otel {

// One recordable of the SDK's call, with what it is grouped by.
template <typename Recordable>
struct GroupEntry {
  const opentelemetry::sdk::resource::Resource* resource;
  const opentelemetry::sdk::instrumentationscope::InstrumentationScope* scope;
  std::size_t index;  // in the call: keeps the SDK's order within a group
  const Recordable* recordable;
};

// Groups says which model types a signal uses, for example for spans:
//   struct SpanGroups {
//     using ResourceGroup = ResourceSpans;  using ScopeGroup = ScopeSpans;  using Record = Span;
//     static std::span<const ScopeSpans>& Scopes(ResourceSpans& r) { return r.scope_spans; }
//     static std::span<const Span>& Records(ScopeSpans& s) { return s.spans; }
//     using Recordable = OtelpackRecordable;  // the exporter's own recordable class (final)
//     static Span RecordOf(const OtelpackRecordable& r) { return r.span(); }
//     static constexpr std::string_view kWhat = "span";  // for messages
//   };
// `entries` is sorted in place unless already grouped (the common case: one
// provider, one tracer or logger). REQUIRES: entries is not empty.
template <typename Groups, typename Recordable>
std::span<const typename Groups::ResourceGroup> GroupByResourceAndScope(
    std::vector<GroupEntry<Recordable>>& entries, Arena& arena) {
  using Entry = GroupEntry<Recordable>;
  auto by_key = [](const Entry& a, const Entry& b) {
    const std::less<const void*> less;  // a total order over unrelated pointers
    if (a.resource != b.resource) return less(a.resource, b.resource);
    if (a.scope != b.scope) return less(a.scope, b.scope);
    return a.index < b.index;
  };
  if (!std::is_sorted(entries.begin(), entries.end(), by_key)) std::sort(entries.begin(), entries.end(), by_key);

  std::size_t resources = 0;
  std::size_t scopes = 0;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const bool new_resource = k == 0 || entries[k].resource != entries[k - 1].resource;
    resources += new_resource;
    scopes += new_resource || entries[k].scope != entries[k - 1].scope;
  }

  std::span<typename Groups::ResourceGroup> rs = arena.Make<typename Groups::ResourceGroup>(resources);
  std::span<typename Groups::ScopeGroup> ss = arena.Make<typename Groups::ScopeGroup>(scopes);
  std::span<typename Groups::Record> out = arena.Make<typename Groups::Record>(entries.size());
  std::size_t r = 0;
  std::size_t s = 0;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const Entry& e = entries[k];
    const bool new_resource = k == 0 || e.resource != entries[k - 1].resource;
    if (new_resource) {
      if (k > 0) ++r;
      rs[r].resource = ViewResource(e.resource, arena);
      if (e.resource != nullptr) rs[r].schema_url = e.resource->GetSchemaURL();
      Groups::Scopes(rs[r]) = std::span<const typename Groups::ScopeGroup>(ss.data() + (k == 0 ? 0 : s + 1), 0);
    }
    if (new_resource || e.scope != entries[k - 1].scope) {
      if (k > 0) ++s;
      ss[s].scope = ViewScope(e.scope, arena);
      if (e.scope != nullptr) ss[s].schema_url = e.scope->GetSchemaURL();
      Groups::Records(ss[s]) = std::span<const typename Groups::Record>(out.data() + k, 0);
      auto& scopes_of_r = Groups::Scopes(rs[r]);
      scopes_of_r = {scopes_of_r.data(), scopes_of_r.size() + 1};
    }
    out[k] = Groups::RecordOf(*e.recordable);
    auto& records_of_s = Groups::Records(ss[s]);
    records_of_s = {records_of_s.data(), records_of_s.size() + 1};
  }
  return rs;
}

// The whole of an exporter's Export after its shutdown check, under its lock:
// keeps the recordables made by the exporter's MakeRecordable (a foreign one
// is skipped with a warning), groups them and hands them to the pipeline.
template <typename Groups, typename SdkRecordable>
opentelemetry::sdk::common::ExportResult ExportRecordables(
    const opentelemetry::nostd::span<std::unique_ptr<SdkRecordable>>& records,
    std::vector<GroupEntry<typename Groups::Recordable>>& entries, Arena& arena, const PipelineLease& lease) {
  using Ours = typename Groups::Recordable;
  using opentelemetry::sdk::common::ExportResult;
  entries.clear();
  arena.Reset();
  std::size_t foreign = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const SdkRecordable* r = records[i].get();
    if (r == nullptr) continue;
    // The SDK asks MakeRecordable for each record; Ours is final, so
    // comparing types is enough.
    if (typeid(*r) != typeid(Ours)) {
      ++foreign;
      continue;
    }
    const auto* ours = static_cast<const Ours*>(r);
    entries.push_back({ours->resource(), ours->scope(), i, ours});
  }
  if (foreign > 0) {
    Log(LogLevel::kWarn,
        StrCat("otel: ", foreign, " ", Groups::kWhat, "(s) skipped: not made by this exporter's MakeRecordable"));
  }
  if (entries.empty()) return foreign > 0 ? ExportResult::kFailureInvalidArgument : ExportResult::kSuccess;
  const std::span<const typename Groups::ResourceGroup> grouped = GroupByResourceAndScope<Groups>(entries, arena);
  return lease.ToExportResult(lease.core().Export(grouped), entries.size(), Groups::kWhat);
}

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_GROUPING_H_
