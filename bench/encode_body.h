// For benchmarks: `traces` as one whole request body of the backend's JSON
// events, as the exporter's batch builder would write it (without its size
// limits), so encoding can be timed without the exporter around it.
#ifndef OTELPACK_BENCH_ENCODE_BODY_H_
#define OTELPACK_BENCH_ENCODE_BODY_H_

#include "format/event_encoder.h"
#include "otelpack/buffer.h"
#include "otelpack/model.h"

namespace otelpack::bench {

inline void EncodeBody(EventEncoder& enc, TracesView traces, Buffer* body) {
  body->Clear();
  AppendBodyPrefix("prod-main", body);
  bool first = true;
  for (const ResourceSpans& rs : traces) {
    enc.BeginResource(rs.resource);
    for (const ScopeSpans& ss : rs.scope_spans) {
      enc.BeginScope(ss.scope);
      for (const Span& s : ss.spans) {
        if (!first) body->Append(',');
        first = false;
        enc.AppendSpan(s, body);
      }
    }
  }
  AppendBodySuffix(1732480000000, body);
}

}  // namespace otelpack::bench

#endif  // OTELPACK_BENCH_ENCODE_BODY_H_
