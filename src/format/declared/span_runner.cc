// The declared traces encoder: a plan run over spans, their events and
// links (declared_encoder.h).
#include "format/declared/declared_encoder.h"
#include "format/declared/runner.h"

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
        case Code(Step::kCloseObject): CloseObject(o, e, *op); break;
        case Code(F::kPick): Any(o, e, *op, slots[op->arg]); break;
        case Code(F::kSpanTraceId): Id<16>(o, e, *op, s.trace_id.bytes.data()); break;
        case Code(F::kSpanSpanId): Id<8>(o, e, *op, s.span_id.bytes.data()); break;
        case Code(F::kSpanParentSpanId): IdOrAbsent(o, e, *op, s.parent_span_id); break;
        case Code(F::kSpanTraceState): String(o, e, *op, s.trace_state); break;
        case Code(F::kSpanFlags): Uint(o, e, *op, s.flags); break;
        case Code(F::kSpanName): String(o, e, *op, s.name); break;
        case Code(F::kSpanKind): Enum(o, e, *op, static_cast<unsigned>(s.kind)); break;
        case Code(F::kSpanStartTime): Time(o, e, *op, s.start_time_unix_nano); break;
        case Code(F::kSpanEndTime): Time(o, e, *op, s.end_time_unix_nano); break;
        case Code(F::kSpanDuration):
          Time(o, e, *op,
               s.end_time_unix_nano > s.start_time_unix_nano ? s.end_time_unix_nano - s.start_time_unix_nano : 0);
          break;
        case Code(F::kSpanStatusCode): Enum(o, e, *op, static_cast<unsigned>(s.status_code)); break;
        case Code(F::kSpanStatusMessage): String(o, e, *op, s.status_message); break;
        case Code(F::kSpanAttributes): Map(o, e, *op, s.attributes); break;
        case Code(F::kSpanDroppedAttributes): Uint(o, e, *op, s.dropped_attributes_count); break;
        case Code(F::kSpanDroppedEvents): Uint(o, e, *op, s.dropped_events_count); break;
        case Code(F::kSpanDroppedLinks): Uint(o, e, *op, s.dropped_links_count); break;
        // One case each: a case shared by codes keeps the code in a register
        // across every dispatch (measured: ~23 instructions a span).
        case Code(F::kSpanEvents): op = Items(o, e, op, s.events.size(), &l, [&] { return Item(e, l, x); }); break;
        case Code(F::kSpanLinks): op = Items(o, e, op, s.links.size(), &l, [&] { return Item(e, l, x); }); break;
        case Code(F::kEventName): String(o, e, *op, x.event->name); break;
        case Code(F::kEventTime): Time(o, e, *op, x.event->time_unix_nano); break;
        case Code(F::kEventAttributes): Map(o, e, *op, x.event->attributes); break;
        case Code(F::kEventDropped): Uint(o, e, *op, x.event->dropped_attributes_count); break;
        case Code(F::kLinkTraceId): Id<16>(o, e, *op, x.link->trace_id.bytes.data()); break;
        case Code(F::kLinkSpanId): Id<8>(o, e, *op, x.link->span_id.bytes.data()); break;
        case Code(F::kLinkTraceState): String(o, e, *op, x.link->trace_state); break;
        case Code(F::kLinkAttributes): Map(o, e, *op, x.link->attributes); break;
        case Code(F::kLinkFlags): Uint(o, e, *op, x.link->flags); break;
        case Code(F::kLinkDropped): Uint(o, e, *op, x.link->dropped_attributes_count); break;
        case Code(F::kService): case Code(F::kResourceAttributes): case Code(F::kResourceDropped):
        case Code(F::kScopeName): case Code(F::kScopeVersion): case Code(F::kScopeAttributes):
          Common(o, e, *op, x.common);
          break;
        // The plain ops (plan.h, kPlain; runs.cc names the codes).
        case PlainCode(Step::kCloseObject): PlainCloseObject(o, *op); break;
        case PlainCode(F::kSpanTraceId): PlainId<16>(o, *op, s.trace_id.bytes.data()); break;
        case PlainCode(F::kSpanSpanId): PlainId<8>(o, *op, s.span_id.bytes.data()); break;
        case PlainCode(F::kSpanParentSpanId): PlainIdOrNull(o, *op, s.parent_span_id); break;
        case PlainCode(F::kSpanFlags): PlainUint(o, *op, s.flags); break;
        case PlainCode(F::kSpanKind): PlainEnum(o, e, *op, static_cast<unsigned>(s.kind)); break;
        case PlainCode(F::kSpanStartTime): PlainTime(o, *op, s.start_time_unix_nano); break;
        case PlainCode(F::kSpanEndTime): PlainTime(o, *op, s.end_time_unix_nano); break;
        case PlainCode(F::kSpanDuration):
          PlainTime(o, *op,
                    s.end_time_unix_nano > s.start_time_unix_nano ? s.end_time_unix_nano - s.start_time_unix_nano : 0);
          break;
        case PlainCode(F::kSpanStatusCode): PlainEnum(o, e, *op, static_cast<unsigned>(s.status_code)); break;
        case PlainCode(F::kSpanAttributes): PlainMap(o, *op, s.attributes); break;
        case PlainCode(F::kSpanDroppedAttributes): PlainUint(o, *op, s.dropped_attributes_count); break;
        case PlainCode(F::kSpanDroppedEvents): PlainUint(o, *op, s.dropped_events_count); break;
        case PlainCode(F::kSpanDroppedLinks): PlainUint(o, *op, s.dropped_links_count); break;
        case PlainCode(F::kEventTime): PlainTime(o, *op, x.event->time_unix_nano); break;
        case PlainCode(F::kEventAttributes): PlainMap(o, *op, x.event->attributes); break;
        case PlainCode(F::kEventDropped): PlainUint(o, *op, x.event->dropped_attributes_count); break;
        case PlainCode(F::kLinkTraceId): PlainId<16>(o, *op, x.link->trace_id.bytes.data()); break;
        case PlainCode(F::kLinkSpanId): PlainId<8>(o, *op, x.link->span_id.bytes.data()); break;
        case PlainCode(F::kLinkAttributes): PlainMap(o, *op, x.link->attributes); break;
        case PlainCode(F::kLinkFlags): PlainUint(o, *op, x.link->flags); break;
        case PlainCode(F::kLinkDropped): PlainUint(o, *op, x.link->dropped_attributes_count); break;
        default: __builtin_unreachable();  // the compiler makes no other op for this signal
      }
    }
  }

  // Run out of line, for the prepared runs.
  [[gnu::noinline]] void RunOnce(const Block& b, Cursor& c, SpanContext& x) { Run(MakeEnv(), b, c, x); }

 private:
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

// Where spans keep what, for RecordEncoder.
struct SpanTraits {
  using View = TracesView;
  using Runner = SpanRunner;
  using Context = SpanContext;
  static std::span<const ScopeSpans> Scopes(const ResourceSpans& r) { return r.scope_spans; }
  static std::span<const Span> Records(const ScopeSpans& s) { return s.spans; }
  static void Point(SpanContext& x, const Span& s) { x.span = &s; }
  static std::string_view Name(const Span& s) { return s.name; }
};

}  // namespace

std::unique_ptr<TracesEncoder> NewDeclaredTracesEncoder(std::shared_ptr<const Plan> plan) {
  return std::make_unique<RecordEncoder<SpanTraits>>(std::move(plan));
}

}  // namespace otelpack::format::declared
