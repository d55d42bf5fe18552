// The bottom layer of the declared runners (runner.h): where a runner
// writes (Out, a Cursor's position kept in registers), how it copies the
// plan's pieces, and the plain writers: what an op writes once its room is
// reserved and its shape is the usual one (plan.h, kPlain). The writers of
// runner.h check the room and the flags, then most take these same paths.
#ifndef OTELPACK_FORMAT_DECLARED_PLAIN_WRITERS_H_
#define OTELPACK_FORMAT_DECLARED_PLAIN_WRITERS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

#include "format/declared/plan.h"
#include "format/json_writer.h"
#include "format/record_pieces.h"
#include "format/time_writer.h"
#include "format/value_writer.h"
#include "otelpack/model.h"

namespace otelpack::format::declared {

#define OTELPACK_HOT [[gnu::always_inline]] inline

class PlanState;

// What a runner's writers read besides the op: the plan, its text and the
// encoder's state for it.
struct Env {
  const Plan& plan;
  PlanState& state;
  const char* text;
  const Op* ops;               // plan.ops.data()
  const AnyValue** slots;      // state.slots()
};

// The write position of a runner: a Cursor's p and end in locals. Sync()
// hands the position back to the cursor before anything out of line writes
// through it; Reload() takes it again afterwards.
class Out {
 public:
  explicit Out(Cursor& c) : p(c.p), cursor_(c), end_(c.end()) {}
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;

  OTELPACK_HOT void Ensure(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p) < n) [[unlikely]] {
      Sync().Ensure(n);
      Reload();
    }
  }
  OTELPACK_HOT Cursor& Sync() {
    cursor_.p = p;
    return cursor_;
  }
  OTELPACK_HOT void Reload() {
    p = cursor_.p;
    end_ = cursor_.end();
  }

  char* p;

 private:
  Cursor& cursor_;
  char* end_;
};

constexpr std::uint8_t Code(FieldId f) { return static_cast<std::uint8_t>(f); }
constexpr std::uint8_t Code(Step s) { return static_cast<std::uint8_t>(s); }
// The code of a plain op (plan.h, kPlain).
constexpr std::uint8_t PlainCode(FieldId f) { return Code(f) | kPlain; }
constexpr std::uint8_t PlainCode(Step s) { return Code(s) | kPlain; }

constexpr std::size_t kEsc = kMaxEscapeGrowth;

// What Put may write past a piece's end; ops reserve it for every piece.
constexpr std::size_t kPutSlack = 32;

// Copies `piece` of the plan's text: two 16-byte blocks whatever its size
// (most leads are under 32 bytes), then the rest 16 bytes at a time.
// REQUIRES: room for piece.size + kPutSlack.
OTELPACK_HOT char* Put(const char* text, Piece piece, char* p) {
  const char* s = text + piece.offset;
  detail::Copy16(p, s);
  detail::Copy16(p + 16, s + 16);
  for (std::uint32_t i = 32; i < piece.size; i += kPieceBlock) detail::Copy16(p + i, s + i);
  return p + piece.size;
}

// Copies the lead of an op without kLongLead, which the op holds.
// REQUIRES: room for 32 bytes.
OTELPACK_HOT char* PutShort(const Op& op, char* p) {
  detail::Copy16(p, op.short_lead);
  detail::Copy16(p + 16, op.short_lead + 16);
  return p + op.lead.size;
}

// ---------------------------------------------------------------- the plain writers
//
// A plain op (plan.h, kPlain) has its room reserved by the first op of its
// run and the shape PlainShape checked when compiling: its writer copies
// the lead and the value, nothing else. The usual writers below take the
// same path once they have checked the room and the flags.

template <std::size_t kBytes>
OTELPACK_HOT char* Hex(const std::uint8_t* bytes, char* p) {
  return kBytes == 16 ? WriteHex16(bytes, p) : WriteHex8(bytes, p);
}

// Ids in hex, their quotes in the texts (kRaw) or not.
template <std::size_t kBytes>
OTELPACK_HOT void PlainId(Out& o, const Op& op, const std::uint8_t* bytes) {
  char* p = PutShort(op, o.p);
  if (op.flags == kRaw) {
    o.p = Hex<kBytes>(bytes, p);
    return;
  }
  *p++ = '"';
  p = Hex<kBytes>(bytes, p);
  *p++ = '"';
  o.p = p;
}

// An absent value with no default: null.
OTELPACK_HOT void PlainNull(Out& o, const Op& op) { o.p = Lit(PutShort(op, o.p), "null"); }

OTELPACK_HOT bool IsZero(const TraceId& id) {
  std::uint64_t a, b;
  std::memcpy(&a, id.bytes.data(), 8);
  std::memcpy(&b, id.bytes.data() + 8, 8);
  return (a | b) == 0;
}
OTELPACK_HOT bool IsZero(const SpanId& id) {
  std::uint64_t a;
  std::memcpy(&a, id.bytes.data(), 8);
  return a == 0;
}

// An id that is absent when all zero (a root span's parent).
template <typename IdT>
OTELPACK_HOT void PlainIdOrNull(Out& o, const Op& op, const IdT& id) {
  if (IsZero(id)) return PlainNull(o, op);
  PlainId<sizeof(id.bytes)>(o, op, id.bytes.data());
}

// Times in the forms with a path of their own (not kUnix, not kRfc3339).
// Milliseconds, the usual unit, are tested first: the switch is a bounds
// check and an indirect jump (measured: ~7 instructions a span fewer).
OTELPACK_HOT void PlainTime(Out& o, const Op& op, std::uint64_t ns) {
  char* p = PutShort(op, o.p);
  const TimeWrite how = op.time_write;
  if (how == TimeWrite::kMs) [[likely]] {
    o.p = WriteUint(ns / 1000000, p);
    return;
  }
  switch (how) {
    case TimeWrite::kMs: break;  // above
    case TimeWrite::kNs: p = WriteUint(ns, p); break;
    case TimeWrite::kUs: p = WriteUint(ns / 1000, p); break;
    case TimeWrite::kS: p = WriteUint(ns / 1000000000, p); break;
    case TimeWrite::kMs3: p = WriteDurationMs(0, ns, p); break;  // the same rounding
    default: __builtin_unreachable();  // PlainShape
  }
  o.p = p;
}

// A time that is absent when 0.
OTELPACK_HOT void PlainOptionalTime(Out& o, const Op& op, std::uint64_t ns) {
  if (ns == 0) return PlainNull(o, op);
  PlainTime(o, op, ns);
}

OTELPACK_HOT void PlainInt(Out& o, const Op& op, std::int64_t v) { o.p = WriteInt(v, PutShort(op, o.p)); }
OTELPACK_HOT void PlainUint(Out& o, const Op& op, std::uint64_t v) { o.p = WriteUint(v, PutShort(op, o.p)); }
OTELPACK_HOT void PlainDouble(Out& o, const Op& op, double v) { o.p = WriteDouble(v, PutShort(op, o.p)); }

// A double that may be absent (a histogram's sum, min and max).
OTELPACK_HOT void PlainOptionalDouble(Out& o, const Op& op, const std::optional<double>& v) {
  if (!v) return PlainNull(o, op);
  PlainDouble(o, op, *v);
}

// An enum's value through its table (names, numbers or cases).
OTELPACK_HOT void PlainEnum(Out& o, const Env& e, const Op& op, unsigned v) {
  const Table& t = e.plan.tables[op.arg];
  const std::size_t last = t.texts.size() - 1;
  o.p = Put(e.text, t.texts[v < last ? v : last], PutShort(op, o.p));
}

// A map as an object: the lead, then the cursor's writer (which reserves
// its own room).
OTELPACK_HOT void PlainMap(Out& o, const Op& op, Attributes attrs) {
  o.p = PutShort(op, o.p);
  WriteObject(o.Sync(), attrs, 0);
  o.Reload();
}

// '}' over the last member's ',' (or after the '{').
OTELPACK_HOT void PlainCloseObject(Out& o, const Op& op) {
  char* p = PutShort(op, o.p);
  if (p[-1] == ',') {
    p[-1] = '}';
  } else {
    *p++ = '}';
  }
  o.p = p;
}

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_PLAIN_WRITERS_H_
