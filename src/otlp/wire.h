// The protobuf wire format: its field types (which the decoder checks) and
// the few writing primitives the request encoder and the receivers'
// hand-encoded responses share.
#ifndef OTELPACK_OTLP_WIRE_H_
#define OTELPACK_OTLP_WIRE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace otelpack::otlp::wire {

enum Type : std::uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

inline void PutVarint(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline void PutTag(std::uint32_t field, Type type, std::string* out) {
  PutVarint((static_cast<std::uint64_t>(field) << 3) | type, out);
}

// A length-delimited field (string, bytes, nested message).
inline void PutBytes(std::uint32_t field, std::string_view bytes, std::string* out) {
  PutTag(field, kLen, out);
  PutVarint(bytes.size(), out);
  out->append(bytes);
}

// A varint field, written even when zero.
inline void PutVarintField(std::uint32_t field, std::uint64_t v, std::string* out) {
  PutTag(field, kVarint, out);
  PutVarint(v, out);
}

}  // namespace otelpack::otlp::wire

#endif  // OTELPACK_OTLP_WIRE_H_
