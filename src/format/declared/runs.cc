// The straight runs of a plan (plan.h, kPlain): which ops may reserve the
// room of the ops after them, which may be written plain, and the pass that
// marks them once a block's ops are final. The roles follow the runners'
// writers (runner.h): a writer that reserves op.room on every path before
// it writes, and ends with the position in its Out, may reserve for the
// next ones; one that writes through the cursor or loops may not.
#include "format/declared/plan.h"

namespace otelpack::format::declared {
namespace {

using F = FieldId;

// A run reserves at most this much at once, so that a template of many
// numbers does not make every event's buffer grow by their sum.
constexpr std::uint32_t kMaxRunRoom = 4096;

bool Plain(TimeWrite w) { return w != TimeWrite::kUnix && w != TimeWrite::kRfc3339; }

}  // namespace

RunRole RunRoleOf(std::uint8_t code) {
  if (code == static_cast<std::uint8_t>(Step::kCloseObject)) return RunRole::kFixed;
  if (code == static_cast<std::uint8_t>(Step::kEnd)) return RunRole::kLast;
  switch (static_cast<FieldId>(code)) {
    // Ids, times, numbers and enums of spans, events, links and log records.
    case F::kSpanTraceId: case F::kSpanSpanId: case F::kSpanParentSpanId: case F::kLinkTraceId:
    case F::kLinkSpanId: case F::kLogTraceId: case F::kLogSpanId:
    case F::kSpanStartTime: case F::kSpanEndTime: case F::kSpanDuration: case F::kEventTime:
    case F::kLogTime: case F::kLogObservedTime: case F::kLogTimestamp:
    case F::kSpanFlags: case F::kSpanDroppedAttributes: case F::kSpanDroppedEvents:
    case F::kSpanDroppedLinks: case F::kEventDropped: case F::kLinkFlags: case F::kLinkDropped:
    case F::kLogSeverityNumber: case F::kLogDropped: case F::kLogFlags:
    case F::kSpanKind: case F::kSpanStatusCode:
      return RunRole::kFixed;
    // And of metric data points, their buckets and quantiles.
    case F::kPointStartTime: case F::kPointTime: case F::kPointFlags: case F::kPointCount:
    case F::kBucketCount: case F::kPointScale: case F::kPointZeroCount: case F::kPositiveOffset:
    case F::kNegativeOffset: case F::kPointValue: case F::kPointSum: case F::kPointMin: case F::kPointMax:
    case F::kPointZeroThreshold: case F::kBucketLe: case F::kQuantileQuantile: case F::kQuantileValue:
    case F::kTemporality:
      return RunRole::kFixed;
    case F::kMonotonic:
      return RunRole::kStart;
    // The maps: a plain lead, then the cursor's writer.
    case F::kSpanAttributes: case F::kEventAttributes: case F::kLinkAttributes: case F::kLogAttributes:
    case F::kPointAttributes:
      return RunRole::kLast;
    // Strings: their room depends on their size, so they are never plain.
    case F::kSpanTraceState: case F::kSpanName: case F::kSpanStatusMessage: case F::kEventName:
    case F::kLinkTraceState: case F::kLogSeverityText: case F::kLogSeverity: case F::kLogEventName:
      return RunRole::kStart;
    default:
      return RunRole::kBreak;  // lists, any values, picks, the common fields, count lists
  }
}

bool PlainShape(const Op& op) {
  if ((op.flags & ~kRaw) != 0) return false;  // no key to leave out, no default, no prepared or long lead
  if (op.code >= kFieldIdCount) return op.flags == 0;  // '}' and a block's end: their lead only
  switch (op.field()) {
    case F::kSpanTraceId: case F::kSpanSpanId: case F::kSpanParentSpanId: case F::kLinkTraceId:
    case F::kLinkSpanId: case F::kLogTraceId: case F::kLogSpanId:
      return op.form == Form::kNatural;  // hex
    case F::kSpanStartTime: case F::kSpanEndTime: case F::kSpanDuration: case F::kEventTime:
    case F::kLogTime: case F::kLogObservedTime: case F::kLogTimestamp: case F::kPointStartTime:
    case F::kPointTime:
      return op.flags == 0 && Plain(op.time_write);
    case F::kSpanKind: case F::kSpanStatusCode: case F::kTemporality:
      return op.form == Form::kTable;
    case F::kSpanAttributes: case F::kEventAttributes: case F::kLinkAttributes: case F::kLogAttributes:
    case F::kPointAttributes:
      return op.flags == 0 && op.form == Form::kNatural;
    default:
      return op.flags == 0;  // the numbers
  }
}

void ChainRuns(std::span<Op> ops) {
  Op* start = nullptr;  // the op reserving for the current run
  for (Op& op : ops) {
    const RunRole role = RunRoleOf(op.code);
    const bool may_be_plain = role == RunRole::kFixed || role == RunRole::kLast;
    if (start != nullptr && may_be_plain && PlainShape(op) && start->room + op.room <= kMaxRunRoom) {
      start->room += op.room;
      op.code |= kPlain;
      if (role == RunRole::kLast) start = nullptr;
      continue;
    }
    start = role == RunRole::kStart || role == RunRole::kFixed ? &op : nullptr;
  }
}

}  // namespace otelpack::format::declared
