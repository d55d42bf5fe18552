// OTLP in: an Export{Trace,Logs,Metrics}ServiceRequest, as protobuf or in
// the OTLP JSON mapping, decoded into otelpack's model (model.h).
//
// Decoding is strict about the wire (a malformed request is refused whole,
// with a message naming the field) and lenient about content (too many
// attributes, over-long values are trimmed and counted, as the SDKs' span
// limits do). A record that cannot be exported (a span whose trace or span
// id is not a valid id, a histogram whose buckets do not match its bounds) is
// left out and counted: the receiver reports it as OTLP partial success.
#ifndef OTELPACK_OTLP_DECODE_H_
#define OTELPACK_OTLP_DECODE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "otelpack/arena.h"
#include "otelpack/model.h"
#include "otelpack/status.h"

namespace otelpack::otlp {

// Caps on what comes from outside. The defaults are the OpenTelemetry SDKs'
// span limits, with a value-length cap the SDKs leave unlimited.
struct DecodeLimits {
  // Attributes kept per span, event, link, resource and scope; the rest are
  // dropped and added to that item's dropped_attributes_count. Default 128.
  std::size_t max_attributes = 128;
  // Events and links kept per span; the rest are dropped and added to
  // dropped_events_count / dropped_links_count. Default 128 each.
  std::size_t max_events_per_span = 128;
  std::size_t max_links_per_span = 128;
  // String and bytes attribute values longer than this are truncated
  // (strings at a UTF-8 character boundary). Default 64 KiB.
  std::size_t max_value_bytes = 64 * 1024;
  // Nested containers (arrays, key-value lists) kept within one attribute
  // value; a container deeper than this becomes empty (JSON null), as the
  // event encoder writes it. Default 32.
  int max_depth = 32;
  // What one request may take to parse and decode: its lists in the arena
  // and the scratch stacks they are gathered on, and for JSON the parser's
  // index and copy of the body (5 bytes a byte; JSON strings add at most the
  // body's size). The lists also never take more than 8 times the body
  // (1 MiB at least), so a request built to amplify is refused whatever
  // this says. Beyond either the request is refused (StatusCode::kTooLarge).
  // Default 128 MiB: every request within the receivers' default 20 MiB
  // body limit fits (a real one takes 1.5 times its protobuf size, or 5.7
  // times its JSON size), and a body inflated past it is refused.
  std::size_t max_decoded_bytes = 128u << 20;
  // Exemplars kept per metric data point; the rest are dropped (OTLP has no
  // count for them). Default 128.
  std::size_t max_exemplars = 128;
  // Buckets of one histogram data point: explicit bounds, each side of an
  // exponential histogram, quantiles of a summary. A data point with more is
  // left out and counted (partial success). Default 8192: the SDKs' default
  // is 160 exponential buckets and about a dozen explicit bounds.
  std::size_t max_buckets = 8192;
};

// What decoding one export request gives: its records, and those left out.
template <typename View>
struct Decoded {
  // Resource -> scope -> records. Views into the request body and the arena.
  View data;
  std::size_t records = 0;   // records in `data`: spans, log records or data points
  std::size_t rejected = 0;  // left out as invalid: reported as OTLP partial success
  std::string rejection;     // why the first one was left out; empty if none
};
using DecodedTraces = Decoded<TracesView>;
using DecodedLogs = Decoded<LogsView>;
using DecodedMetrics = Decoded<MetricsView>;

// Decodes protobuf `body`. Strings and bytes are views into `body` (nothing
// is copied); lists live in `arena`. Both must outlive the result's use.
// InvalidArgument, naming the field, when `body` is not a valid
// ExportTraceServiceRequest. A link whose trace or span id is not a valid id
// is dropped and added to its span's dropped_links_count (as in JSON).
Result<DecodedTraces> DecodeTracesProto(std::string_view body, Arena& arena,
                                        const DecodeLimits& limits = {});

// Decodes the OTLP JSON mapping (hex trace and span ids, int64 as strings or
// numbers, enums as numbers; lowerCamelCase field names, the proto names
// accepted too). Strings live in `arena` (the body need not outlive the
// result). InvalidArgument naming the field when `body` is not valid.
// Lenient where JavaScript's exporter needs it: an intValue written as a JSON
// number beyond int64 (or with a fraction) is kept as a double, since that
// exporter writes large integral numbers as intValue; an escaped lone
// surrogate ("\ud800", which JSON.stringify writes) becomes U+FFFD. As in
// protobuf, a link with invalid ids is dropped and added to its span's
// dropped_links_count.
Result<DecodedTraces> DecodeTracesJson(std::string_view body, Arena& arena,
                                       const DecodeLimits& limits = {});

// Logs: ExportLogsServiceRequest, in protobuf and in the JSON mapping, with
// the same rules as traces. A log record whose trace_id is neither empty nor
// 16 bytes, or whose span_id is neither empty nor 8 bytes (JSON: 32 and 16 hex
// digits), is left out and counted; all-zero ids mean "not in a trace" and
// are kept. The body is an AnyValue under the same limits as attributes.
Result<DecodedLogs> DecodeLogsProto(std::string_view body, Arena& arena,
                                    const DecodeLimits& limits = {});
Result<DecodedLogs> DecodeLogsJson(std::string_view body, Arena& arena,
                                   const DecodeLimits& limits = {});

// Metrics: ExportMetricsServiceRequest, in protobuf and in the JSON mapping,
// with the same rules as traces. Records are data points: a data point that
// cannot become the documented event (metric_checks.h: no value, bucket
// counts that do not match the bounds, more than max_buckets buckets) is left
// out and counted.
Result<DecodedMetrics> DecodeMetricsProto(std::string_view body, Arena& arena,
                                          const DecodeLimits& limits = {});
Result<DecodedMetrics> DecodeMetricsJson(std::string_view body, Arena& arena,
                                         const DecodeLimits& limits = {});

// Appends the protobuf Export*ServiceRequest for the data to *out (load
// generation, benchmarks, tests).
void EncodeTracesProto(TracesView traces, std::string* out);
void EncodeLogsProto(LogsView logs, std::string* out);
void EncodeMetricsProto(MetricsView metrics, std::string* out);

}  // namespace otelpack::otlp

#endif  // OTELPACK_OTLP_DECODE_H_
