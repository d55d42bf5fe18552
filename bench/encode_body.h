// For benchmarks: `traces` as one whole request body of the backend's JSON
// events, as the exporter's batch builder would write it (without its size
// limits), so encoding can be timed without the exporter around it.
#ifndef OTELPACK_BENCH_ENCODE_BODY_H_
#define OTELPACK_BENCH_ENCODE_BODY_H_

#include "format/envelope.h"
#include "format/span_encoder.h"
#include "format/testing/whole_body.h"
#include "otelpack/buffer.h"
#include "otelpack/model.h"

namespace otelpack::bench {

inline void EncodeBody(SpanEncoder& enc, TracesView traces, Buffer* body) {
  static const Envelope envelope = Envelope::ForProject("prod-main");
  testing::WholeBody whole(envelope);
  whole.Encode(enc, traces, body);
}

}  // namespace otelpack::bench

#endif  // OTELPACK_BENCH_ENCODE_BODY_H_
