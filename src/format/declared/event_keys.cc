// The keys a declared event always holds (event_keys.h), read from the
// resolved template with lower.h's rule for what a metric point's kind
// leaves out.
#include "format/declared/event_keys.h"

#include "common/str_cat.h"
#include "format/declared/builtin.h"
#include "format/declared/lower.h"
#include "format/declared/resolve.h"

namespace otelpack::format::declared {
namespace {

struct SignalEvent {
  SignalFormat format;
  Context context;
  FieldId name;  // the field whose value names the record
};

SignalEvent EventOf(const Declaration& d, Signal signal) {
  switch (signal) {
    case Signal::kTraces: return {d.traces ? *d.traces : BuiltinTraces(), Context::kSpan, FieldId::kSpanName};
    case Signal::kLogs: return {d.logs ? *d.logs : BuiltinLogs(), Context::kLog, FieldId::kLogEventName};
    case Signal::kMetrics: break;
  }
  return {d.metrics ? *d.metrics : BuiltinMetrics(), Context::kPoint, FieldId::kMetricName};
}

// Whether the member is written whatever the record holds.
bool AlwaysWritten(const RNode& value, Context context) {
  if ((value.kind == RNode::Kind::kValue || value.kind == RNode::Kind::kEach) && value.value.omit_if_empty) {
    return false;
  }
  if (context != Context::kPoint) return true;
  for (int k = 1; k <= static_cast<int>(MetricKind::kSummary); ++k) {
    if (!ExistsFor(value, context, static_cast<MetricKind>(k))) return false;
  }
  return true;
}

// `$field` as it is: a conversion that changes the text would make the key
// hold something else than what the record is found by.
bool IsPlain(const RNode& value, FieldId field) {
  if (value.kind != RNode::Kind::kValue) return false;
  const ValueSpec& v = value.value;
  return v.field->id == field && !v.pick && !v.parent && !v.is_case && !v.quote && v.form == Form::kNatural;
}

}  // namespace

Result<EventKeys> RequiredEventKeys(const Declaration& d, Signal signal) {
  const SignalEvent event = EventOf(d, signal);
  std::vector<DeclarationError> errors;
  const std::string key = StrCat(SignalName(signal), ".event");
  std::optional<RNode> resolved = Resolver(&errors).Event(event.format.event, event.context, key);
  if (!resolved) {
    return Status::InvalidArgument(errors.empty() ? key : StrCat(errors[0].key, ": ", errors[0].message));
  }
  EventKeys out;
  // The resolved members are the written ones, one for one.
  for (std::size_t i = 0; i < resolved->members.size(); ++i) {
    const RMember& m = resolved->members[i];
    if (m.flatten) continue;
    const RNode& value = m.value[0];
    if (!AlwaysWritten(value, event.context)) continue;
    out.required.push_back(m.key);
    if (out.service.empty() && IsPlain(value, FieldId::kService)) out.service = m.key;
    if (out.name.empty() && IsPlain(value, event.name)) out.name = m.key;
    const Template& written = event.format.event.members[i].value[0];
    if (written.kind == Template::Kind::kLiteral && written.literal.type == Literal::Type::kString) {
      out.string_literals.emplace_back(m.key, written.literal.string_value);
    }
  }
  return out;
}

namespace {

// Finds $events under `t` (an object), filling the path to it; false when
// it is not there. An error when it is inside an array.
Result<bool> FindEvents(const Template& t, std::vector<std::string>* path) {
  for (const Member& m : t.members) {
    if (m.flatten) continue;
    const Template& v = m.value[0];
    if (v.kind == Template::Kind::kReference && v.reference.path == std::vector<std::string>{"events"}) {
      path->push_back(m.key);
      return true;
    }
    if (v.kind == Template::Kind::kObject) {
      path->push_back(m.key);
      Result<bool> found = FindEvents(v, path);
      if (!found.ok() || *found) return found;
      path->pop_back();
    }
    if (v.kind == Template::Kind::kArray) {
      std::vector<std::string> inner;
      for (const Template& item : v.items) {
        if (item.kind != Template::Kind::kObject) continue;
        Result<bool> found = FindEvents(item, &inner);
        if (!found.ok()) return found;
        if (*found) {
          return Status::InvalidArgument(StrCat("envelope.", m.key, ": $events inside an array"));
        }
      }
    }
  }
  return false;
}

}  // namespace

Result<EnvelopeKeys> DeclaredEnvelopeKeys(const Declaration& d) {
  if (d.framing != Framing::kEnvelope) return Status::InvalidArgument("framing: not an envelope");
  const Template envelope = d.envelope ? *d.envelope : BuiltinEnvelope();
  EnvelopeKeys out;
  Result<bool> found = FindEvents(envelope, &out.events_path);
  if (!found.ok()) return found.status();
  if (!*found) return Status::InvalidArgument("envelope: no $events");
  for (const Member& m : envelope.members) {
    if (m.flatten || m.key == out.events_path[0]) continue;
    out.others.push_back(m.key);
    const Template& v = m.value[0];
    if (v.kind == Template::Kind::kReference && v.reference.path == std::vector<std::string>{"project_id"}) {
      out.project_keys.push_back(m.key);
    }
  }
  return out;
}

}  // namespace otelpack::format::declared
