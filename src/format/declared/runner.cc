// The out-of-line parts of runner.h: the encoder's per-plan state, and the
// writers' rare paths (members that may be left out, prepared leads,
// absent values), maps, any values, integer lists and the fields every
// signal has. These work on the Cursor, as value_writer.h does.
#include "format/declared/runner.h"

namespace otelpack::format::declared {
namespace {

void Flatten(Cursor& c, Env e, const Op& op, Attributes attrs) {
  const FlattenSpec& spec = e.plan.flattens[op.arg];
  c.p = OpenSlow(c, e, op, 0);
  const bool include = !spec.include.empty();
  const bool exclude = !spec.exclude.empty();
  for (const KeyValue& kv : attrs) {
    if (include && spec.include.Find(kv.key) < 0) continue;
    if (exclude && spec.exclude.Find(kv.key) >= 0) continue;
    c.Ensure(spec.prefix.size + kPutSlack + kEsc * kv.key.size() + 3);
    char* p = c.p;
    *p++ = '"';
    p = Put(e.text, spec.prefix, p);
    p = EscapeString(kv.key, p);
    c.p = Lit(p, "\":");
    if (spec.strings) {
      WriteValueAsString(c, kv.value, e.state.scratch());
    } else {
      WriteValue(c, kv.value);
    }
    c.Ensure(1);
    *c.p++ = ',';
  }
}

// After a value written through the cursor: a member's ','.
void End(Cursor& c, const Op& op) {
  if (op.flags & kMember) {
    c.Ensure(1);
    *c.p++ = ',';
  }
}

}  // namespace

void BoundTexts::Prepare(std::span<const double> bounds) {
  if (bounds.size() == bounds_.size() &&
      (bounds.empty() || std::memcmp(bounds.data(), bounds_.data(), bounds.size_bytes()) == 0)) {
    return;  // the bounds of the previous point, as usual within a metric
  }
  bounds_.assign(bounds.begin(), bounds.end());
  slots_.Clear();
  char* slots = slots_.ReserveAppend(bounds.size() * kSlot);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    char* slot = slots + i * kSlot;
    slot[kSlot - 1] = static_cast<char>(WriteDouble(bounds[i], slot) - slot);
  }
  slots_.Commit(bounds.size() * kSlot);
}

PlanState::PlanState(const Plan& plan) : slots_(plan.slots, nullptr) {
  runs_.resize(plan.groups.size());
  joined_.resize(plan.groups.size());
  for (std::size_t g = 0; g < plan.groups.size(); ++g) {
    runs_[g].resize(plan.groups[g].runs.size());
    for (Buffer& b : runs_[g]) PadPiece(&b);
    PadPiece(&joined_[g]);
  }
  // Pointers into vectors that no longer change size.
  for (std::size_t g = 0; g < plan.groups.size(); ++g) {
    group_text_.push_back(runs_[g].size() == 1 ? &runs_[g][0] : &joined_[g]);
  }
}

void PlanState::Join(std::uint32_t g) {
  if (runs_[g].size() == 1) return;
  Buffer& joined = joined_[g];
  joined.Clear();
  for (const Buffer& run : runs_[g]) joined.Append(run.view());
  PadPiece(&joined);
}

char* OpenSlow(Cursor& c, Env e, const Op& op, std::size_t more) {
  if (op.flags & kPreparedLead) {
    const Buffer& piece = e.state.group(op.group);
    c.Ensure(piece.size() + kPieceBlock);
    c.p = CopyPiece(piece, c.p);
  }
  c.Ensure(op.room + more);
  char* p = Put(e.text, op.lead, c.p);
  if (op.flags & kMember) p = Put(e.text, op.key, p);
  return p;
}

void Missing(Cursor& c, Env e, const Op& op, bool absent) {
  if (op.flags & kMember) {
    // Left out: only the lead, which is written whatever the value.
    Op lead_only = op;
    lead_only.flags = static_cast<std::uint8_t>(op.flags & ~kMember);
    c.p = OpenSlow(c, e, lead_only, 0);
    return;
  }
  char* p = OpenSlow(c, e, op, 0);
  c.p = absent && (op.flags & kHasDefault) ? Put(e.text, op.absent, p) : Lit(p, "null");
}

void CloseObject(Cursor& c, Env e, const Op& op) {
  char* p = OpenSlow(c, e, op, 0);
  if (p[-1] == ',') {
    p[-1] = '}';
  } else {
    *p++ = '}';
  }
  c.p = p;
}

namespace {

// OpenSlow without a call for the usual op, whose lead is only text.
char* OpenOn(Cursor& c, const Env& e, const Op& op) {
  if (op.flags & (kMember | kPreparedLead)) return OpenSlow(c, e, op, 0);
  c.Ensure(op.room);
  return Put(e.text, op.lead, c.p);
}

}  // namespace

void Map(Cursor& c, Env e, const Op& op, Attributes attrs) {
  if (op.form == Form::kNatural && op.flags == 0) [[likely]] {
    c.Ensure(op.room);
    c.p = Put(e.text, op.lead, c.p);
    WriteObject(c, attrs, 0);
    return;
  }
  if (attrs.empty() && LeftOutWhenEmpty(op.flags)) return Missing(c, e, op, false);
  if (op.form == Form::kFlatten) return Flatten(c, e, op, attrs);
  c.p = OpenOn(c, e, op);
  switch (op.form) {
    case Form::kStrings: WriteStringsObject(c, attrs, e.state.scratch()); break;
    case Form::kJson: WriteObjectAsJsonString(c, attrs, e.state.scratch()); break;
    default: WriteObject(c, attrs, 0); break;
  }
  End(c, op);
}

namespace {

bool IsEmptyValue(const AnyValue& v) {
  switch (v.type()) {
    case ValueType::kString:
    case ValueType::kBytes: return v.string_value().empty();
    case ValueType::kArray: return v.array_value().empty();
    case ValueType::kKvList: return v.kvlist_value().empty();
    default: return false;
  }
}

}  // namespace

void Any(Cursor& c, Env e, const Op& op, const AnyValue* v) {
  if (v == nullptr || v->type() == ValueType::kEmpty) return Missing(c, e, op, true);
  if (LeftOutWhenEmpty(op.flags) && IsEmptyValue(*v)) return Missing(c, e, op, false);
  c.p = OpenOn(c, e, op);
  switch (op.form) {
    case Form::kJson: WriteValueAsJsonString(c, *v, e.state.scratch()); break;
    case Form::kString: WriteValueAsString(c, *v, e.state.scratch()); break;
    default: WriteValue(c, *v); break;
  }
  End(c, op);
}

void UintList(Cursor& c, Env e, const Op& op, std::span<const std::uint64_t> list) {
  if (list.empty() && LeftOutWhenEmpty(op.flags)) return Missing(c, e, op, false);
  // Each count with its ',' and the digit writer's scratch bytes.
  char* p = OpenSlow(c, e, op, 2 + 21 * list.size());
  *p++ = '[';
  for (std::uint64_t n : list) {
    p = WriteUint(n, p);
    *p++ = ',';
  }
  if (list.empty()) {
    *p++ = ']';
  } else {
    p[-1] = ']';
  }
  if (op.flags & kMember) *p++ = ',';
  c.p = p;
}

void CommonField(Cursor& c, Env e, const Op& op, const CommonContext& x) {
  Out o(c);
  switch (op.field()) {
    case FieldId::kService: String(o, e, op, x.service); break;
    case FieldId::kResourceAttributes: Map(o, e, op, x.resource->attributes); break;
    case FieldId::kResourceDropped: Uint(o, e, op, x.resource->dropped_attributes_count); break;
    case FieldId::kScopeName: String(o, e, op, x.scope->name); break;
    case FieldId::kScopeVersion: String(o, e, op, x.scope->version); break;
    case FieldId::kScopeAttributes: Map(o, e, op, x.scope->attributes); break;
    default: break;  // not a common field: the compiler never makes such a plan
  }
  o.Sync();
}

}  // namespace otelpack::format::declared
