// LogEncoder: one log record -> one JSON event, written through a raw cursor
// the way SpanEncoder writes spans (see span_encoder.cc for the techniques):
// the head with the service is copied in 16-byte blocks, the severity name
// as one 16-byte block from a table, ids by SSE2 hex, the body and the
// attributes through value_writer.h.
#include "format/log_encoder.h"

#include <array>
#include <cstdint>

#include "format/json_writer.h"
#include "format/service_name.h"
#include "format/value_writer.h"

namespace otelpack {
namespace {

using format::Cursor;
using format::Lit;

constexpr std::size_t kEsc = format::kMaxEscapeGrowth;

using format::Pad;
using format::PaddedName;

// By (number - 1) / 4 for 1..24; the last for anything else.
constexpr std::array<PaddedName, 7> kSeverityNames = {Pad("TRACE"), Pad("DEBUG"), Pad("INFO"),       Pad("WARN"),
                                                      Pad("ERROR"), Pad("FATAL"), Pad("UNSPECIFIED")};

const PaddedName& SeverityEntry(SeverityNumber n) {
  return kSeverityNames[n >= 1 && n <= 24 ? static_cast<std::size_t>(n - 1) / 4 : kSeverityNames.size() - 1];
}

}  // namespace

LogEncoder::LogEncoder(ExtraFields extra) : context_(extra) { BeginResource(Resource{}); }

std::string_view LogEncoder::SeverityName(SeverityNumber number) { return SeverityEntry(number).view(); }

std::string_view LogEncoder::RecordName(const LogRecord& record) {
  if (!record.event_name.empty()) return record.event_name;
  if (!record.severity_text.empty()) return record.severity_text;
  return SeverityName(record.severity_number);
}

void LogEncoder::Encode(LogsView logs, EventSink& sink) {
  for (const ResourceLogs& rl : logs) {
    BeginResource(rl.resource);
    for (const ScopeLogs& sl : rl.scope_logs) {
      BeginScope(sl.scope);
      for (const LogRecord& record : sl.log_records) {
        AppendLogRecord(record, &sink.BeginEvent());
        sink.EndEvent(RecordName(record));
      }
    }
  }
}

void LogEncoder::BeginResource(const Resource& resource) {
  head_.Clear();
  head_.Append("{\"type\":\"log\",\"service\":");
  AppendJsonString(ServiceName(resource), &head_);
  head_.Append(",\"timestamp_ms\":");
  format::PadPiece(&head_);
  context_.BeginResource(resource);
}

void LogEncoder::BeginScope(const InstrumentationScope& scope) { context_.BeginScope(scope); }

void LogEncoder::AppendLogRecord(const LogRecord& r, Buffer* out) {
  // Up to the body: the head (copied in blocks, so up to 15 bytes more),
  // then 128 bytes of keys, numbers and a padded severity name, or the
  // severity text at its worst.
  Cursor c(out, head_.size() + format::kPieceBlock + 128 + kEsc * r.severity_text.size());
  char* p = format::CopyPiece(head_, c.p);
  const std::uint64_t time = r.time_unix_nano != 0 ? r.time_unix_nano : r.observed_time_unix_nano;
  p = format::WriteUint(time / 1000000, p);
  p = Lit(p, ",\"severity\":\"");
  if (r.severity_text.empty()) {
    p = format::CopyPadded(SeverityEntry(r.severity_number), p);
  } else {
    p = format::EscapeString(r.severity_text, p);
  }
  p = Lit(p, "\",\"severity_number\":");
  p = format::WriteInt(r.severity_number, p);
  c.p = Lit(p, ",\"body\":");
  format::WriteValue(c, r.body);

  c.Ensure(2 * format::kMaxIdChars + 40);
  p = Lit(c.p, ",\"trace_id\":");
  p = format::WriteTraceIdOrNull(r.trace_id, p);
  p = Lit(p, ",\"span_id\":");
  p = format::WriteSpanIdOrNull(r.span_id, p);
  c.p = Lit(p, ",\"attributes\":");
  format::WriteObject(c, r.attributes, 0);

  if (!r.event_name.empty()) {
    c.Ensure(kEsc * r.event_name.size() + 20);
    p = Lit(c.p, ",\"event_name\":\"");
    p = format::EscapeString(r.event_name, p);
    *p++ = '"';
    c.p = p;
  }
  if (context_.any()) context_.Append(c);
  c.Ensure(1);
  *c.p++ = '}';
  c.Done();
}

}  // namespace otelpack
