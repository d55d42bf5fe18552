#include "otlp/proto/testing/model_proto.h"

#include <google/protobuf/io/coded_stream.h>

#include <cmath>
#include <cstring>
#include <span>
#include <string>

namespace otelpack::otlp::testing {
namespace {

namespace common = pb::common::v1;
namespace trace = pb::trace::v1;

template <std::size_t N>
std::string IdBytes(const std::array<std::uint8_t, N>& id) {
  return std::string(reinterpret_cast<const char*>(id.data()), N);
}

template <std::size_t N>
bool IsZero(const std::array<std::uint8_t, N>& id) {
  for (std::uint8_t b : id) {
    if (b != 0) return false;
  }
  return true;
}

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
    case ValueType::kKvList: {
      common::KeyValueList* list = out->mutable_kvlist_value();
      for (const KeyValue& kv : v.kvlist_value()) {
        common::KeyValue* p = list->add_values();
        p->set_key(std::string(kv.key));
        ValueToProto(kv.value, p->mutable_value());
      }
      break;
    }
  }
}

template <typename Repeated>
void AttributesToProto(Attributes attributes, Repeated* out) {
  for (const KeyValue& kv : attributes) {
    common::KeyValue* p = out->Add();
    p->set_key(std::string(kv.key));
    ValueToProto(kv.value, p->mutable_value());
  }
}

void SpanToProto(const Span& s, trace::Span* out) {
  out->set_trace_id(IdBytes(s.trace_id.bytes));
  out->set_span_id(IdBytes(s.span_id.bytes));
  out->set_trace_state(std::string(s.trace_state));
  if (!IsZero(s.parent_span_id.bytes)) out->set_parent_span_id(IdBytes(s.parent_span_id.bytes));
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

// --- Comparison -------------------------------------------------------------

class Differ {
 public:
  std::string Take() { return std::move(diff_); }
  bool failed() const { return !diff_.empty(); }

  void Fail(const std::string& path, const std::string& what) {
    if (diff_.empty()) diff_ = path + ": " + what;
  }

  void Str(const std::string& path, const std::string& proto, std::string_view model) {
    if (proto != model) Fail(path, "proto \"" + Short(proto) + "\" model \"" + Short(model) + "\"");
  }

  template <typename A, typename B>
  void Num(const std::string& path, A proto, B model) {
    if (static_cast<std::uint64_t>(proto) != static_cast<std::uint64_t>(model)) {
      Fail(path, "proto " + std::to_string(proto) + " model " + std::to_string(model));
    }
  }

  template <std::size_t N>
  void Id(const std::string& path, const std::string& proto, const std::array<std::uint8_t, N>& model,
          bool empty_is_zero) {
    if (empty_is_zero && proto.empty() && IsZero(model)) return;
    if (proto != IdBytes(model)) Fail(path, "ids differ");
  }

  void Value(const std::string& path, const common::AnyValue& p, const AnyValue& m) {
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
      case C::kDoubleValue: {
        double pd = p.double_value();
        if (m.type() != ValueType::kDouble) return Fail(path, "model is not a double");
        double md = m.double_value();
        if (std::memcmp(&pd, &md, sizeof pd) != 0) Fail(path, "doubles differ bitwise");
        return;
      }
      case C::kArrayValue: {
        if (m.type() != ValueType::kArray) return Fail(path, "model is not an array");
        const auto& pv = p.array_value().values();
        std::span<const AnyValue> mv = m.array_value();
        if (static_cast<std::size_t>(pv.size()) != mv.size()) return Fail(path, "array sizes differ");
        for (int i = 0; i < pv.size() && !failed(); ++i) {
          Value(path + "[" + std::to_string(i) + "]", pv[i], mv[static_cast<std::size_t>(i)]);
        }
        return;
      }
      case C::kKvlistValue: {
        if (m.type() != ValueType::kKvList) return Fail(path, "model is not a kvlist");
        Attrs(path, p.kvlist_value().values(), m.kvlist_value());
        return;
      }
    }
  }

  template <typename Repeated>
  void Attrs(const std::string& path, const Repeated& p, Attributes m) {
    if (static_cast<std::size_t>(p.size()) != m.size()) {
      return Fail(path, "proto " + std::to_string(p.size()) + " attributes, model " + std::to_string(m.size()));
    }
    for (int i = 0; i < p.size() && !failed(); ++i) {
      const KeyValue& kv = m[static_cast<std::size_t>(i)];
      std::string at = path + "[" + std::to_string(i) + "]";
      Str(at + ".key", p[i].key(), kv.key);
      Value(at + ".value", p[i].value(), kv.value);
    }
  }

  void SpanDiff(const std::string& path, const trace::Span& p, const Span& m) {
    Id(path + ".trace_id", p.trace_id(), m.trace_id.bytes, false);
    Id(path + ".span_id", p.span_id(), m.span_id.bytes, false);
    Id(path + ".parent_span_id", p.parent_span_id(), m.parent_span_id.bytes, true);
    Str(path + ".trace_state", p.trace_state(), m.trace_state);
    Num(path + ".flags", p.flags(), m.flags);
    Str(path + ".name", p.name(), m.name);
    Num(path + ".kind", static_cast<int>(p.kind()), static_cast<int>(m.kind));
    Num(path + ".start_time_unix_nano", p.start_time_unix_nano(), m.start_time_unix_nano);
    Num(path + ".end_time_unix_nano", p.end_time_unix_nano(), m.end_time_unix_nano);
    Attrs(path + ".attributes", p.attributes(), m.attributes);
    Num(path + ".dropped_attributes_count", p.dropped_attributes_count(), m.dropped_attributes_count);
    if (static_cast<std::size_t>(p.events_size()) != m.events.size()) return Fail(path + ".events", "sizes differ");
    for (int i = 0; i < p.events_size() && !failed(); ++i) {
      const trace::Span::Event& pe = p.events(i);
      const SpanEvent& me = m.events[static_cast<std::size_t>(i)];
      std::string at = path + ".events[" + std::to_string(i) + "]";
      Num(at + ".time_unix_nano", pe.time_unix_nano(), me.time_unix_nano);
      Str(at + ".name", pe.name(), me.name);
      Attrs(at + ".attributes", pe.attributes(), me.attributes);
      Num(at + ".dropped_attributes_count", pe.dropped_attributes_count(), me.dropped_attributes_count);
    }
    Num(path + ".dropped_events_count", p.dropped_events_count(), m.dropped_events_count);
    if (static_cast<std::size_t>(p.links_size()) != m.links.size()) return Fail(path + ".links", "sizes differ");
    for (int i = 0; i < p.links_size() && !failed(); ++i) {
      const trace::Span::Link& pl = p.links(i);
      const SpanLink& ml = m.links[static_cast<std::size_t>(i)];
      std::string at = path + ".links[" + std::to_string(i) + "]";
      Id(at + ".trace_id", pl.trace_id(), ml.trace_id.bytes, false);
      Id(at + ".span_id", pl.span_id(), ml.span_id.bytes, false);
      Str(at + ".trace_state", pl.trace_state(), ml.trace_state);
      Attrs(at + ".attributes", pl.attributes(), ml.attributes);
      Num(at + ".dropped_attributes_count", pl.dropped_attributes_count(), ml.dropped_attributes_count);
      Num(at + ".flags", pl.flags(), ml.flags);
    }
    Num(path + ".dropped_links_count", p.dropped_links_count(), m.dropped_links_count);
    Num(path + ".status.code", static_cast<int>(p.status().code()), static_cast<int>(m.status_code));
    Str(path + ".status.message", p.status().message(), m.status_message);
  }

 private:
  static std::string Short(std::string_view s) {
    return s.size() <= 60 ? std::string(s) : std::string(s.substr(0, 60)) + "...";
  }

  std::string diff_;
};

}  // namespace

void ModelToProto(TracesView traces, ExportRequest* out) {
  for (const ResourceSpans& rs : traces) {
    trace::ResourceSpans* prs = out->add_resource_spans();
    AttributesToProto(rs.resource.attributes, prs->mutable_resource()->mutable_attributes());
    prs->mutable_resource()->set_dropped_attributes_count(rs.resource.dropped_attributes_count);
    prs->set_schema_url(std::string(rs.schema_url));
    for (const ScopeSpans& ss : rs.scope_spans) {
      trace::ScopeSpans* pss = prs->add_scope_spans();
      common::InstrumentationScope* scope = pss->mutable_scope();
      scope->set_name(std::string(ss.scope.name));
      scope->set_version(std::string(ss.scope.version));
      AttributesToProto(ss.scope.attributes, scope->mutable_attributes());
      scope->set_dropped_attributes_count(ss.scope.dropped_attributes_count);
      pss->set_schema_url(std::string(ss.schema_url));
      for (const Span& s : ss.spans) SpanToProto(s, pss->add_spans());
    }
  }
}

std::string DiffProtoAndModel(const ExportRequest& proto, TracesView model) {
  Differ d;
  if (static_cast<std::size_t>(proto.resource_spans_size()) != model.size()) {
    d.Fail("resource_spans", "proto " + std::to_string(proto.resource_spans_size()) + " model " +
                                 std::to_string(model.size()));
    return d.Take();
  }
  for (int r = 0; r < proto.resource_spans_size() && !d.failed(); ++r) {
    const trace::ResourceSpans& prs = proto.resource_spans(r);
    const ResourceSpans& mrs = model[static_cast<std::size_t>(r)];
    std::string rp = "resource_spans[" + std::to_string(r) + "]";
    d.Attrs(rp + ".resource.attributes", prs.resource().attributes(), mrs.resource.attributes);
    d.Num(rp + ".resource.dropped_attributes_count", prs.resource().dropped_attributes_count(),
          mrs.resource.dropped_attributes_count);
    d.Str(rp + ".schema_url", prs.schema_url(), mrs.schema_url);
    if (static_cast<std::size_t>(prs.scope_spans_size()) != mrs.scope_spans.size()) {
      d.Fail(rp + ".scope_spans", "sizes differ");
      break;
    }
    for (int s = 0; s < prs.scope_spans_size() && !d.failed(); ++s) {
      const trace::ScopeSpans& pss = prs.scope_spans(s);
      const ScopeSpans& mss = mrs.scope_spans[static_cast<std::size_t>(s)];
      std::string sp = rp + ".scope_spans[" + std::to_string(s) + "]";
      d.Str(sp + ".scope.name", pss.scope().name(), mss.scope.name);
      d.Str(sp + ".scope.version", pss.scope().version(), mss.scope.version);
      d.Attrs(sp + ".scope.attributes", pss.scope().attributes(), mss.scope.attributes);
      d.Num(sp + ".scope.dropped_attributes_count", pss.scope().dropped_attributes_count(),
            mss.scope.dropped_attributes_count);
      d.Str(sp + ".schema_url", pss.schema_url(), mss.schema_url);
      if (static_cast<std::size_t>(pss.spans_size()) != mss.spans.size()) {
        d.Fail(sp + ".spans", "proto " + std::to_string(pss.spans_size()) + " model " +
                                  std::to_string(mss.spans.size()));
        break;
      }
      for (int i = 0; i < pss.spans_size() && !d.failed(); ++i) {
        d.SpanDiff(sp + ".spans[" + std::to_string(i) + "]", pss.spans(i), mss.spans[static_cast<std::size_t>(i)]);
      }
    }
  }
  return d.Take();
}

bool ParseRequest(std::string_view bytes, ExportRequest* out) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetRecursionLimit(10000);
  return out->ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
}

}  // namespace otelpack::otlp::testing
