// From the SDK's recordables to one Exporter::Export, for the span and the
// log record exporters alike. The SDK hands an exporter a flat list of
// recordables, each pointing at its resource and scope; otelpack's model
// groups records as OTLP does (resource -> scope -> records:
// otelpack/model/grouping.h). The grouping is built as views in an arena the
// exporter reuses from one Export to the next: only the record structs are copied (their strings and lists stay in
// the recordables) and the resource and scope attributes view the SDK's own.
#ifndef OTELPACK_OTEL_GROUPING_H_
#define OTELPACK_OTEL_GROUPING_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "common/str_cat.h"
#include "opentelemetry/nostd/span.h"
#include "opentelemetry/sdk/common/exporter_utils.h"
#include "opentelemetry/sdk/instrumentationscope/instrumentation_scope.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "otel/pipeline_lease.h"
#include "otel/values.h"
#include "otelpack/arena.h"
#include "otelpack/log.h"
#include "otelpack/model/grouping.h"

namespace otelpack::otel {

// The whole of an exporter's Export after its shutdown check, under its lock:
// keeps the recordables made by the exporter's MakeRecordable (a foreign one
// is skipped with a warning), groups them and hands them to the pipeline.
//
// Groups is as GroupByResourceAndScope's (otelpack/model/grouping.h), plus
// the exporter's own recordable class (final), the record it holds and what
// a record is called in messages:
//     using Recordable = OtelpackRecordable;
//     static Span RecordOf(const OtelpackRecordable& r) { return r.span(); }
//     static constexpr std::string_view kWhat = "span";
template <typename Groups, typename SdkRecordable>
opentelemetry::sdk::common::ExportResult ExportRecordables(
    const opentelemetry::nostd::span<std::unique_ptr<SdkRecordable>>& records, std::vector<GroupKey>& entries,
    Arena& arena, const PipelineLease& lease) {
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
    entries.push_back({ours->resource(), ours->scope(), i});
  }
  if (foreign > 0) {
    Log(LogLevel::kWarn,
        StrCat("otel: ", foreign, " ", Groups::kWhat, "(s) skipped: not made by this exporter's MakeRecordable"));
  }
  if (entries.empty()) return foreign > 0 ? ExportResult::kFailureInvalidArgument : ExportResult::kSuccess;
  using opentelemetry::sdk::instrumentationscope::InstrumentationScope;
  using opentelemetry::sdk::resource::Resource;
  std::span<const typename Groups::ResourceGroup> grouped;
  GroupByResourceAndScope<Groups>(
      entries, arena, [&](std::size_t i) { return Groups::RecordOf(static_cast<const Ours&>(*records[i])); },
      [&](const GroupKey& key, typename Groups::ResourceGroup& group) {
        const auto* resource = static_cast<const Resource*>(key.resource);
        group.resource = ViewResource(resource, arena);
        if (resource != nullptr) group.schema_url = resource->GetSchemaURL();
        return true;
      },
      [&](const GroupKey& key, typename Groups::ScopeGroup& group) {
        const auto* scope = static_cast<const InstrumentationScope*>(key.scope);
        group.scope = ViewScope(scope, arena);
        if (scope != nullptr) group.schema_url = scope->GetSchemaURL();
        return true;
      },
      &grouped);
  return lease.ToExportResult(lease.core().Export(grouped), entries.size(), Groups::kWhat);
}

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_GROUPING_H_
