// The backend's format as the exporter's parts: built-in or declared.
#include "exporter/format_parts.h"

#include "common/secrets.h"
#include "format/declared/compile.h"
#include "format/log_encoder.h"
#include "format/metric_encoder.h"
#include "format/span_encoder.h"

namespace otelpack {
namespace {

// The article's targets (docs/wire-protocol.md): every signal to /v1/ingest,
// with `options.headers` after the format's.
RequestTargets ArticleTargets(const ExporterOptions& options) {
  RequestTarget article;
  article.path = "/v1/ingest";
  article.headers.push_back({"Content-Type", "application/json"});
  article.headers.push_back({"X-Project-ID", options.project_id});
  for (const HttpHeader& h : options.headers) article.headers.push_back(h);
  return {article, article, article};
}

// The built-in format: the hand-written encoders of the article's events.
FormatParts BuiltInParts(const ExporterOptions& options) {
  Encoders e;
  e.traces = std::make_unique<SpanEncoder>(options.extra_fields);
  e.logs = std::make_unique<LogEncoder>(options.extra_fields);
  e.metrics = std::make_unique<MetricEncoder>(options.extra_fields);
  return {std::move(e), Envelope::ForProject(options.project_id), ArticleTargets(options)};
}

// A declared format, compiled for these options ($project_id, the extra
// fields of the signals it leaves out).
Result<FormatParts> DeclaredParts(const ExporterOptions& options) {
  format::declared::CompileResult compiled = format::declared::Compile(
      options.format->declaration(), {.project_id = options.project_id, .extra_fields = options.extra_fields});
  if (!compiled.ok()) {
    return format::declared::DeclarationErrorsStatus(options.format->source(), compiled.errors);
  }
  const format::declared::CompiledFormat& f = *compiled.format;
  Encoders e;
  e.traces = f.NewTracesEncoder();
  e.logs = f.NewLogsEncoder();
  e.metrics = f.NewMetricsEncoder();
  RequestTargets targets;
  for (Signal signal : kAllSignals) {
    RequestTarget& t = targets[SignalIndex(signal)];
    t.path = f.path(signal);
    t.headers.push_back({"Content-Type", f.content_type()});
    for (const format::declared::CompiledHeader& h : f.headers()) {
      if (h.secret) RegisterSecret(h.value);  // never in a log, even if the backend echoes it
      t.headers.push_back({h.name, h.value});
    }
    for (const HttpHeader& h : options.headers) t.headers.push_back(h);
  }
  return FormatParts{std::move(e), f.envelope(), std::move(targets)};
}

}  // namespace

Result<FormatParts> FormatPartsFor(const ExporterOptions& options) {
  // The user's extra headers are secrets (docs/configuration.md).
  for (const HttpHeader& h : options.headers) RegisterSecret(h.value);
  if (options.format) return DeclaredParts(options);
  return BuiltInParts(options);
}

}  // namespace otelpack
