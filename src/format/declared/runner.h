// What the three declared runners share (span_runner.cc, log_runner.cc,
// metric_runner.cc): an encoder's mutable state for one plan, and one inline
// writer per type of value, each writing an op's lead, its value in the
// op's form, and what absence or emptiness asks for.
//
// The writers follow the hand-written encoders' rules: room for the worst
// case is reserved once per op or straight run (strings at 6 bytes a
// byte), pieces are copied in 16-byte blocks from the padded plan text,
// numbers and strings go through json_writer.h, maps and values through
// value_writer.h. Nothing here allocates once the buffers have grown.
//
// Three things keep an op close to the hand-written code's cost. The write
// position lives in an Out (plain_writers.h), a local of the runner whose
// address never leaves inline code, so that it stays in registers: the
// caller's Cursor, like the plan, could be changed by any write through a
// char* as far as the compiler knows, and would be read again after every
// byte. Every writer has a fast path for the usual op (no key to leave out,
// no quotes to add, no prepared lead): the rest is out of line, on the
// Cursor. And the ops of a straight run after its first are plain
// (plan.h, kPlain): the runners send them to plain_writers.h's writers,
// with no room check and no flag test.
#ifndef OTELPACK_FORMAT_DECLARED_RUNNER_H_
#define OTELPACK_FORMAT_DECLARED_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "format/declared/plain_writers.h"
#include "format/declared/plan.h"
#include "format/encoder.h"
#include "format/json_writer.h"
#include "format/record_pieces.h"
#include "format/service_name.h"
#include "format/string_writers.h"
#include "format/time_writer.h"
#include "format/value_writer.h"
#include "otelpack/buffer.h"
#include "otelpack/model.h"

namespace otelpack::format::declared {

// The JSON of a histogram's bounds, each in a slot of its own with its
// length in the slot's last byte, kept while the points' bounds stay the
// same, as they do within a metric: the doubles are most of a histogram's
// cost, and MetricEncoder keeps its bound pieces the same way.
class BoundTexts {
 public:
  static constexpr std::size_t kSlot = 48;
  static_assert(kMaxNumberChars < kSlot, "a bound's JSON fits its slot with its length");

  // Makes the slots those of `bounds`, unless they already are.
  void Prepare(std::span<const double> bounds);
  // Slot i; REQUIRES: i < the prepared bounds.
  const char* slot(std::size_t i) const { return slots_.data() + i * kSlot; }

 private:
  std::vector<double> bounds_;
  Buffer slots_;
};

// An encoder's state for one plan: the picked attributes' slots, the
// prepared groups' bytes, a scratch buffer for values written as strings
// and a histogram's bound texts.
class PlanState {
 public:
  explicit PlanState(const Plan& plan);
  PlanState(const PlanState&) = delete;
  PlanState& operator=(const PlanState&) = delete;

  const AnyValue** slots() { return slots_.data(); }
  Buffer* scratch() { return &scratch_; }
  BoundTexts& bounds() { return bounds_; }
  // The bytes of group g, padded for CopyPiece.
  const Buffer& group(std::uint32_t g) const { return *group_text_[g]; }
  Buffer& run(std::uint32_t g, std::size_t r) { return runs_[g][r]; }
  // After a run of group g was rewritten: joins its runs again.
  void Join(std::uint32_t g);

 private:
  std::vector<const AnyValue*> slots_;
  std::vector<std::vector<Buffer>> runs_;  // by group, by run
  std::vector<Buffer> joined_;             // groups of several runs
  std::vector<const Buffer*> group_text_;  // what each group copies
  Buffer scratch_;
  BoundTexts bounds_;
};

// What a runner's writers read of `plan` and `state`, made once per batch.
inline Env EnvOf(const Plan& plan, PlanState& state) {
  return {plan, state, plan.text.data(), plan.ops.data(), state.slots()};
}

// What every context has: the resource and scope being encoded.
struct CommonContext {
  const Resource* resource = nullptr;
  const InstrumentationScope* scope = nullptr;
  std::string_view service = "unknown";
};

// ---------------------------------------------------------------- the rare paths, out of line
//
// These take the Env by value: its address must not leave the runner, or
// the compiler reads its fields again after every write.

// Reserves the op's room and `more` and writes its whole lead: the prepared
// group it starts with, its text, and its key when it is a member that may
// be left out. Returns where the value goes.
char* OpenSlow(Cursor& c, Env e, const Op& op, std::size_t more);
// An absent value (or an empty one, `absent` false): its default, null, or
// nothing but the lead when the member is left out.
void Missing(Cursor& c, Env e, const Op& op, bool absent);
// '}' over the last member's ',' (or after the '{').
void CloseObject(Cursor& c, Env e, const Op& op);
// Maps in every form (flattened ones included) and any values.
void Map(Cursor& c, Env e, const Op& op, Attributes attrs);
void Any(Cursor& c, Env e, const Op& op, const AnyValue* v);
void UintList(Cursor& c, Env e, const Op& op, std::span<const std::uint64_t> list);
// The fields every signal has: the resource's and the scope's (only
// prepared runs meet them).
void CommonField(Cursor& c, Env e, const Op& op, const CommonContext& x);

// An absent (or empty) value. Inline for a short text lead: a member left
// out (an event_name most records lack) writes nothing but its lead.
OTELPACK_HOT void Missing(Out& o, const Env& e, const Op& op, bool absent) {
  const std::uint8_t flags = op.flags;
  if (flags & (kPreparedLead | kLongLead)) [[unlikely]] {
    Missing(o.Sync(), e, op, absent);
    o.Reload();
    return;
  }
  o.Ensure(op.room);
  char* p = PutShort(op, o.p);
  if (!(flags & kMember)) p = absent && (flags & kHasDefault) ? Put(e.text, op.absent, p) : Lit(p, "null");
  o.p = p;
}

// ---------------------------------------------------------------- the writers

// Copies the prepared group an op's lead starts with (kPreparedLead).
OTELPACK_HOT void CopyGroup(Out& o, const Env& e, const Op& op) {
  const Buffer& group = e.state.group(op.group);
  o.Ensure(group.size() + kPieceBlock);
  o.p = CopyPiece(group, o.p);
}

// Reserves the op's room (and `more`) and writes its lead; the position of
// the value. The usual op has nothing but a short text lead.
OTELPACK_HOT char* Open(Out& o, const Env& e, const Op& op, std::size_t more) {
  const std::uint8_t flags = op.flags;
  if (flags & kPreparedLead) CopyGroup(o, e, op);
  if (flags & kMember) [[unlikely]] {
    // OpenSlow writes the lead's text and key (its prepared part is done).
    Op rest = op;
    rest.flags = static_cast<std::uint8_t>(flags & ~kPreparedLead);
    char* p = OpenSlow(o.Sync(), e, rest, more);
    o.Reload();
    return p;
  }
  o.Ensure(op.room + more);
  return flags & kLongLead ? Put(e.text, op.lead, o.p) : PutShort(op, o.p);
}

// Ends a value written from Open: a member that may be left out ends with
// its own ','. `flags` is op.flags, read before the value was written.
OTELPACK_HOT void Finish(Out& o, std::uint8_t flags, char* p) {
  if (flags & kMember) [[unlikely]] *p++ = ',';
  o.p = p;
}

OTELPACK_HOT bool LeftOutWhenEmpty(std::uint8_t flags) { return (flags & (kMember | kNullIfEmpty)) != 0; }

// Whether a case() table's text is "": empty for omit_if_empty and
// null_if_empty, as a constant enum's is (lower.cc), so that a case can
// leave its member out (`case(server="SERVER", else="") | omit_if_empty`).
OTELPACK_HOT bool IsEmptyText(const Env& e, Piece text) {
  return text.size == 2 && e.text[text.offset] == '"' && e.text[text.offset + 1] == '"';
}

// Writes the quote of a number, boolean or time that is `| string`.
OTELPACK_HOT char* Quote(std::uint8_t flags, char* p) {
  if (flags & kQuote) [[unlikely]] *p++ = '"';
  return p;
}

// Writes the quote of a string whose quotes are not in the texts (not kRaw).
OTELPACK_HOT char* StringQuote(std::uint8_t flags, char* p) {
  if (!(flags & kRaw)) *p++ = '"';
  return p;
}

OTELPACK_HOT void String(Out& o, const Env& e, const Op& op, std::string_view s) {
  const std::uint8_t flags = op.flags;
  if ((flags & ~kPreparedLead) == kRaw) [[likely]] {
    // Never absent, never left out: the lead ends with the opening quote.
    if (flags & kPreparedLead) CopyGroup(o, e, op);
    o.Ensure(op.room + kEsc * s.size());
    o.p = EscapeString(s, PutShort(op, o.p));
    return;
  }
  if (s.empty() && LeftOutWhenEmpty(flags)) return Missing(o, e, op, false);
  if (op.form == Form::kCase) {
    const Table& t = e.plan.tables[op.arg];
    std::size_t i = 0;
    while (i < t.keys.size() && t.keys[i] != s) ++i;
    const Piece text = t.texts[i];
    if (LeftOutWhenEmpty(flags) && IsEmptyText(e, text)) return Missing(o, e, op, false);
    return Finish(o, flags, Put(e.text, text, Open(o, e, op, 0)));
  }
  char* p = StringQuote(flags, Open(o, e, op, kEsc * s.size()));
  Finish(o, flags, StringQuote(flags, EscapeString(s, p)));
}

// A string that is absent when empty (a log record's event name).
OTELPACK_HOT void OptionalString(Out& o, const Env& e, const Op& op, std::string_view s) {
  if (s.empty()) return Missing(o, e, op, true);
  String(o, e, op, s);
}

template <std::size_t kBytes>
OTELPACK_HOT void Id(Out& o, const Env& e, const Op& op, const std::uint8_t* bytes) {
  const std::uint8_t flags = op.flags;
  const bool base64 = op.form == Form::kBase64;
  if ((flags & ~kRaw) == 0 && !base64) [[likely]] {
    o.Ensure(op.room);
    return PlainId<kBytes>(o, op, bytes);
  }
  char* p = StringQuote(flags, Open(o, e, op, 0));
  if (base64) [[unlikely]] {
    p = WriteBase64(bytes, kBytes, p);
  } else {
    p = Hex<kBytes>(bytes, p);
  }
  Finish(o, flags, StringQuote(flags, p));
}

// An id that is absent when all zero.
template <typename IdT>
OTELPACK_HOT void IdOrAbsent(Out& o, const Env& e, const Op& op, const IdT& id) {
  if (IsZero(id)) return Missing(o, e, op, true);
  Id<sizeof(id.bytes)>(o, e, op, id.bytes.data());
}

OTELPACK_HOT void Time(Out& o, const Env& e, const Op& op, std::uint64_t ns) {
  const std::uint8_t flags = op.flags;
  const TimeWrite how = op.time_write;
  if (flags == 0 && how != TimeWrite::kUnix && how != TimeWrite::kRfc3339) [[likely]] {
    o.Ensure(op.room);
    return PlainTime(o, op, ns);
  }
  char* p = flags == 0 ? (o.Ensure(op.room), PutShort(op, o.p)) : Quote(flags, Open(o, e, op, 0));
  switch (how) {
    case TimeWrite::kNs: p = WriteUint(ns, p); break;
    case TimeWrite::kUs: p = WriteUint(ns / 1000, p); break;
    case TimeWrite::kMs: p = WriteUint(ns / 1000000, p); break;
    case TimeWrite::kS: p = WriteUint(ns / 1000000000, p); break;
    case TimeWrite::kMs3: p = WriteDurationMs(0, ns, p); break;  // the same rounding
    case TimeWrite::kUnix: p = WriteUnixTime(op.time, ns, p); break;
    case TimeWrite::kRfc3339: p = StringQuote(flags, WriteRfc3339(ns, op.time.digits, StringQuote(flags, p))); break;
  }
  Finish(o, flags, Quote(flags, p));
}

// A time that is absent when 0.
OTELPACK_HOT void OptionalTime(Out& o, const Env& e, const Op& op, std::uint64_t ns) {
  if (ns == 0) return Missing(o, e, op, true);
  Time(o, e, op, ns);
}

// A number written by `write`: the usual op is flags 0 (no key to leave
// out, no quotes).
template <typename T, typename Write>
OTELPACK_HOT void Number(Out& o, const Env& e, const Op& op, T v, Write write) {
  const std::uint8_t flags = op.flags;
  if (flags == 0) [[likely]] {
    o.Ensure(op.room);
    o.p = write(v, PutShort(op, o.p));
    return;
  }
  Finish(o, flags, Quote(flags, write(v, Quote(flags, Open(o, e, op, 0)))));
}

OTELPACK_HOT void Int(Out& o, const Env& e, const Op& op, std::int64_t v) {
  Number(o, e, op, v, [](std::int64_t x, char* p) { return WriteInt(x, p); });
}
OTELPACK_HOT void Uint(Out& o, const Env& e, const Op& op, std::uint64_t v) {
  Number(o, e, op, v, [](std::uint64_t x, char* p) { return WriteUint(x, p); });
}
OTELPACK_HOT void Double(Out& o, const Env& e, const Op& op, double v) {
  Number(o, e, op, v, [](double x, char* p) { return WriteDouble(x, p); });
}

OTELPACK_HOT void OptionalDouble(Out& o, const Env& e, const Op& op, const std::optional<double>& v) {
  if (!v) return Missing(o, e, op, true);
  Double(o, e, op, *v);
}

OTELPACK_HOT void Bool(Out& o, const Env& e, const Op& op, bool v) {
  const std::uint8_t flags = op.flags;
  char* p = Quote(flags, Open(o, e, op, 0));
  p = v ? Lit(p, "true") : Lit(p, "false");
  Finish(o, flags, Quote(flags, p));
}

// An enum's value through its table (names, numbers or cases).
OTELPACK_HOT void Enum(Out& o, const Env& e, const Op& op, unsigned v) {
  const std::uint8_t flags = op.flags;
  const Table& t = e.plan.tables[op.arg];
  const std::size_t last = t.texts.size() - 1;
  const Piece text = t.texts[v < last ? v : last];
  if ((flags & ~kRaw) == 0) [[likely]] {
    o.Ensure(op.room);
    o.p = Put(e.text, text, PutShort(op, o.p));
    return;
  }
  if (LeftOutWhenEmpty(flags) && IsEmptyText(e, text)) return Missing(o, e, op, false);
  Finish(o, flags, Put(e.text, text, Open(o, e, op, 0)));
}

OTELPACK_HOT void Map(Out& o, const Env& e, const Op& op, Attributes attrs) {
  if (op.flags == 0 && op.form == Form::kNatural) [[likely]] {
    o.Ensure(op.room);
    return PlainMap(o, op, attrs);
  }
  Map(o.Sync(), e, op, attrs);
  o.Reload();
}

OTELPACK_HOT void Any(Out& o, const Env& e, const Op& op, const AnyValue* v) {
  if (op.flags == 0 && op.form == Form::kNatural && v != nullptr) [[likely]] {
    // As is: null when unset, as WriteValue writes it.
    o.Ensure(op.room);
    o.p = PutShort(op, o.p);
    WriteValue(o.Sync(), *v);
  } else {
    Any(o.Sync(), e, op, v);
  }
  o.Reload();
}

OTELPACK_HOT void UintList(Out& o, const Env& e, const Op& op, std::span<const std::uint64_t> list) {
  UintList(o.Sync(), e, op, list);
  o.Reload();
}

OTELPACK_HOT void CloseObject(Out& o, const Env& e, const Op& op) {
  if (op.flags & (kPreparedLead | kLongLead)) [[unlikely]] {
    CloseObject(o.Sync(), e, op);
    o.Reload();
    return;
  }
  o.Ensure(op.room);
  PlainCloseObject(o, op);
}

// Opens a list mapped by $each: false (and the list written as empty,
// absent or left out) when there is nothing to map.
OTELPACK_HOT bool OpenList(Out& o, const Env& e, const Op& op, std::size_t size) {
  if (size == 0 && LeftOutWhenEmpty(op.flags)) [[unlikely]] {
    Missing(o, e, op, false);
    return false;
  }
  char* p;
  if (op.flags == 0) [[likely]] {
    o.Ensure(op.room);
    p = PutShort(op, o.p);
  } else {
    p = Open(o, e, op, 1);
  }
  *p++ = '[';
  o.p = p;
  return true;
}

// ']' in place of the last item's ',', or after the '['.
OTELPACK_HOT void CloseList(Out& o, const Op& op) {
  const std::uint8_t flags = op.flags;
  o.Ensure(2);
  if (o.p[-1] == ',') {
    o.p[-1] = ']';
  } else {
    *o.p++ = ']';
  }
  Finish(o, flags, o.p);
}

// A block's last op: the text after its last value.
OTELPACK_HOT void End(Out& o, const Env& e, const Op& op) { o.p = Open(o, e, op, 0); }

// The list a runner is mapping with $each: its items run in the same loop
// as the record (a list's item cannot hold another list), from the item
// block's first op to its kEnd, then again for the next item.
struct ListRun {
  const Op* list = nullptr;  // the list's op; null outside $item
  std::size_t index = 0;
  std::size_t size = 0;
  const Block* item = nullptr;  // the item's block
  const Op* before = nullptr;   // the op before the item block's first, for the runner's ++op
};

// Starts the items of `list` (`size` > 0); the runner then points its
// context at the first item and jumps to the item block.
OTELPACK_HOT void FirstItem(const Env& e, const Op& list, std::size_t size, ListRun* l) {
  const Block& item = e.plan.blocks[list.arg];
  *l = {&list, 0, size, &item, e.plan.ops.data() + item.begin - 1};
}

// Opens the list of `op` (`size` items) and starts its first item
// (`first_item` points the context at it and returns the op before the
// item block's first): the op the runner goes on from.
template <typename FirstItemOf>
OTELPACK_HOT const Op* Items(Out& o, const Env& e, const Op* op, std::size_t size, ListRun* l,
                             FirstItemOf first_item) {
  if (!OpenList(o, e, *op, size)) return op;
  if (size == 0) {
    CloseList(o, *op);
    return op;
  }
  FirstItem(e, *op, size, l);
  return first_item();
}

// A block's kEnd `op`: writes the text after its last value, then goes on
// with the next item of the list being mapped (`next_item` points the
// context at l.index and returns the op before the item's first), or with
// the op after the list, or ends the record (null).
template <bool kIsPlain, typename NextItem>
OTELPACK_HOT const Op* EndOf(Out& o, const Env& e, const Op* op, ListRun& l, NextItem next_item) {
  if constexpr (kIsPlain) {
    o.p = PutShort(*op, o.p);
  } else {
    End(o, e, *op);
  }
  if (l.list == nullptr) {
    o.Sync();
    return nullptr;
  }
  if (++l.index < l.size) return next_item();
  CloseList(o, *l.list);
  const Op* list = l.list;
  l.list = nullptr;
  return list;
}

// The resource's or the scope's attributes when `map` names them; empty for
// any other map (the runners name their records').
inline Attributes CommonMap(FieldId map, const CommonContext& x) {
  if (map == FieldId::kResourceAttributes) return x.resource->attributes;
  if (map == FieldId::kScopeAttributes) return x.scope->attributes;
  return {};
}

// The fields every signal has, for the runners' `case`s of them.
OTELPACK_HOT void Common(Out& o, const Env& e, const Op& op, const CommonContext& x) {
  CommonField(o.Sync(), e, op, x);
  o.Reload();
}

// Fills the slots of `set` from one pass over `attrs`; the first of
// duplicate keys wins, as for the service name.
inline void FillPicks(const PickSet& set, Attributes attrs, const AnyValue** slots) {
  for (std::uint32_t s : set.slots) slots[s] = nullptr;
  for (const KeyValue& kv : attrs) {
    const std::int64_t s = set.keys.Find(kv.key);
    if (s >= 0 && slots[s] == nullptr) slots[s] = &kv.value;
  }
}

// Writes the runs of `level` of every group of the plan again, with
// `run_block` running a block into a cursor.
template <typename RunBlock>
void Render(const Plan& plan, PlanState& state, Level level, RunBlock run_block) {
  for (std::uint32_t g = 0; g < plan.groups.size(); ++g) {
    const PreparedGroup& group = plan.groups[g];
    bool changed = false;
    for (std::size_t r = 0; r < group.runs.size(); ++r) {
      if (group.runs[r].level != level) continue;
      Buffer& out = state.run(g, r);
      out.Clear();
      Cursor c(&out, 64);
      run_block(plan.blocks[group.runs[r].block], c);
      c.Done();
      PadPiece(&out);
      changed = true;
    }
    if (changed) state.Join(g);
  }
}

// The encoder of a signal whose records sit in resource -> scope -> record
// (spans, log records; metrics have a metric level and a plan per kind:
// metric_runner.cc): the walk, the prepared runs of each resource and
// scope, one event per record. `T` says where the signal keeps what: its
// View, Runner and Context, Scopes(group), Records(scope), Point(context,
// record) and Name(record); and RunEvent(runner, ...), how the event block
// is run (the runner's Run, or a shaped run: shape.h).
template <typename T>
class RecordEncoder final : public SignalEncoder<typename T::View> {
 public:
  explicit RecordEncoder(std::shared_ptr<const Plan> plan)
      : plan_(std::move(plan)), state_(*plan_), runner_(*plan_, state_) {}

  // flatten: the runner and the value writers it calls are inlined into
  // this loop over the records, as they are in the hand-written encoders
  // (measured: 3% of the encoder's time is the calls otherwise).
  //
  // What every record reads of the plan (the Env, the event block's first
  // op and picks) is read once per batch, into locals that no write
  // through a char* can change (measured: ~9 instructions a span).
  [[gnu::flatten]] void Encode(typename T::View data, EventSink& sink) override {
    const Env e = runner_.MakeEnv();
    const Block event = plan_->blocks[0];
    for (const auto& group : data) {
      x_.common.resource = &group.resource;
      x_.common.service = ServiceName(group.resource);
      RenderLevel(Level::kResource);
      for (const auto& scope : T::Scopes(group)) {
        x_.common.scope = &scope.scope;
        RenderLevel(Level::kScope);
        for (const auto& record : T::Records(scope)) {
          T::Point(x_, record);
          Cursor c(&sink.BeginEvent(), 256);
          T::RunEvent(runner_, e, event, c, x_);
          c.Done();
          sink.EndEvent(T::Name(record));
        }
      }
    }
  }

 private:
  void RenderLevel(Level level) {
    if (!plan_->has_level[static_cast<int>(level)]) return;
    Render(*plan_, state_, level, [&](const Block& b, Cursor& c) { runner_.RunOnce(b, c, x_); });
  }

  const std::shared_ptr<const Plan> plan_;
  PlanState state_;
  typename T::Runner runner_;
  typename T::Context x_;
};

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_RUNNER_H_
