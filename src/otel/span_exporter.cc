#include "otelpack/otel/span_exporter.h"

#include <algorithm>
#include <functional>
#include <typeinfo>

#include "common/str_cat.h"
#include "opentelemetry/sdk/instrumentationscope/instrumentation_scope.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "otel/recordable.h"
#include "otel/values.h"
#include "otelpack/log.h"

namespace otelpack::otel {
namespace {

namespace nostd = opentelemetry::nostd;
using opentelemetry::sdk::common::ExportResult;
using opentelemetry::sdk::instrumentationscope::InstrumentationScope;
using opentelemetry::sdk::resource::Resource;

// The core's own default for ForceFlush and Shutdown.
constexpr std::chrono::milliseconds kDefaultTimeout{30'000};
// Beyond this a deadline is as good as none (and now() + it cannot overflow).
constexpr std::chrono::milliseconds kLongestTimeout{24 * 3600 * 1000};

// The SDK's timeouts in the core's terms. The SDK says "no timeout" three
// ways: microseconds::max() (the API default, passed on by the
// SimpleSpanProcessor), 0 (what the BatchSpanProcessor's AdjustWaitForTimeout
// makes of it for ForceFlush) and 1 µs (what its Shutdown arithmetic makes of
// it). All three get the core's default, 30 s; anything else is rounded up to
// whole milliseconds.
std::chrono::milliseconds CoreTimeout(std::chrono::microseconds timeout) {
  if (timeout == (std::chrono::microseconds::max)() || timeout <= std::chrono::microseconds(1)) {
    return kDefaultTimeout;
  }
  return std::min(std::chrono::ceil<std::chrono::milliseconds>(timeout), kLongestTimeout);
}

// The batch arena keeps its first block from one Export to the next: room
// for the views of a BatchSpanProcessor's 512 spans (about 200 bytes each).
constexpr std::size_t kBatchArenaBlockBytes = 256 * 1024;

Attributes ViewAttributes(const opentelemetry::sdk::common::AttributeMap& map, Arena& arena) {
  std::span<KeyValue> out = arena.Make<KeyValue>(map.size());
  std::size_t i = 0;
  for (const auto& [key, value] : map) {
    out[i].key = key;
    out[i].value = ViewOwnedAttributeValue(value, arena);
    ++i;
  }
  return out;
}

otelpack::Resource ViewResource(const Resource* resource, Arena& arena) {
  otelpack::Resource out;
  if (resource != nullptr) out.attributes = ViewAttributes(resource->GetAttributes(), arena);
  return out;
}

otelpack::InstrumentationScope ViewScope(const InstrumentationScope* scope, Arena& arena) {
  otelpack::InstrumentationScope out;
  if (scope == nullptr) return out;
  out.name = scope->GetName();
  out.version = scope->GetVersion();
  out.attributes = ViewAttributes(scope->GetAttributes(), arena);
  return out;
}

}  // namespace

struct OtelpackSpanExporter::Entry {
  const Resource* resource;
  const InstrumentationScope* scope;
  std::size_t index;  // in the call: keeps the SDK's order within a group
  const OtelpackRecordable* recordable;
};

Result<std::unique_ptr<OtelpackSpanExporter>> OtelpackSpanExporter::Create(const ExporterOptions& options) {
  Result<std::unique_ptr<Exporter>> core = Exporter::Create(options);
  if (!core.ok()) return core.status();
  return std::unique_ptr<OtelpackSpanExporter>(new OtelpackSpanExporter(std::move(*core), options.extra_fields));
}

OtelpackSpanExporter::OtelpackSpanExporter(std::unique_ptr<Exporter> core, const ExtraFields& extra_fields)
    : core_(std::move(core)),
      record_links_(extra_fields.links),
      record_trace_state_(extra_fields.trace_state),
      batch_arena_(kBatchArenaBlockBytes) {}

// The core's destructor shuts it down when Shutdown was not called.
OtelpackSpanExporter::~OtelpackSpanExporter() = default;

std::unique_ptr<opentelemetry::sdk::trace::Recordable> OtelpackSpanExporter::MakeRecordable() noexcept {
  return std::make_unique<OtelpackRecordable>(RecordOptions{.links = record_links_, .trace_state = record_trace_state_});
}

ExportResult OtelpackSpanExporter::Export(
    const nostd::span<std::unique_ptr<opentelemetry::sdk::trace::Recordable>>& spans) noexcept {
  if (shut_down_.load()) {
    Log(LogLevel::kWarn, StrCat("otel: ", spans.size(), " span(s) not exported: the exporter is shut down"));
    return ExportResult::kFailure;
  }
  std::lock_guard<std::mutex> lock(export_mu_);
  entries_.clear();
  batch_arena_.Reset();

  std::size_t foreign = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const opentelemetry::sdk::trace::Recordable* r = spans[i].get();
    if (r == nullptr) continue;
    // Only our own recordables (the SDK asks MakeRecordable for each span);
    // the class is final, so comparing types is enough.
    if (typeid(*r) != typeid(OtelpackRecordable)) {
      ++foreign;
      continue;
    }
    const auto* ours = static_cast<const OtelpackRecordable*>(r);
    entries_.push_back({ours->resource(), ours->scope(), i, ours});
  }
  if (foreign > 0) {
    Log(LogLevel::kWarn, StrCat("otel: ", foreign, " span(s) skipped: not made by this exporter's MakeRecordable"));
  }
  if (entries_.empty()) return foreign > 0 ? ExportResult::kFailureInvalidArgument : ExportResult::kSuccess;

  // Group by resource, then scope. One provider, one tracer: already grouped.
  auto by_key = [](const Entry& a, const Entry& b) {
    const std::less<const void*> less;  // a total order over unrelated pointers
    if (a.resource != b.resource) return less(a.resource, b.resource);
    if (a.scope != b.scope) return less(a.scope, b.scope);
    return a.index < b.index;
  };
  if (!std::is_sorted(entries_.begin(), entries_.end(), by_key)) {
    std::sort(entries_.begin(), entries_.end(), by_key);
  }
  std::size_t resources = 0;
  std::size_t scopes = 0;
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    const bool new_resource = k == 0 || entries_[k].resource != entries_[k - 1].resource;
    resources += new_resource;
    scopes += new_resource || entries_[k].scope != entries_[k - 1].scope;
  }

  // The views, in the batch arena: only the Span structs are copied (their
  // strings and lists stay in the recordables); resource and scope
  // attributes view the SDK's own strings.
  std::span<ResourceSpans> rs = batch_arena_.Make<ResourceSpans>(resources);
  std::span<ScopeSpans> ss = batch_arena_.Make<ScopeSpans>(scopes);
  std::span<Span> out = batch_arena_.Make<Span>(entries_.size());
  std::size_t r = 0;
  std::size_t s = 0;
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    const Entry& e = entries_[k];
    const bool new_resource = k == 0 || e.resource != entries_[k - 1].resource;
    if (new_resource) {
      if (k > 0) ++r;
      rs[r].resource = ViewResource(e.resource, batch_arena_);
      if (e.resource != nullptr) rs[r].schema_url = e.resource->GetSchemaURL();
      rs[r].scope_spans = ss.subspan(k == 0 ? 0 : s + 1, 0);
    }
    if (new_resource || e.scope != entries_[k - 1].scope) {
      if (k > 0) ++s;
      ss[s].scope = ViewScope(e.scope, batch_arena_);
      if (e.scope != nullptr) ss[s].schema_url = e.scope->GetSchemaURL();
      ss[s].spans = std::span<const Span>(out.data() + k, 0);
      rs[r].scope_spans = {rs[r].scope_spans.data(), rs[r].scope_spans.size() + 1};
    }
    out[k] = e.recordable->span();
    ss[s].spans = {ss[s].spans.data(), ss[s].spans.size() + 1};
  }

  const Status status = core_->Export(TracesView(rs));
  if (status.ok()) return ExportResult::kSuccess;
  Log(LogLevel::kWarn, StrCat("otel: export of ", entries_.size(), " span(s): ", status.ToString()));
  switch (status.code()) {
    case StatusCode::kResourceExhausted:
      return ExportResult::kFailureFull;  // the queue is full: nothing was accepted
    case StatusCode::kTooLarge:
      return ExportResult::kFailureInvalidArgument;  // some spans too big; the others were accepted
    default:
      return ExportResult::kFailure;
  }
}

bool OtelpackSpanExporter::ForceFlush(std::chrono::microseconds timeout) noexcept {
  const Status status = core_->ForceFlush(CoreTimeout(timeout));
  if (!status.ok()) Log(LogLevel::kWarn, StrCat("otel: ForceFlush: ", status.ToString()));
  return status.ok();
}

bool OtelpackSpanExporter::Shutdown(std::chrono::microseconds timeout) noexcept {
  shut_down_.store(true);  // Exports from now on fail at once
  const Status status = core_->Shutdown(CoreTimeout(timeout));
  if (!status.ok()) Log(LogLevel::kWarn, StrCat("otel: Shutdown: ", status.ToString()));
  return status.ok();
}

ExporterStats OtelpackSpanExporter::Stats() const { return core_->Stats(); }

Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> OtelpackSpanExporterFactory::Create() {
  Result<ExporterOptions> options = ExporterOptions::FromEnvironment();
  if (!options.ok()) return options.status();
  return Create(*options);
}

Result<std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>> OtelpackSpanExporterFactory::Create(
    const ExporterOptions& options) {
  Result<std::unique_ptr<OtelpackSpanExporter>> exporter = OtelpackSpanExporter::Create(options);
  if (!exporter.ok()) return exporter.status();
  return std::unique_ptr<opentelemetry::sdk::trace::SpanExporter>(std::move(*exporter));
}

}  // namespace otelpack::otel
