// The single-value readers of the OTLP/JSON decoder; see json_values.h.
#include "otlp/json_values.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace otelpack::otlp::json_internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // standard and URL-safe alphabets, as protobuf JSON
  if (c == '/' || c == '_') return 63;
  return -1;
}

constexpr std::size_t kBadEscape = ~std::size_t{0};

int Hex4(const char* p) {
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = HexDigit(p[i]);
    if (d < 0) return -1;
    v = v << 4 | d;
  }
  return v;
}

char* AppendUtf8(std::uint32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | cp >> 6);
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | cp >> 12);
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | cp >> 18);
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Writes the JSON string content `in` (between the quotes) unescaped at
// `out` and returns its length, or kBadEscape. The escape of a lone
// surrogate ("\ud800") becomes U+FFFD: JavaScript strings may hold one and
// JSON.stringify writes it so, and refusing the whole request for it would
// lose every other span. REQUIRES: room for in.size() bytes at out (no
// escape is shorter than what it stands for).
std::size_t UnescapeJson(std::string_view in, char* out) {
  const char* p = in.data();
  const char* end = p + in.size();
  char* o = out;
  while (p < end) {
    if (*p != '\\') {
      *o++ = *p++;
      continue;
    }
    if (end - p < 2) return kBadEscape;
    const char c = p[1];
    p += 2;
    switch (c) {
      case '"': case '\\': case '/': *o++ = c; break;
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'n': *o++ = '\n'; break;
      case 'r': *o++ = '\r'; break;
      case 't': *o++ = '\t'; break;
      case 'u': {
        if (end - p < 4) return kBadEscape;
        int cp = Hex4(p);
        if (cp < 0) return kBadEscape;
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          const int low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? Hex4(p + 2) : -1;
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        o = AppendUtf8(static_cast<std::uint32_t>(cp), o);
        break;
      }
      default: return kBadEscape;
    }
  }
  return static_cast<std::size_t>(o - out);
}

}  // namespace

bool ParseHexId(std::string_view text, std::span<std::uint8_t> out) {
  if (text.size() != 2 * out.size()) return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = HexDigit(text[2 * i]);
    const int lo = HexDigit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool DecodeBase64(std::string_view text, std::string* out) {
  out->clear();
  std::size_t n = text.size();
  if (n % 4 == 0 && n >= 2 && text[n - 1] == '=') n -= text[n - 2] == '=' ? 2 : 1;
  if (n % 4 == 1) return false;
  out->reserve(n * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int d = Base64Digit(text[i]);
    if (d < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // The bits left over must be zero, or two encodings would decode alike.
  return (acc & ((1u << bits) - 1)) == 0;
}

std::string_view TruncateUtf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

std::uint32_t SaturatingAdd(std::uint32_t a, std::uint64_t b) {
  const std::uint64_t sum = a + b;
  return sum > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                         : static_cast<std::uint32_t>(sum);
}

std::string ValueReader::Path() const {
  std::string out;
  for (const PathSegment& seg : path_) {
    if (seg.key.empty()) {
      StrAppend(&out, "[", seg.index, "]");
    } else {
      if (!out.empty()) out.push_back('.');
      out.append(seg.key);
    }
  }
  return out.empty() ? std::string("body") : out;
}

Status ValueReader::Expected(std::string_view what) const {
  return Status::InvalidArgument(StrCat(Path(), ": expected ", what));
}

Status ValueReader::Malformed(simdjson::error_code e) const {
  if (path_.empty()) return Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
  return Status::InvalidArgument(StrCat("malformed JSON at ", Path(), ": ", simdjson::error_message(e)));
}

Status ValueReader::Null(od::value v) {
  bool is_null = false;
  if (v.is_null().get(is_null) || !is_null) return Malformed(simdjson::N_ATOM_ERROR);
  return Status::Ok();
}

Status ValueReader::CheckUnknown(od::value v, int depth) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  switch (type) {
    case od::json_type::object: {
      if (depth >= kMaxValueDepthCap) return Status::Ok();
      od::object object;
      if (auto e = v.get_object().get(object)) return Malformed(e);
      for (auto field_result : object) {
        od::field field;
        if (auto e = std::move(field_result).get(field)) return Malformed(e);
        std::string_view key;
        if (Status s = Key(field, &key); !s.ok()) return s;  // checks its escapes
        if (Status s = CheckUnknown(field.value(), depth + 1); !s.ok()) return s;
      }
      return Status::Ok();
    }
    case od::json_type::array: {
      if (depth >= kMaxValueDepthCap) return Status::Ok();
      od::array array;
      if (auto e = v.get_array().get(array)) return Malformed(e);
      for (auto element : array) {
        od::value item;
        if (auto e = std::move(element).get(item)) return Malformed(e);
        if (Status s = CheckUnknown(item, depth + 1); !s.ok()) return s;
      }
      return Status::Ok();
    }
    case od::json_type::number: {
      double d;
      if (auto e = v.get_double().get(d)) return Malformed(e);
      return Status::Ok();
    }
    case od::json_type::string: {
      std::string_view text;
      return String(v, &text);  // the same escapes as in known fields
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) {
        return Malformed(e == simdjson::INCORRECT_TYPE ? simdjson::T_ATOM_ERROR : e);
      }
      return Status::Ok();
    }
    case od::json_type::null: return Null(v);
  }
  return Malformed(simdjson::TAPE_ERROR);
}

Status ValueReader::String(od::value v, std::string_view* out, bool* in_arena) {
  od::raw_json_string raw;
  if (auto e = v.get_raw_json_string().get(raw)) {
    return e == simdjson::INCORRECT_TYPE ? Expected("a string") : Malformed(e);
  }
  // simdjson's first stage has checked that the string is closed and the
  // whole body valid UTF-8; escapes are left to us.
  const char* begin = raw.raw();
  const auto room = static_cast<std::size_t>(padded_.data() + padded_.size() - begin);
  const char* end = static_cast<const char*>(std::memchr(begin, '"', room));
  if (end == nullptr) return Malformed(simdjson::UNCLOSED_STRING);
  const bool escaped = std::memchr(begin, '\\', static_cast<std::size_t>(end - begin)) != nullptr;
  if (!escaped) {
    *out = std::string_view(begin, static_cast<std::size_t>(end - begin));
    if (in_arena != nullptr) *in_arena = false;
    return Status::Ok();
  }
  // The quote found may be an escaped one: find the real end.
  end = begin;
  while (*end != '"') end += *end == '\\' ? 2 : 1;
  // Unescaped text is never longer than its escaped form.
  std::span<char> buffer = arena_.Make<char>(static_cast<std::size_t>(end - begin));
  const std::size_t n = UnescapeJson(std::string_view(begin, static_cast<std::size_t>(end - begin)), buffer.data());
  if (n == kBadEscape) return Malformed(simdjson::STRING_ERROR);
  *out = std::string_view(buffer.data(), n);
  if (in_arena != nullptr) *in_arena = true;
  return Status::Ok();
}

Status ValueReader::Key(od::field& field, std::string_view* key) {
  const char* begin = field.key().raw();
  const auto room = static_cast<std::size_t>(padded_.data() + padded_.size() - begin);
  const char* end = static_cast<const char*>(std::memchr(begin, '"', room));
  if (end != nullptr && std::memchr(begin, '\\', static_cast<std::size_t>(end - begin)) == nullptr) {
    *key = std::string_view(begin, static_cast<std::size_t>(end - begin));
    return Status::Ok();
  }
  if (auto e = field.unescaped_key().get(*key)) return Malformed(e);
  return Status::Ok();
}

Status ValueReader::ArenaString(od::value v, std::string_view* out) {
  bool in_arena = false;
  if (Status s = String(v, out, &in_arena); !s.ok()) return s;
  if (!in_arena) *out = arena_.Copy(*out);
  return Status::Ok();
}

// A JSON integer, or a string of decimal digits (protobuf JSON writes 64-bit
// integers as strings because JavaScript numbers hold only 53 bits).
Status ValueReader::Unsigned(od::value v, std::uint64_t max, std::uint64_t* out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::string) {
    std::string_view text;
    if (Status s = String(v, &text); !s.ok()) return s;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    if (text.empty() || text[0] < '0' || text[0] > '9' || ptr != end) {
      return Expected("an integer or a string of digits");
    }
    if (ec == std::errc::result_out_of_range || *out > max) {
      return Status::InvalidArgument(StrCat(Path(), ": ", text, " is out of range (at most ", max, ")"));
    }
    return Status::Ok();
  }
  if (type != od::json_type::number) return Expected("an integer or a string of digits");
  od::number_type number;
  if (auto e = v.get_number_type().get(number)) return Malformed(e);
  if (number == od::number_type::floating_point_number) {
    return Expected("an integer or a string of digits");
  }
  if (number == od::number_type::signed_integer) {
    std::int64_t i;
    if (auto e = v.get_int64().get(i)) return Malformed(e);
    if (i < 0) return Status::InvalidArgument(StrCat(Path(), ": ", i, " is negative"));
    *out = static_cast<std::uint64_t>(i);
  } else if (auto e = v.get_uint64().get(*out)) {
    // simdjson calls an integer of more than 64 bits an unsigned one it cannot read.
    if (e != simdjson::INCORRECT_TYPE && e != simdjson::NUMBER_OUT_OF_RANGE) return Malformed(e);
    return Status::InvalidArgument(StrCat(Path(), ": integer out of the 64-bit range"));
  }
  if (*out > max) {
    return Status::InvalidArgument(StrCat(Path(), ": ", *out, " is out of range (at most ", max, ")"));
  }
  return Status::Ok();
}

Status ValueReader::Uint32(od::value v, std::uint32_t* out) {
  std::uint64_t wide = 0;
  if (Status s = Unsigned(v, std::numeric_limits<std::uint32_t>::max(), &wide); !s.ok()) return s;
  *out = static_cast<std::uint32_t>(wide);
  return Status::Ok();
}

Status ValueReader::Signed(od::value v, std::int64_t* out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::string) {
    std::string_view text;
    if (Status s = String(v, &text); !s.ok()) return s;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    const std::size_t digits_at = !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() <= digits_at || text[digits_at] < '0' || text[digits_at] > '9' || ptr != end) {
      return Expected("an integer or a string of digits");
    }
    if (ec == std::errc::result_out_of_range) {
      return Status::InvalidArgument(StrCat(Path(), ": ", text, " is out of the int64 range"));
    }
    return Status::Ok();
  }
  if (type != od::json_type::number) return Expected("an integer or a string of digits");
  od::number_type number;
  if (auto e = v.get_number_type().get(number)) return Malformed(e);
  if (number == od::number_type::floating_point_number) {
    return Expected("an integer or a string of digits");
  }
  if (number != od::number_type::signed_integer || v.get_int64().get(*out) != simdjson::SUCCESS) {
    return Status::InvalidArgument(StrCat(Path(), ": integer out of the int64 range"));
  }
  return Status::Ok();
}

Status ValueReader::Int32(od::value v, std::int32_t* out) {
  std::int64_t wide = 0;
  if (Status s = Signed(v, &wide); !s.ok()) return s;
  return ToInt32(wide, out);
}

Status ValueReader::ToInt32(std::int64_t wide, std::int32_t* out) const {
  if (wide < std::numeric_limits<std::int32_t>::min() || wide > std::numeric_limits<std::int32_t>::max()) {
    return Status::InvalidArgument(StrCat(Path(), ": ", wide, " is out of the int32 range"));
  }
  *out = static_cast<std::int32_t>(wide);
  return Status::Ok();
}

// A JSON number, or as protobuf JSON writes the special values, "NaN",
// "Infinity" or "-Infinity" (a number in a string is accepted too).
Status ValueReader::Double(od::value v, double* out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::number) {
    if (auto e = v.get_double().get(*out)) return Malformed(e);
    return Status::Ok();
  }
  if (type != od::json_type::string) return Expected("a number");
  std::string_view text;
  if (Status s = String(v, &text); !s.ok()) return s;
  if (text == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity") {
    *out = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity") {
    *out = -std::numeric_limits<double>::infinity();
  } else {
    // from_chars also reads "inf", "nan" and hex: only JSON's number syntax starts so.
    const std::size_t digit_at = !text.empty() && text[0] == '-' ? 1 : 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    if (text.size() <= digit_at || text[digit_at] < '0' || text[digit_at] > '9' || ptr != end ||
        ec != std::errc()) {
      return Expected("a number or \"NaN\", \"Infinity\", \"-Infinity\"");
    }
  }
  return Status::Ok();
}

// An int64 as a string of digits or a JSON integer. A JSON number that is not
// an int64 literal (a fraction, an exponent, beyond the range) is kept as the
// double it is, unless it is an integer in the int64 range: JavaScript's JSON
// exporter writes every integral number as intValue (1e+21, 1.7976931348623157e+308),
// where its protobuf exporter sends those beyond int64 as doubleValue, and
// refusing the request would lose every span in it for one attribute.
Status ValueReader::IntValue(od::value v, AnyValue* out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  std::int64_t i = 0;
  if (type != od::json_type::number) {  // a string of digits, or the wrong type
    if (Status s = Signed(v, &i); !s.ok()) return s;
    *out = AnyValue::Int(i);
    return Status::Ok();
  }
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    *out = AnyValue::Int(i);
    return Status::Ok();
  }
  double d = 0;
  if (auto e = v.get_double().get(d)) return Malformed(e);
  // [-2^63, 2^63): both bounds are exact doubles.
  if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
    *out = AnyValue::Int(static_cast<std::int64_t>(d));
  } else {
    *out = AnyValue::Double(d);
  }
  return Status::Ok();
}

Status ValueReader::Bool(od::value v, bool* out) {
  if (auto e = v.get_bool().get(*out)) {
    return e == simdjson::INCORRECT_TYPE ? Expected("true or false") : Malformed(e);
  }
  return Status::Ok();
}

}  // namespace otelpack::otlp::json_internal
