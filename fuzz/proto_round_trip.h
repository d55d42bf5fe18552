// What the protobuf decoders' fuzz targets check of any input, for every
// signal: decoding never crashes, hangs or allocates without bound; `records`
// counts what was kept; and what decodes survives a round trip (encode it,
// decode again: nothing left out, the same encoding), under the default
// limits and under small ones (every cap and trim taken).
#ifndef OTELPACK_FUZZ_PROTO_ROUND_TRIP_H_
#define OTELPACK_FUZZ_PROTO_ROUND_TRIP_H_

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "otelpack/arena.h"
#include "otlp/decode.h"

namespace otelpack::fuzz {

inline void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

// Limits small enough for short inputs to reach every one.
inline constexpr otlp::DecodeLimits kSmallLimits{.max_attributes = 2,
                                                 .max_events_per_span = 2,
                                                 .max_links_per_span = 2,
                                                 .max_value_bytes = 5,
                                                 .max_depth = 2,
                                                 .max_exemplars = 1,
                                                 .max_buckets = 3};

// `decode`, `encode` and `count` are one signal's; `check(data, limits)`
// checks what decoding kept against the limits.
template <typename View, typename Decode, typename Encode, typename Count, typename CheckKept>
void CheckRoundTrip(std::string_view body, Decode decode, Encode encode, Count count, CheckKept check) {
  for (const otlp::DecodeLimits& limits : {otlp::DecodeLimits(), kSmallLimits}) {
    Arena arena;
    Result<otlp::Decoded<View>> first = decode(body, arena, limits);
    if (!first.ok()) continue;
    Check(first->records == count(first->data), "records counts what was kept");
    Check((first->rejected == 0) == first->rejection.empty(), "a rejection says why");
    check(first->data, limits);
    std::string again;
    encode(first->data, &again);
    Arena arena2;
    Result<otlp::Decoded<View>> second = decode(again, arena2, limits);
    // The budget is proportional to the body, and what was decoded may
    // encode much shorter than it came (unknown fields, left-out records).
    if (!second.ok() && second.status().code() == StatusCode::kTooLarge) continue;
    Check(second.ok(), "the re-encoded request decodes");
    Check(second->rejected == 0, "nothing kept is left out the second time");
    Check(second->records == first->records, "the round trip keeps every record");
    std::string third;
    encode(second->data, &third);
    Check(third == again, "the round trip changes nothing");
  }
}

}  // namespace otelpack::fuzz

#endif  // OTELPACK_FUZZ_PROTO_ROUND_TRIP_H_
