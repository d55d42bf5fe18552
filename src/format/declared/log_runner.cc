// The declared logs encoder: a plan run over log records
// (declared_encoder.h).
#include "format/declared/declared_encoder.h"
#include "format/declared/runner.h"
#include "format/log_encoder.h"

namespace otelpack::format::declared {
namespace {

using F = FieldId;

const LogRecord kNoRecord{};

struct LogContext {
  CommonContext common;
  const LogRecord* record = &kNoRecord;
};

class LogRunner {
 public:
  LogRunner(const Plan& plan, PlanState& state) : plan_(plan), state_(state) {}

  // What Run reads of the plan and the state: made once per batch
  // (RecordEncoder), not once per record.
  Env MakeEnv() const { return EnvOf(plan_, state_); }

  // Writes block `b` (an event or a prepared run) at the cursor. Inline
  // into the loop over the records.
  OTELPACK_HOT void Run(const Env& e, const Block& b, Cursor& c, const LogContext& x) {
    const AnyValue** const slots = e.slots;
    const LogRecord& r = *x.record;
    if (b.picks >= 0) {
      const PickSet& set = e.plan.picks[static_cast<std::size_t>(b.picks)];
      FillPicks(set, MapOf(set.map, x), slots);
    }
    Out o(c);
    for (const Op* op = e.ops + b.begin;; ++op) {
      switch (op->code) {
        case Code(Step::kEnd):
          End(o, e, *op);
          o.Sync();
          return;
        case PlainCode(Step::kEnd):
          o.p = PutShort(*op, o.p);
          o.Sync();
          return;
        case Code(Step::kCloseObject): CloseObject(o, e, *op); break;
        case Code(F::kPick): Any(o, e, *op, slots[op->arg]); break;
        case Code(F::kLogTime): OptionalTime(o, e, *op, r.time_unix_nano); break;
        case Code(F::kLogObservedTime): OptionalTime(o, e, *op, r.observed_time_unix_nano); break;
        case Code(F::kLogTimestamp):
          Time(o, e, *op, r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano);
          break;
        case Code(F::kLogSeverityNumber): Int(o, e, *op, r.severity_number); break;
        case Code(F::kLogSeverityText): String(o, e, *op, r.severity_text); break;
        case Code(F::kLogSeverity):
          String(o, e, *op, r.severity_text.empty() ? LogEncoder::SeverityName(r.severity_number) : r.severity_text);
          break;
        case Code(F::kLogBody): Any(o, e, *op, &r.body); break;
        case Code(F::kLogAttributes): Map(o, e, *op, r.attributes); break;
        case Code(F::kLogDropped): Uint(o, e, *op, r.dropped_attributes_count); break;
        case Code(F::kLogFlags): Uint(o, e, *op, r.flags); break;
        case Code(F::kLogTraceId): IdOrAbsent(o, e, *op, r.trace_id); break;
        case Code(F::kLogSpanId): IdOrAbsent(o, e, *op, r.span_id); break;
        case Code(F::kLogEventName): OptionalString(o, e, *op, r.event_name); break;
        case Code(F::kService): case Code(F::kResourceAttributes): case Code(F::kResourceDropped):
        case Code(F::kScopeName): case Code(F::kScopeVersion): case Code(F::kScopeAttributes):
          Common(o, e, *op, x.common);
          break;
        // The plain ops (plan.h, kPlain; runs.cc names the codes).
        case PlainCode(Step::kCloseObject): PlainCloseObject(o, *op); break;
        case PlainCode(F::kLogTime): PlainOptionalTime(o, *op, r.time_unix_nano); break;
        case PlainCode(F::kLogObservedTime): PlainOptionalTime(o, *op, r.observed_time_unix_nano); break;
        case PlainCode(F::kLogTimestamp):
          PlainTime(o, *op, r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano);
          break;
        case PlainCode(F::kLogSeverityNumber): PlainInt(o, *op, r.severity_number); break;
        case PlainCode(F::kLogAttributes): PlainMap(o, *op, r.attributes); break;
        case PlainCode(F::kLogDropped): PlainUint(o, *op, r.dropped_attributes_count); break;
        case PlainCode(F::kLogFlags): PlainUint(o, *op, r.flags); break;
        case PlainCode(F::kLogTraceId): PlainIdOrNull(o, *op, r.trace_id); break;
        case PlainCode(F::kLogSpanId): PlainIdOrNull(o, *op, r.span_id); break;
        default: __builtin_unreachable();  // the compiler makes no other op for this signal
      }
    }
  }

  // Run out of line, for the prepared runs.
  [[gnu::noinline]] void RunOnce(const Block& b, Cursor& c, const LogContext& x) { Run(MakeEnv(), b, c, x); }

 private:
  static Attributes MapOf(FieldId map, const LogContext& x) {
    return map == F::kLogAttributes ? x.record->attributes : CommonMap(map, x.common);
  }

  const Plan& plan_;
  PlanState& state_;
};

// Where logs keep what, for RecordEncoder.
struct LogTraits {
  using View = LogsView;
  using Runner = LogRunner;
  using Context = LogContext;
  static std::span<const ScopeLogs> Scopes(const ResourceLogs& r) { return r.scope_logs; }
  static std::span<const LogRecord> Records(const ScopeLogs& s) { return s.log_records; }
  static void Point(LogContext& x, const LogRecord& r) { x.record = &r; }
  static std::string_view Name(const LogRecord& r) { return LogEncoder::RecordName(r); }
  OTELPACK_HOT static void RunEvent(LogRunner& r, const Env& e, const Block& b, Cursor& c, const LogContext& x) {
    r.Run(e, b, c, x);
  }
};

}  // namespace

std::unique_ptr<LogsEncoder> NewDeclaredLogsEncoder(std::shared_ptr<const Plan> plan) {
  return std::make_unique<RecordEncoder<LogTraits>>(std::move(plan));
}

}  // namespace otelpack::format::declared
