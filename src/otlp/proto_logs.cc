// The protobuf decoder for ExportLogsServiceRequest: log records straight
// into the model in one pass (proto_reader.h has the rest: the levels above
// the records, attributes, values, limits). The body is an AnyValue under the
// attributes' depth and length limits.
//
// Field numbers are those of opentelemetry-proto (logs.proto).
#include <cstdint>
#include <string>

#include "common/json_text.h"
#include "common/str_cat.h"
#include "otlp/decode.h"
#include "otlp/proto_reader.h"
#include "otlp/proto_schema.h"

namespace otelpack::otlp {
namespace {

using namespace proto_internal;  // the decoder's vocabulary

// What a log record is called in a message: its event name, else its body
// when that is a string.
std::string_view Label(const LogRecord& r) {
  if (!r.event_name.empty() || r.body.type() != ValueType::kString) return r.event_name;
  return r.body.string_value();
}

class LogsDecoder : public ProtoDecoder<LogsDecoder, LogsSchema> {
 public:
  using ProtoDecoder::ProtoDecoder;

  // ScopeLogs.log_records: the index-th record, kept or left out.
  bool DecodeRecord(std::string_view message, std::size_t index, StackList<LogRecord>& records) {
    LogRecord record;
    const char* why = nullptr;
    if (!DecodeLogRecord(message, &record, &why)) return false;
    if (why != nullptr) {
      if (result_.rejected++ == 0) {
        result_.rejection = StrCat("log record ", index, " (", PrintableExcerpt(Label(record)), "): ", why);
      }
      return true;
    }
    if (!Push(records, record)) return false;
    ++result_.records;
    return true;
  }

 private:
  // *why says why the record must be left out: ids of a wrong length. An
  // all-zero id is kept: it means "not in a trace", as an empty one does.
  bool DecodeLogRecord(std::string_view message, LogRecord* out, const char** why) {
    StackList<KeyValue> attributes(stacks_, budget_);
    std::uint32_t dropped_here = 0;       // past max_attributes
    std::uint64_t dropped_declared = 0;   // by the sender; the last one counts, as in protobuf
    bool bad_trace_id = false, bad_span_id = false;
    const bool ok = ForEachField(message, [&](const Field& f) {
      switch (f.number) {
        case 1:
          return ReadFixed64(f, "time_unix_nano", &out->time_unix_nano);
        case 2:
          if (!Expect(f, kVarint, "severity_number")) return false;
          // An int32 enum: kept as sent, even outside the known range.
          out->severity_number = static_cast<SeverityNumber>(static_cast<std::uint32_t>(f.value));
          return true;
        case 3:
          return ReadBytes(f, "severity_text", &out->severity_text);
        case 5:
          return Expect(f, kLen, "body") && In("body", DecodeAnyValue(f.bytes, 1, &out->body));
        case 6:
          return Expect(f, kLen, "attributes") && DecodeAttribute(f.bytes, attributes, &dropped_here);
        case 7:
          if (!Expect(f, kVarint, "dropped_attributes_count")) return false;
          dropped_declared = f.value;
          return true;
        case 8:
          if (!Expect(f, kFixed32, "flags")) return false;
          out->flags = static_cast<std::uint32_t>(f.value);
          return true;
        case 9:
          return ReadIdOrEmpty(f, "trace_id", &out->trace_id.bytes, &bad_trace_id);
        case 10:
          return ReadIdOrEmpty(f, "span_id", &out->span_id.bytes, &bad_span_id);
        case 11:
          return ReadFixed64(f, "observed_time_unix_nano", &out->observed_time_unix_nano);
        case 12:
          return ReadBytes(f, "event_name", &out->event_name);
        default:
          return true;
      }
    });
    if (!ok) return false;
    out->attributes = attributes.CopyTo(arena_);
    out->dropped_attributes_count = Saturate(dropped_declared + dropped_here);
    if (bad_trace_id) {
      *why = "trace_id must be empty or 16 bytes";
    } else if (bad_span_id) {
      *why = "span_id must be empty or 8 bytes";
    }
    return true;
  }
};

}  // namespace

Result<DecodedLogs> DecodeLogsProto(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  return DecodeWith<LogsDecoder>(body, arena, limits);
}

}  // namespace otelpack::otlp
