// Test support: the logs model <-> libprotobuf's ExportLogsServiceRequest.
#include <string>

#include "otlp/proto/testing/model_proto.h"
#include "otlp/proto/testing/model_proto_internal.h"

namespace otelpack::otlp::testing {
namespace {

using namespace internal;  // NOLINT: this file's own vocabulary
namespace logs = pb::logs::v1;

void LogRecordToProto(const LogRecord& r, logs::LogRecord* out) {
  out->set_time_unix_nano(r.time_unix_nano);
  out->set_observed_time_unix_nano(r.observed_time_unix_nano);
  out->set_severity_number(static_cast<logs::SeverityNumber>(r.severity_number));
  out->set_severity_text(std::string(r.severity_text));
  if (r.body.type() != ValueType::kEmpty) ValueToProto(r.body, out->mutable_body());
  AttributesToProto(r.attributes, out->mutable_attributes());
  out->set_dropped_attributes_count(r.dropped_attributes_count);
  out->set_flags(r.flags);
  out->set_trace_id(IdOrEmpty(r.trace_id.bytes));
  out->set_span_id(IdOrEmpty(r.span_id.bytes));
  out->set_event_name(std::string(r.event_name));
}

void LogRecordDiff(Differ& d, const std::string& path, const logs::LogRecord& p, const LogRecord& m) {
  d.Num(path + ".time_unix_nano", p.time_unix_nano(), m.time_unix_nano);
  d.Num(path + ".observed_time_unix_nano", p.observed_time_unix_nano(), m.observed_time_unix_nano);
  d.Num(path + ".severity_number", static_cast<int>(p.severity_number()), m.severity_number);
  d.Str(path + ".severity_text", p.severity_text(), m.severity_text);
  d.Value(path + ".body", p.body(), m.body);
  d.Attrs(path + ".attributes", p.attributes(), m.attributes);
  d.Num(path + ".dropped_attributes_count", p.dropped_attributes_count(), m.dropped_attributes_count);
  d.Num(path + ".flags", p.flags(), m.flags);
  d.Id(path + ".trace_id", p.trace_id(), m.trace_id.bytes, true);
  d.Id(path + ".span_id", p.span_id(), m.span_id.bytes, true);
  d.Str(path + ".event_name", p.event_name(), m.event_name);
}

}  // namespace

void ModelToProto(LogsView view, ExportLogsRequest* out) {
  for (const ResourceLogs& rl : view) {
    logs::ResourceLogs* prl = out->add_resource_logs();
    ResourceGroupToProto(rl, prl);
    for (const ScopeLogs& sl : rl.scope_logs) {
      logs::ScopeLogs* psl = prl->add_scope_logs();
      ScopeGroupToProto(sl, psl);
      for (const LogRecord& r : sl.log_records) LogRecordToProto(r, psl->add_log_records());
    }
  }
}

std::string DiffProtoAndModel(const ExportLogsRequest& proto, LogsView model) {
  Differ d;
  d.List("resource_logs", proto.resource_logs(), model,
         [&](const std::string& rp, const logs::ResourceLogs& prl, const ResourceLogs& mrl) {
           d.ResourceGroupFields(rp, prl, mrl);
           d.List(rp + ".scope_logs", prl.scope_logs(), mrl.scope_logs,
                  [&](const std::string& sp, const logs::ScopeLogs& psl, const ScopeLogs& msl) {
                    d.ScopeGroupFields(sp, psl, msl);
                    d.List(sp + ".log_records", psl.log_records(), msl.log_records,
                           [&](const std::string& at, const logs::LogRecord& pr, const LogRecord& mr) {
                             LogRecordDiff(d, at, pr, mr);
                           });
                  });
         });
  return d.Take();
}

}  // namespace otelpack::otlp::testing
