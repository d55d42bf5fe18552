// SpanEncoder: spans as the backend's JSON span events, exactly as
// docs/wire-protocol.md ("Span event", "Values") says.
//
// Encode walks the traces (resource -> scope -> span) and writes one event
// per span into the sink; what is the same for every span of a resource or a
// scope (the escaped service name, the resource and scope objects) is
// prepared once, in BeginResource / BeginScope.
//
// This is the exporter's hot path: it never allocates per span or per
// attribute (it writes into the caller's reused Buffer) and runs at several
// GB/s of JSON on one core.
#ifndef OTELPACK_FORMAT_SPAN_ENCODER_H_
#define OTELPACK_FORMAT_SPAN_ENCODER_H_

#include "format/encoder.h"
#include "format/record_pieces.h"
#include "format/value_writer.h"
#include "otelpack/buffer.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model.h"

namespace otelpack {

class SpanEncoder final : public TracesEncoder {
 public:
  explicit SpanEncoder(ExtraFields extra = {});

  void Encode(TracesView traces, EventSink& sink) override;

  // The steps of Encode, for tests and benchmarks that write events one by
  // one. Until the first BeginResource the service is "unknown" and the
  // resource and scope empty.
  void BeginResource(const Resource& resource);
  void BeginScope(const InstrumentationScope& scope);
  // Appends one event (no separator) to *out. Never fails: any input gives
  // valid JSON in valid UTF-8 (see AppendJsonString). Attribute values nested
  // deeper than kMaxValueDepth arrays / key-value lists are written as null,
  // which keeps every event well under the sink's nesting limit of 64.
  void AppendSpan(const Span& span, Buffer* out);

  static constexpr int kMaxValueDepth = format::kMaxValueDepth;

 private:
  ExtraFields extra_;
  bool any_extra_;
  // `,"service":"<escaped service>","operation":"`: copied whole per span.
  Buffer service_piece_;
  // `,"resource":{...}` and `,"scope":{...}` (only with extra_.resource,
  // extra_.scope), as for logs and metrics.
  format::ContextPieces context_;
};

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_SPAN_ENCODER_H_
