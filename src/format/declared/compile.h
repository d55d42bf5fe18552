// A declaration (declaration.h) compiled: what the exporter needs to write
// and send a declared format's requests. Per signal an encoder factory and
// the request path; the body's envelope, the headers and the content type.
//
// Compile checks what the declaration means and collects every mistake with
// its key and place (resolve.h: unknown fields and conversions with a
// suggestion, conversions that do not apply, bad arguments, $parent outside
// $item, lists without $each, omit_if_empty outside an object member,
// templates too deep; here: an envelope without exactly one $events or with
// $sent_at before it, headers and paths that cannot be sent). A signal, the
// envelope or the headers a declaration leaves out are the built-in ones
// (builtin.h).
//
// The compiled format is immutable and shared: each encoder it makes has its
// own state, so each exporter lane gets one.
#ifndef OTELPACK_FORMAT_DECLARED_COMPILE_H_
#define OTELPACK_FORMAT_DECLARED_COMPILE_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "format/declared/declaration_error.h"
#include "format/declared/declaration.h"
#include "format/declared/declared_encoder.h"
#include "format/declared/plan.h"
#include "format/encoder.h"
#include "format/envelope.h"
#include "otelpack/extra_fields.h"
#include "otelpack/signal.h"

namespace otelpack::format::declared {

struct CompileOptions {
  // What $project_id writes, in events, the envelope and headers. Default "".
  std::string project_id;
  // Added to the built-in events of the signals the declaration leaves out
  // (docs/formats.md, "The built-in format"). Default: none.
  ExtraFields extra_fields;
};

struct CompiledHeader {
  std::string name;
  std::string value;    // $project_id resolved
  bool secret = false;  // from ${env:...}: masked wherever headers are shown
};

struct CompileResult;

class CompiledFormat {
 public:
  Framing framing() const { return framing_; }
  const Envelope& envelope() const { return envelope_; }
  const std::string& content_type() const { return content_type_; }
  const std::vector<CompiledHeader>& headers() const { return headers_; }
  // The request path of the signal's batches, with its query string.
  const std::string& path(Signal s) const { return paths_[SignalIndex(s)]; }

  // An encoder of each signal, with its own state over the shared plans:
  // one per exporter lane.
  std::unique_ptr<TracesEncoder> NewTracesEncoder() const { return NewDeclaredTracesEncoder(traces_); }
  std::unique_ptr<LogsEncoder> NewLogsEncoder() const { return NewDeclaredLogsEncoder(logs_); }
  std::unique_ptr<MetricsEncoder> NewMetricsEncoder() const { return NewDeclaredMetricsEncoder(metrics_); }

  // The plans, for tests and benchmarks.
  const Plan& traces_plan() const { return *traces_; }
  const Plan& logs_plan() const { return *logs_; }
  const MetricPlans& metric_plans() const { return *metrics_; }

 private:
  friend CompileResult Compile(const Declaration&, const CompileOptions&);
  CompiledFormat(Framing framing, Envelope envelope) : framing_(framing), envelope_(std::move(envelope)) {}

  Framing framing_;
  Envelope envelope_;
  std::string content_type_;
  std::vector<CompiledHeader> headers_;
  std::array<std::string, kSignalCount> paths_;
  std::shared_ptr<const Plan> traces_;
  std::shared_ptr<const Plan> logs_;
  std::shared_ptr<const MetricPlans> metrics_;
};

struct CompileResult {
  std::shared_ptr<const CompiledFormat> format;  // null when there are errors
  std::vector<DeclarationError> errors;              // every one, in the order found

  bool ok() const { return format != nullptr; }
};

CompileResult Compile(const Declaration& declaration, const CompileOptions& options);

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_COMPILE_H_
