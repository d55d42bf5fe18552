// Test helper: protobuf bytes written by hand, for what no encoder writes
// (unpacked lists, a member or a message split in two, wrong wire types,
// lists built to amplify). Header-only, for tests.
#ifndef OTELPACK_OTLP_TESTING_PROTO_BYTES_H_
#define OTELPACK_OTLP_TESTING_PROTO_BYTES_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "otlp/wire.h"

namespace otelpack::otlp::testing {

// An Export*ServiceRequest of one resource group holding one scope group of
// these records (each the bytes of one Span, LogRecord or Metric): fields
// 1 > 2 > 2 in every signal.
inline std::string RequestWithRecords(std::initializer_list<std::string_view> records) {
  std::string scope, resource, request;
  for (std::string_view r : records) wire::PutBytes(2, r, &scope);
  wire::PutBytes(2, scope, &resource);
  wire::PutBytes(1, resource, &request);
  return request;
}

// A fixed64 (or double, or sfixed64) field, written even when zero.
inline void PutFixed64(std::uint32_t field, std::uint64_t v, std::string* out) {
  wire::PutTag(field, wire::kFixed64, out);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

}  // namespace otelpack::otlp::testing

#endif  // OTELPACK_OTLP_TESTING_PROTO_BYTES_H_
