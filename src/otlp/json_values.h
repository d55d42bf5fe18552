// Reading single JSON values for the OTLP/JSON decoders (json_decoder.h), as
// protobuf's JSON mapping writes them: 64-bit integers as numbers or strings
// of digits, doubles with "NaN" and "Infinity", enums by number or name,
// strings with their escapes undone (UTF-8, lone surrogates), hex ids and
// base64; and the path to the value being read, which every error names.
//
// Apart from the decoders so that each file reads on its own: they walk
// OTLP's messages, this knows nothing of them (beyond the AnyValue an
// intValue becomes). Internal to src/otlp; not a public interface.
#ifndef OTELPACK_OTLP_JSON_VALUES_H_
#define OTELPACK_OTLP_JSON_VALUES_H_

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/str_cat.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"
#include "otelpack/status.h"

namespace otelpack::otlp::json_internal {

namespace od = simdjson::ondemand;

// However large DecodeLimits::max_depth is, AnyValue recursion stops here, so
// that no request can exhaust a thread's stack (a level is a few small
// frames). The configuration allows at most 128; the encoder keeps 32.
constexpr int kMaxValueDepthCap = 128;

// `text` as out.size() bytes written in hex, either case.
bool ParseHexId(std::string_view text, std::span<std::uint8_t> out);

// Decodes base64 (either alphabet, padding optional) into *out.
bool DecodeBase64(std::string_view text, std::string* out);

// The longest prefix of valid UTF-8 `s` of at most `max` bytes that ends on a
// character boundary.
std::string_view TruncateUtf8(std::string_view s, std::size_t max);

// a + b, or the uint32 maximum when that is larger (a dropped count).
std::uint32_t SaturatingAdd(std::uint32_t a, std::uint64_t b);

// One step of the path to the value being read.
struct PathSegment {
  std::string_view key;  // a known field name; empty for an index
  std::size_t index = 0;
};

// Reads the values of one parsed request. Errors are InvalidArgument and name
// the path to the value (PathScope keeps it). One per decode, on one thread.
class ValueReader {
 public:
  // `padded` is the body followed by simdjson's padding, as it was parsed
  // (strings are read there); `path` is the stack PathScope pushes on. Both,
  // and `arena`, must outlive the reader.
  ValueReader(const std::string& padded, Arena& arena, std::vector<PathSegment>& path)
      : padded_(padded), arena_(arena), path_(path) {}

  ValueReader(const ValueReader&) = delete;
  ValueReader& operator=(const ValueReader&) = delete;

  // Pushes a path segment for the lifetime of the scope.
  class PathScope {
   public:
    PathScope(ValueReader* r, std::string_view key) : r_(r) { r_->path_.push_back({key, 0}); }
    PathScope(ValueReader* r, std::size_t index) : r_(r) { r_->path_.push_back({{}, index}); }
    ~PathScope() { r_->path_.pop_back(); }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

   private:
    ValueReader* r_;
  };

  // Reads the value of an unknown field through, so that malformed JSON in
  // it is refused too (simdjson's skipping does not look inside literals).
  // Recursion stops at the depth cap; anything deeper is skipped unread.
  Status CheckUnknown(od::value v, int depth);
  // The literal null (type() said null from its first letter only).
  Status Null(od::value v);

  // Scalars. Each takes a value that is not null.
  // A string: a view into the request (no escapes) or, unescaped, into the
  // arena (*in_arena says which); valid until the decode returns.
  Status String(od::value v, std::string_view* out, bool* in_arena = nullptr);
  // A field's key: a view into the request, or unescaped by simdjson.
  Status Key(od::field& field, std::string_view* key);
  // A string that lives in the arena.
  Status ArenaString(od::value v, std::string_view* out);
  Status Unsigned(od::value v, std::uint64_t max, std::uint64_t* out);
  Status Uint32(od::value v, std::uint32_t* out);
  Status Signed(od::value v, std::int64_t* out);
  Status Int32(od::value v, std::int32_t* out);
  Status Double(od::value v, double* out);
  // AnyValue.intValue (see the definition for the numbers it turns into doubles).
  Status IntValue(od::value v, AnyValue* out);
  Status Bool(od::value v, bool* out);
  // An enum by number or name; unknown numbers read as 0, the unspecified
  // value, as protobuf keeps unknown enum values we cannot represent.
  template <std::size_t N>
  Status Enum(od::value v, const std::array<std::string_view, N>& names, std::string_view what,
              int* out);
  // An enum whose every int32 number is kept (a log record's severity).
  template <std::size_t N>
  Status OpenEnum(od::value v, const std::array<std::string_view, N>& names, std::string_view what,
                  std::int32_t* out);

  std::string Path() const;
  Status Expected(std::string_view what) const;
  Status Malformed(simdjson::error_code e) const;

 private:
  // `wide` into *out, or an error naming the path when it does not fit.
  Status ToInt32(std::int64_t wide, std::int32_t* out) const;
  template <std::size_t N>
  Status EnumNumber(od::value v, const std::array<std::string_view, N>& names, std::string_view what,
                    std::int64_t* out);

  const std::string& padded_;
  Arena& arena_;
  std::vector<PathSegment>& path_;
};

// An enum's number, or the index of its name in `names`.
template <std::size_t N>
Status ValueReader::EnumNumber(od::value v, const std::array<std::string_view, N>& names,
                               std::string_view what, std::int64_t* out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::string) {
    std::string_view text;
    if (Status s = String(v, &text); !s.ok()) return s;
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == text) {
        *out = static_cast<std::int64_t>(i);
        return Status::Ok();
      }
    }
    return Expected(StrCat("a ", what, " number or name (", names[0], "...)"));
  }
  if (type != od::json_type::number) return Expected(StrCat("a ", what, " number or name"));
  od::number_type number;
  if (auto e = v.get_number_type().get(number)) return Malformed(e);
  if (number != od::number_type::signed_integer) return Expected(StrCat("a ", what, " number or name"));
  if (auto e = v.get_int64().get(*out)) return Malformed(e);
  return Status::Ok();
}

template <std::size_t N>
Status ValueReader::Enum(od::value v, const std::array<std::string_view, N>& names, std::string_view what,
                         int* out) {
  std::int64_t i = 0;
  if (Status s = EnumNumber(v, names, what, &i); !s.ok()) return s;
  *out = i >= 0 && i < static_cast<std::int64_t>(N) ? static_cast<int>(i) : 0;
  return Status::Ok();
}

template <std::size_t N>
Status ValueReader::OpenEnum(od::value v, const std::array<std::string_view, N>& names, std::string_view what,
                             std::int32_t* out) {
  std::int64_t i = 0;
  if (Status s = EnumNumber(v, names, what, &i); !s.ok()) return s;
  return ToInt32(i, out);
}

}  // namespace otelpack::otlp::json_internal

#endif  // OTELPACK_OTLP_JSON_VALUES_H_
