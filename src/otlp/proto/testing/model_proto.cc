// Test support: the model <-> libprotobuf messages for traces, what every
// signal shares (attribute values, the comparison's vocabulary), and parsing.
// Logs and metrics are in model_proto_logs.cc and model_proto_metrics.cc.
#include "otlp/proto/testing/model_proto.h"

#include <google/protobuf/io/coded_stream.h>

#include <cstring>
#include <span>
#include <string>

#include "otlp/proto/testing/model_proto_internal.h"

namespace otelpack::otlp::testing {

namespace internal {

void ValueToProto(const AnyValue& v, common::AnyValue* out) {
  switch (v.type()) {
    case ValueType::kEmpty:
      break;
    case ValueType::kString:
      out->set_string_value(std::string(v.string_value()));
      break;
    case ValueType::kBool:
      out->set_bool_value(v.bool_value());
      break;
    case ValueType::kInt:
      out->set_int_value(v.int_value());
      break;
    case ValueType::kDouble:
      out->set_double_value(v.double_value());
      break;
    case ValueType::kBytes:
      out->set_bytes_value(std::string(v.string_value()));
      break;
    case ValueType::kArray: {
      common::ArrayValue* array = out->mutable_array_value();
      for (const AnyValue& x : v.array_value()) ValueToProto(x, array->add_values());
      break;
    }
    case ValueType::kKvList:
      AttributesToProto(v.kvlist_value(), out->mutable_kvlist_value()->mutable_values());
      break;
  }
}

namespace {

std::string Short(std::string_view s) {
  return s.size() <= 60 ? std::string(s) : std::string(s.substr(0, 60)) + "...";
}

}  // namespace

void Differ::Str(const std::string& path, const std::string& proto, std::string_view model) {
  if (proto != model) Fail(path, "proto \"" + Short(proto) + "\" model \"" + Short(model) + "\"");
}

void Differ::Double(const std::string& path, double proto, double model) {
  if (std::memcmp(&proto, &model, sizeof proto) != 0) {
    Fail(path, "doubles differ bitwise: proto " + std::to_string(proto) + " model " + std::to_string(model));
  }
}

void Differ::OptionalDouble(const std::string& path, bool proto_has, double proto, std::optional<double> model) {
  if (proto_has != model.has_value()) return Fail(path, proto_has ? "only the proto has it" : "only the model has it");
  if (proto_has) Double(path, proto, *model);
}

void Differ::Value(const std::string& path, const common::AnyValue& p, const AnyValue& m) {
  using C = common::AnyValue;
  switch (p.value_case()) {
    case C::VALUE_NOT_SET:
      if (m.type() != ValueType::kEmpty) Fail(path, "proto empty, model not");
      return;
    case C::kStringValue:
      if (m.type() != ValueType::kString) return Fail(path, "model is not a string");
      return Str(path, p.string_value(), m.string_value());
    case C::kBytesValue:
      if (m.type() != ValueType::kBytes) return Fail(path, "model is not bytes");
      return Str(path, p.bytes_value(), m.string_value());
    case C::kBoolValue:
      if (m.type() != ValueType::kBool || m.bool_value() != p.bool_value()) Fail(path, "bools differ");
      return;
    case C::kIntValue:
      if (m.type() != ValueType::kInt) return Fail(path, "model is not an int");
      return Num(path, p.int_value(), m.int_value());
    case C::kDoubleValue:
      if (m.type() != ValueType::kDouble) return Fail(path, "model is not a double");
      return Double(path, p.double_value(), m.double_value());
    case C::kArrayValue:
      if (m.type() != ValueType::kArray) return Fail(path, "model is not an array");
      return List(path, p.array_value().values(), m.array_value(),
                  [&](const std::string& at, const common::AnyValue& pv, const AnyValue& mv) { Value(at, pv, mv); });
    case C::kKvlistValue:
      if (m.type() != ValueType::kKvList) return Fail(path, "model is not a kvlist");
      return Attrs(path, p.kvlist_value().values(), m.kvlist_value());
  }
}

}  // namespace internal

namespace {

using namespace internal;  // NOLINT: this file's own vocabulary
namespace trace = pb::trace::v1;

void SpanToProto(const Span& s, trace::Span* out) {
  out->set_trace_id(IdBytes(s.trace_id.bytes));
  out->set_span_id(IdBytes(s.span_id.bytes));
  out->set_trace_state(std::string(s.trace_state));
  out->set_parent_span_id(IdOrEmpty(s.parent_span_id.bytes));
  out->set_flags(s.flags);
  out->set_name(std::string(s.name));
  out->set_kind(static_cast<trace::Span::SpanKind>(s.kind));
  out->set_start_time_unix_nano(s.start_time_unix_nano);
  out->set_end_time_unix_nano(s.end_time_unix_nano);
  AttributesToProto(s.attributes, out->mutable_attributes());
  out->set_dropped_attributes_count(s.dropped_attributes_count);
  for (const SpanEvent& e : s.events) {
    trace::Span::Event* p = out->add_events();
    p->set_time_unix_nano(e.time_unix_nano);
    p->set_name(std::string(e.name));
    AttributesToProto(e.attributes, p->mutable_attributes());
    p->set_dropped_attributes_count(e.dropped_attributes_count);
  }
  out->set_dropped_events_count(s.dropped_events_count);
  for (const SpanLink& l : s.links) {
    trace::Span::Link* p = out->add_links();
    p->set_trace_id(IdBytes(l.trace_id.bytes));
    p->set_span_id(IdBytes(l.span_id.bytes));
    p->set_trace_state(std::string(l.trace_state));
    AttributesToProto(l.attributes, p->mutable_attributes());
    p->set_dropped_attributes_count(l.dropped_attributes_count);
    p->set_flags(l.flags);
  }
  out->set_dropped_links_count(s.dropped_links_count);
  if (s.status_code != SpanStatusCode::kUnset || !s.status_message.empty()) {
    out->mutable_status()->set_code(static_cast<trace::Status::StatusCode>(s.status_code));
    out->mutable_status()->set_message(std::string(s.status_message));
  }
}

void SpanDiff(Differ& d, const std::string& path, const trace::Span& p, const Span& m) {
  d.Id(path + ".trace_id", p.trace_id(), m.trace_id.bytes, false);
  d.Id(path + ".span_id", p.span_id(), m.span_id.bytes, false);
  d.Id(path + ".parent_span_id", p.parent_span_id(), m.parent_span_id.bytes, true);
  d.Str(path + ".trace_state", p.trace_state(), m.trace_state);
  d.Num(path + ".flags", p.flags(), m.flags);
  d.Str(path + ".name", p.name(), m.name);
  d.Num(path + ".kind", static_cast<int>(p.kind()), static_cast<int>(m.kind));
  d.Num(path + ".start_time_unix_nano", p.start_time_unix_nano(), m.start_time_unix_nano);
  d.Num(path + ".end_time_unix_nano", p.end_time_unix_nano(), m.end_time_unix_nano);
  d.Attrs(path + ".attributes", p.attributes(), m.attributes);
  d.Num(path + ".dropped_attributes_count", p.dropped_attributes_count(), m.dropped_attributes_count);
  d.List(path + ".events", p.events(), m.events,
         [&](const std::string& at, const trace::Span::Event& pe, const SpanEvent& me) {
           d.Num(at + ".time_unix_nano", pe.time_unix_nano(), me.time_unix_nano);
           d.Str(at + ".name", pe.name(), me.name);
           d.Attrs(at + ".attributes", pe.attributes(), me.attributes);
           d.Num(at + ".dropped_attributes_count", pe.dropped_attributes_count(), me.dropped_attributes_count);
         });
  d.Num(path + ".dropped_events_count", p.dropped_events_count(), m.dropped_events_count);
  d.List(path + ".links", p.links(), m.links,
         [&](const std::string& at, const trace::Span::Link& pl, const SpanLink& ml) {
           d.Id(at + ".trace_id", pl.trace_id(), ml.trace_id.bytes, false);
           d.Id(at + ".span_id", pl.span_id(), ml.span_id.bytes, false);
           d.Str(at + ".trace_state", pl.trace_state(), ml.trace_state);
           d.Attrs(at + ".attributes", pl.attributes(), ml.attributes);
           d.Num(at + ".dropped_attributes_count", pl.dropped_attributes_count(), ml.dropped_attributes_count);
           d.Num(at + ".flags", pl.flags(), ml.flags);
         });
  d.Num(path + ".dropped_links_count", p.dropped_links_count(), m.dropped_links_count);
  d.Num(path + ".status.code", static_cast<int>(p.status().code()), static_cast<int>(m.status_code));
  d.Str(path + ".status.message", p.status().message(), m.status_message);
}

}  // namespace

void ModelToProto(TracesView traces, ExportRequest* out) {
  for (const ResourceSpans& rs : traces) {
    trace::ResourceSpans* prs = out->add_resource_spans();
    ResourceGroupToProto(rs, prs);
    for (const ScopeSpans& ss : rs.scope_spans) {
      trace::ScopeSpans* pss = prs->add_scope_spans();
      ScopeGroupToProto(ss, pss);
      for (const Span& s : ss.spans) SpanToProto(s, pss->add_spans());
    }
  }
}

std::string DiffProtoAndModel(const ExportRequest& proto, TracesView model) {
  Differ d;
  d.List("resource_spans", proto.resource_spans(), model,
         [&](const std::string& rp, const trace::ResourceSpans& prs, const ResourceSpans& mrs) {
           d.ResourceGroupFields(rp, prs, mrs);
           d.List(rp + ".scope_spans", prs.scope_spans(), mrs.scope_spans,
                  [&](const std::string& sp, const trace::ScopeSpans& pss, const ScopeSpans& mss) {
                    d.ScopeGroupFields(sp, pss, mss);
                    d.List(sp + ".spans", pss.spans(), mss.spans,
                           [&](const std::string& at, const trace::Span& ps, const Span& ms) {
                             SpanDiff(d, at, ps, ms);
                           });
                  });
         });
  return d.Take();
}

bool ParseRequest(std::string_view bytes, google::protobuf::Message* out) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetRecursionLimit(10000);
  return out->ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
}

}  // namespace otelpack::otlp::testing
