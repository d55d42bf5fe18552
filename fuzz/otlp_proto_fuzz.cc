// OTLP protobuf decoder: arbitrary bytes must never crash, hang or allocate
// without bound; whatever decodes must survive a round trip unchanged
// (encode what was decoded, decode again: the same model, field by field).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "otlp/decode.h"
#include "otlp/testing/model_diff.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace otelpack;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  Arena arena;
  Result<otlp::DecodedTraces> first = otlp::DecodeTracesProto(body, arena);
  if (!first.ok()) return 0;
  if (first->records != CountSpans(first->data)) {
    std::fprintf(stderr, "records (%zu) does not count the spans kept\n", first->records);
    std::abort();
  }
  std::string again;
  otlp::EncodeTracesProto(first->data, &again);
  Arena arena2;
  Result<otlp::DecodedTraces> second = otlp::DecodeTracesProto(again, arena2);
  if (!second.ok()) {
    std::fprintf(stderr, "re-encoded request does not decode: %s\n",
                 second.status().ToString().c_str());
    std::abort();
  }
  const std::string diff = testing::DiffTraces(first->data, second->data);
  if (!diff.empty() || second->rejected != 0) {
    std::fprintf(stderr, "round trip changed the request: %s\n", diff.c_str());
    std::abort();
  }
  return 0;
}
