// LogEncoder: log records as the backend's JSON log events, exactly as
// docs/wire-protocol.md ("Log event", "Optional fields of log and metric
// events", "Values") says.
//
// Encode walks the logs (resource -> scope -> log record) and writes one
// event per record into the sink; what is the same for every record of a
// resource (the event's head with the escaped service name) or a scope (the
// optional resource and scope objects) is prepared once, in BeginResource /
// BeginScope. Like SpanEncoder it writes through a raw cursor with the worst
// case reserved up front and allocates nothing per record.
#ifndef OTELPACK_FORMAT_LOG_ENCODER_H_
#define OTELPACK_FORMAT_LOG_ENCODER_H_

#include <string_view>

#include "format/encoder.h"
#include "format/record_pieces.h"
#include "otelpack/buffer.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model.h"

namespace otelpack {

class LogEncoder final : public LogsEncoder {
 public:
  // Of `extra`, only resource and scope apply to log events.
  explicit LogEncoder(ExtraFields extra = {});

  void Encode(LogsView logs, EventSink& sink) override;

  // The steps of Encode, for tests and benchmarks that write events one by
  // one. Until the first BeginResource the service is "unknown" and the
  // resource and scope empty.
  void BeginResource(const Resource& resource);
  void BeginScope(const InstrumentationScope& scope);
  // Appends one event (no separator) to *out. Never fails: any input gives
  // valid JSON in valid UTF-8; the body and attribute values nest at most
  // format::kMaxValueDepth deep (deeper is null).
  void AppendLogRecord(const LogRecord& record, Buffer* out);

  // The "severity" of a record without a severity text: the name of its
  // number's range, "TRACE" (1-4) ... "FATAL" (21-24), else "UNSPECIFIED".
  static std::string_view SeverityName(SeverityNumber number);
  // What names the record to the sink (in the log line of an event too big
  // to send): its event name, else its severity as written in the event.
  static std::string_view RecordName(const LogRecord& record);

 private:
  format::ContextPieces context_;
  // `{"type":"log","service":"<escaped service>","timestamp_ms":`, padded for
  // format::CopyPiece: copied whole per record.
  Buffer head_;
};

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_LOG_ENCODER_H_
