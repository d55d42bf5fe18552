// What the log and metric encoders share beyond values (value_writer.h):
// pieces prepared once per resource, scope or metric and copied whole into
// every event, ids that may be absent, and the optional "resource" and
// "scope" fields (docs/wire-protocol.md, "Optional fields of log and metric
// events").
#ifndef OTELPACK_FORMAT_RECORD_PIECES_H_
#define OTELPACK_FORMAT_RECORD_PIECES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "format/json_writer.h"
#include "otelpack/buffer.h"
#include "otelpack/extra_fields.h"
#include "otelpack/model/common.h"

namespace otelpack::format {

// The block a prepared piece is copied in; CopyPiece writes up to this many
// bytes minus one past the piece's end.
constexpr std::size_t kPieceBlock = 16;

// Gives a prepared piece the spare capacity CopyPiece reads past its end.
inline void PadPiece(Buffer* piece) { piece->Reserve(piece->size() + kPieceBlock); }

// Copies a prepared piece in 16-byte blocks: a few inline moves instead of a
// memcpy call for the 30 to 100 bytes of a typical piece. REQUIRES: PadPiece
// since the piece last grew, and room for size + kPieceBlock bytes at out.
inline char* CopyPiece(const Buffer& piece, char* out) {
  const char* s = piece.data();
  const std::size_t n = piece.size();
  for (std::size_t i = 0; i < n; i += kPieceBlock) detail::Copy16(out + i, s + i);
  return out + n;
}

// Appends a piece through a cursor (no padding needed).
inline void AppendPiece(std::string_view s, Cursor& c) {
  c.Ensure(s.size());
  if (!s.empty()) std::memcpy(c.p, s.data(), s.size());
  c.p += s.size();
}

// A short name (a severity, a temporality) padded to one block, so that it
// is copied with one move from a table.
struct PaddedName {
  char text[kPieceBlock];
  std::uint8_t size;

  std::string_view view() const { return {text, size}; }
};

constexpr PaddedName Pad(std::string_view s) {
  PaddedName n{};
  for (std::size_t i = 0; i < s.size() && i < kPieceBlock; ++i) n.text[i] = s[i];
  n.size = static_cast<std::uint8_t>(s.size() < kPieceBlock ? s.size() : kPieceBlock);
  return n;
}

// REQUIRES: room for kPieceBlock bytes at out.
inline char* CopyPadded(const PaddedName& name, char* out) {
  detail::Copy16(out, name.text);
  return out + name.size;
}

// The room WriteTraceIdOrNull and WriteSpanIdOrNull need.
constexpr std::size_t kMaxIdChars = 34;

// "<32 hex digits>", or null when the id is all zero (not in a trace).
inline char* WriteTraceIdOrNull(const TraceId& id, char* out) {
  std::uint64_t a, b;
  std::memcpy(&a, id.bytes.data(), 8);
  std::memcpy(&b, id.bytes.data() + 8, 8);
  if ((a | b) == 0) return Lit(out, "null");
  *out++ = '"';
  out = WriteHex16(id.bytes.data(), out);
  *out++ = '"';
  return out;
}

// "<16 hex digits>", or null when the id is all zero (not in a span).
inline char* WriteSpanIdOrNull(const SpanId& id, char* out) {
  std::uint64_t a;
  std::memcpy(&a, id.bytes.data(), 8);
  if (a == 0) return Lit(out, "null");
  *out++ = '"';
  out = WriteHex8(id.bytes.data(), out);
  *out++ = '"';
  return out;
}

// The room WriteOptionalDouble needs.
constexpr std::size_t kOptionalDoubleRoom = kMaxNumberChars;

// The double, or null when absent (NaN and infinities are null too).
inline char* WriteOptionalDouble(const std::optional<double>& d, char* out) {
  return d.has_value() ? WriteDouble(*d, out) : Lit(out, "null");
}

// The optional "resource" and "scope" fields of log and metric events: the
// same for every record of a resource or scope, so written once there and
// copied whole per event. Only extra.resource and extra.scope apply.
class ContextPieces {
 public:
  explicit ContextPieces(ExtraFields extra);

  void BeginResource(const Resource& resource);
  void BeginScope(const InstrumentationScope& scope);

  // Whether Append writes anything.
  bool any() const { return resource_ || scope_; }
  // Appends `,"resource":{...}` then `,"scope":{...}`, each when enabled.
  void Append(Cursor& c) const {
    if (resource_) AppendPiece(resource_piece_.view(), c);
    if (scope_) AppendPiece(scope_piece_.view(), c);
  }

 private:
  bool resource_;
  bool scope_;
  Buffer resource_piece_;  // `,"resource":{...}`
  Buffer scope_piece_;     // `,"scope":{"name":...,"version":...,"attributes":{...}}`
};

}  // namespace otelpack::format

#endif  // OTELPACK_FORMAT_RECORD_PIECES_H_
