// The declared traces encoder: a plan run over spans, their events and
// links (declared_encoder.h).
#include "format/declared/declared_encoder.h"
#include "format/declared/runner.h"
#include "format/declared/shape.h"

namespace otelpack::format::declared {
namespace {

using F = FieldId;

// Read by the loop before any op runs, also when a resource's runs are
// written before the first span.
const Span kNoSpan{};

struct SpanContext {
  CommonContext common;
  const Span* span = &kNoSpan;
  const SpanEvent* event = nullptr;  // inside $item of events
  const SpanLink* link = nullptr;    // inside $item of links
};

std::uint64_t DurationOf(const Span& s) {
  return s.end_time_unix_nano > s.start_time_unix_nano ? s.end_time_unix_nano - s.start_time_unix_nano : 0;
}

// The value ops of spans, their events and links: OP(code, statement), the
// statement writing the op `op` of that code (with `o`, `e`, `s`, `x` and
// `slots` in scope). One list for the two places a runner meets them: the
// dispatch of Run and the shaped runners (shape.h), whose codes are known
// when compiling. The lists and the blocks' ends are the runners' own.
#define OTELPACK_SPAN_VALUE_OPS(OP) \
  OP(Code(Step::kCloseObject), CloseObject(o, e, *op)) \
  OP(Code(F::kPick), Any(o, e, *op, slots[op->arg])) \
  OP(Code(F::kSpanTraceId), Id<16>(o, e, *op, s.trace_id.bytes.data())) \
  OP(Code(F::kSpanSpanId), Id<8>(o, e, *op, s.span_id.bytes.data())) \
  OP(Code(F::kSpanParentSpanId), IdOrAbsent(o, e, *op, s.parent_span_id)) \
  OP(Code(F::kSpanTraceState), String(o, e, *op, s.trace_state)) \
  OP(Code(F::kSpanFlags), Uint(o, e, *op, s.flags)) \
  OP(Code(F::kSpanName), String(o, e, *op, s.name)) \
  OP(Code(F::kSpanKind), Enum(o, e, *op, static_cast<unsigned>(s.kind))) \
  OP(Code(F::kSpanStartTime), Time(o, e, *op, s.start_time_unix_nano)) \
  OP(Code(F::kSpanEndTime), Time(o, e, *op, s.end_time_unix_nano)) \
  OP(Code(F::kSpanDuration), Time(o, e, *op, DurationOf(s))) \
  OP(Code(F::kSpanStatusCode), Enum(o, e, *op, static_cast<unsigned>(s.status_code))) \
  OP(Code(F::kSpanStatusMessage), String(o, e, *op, s.status_message)) \
  OP(Code(F::kSpanAttributes), Map(o, e, *op, s.attributes)) \
  OP(Code(F::kSpanDroppedAttributes), Uint(o, e, *op, s.dropped_attributes_count)) \
  OP(Code(F::kSpanDroppedEvents), Uint(o, e, *op, s.dropped_events_count)) \
  OP(Code(F::kSpanDroppedLinks), Uint(o, e, *op, s.dropped_links_count)) \
  OP(Code(F::kEventName), String(o, e, *op, x.event->name)) \
  OP(Code(F::kEventTime), Time(o, e, *op, x.event->time_unix_nano)) \
  OP(Code(F::kEventAttributes), Map(o, e, *op, x.event->attributes)) \
  OP(Code(F::kEventDropped), Uint(o, e, *op, x.event->dropped_attributes_count)) \
  OP(Code(F::kLinkTraceId), Id<16>(o, e, *op, x.link->trace_id.bytes.data())) \
  OP(Code(F::kLinkSpanId), Id<8>(o, e, *op, x.link->span_id.bytes.data())) \
  OP(Code(F::kLinkTraceState), String(o, e, *op, x.link->trace_state)) \
  OP(Code(F::kLinkAttributes), Map(o, e, *op, x.link->attributes)) \
  OP(Code(F::kLinkFlags), Uint(o, e, *op, x.link->flags)) \
  OP(Code(F::kLinkDropped), Uint(o, e, *op, x.link->dropped_attributes_count)) \
  OP(Code(F::kService), Common(o, e, *op, x.common)) \
  OP(Code(F::kResourceAttributes), Common(o, e, *op, x.common)) \
  OP(Code(F::kResourceDropped), Common(o, e, *op, x.common)) \
  OP(Code(F::kScopeName), Common(o, e, *op, x.common)) \
  OP(Code(F::kScopeVersion), Common(o, e, *op, x.common)) \
  OP(Code(F::kScopeAttributes), Common(o, e, *op, x.common)) \
  OP(PlainCode(Step::kCloseObject), PlainCloseObject(o, *op)) \
  OP(PlainCode(F::kSpanTraceId), PlainId<16>(o, *op, s.trace_id.bytes.data())) \
  OP(PlainCode(F::kSpanSpanId), PlainId<8>(o, *op, s.span_id.bytes.data())) \
  OP(PlainCode(F::kSpanParentSpanId), PlainIdOrNull(o, *op, s.parent_span_id)) \
  OP(PlainCode(F::kSpanFlags), PlainUint(o, *op, s.flags)) \
  OP(PlainCode(F::kSpanKind), PlainEnum(o, e, *op, static_cast<unsigned>(s.kind))) \
  OP(PlainCode(F::kSpanStartTime), PlainTime(o, *op, s.start_time_unix_nano)) \
  OP(PlainCode(F::kSpanEndTime), PlainTime(o, *op, s.end_time_unix_nano)) \
  OP(PlainCode(F::kSpanDuration), PlainTime(o, *op, DurationOf(s))) \
  OP(PlainCode(F::kSpanStatusCode), PlainEnum(o, e, *op, static_cast<unsigned>(s.status_code))) \
  OP(PlainCode(F::kSpanAttributes), PlainMap(o, *op, s.attributes)) \
  OP(PlainCode(F::kSpanDroppedAttributes), PlainUint(o, *op, s.dropped_attributes_count)) \
  OP(PlainCode(F::kSpanDroppedEvents), PlainUint(o, *op, s.dropped_events_count)) \
  OP(PlainCode(F::kSpanDroppedLinks), PlainUint(o, *op, s.dropped_links_count)) \
  OP(PlainCode(F::kEventTime), PlainTime(o, *op, x.event->time_unix_nano)) \
  OP(PlainCode(F::kEventAttributes), PlainMap(o, *op, x.event->attributes)) \
  OP(PlainCode(F::kEventDropped), PlainUint(o, *op, x.event->dropped_attributes_count)) \
  OP(PlainCode(F::kLinkTraceId), PlainId<16>(o, *op, x.link->trace_id.bytes.data())) \
  OP(PlainCode(F::kLinkSpanId), PlainId<8>(o, *op, x.link->span_id.bytes.data())) \
  OP(PlainCode(F::kLinkAttributes), PlainMap(o, *op, x.link->attributes)) \
  OP(PlainCode(F::kLinkFlags), PlainUint(o, *op, x.link->flags)) \
  OP(PlainCode(F::kLinkDropped), PlainUint(o, *op, x.link->dropped_attributes_count))

class SpanRunner {
 public:
  SpanRunner(const Plan& plan, PlanState& state) : plan_(plan), state_(state) {}

  // What Run reads of the plan and the state: made once per batch
  // (RecordEncoder), not once per span.
  Env MakeEnv() const { return EnvOf(plan_, state_); }

  // Writes block `b` (an event or a prepared run) at the cursor, the items
  // of its lists included. Inline into the loop over the spans.
  OTELPACK_HOT void Run(const Env& e, const Block& b, Cursor& c, SpanContext& x) {
    const AnyValue** const slots = e.slots;
    Picks(e, b, x);
    const Span& s = *x.span;
    ListRun l;
    Out o(c);
    for (const Op* op = e.ops + b.begin;; ++op) {
      switch (op->code) {
        case Code(Step::kEnd):
          op = EndOf<false>(o, e, op, l, [&] { return Item(e, l, x); });
          if (op == nullptr) return;
          break;
        case PlainCode(Step::kEnd):
          op = EndOf<true>(o, e, op, l, [&] { return Item(e, l, x); });
          if (op == nullptr) return;
          break;
        // One case each: a case shared by codes keeps the code in a register
        // across every dispatch (measured: ~23 instructions a span).
        case Code(F::kSpanEvents): op = Items(o, e, op, s.events.size(), &l, [&] { return Item(e, l, x); }); break;
        case Code(F::kSpanLinks): op = Items(o, e, op, s.links.size(), &l, [&] { return Item(e, l, x); }); break;
#define OTELPACK_CASE(code, ...) \
  case code:                     \
    __VA_ARGS__;                 \
    break;
        OTELPACK_SPAN_VALUE_OPS(OTELPACK_CASE)
        default: __builtin_unreachable();  // the compiler makes no other op for this signal
      }
    }
  }

  // Writes the event of a plan of shape `S` (shape.h: S::Match(plan) was
  // true), the codes known here: no dispatch.
  template <typename S>
  OTELPACK_HOT void RunShaped(const Env& e, const Block& b, Cursor& c, SpanContext& x) {
    Picks(e, b, x);
    Out o(c);
    const Op* op = e.ops + b.begin;
    S::Event::Each([&]<std::uint8_t kCode>() {
      if constexpr (kCode == S::kListCode) {
        ShapedList<S>(o, e, *op, x);
      } else if constexpr (kCode == Code(Step::kEnd) || kCode == PlainCode(Step::kEnd)) {
        if constexpr (kCode == Code(Step::kEnd)) {
          End(o, e, *op);
        } else {
          o.p = PutShort(*op, o.p);
        }
        o.Sync();
      } else {
        Value<kCode>(o, e, *op, x);
      }
      ++op;
    });
  }

  // Run out of line, for the prepared runs.
  [[gnu::noinline]] void RunOnce(const Block& b, Cursor& c, SpanContext& x) { Run(MakeEnv(), b, c, x); }

 private:
  // Writes value op `op` of `kCode`, known when compiling.
  template <std::uint8_t kCode>
  OTELPACK_HOT void Value(Out& o, const Env& e, const Op& op_ref, const SpanContext& x) {
    const Op* const op = &op_ref;
    const AnyValue** const slots = e.slots;
    const Span& s = *x.span;
    switch (kCode) {
      OTELPACK_SPAN_VALUE_OPS(OTELPACK_CASE)
      default: __builtin_unreachable();
    }
  }
#undef OTELPACK_CASE

  // The list `list` of a shaped event and its items (S::Item's codes).
  template <typename S>
  OTELPACK_HOT void ShapedList(Out& o, const Env& e, const Op& list, SpanContext& x) {
    static_assert(S::kListCode == Code(F::kSpanEvents) || S::kListCode == Code(F::kSpanLinks));
    constexpr bool kEvents = S::kListCode == Code(F::kSpanEvents);
    const Span& s = *x.span;
    const std::size_t size = kEvents ? s.events.size() : s.links.size();
    if (!OpenList(o, e, list, size)) return;
    const Block& item = e.plan.blocks[list.arg];
    for (std::size_t i = 0; i < size; ++i) {
      if constexpr (kEvents) {
        x.event = &s.events[i];
      } else {
        x.link = &s.links[i];
      }
      Picks(e, item, x);
      const Op* op = e.ops + item.begin;
      S::Item::Each([&]<std::uint8_t kCode>() {
        if constexpr (kCode == Code(Step::kEnd)) {
          End(o, e, *op);
        } else if constexpr (kCode == PlainCode(Step::kEnd)) {
          o.p = PutShort(*op, o.p);
        } else {
          Value<kCode>(o, e, *op, x);
        }
        ++op;
      });
    }
    CloseList(o, list);
  }

  // Points the context at item l.index of the list and fills its picks;
  // the op before the item's first.
  OTELPACK_HOT const Op* Item(const Env& e, const ListRun& l, SpanContext& x) {
    const Span& s = *x.span;
    if (l.list->code == Code(F::kSpanEvents)) {
      x.event = &s.events[l.index];
    } else {
      x.link = &s.links[l.index];
    }
    Picks(e, *l.item, x);
    return l.before;
  }

  OTELPACK_HOT void Picks(const Env& e, const Block& b, const SpanContext& x) {
    if (b.picks < 0) return;
    const PickSet& set = e.plan.picks[static_cast<std::size_t>(b.picks)];
    FillPicks(set, MapOf(set.map, x), e.slots);
  }

  static Attributes MapOf(FieldId map, const SpanContext& x) {
    if (map == F::kSpanAttributes) return x.span->attributes;
    if (map == F::kEventAttributes) return x.event->attributes;
    if (map == F::kLinkAttributes) return x.link->attributes;
    return CommonMap(map, x.common);
  }

  const Plan& plan_;
  PlanState& state_;
};

// Where spans keep what, and how their event is run, for RecordEncoder.
struct SpanTraits {
  using View = TracesView;
  using Runner = SpanRunner;
  using Context = SpanContext;
  static std::span<const ScopeSpans> Scopes(const ResourceSpans& r) { return r.scope_spans; }
  static std::span<const Span> Records(const ScopeSpans& s) { return s.spans; }
  static void Point(SpanContext& x, const Span& s) { x.span = &s; }
  static std::string_view Name(const Span& s) { return s.name; }
  OTELPACK_HOT static void RunEvent(SpanRunner& r, const Env& e, const Block& b, Cursor& c, SpanContext& x) {
    r.Run(e, b, c, x);
  }
};

// For a plan of shape S (shape.h).
template <typename S>
struct ShapedSpanTraits : SpanTraits {
  OTELPACK_HOT static void RunEvent(SpanRunner& r, const Env& e, const Block& b, Cursor& c, SpanContext& x) {
    r.template RunShaped<S>(e, b, c, x);
  }
};

// The article's event, as the built-in declaration (builtin.cc) compiles
// (compile_test pins these codes; declared_encoder_test that the built-in
// plan runs shaped).
using ArticleSpans =
    EventShape<Codes<Code(F::kSpanTraceId), PlainCode(F::kSpanSpanId), PlainCode(F::kSpanParentSpanId),
                     Code(F::kSpanName), PlainCode(F::kSpanStartTime), PlainCode(F::kSpanDuration),
                     PlainCode(F::kSpanStatusCode), Code(F::kSpanStatusMessage), PlainCode(F::kSpanAttributes),
                     Code(F::kSpanEvents), Code(Step::kEnd)>,
               Code(F::kSpanEvents),
               Codes<Code(F::kEventName), PlainCode(F::kEventTime), PlainCode(F::kEventAttributes), Code(Step::kEnd)>>;

}  // namespace

bool RunsShaped(const Plan& traces_plan) { return ArticleSpans::Match(traces_plan); }

std::unique_ptr<TracesEncoder> NewDeclaredTracesEncoder(std::shared_ptr<const Plan> plan) {
  if (ArticleSpans::Match(*plan)) return std::make_unique<RecordEncoder<ShapedSpanTraits<ArticleSpans>>>(std::move(plan));
  return std::make_unique<RecordEncoder<SpanTraits>>(std::move(plan));
}

}  // namespace otelpack::format::declared
