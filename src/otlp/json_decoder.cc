// The OTLP/HTTP JSON encoding of ExportTraceServiceRequest, decoded into the
// model on simdjson's On-Demand API.
//
// The mapping is protobuf's JSON mapping with OTLP's two exceptions: trace and
// span ids are hex (not base64), and enums are integers (names accepted too).
// 64-bit integers may be strings or numbers; both key spellings (lowerCamelCase
// and the proto field names) are accepted; unknown fields are skipped, as the
// specification requires; null means absent.
//
// Lists are built on per-type scratch stacks that are reused from call to call
// (a list's items are pushed after its children have been popped, so one
// stack per type serves every nesting level) and copied into the arena once,
// when the list closes: no heap allocation per span. The scratch lives in a
// thread_local, as does the parser.
//
// Recursion happens only through AnyValue (arrays and key-value lists in
// values) and stops at the depth cap: a deeper value is skipped by simdjson,
// which does that without recursing. Everything else has a fixed depth.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "otlp/decode.h"

namespace otelpack::otlp {
namespace {

namespace od = simdjson::ondemand;

// However large DecodeLimits::max_depth is, AnyValue recursion stops here, so
// that no request can exhaust a thread's stack (a level is a few small
// frames). The configuration allows at most 128; the encoder keeps 32.
constexpr int kMaxValueDepthCap = 128;

// A parser that grew beyond this for one huge request gives the memory back
// afterwards instead of holding it for the life of the thread.
constexpr std::size_t kKeepParserCapacity = 16u << 20;

// Every field name of the request's messages. One id per name: the same name
// means the same thing in every message that has it ("name", "attributes").
enum class Field : std::uint8_t {
  kUnknown,
  kResourceSpans, kResource, kScopeSpans, kSchemaUrl, kScope, kSpans,
  kAttributes, kDroppedAttributesCount, kName, kVersion,
  kTraceId, kSpanId, kTraceState, kParentSpanId, kFlags, kKind,
  kStartTimeUnixNano, kEndTimeUnixNano, kEvents, kDroppedEventsCount,
  kLinks, kDroppedLinksCount, kStatus, kTimeUnixNano, kMessage, kCode,
  kKey, kValue, kValues,
  kStringValue, kBoolValue, kIntValue, kDoubleValue, kArrayValue, kKvlistValue, kBytesValue,
};

struct FieldName {
  std::string_view camel;
  std::string_view snake;  // the .proto name; empty when it is the same
  Field field;
};

// The most frequent names (those of every attribute) first.
constexpr FieldName kFieldNames[] = {
    {"key", "", Field::kKey},
    {"value", "", Field::kValue},
    {"stringValue", "string_value", Field::kStringValue},
    {"intValue", "int_value", Field::kIntValue},
    {"doubleValue", "double_value", Field::kDoubleValue},
    {"boolValue", "bool_value", Field::kBoolValue},
    {"arrayValue", "array_value", Field::kArrayValue},
    {"kvlistValue", "kvlist_value", Field::kKvlistValue},
    {"bytesValue", "bytes_value", Field::kBytesValue},
    {"values", "", Field::kValues},
    {"attributes", "", Field::kAttributes},
    {"traceId", "trace_id", Field::kTraceId},
    {"spanId", "span_id", Field::kSpanId},
    {"parentSpanId", "parent_span_id", Field::kParentSpanId},
    {"name", "", Field::kName},
    {"kind", "", Field::kKind},
    {"startTimeUnixNano", "start_time_unix_nano", Field::kStartTimeUnixNano},
    {"endTimeUnixNano", "end_time_unix_nano", Field::kEndTimeUnixNano},
    {"status", "", Field::kStatus},
    {"events", "", Field::kEvents},
    {"links", "", Field::kLinks},
    {"flags", "", Field::kFlags},
    {"traceState", "trace_state", Field::kTraceState},
    {"droppedAttributesCount", "dropped_attributes_count", Field::kDroppedAttributesCount},
    {"droppedEventsCount", "dropped_events_count", Field::kDroppedEventsCount},
    {"droppedLinksCount", "dropped_links_count", Field::kDroppedLinksCount},
    {"timeUnixNano", "time_unix_nano", Field::kTimeUnixNano},
    {"message", "", Field::kMessage},
    {"code", "", Field::kCode},
    {"resourceSpans", "resource_spans", Field::kResourceSpans},
    {"resource", "", Field::kResource},
    {"scopeSpans", "scope_spans", Field::kScopeSpans},
    {"schemaUrl", "schema_url", Field::kSchemaUrl},
    {"scope", "", Field::kScope},
    {"spans", "", Field::kSpans},
    {"version", "", Field::kVersion},
};

Field LookupField(std::string_view key) {
  for (const FieldName& f : kFieldNames) {
    if (key == f.camel || (!f.snake.empty() && key == f.snake)) return f.field;
  }
  return Field::kUnknown;
}

constexpr std::array<std::string_view, 6> kSpanKindNames = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> kStatusCodeNames = {
    "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` as out.size() bytes written in hex, either case.
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

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // standard and URL-safe alphabets, as protobuf JSON
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Decodes base64 (either alphabet, padding optional) into *out.
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

// The longest prefix of valid UTF-8 `s` of at most `max` bytes that ends on a
// character boundary.
std::string_view TruncateUtf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
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

std::uint32_t SaturatingAdd(std::uint32_t a, std::uint64_t b) {
  const std::uint64_t sum = a + b;
  return sum > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                         : static_cast<std::uint32_t>(sum);
}

// Reused from request to request by one thread.
struct Scratch {
  od::parser parser;
  std::string padded;  // the body followed by simdjson's padding
  std::string bytes;   // a bytesValue being decoded
  std::vector<ResourceSpans> resources;
  std::vector<ScopeSpans> scopes;
  std::vector<Span> spans;
  std::vector<SpanEvent> events;
  std::vector<SpanLink> links;
  std::vector<KeyValue> key_values;
  std::vector<AnyValue> values;

  struct Segment {
    std::string_view key;  // a known field name; empty for an index
    std::size_t index = 0;
  };
  std::vector<Segment> path;

  void Clear() {
    resources.clear();
    scopes.clear();
    spans.clear();
    events.clear();
    links.clear();
    key_values.clear();
    values.clear();
    path.clear();
  }
};

class Decoder {
 public:
  Decoder(Scratch& scratch, Arena& arena, const DecodeLimits& limits)
      : s_(scratch),
        arena_(arena),
        limits_(limits),
        max_value_depth_(std::clamp(limits.max_depth, 0, kMaxValueDepthCap)) {}

  Status Request(od::document& doc, DecodedTraces* out);

 private:
  // Pushes a path segment for the lifetime of the scope.
  class PathScope {
   public:
    PathScope(Decoder* d, std::string_view key) : d_(d) { d_->s_.path.push_back({key, 0}); }
    PathScope(Decoder* d, std::size_t index) : d_(d) { d_->s_.path.push_back({{}, index}); }
    ~PathScope() { d_->s_.path.pop_back(); }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

   private:
    Decoder* d_;
  };

  // Messages and lists.
  Status ResourceSpansItem(od::value v, std::size_t index, ResourceSpans* out);
  Status ScopeSpansItem(od::value v, std::size_t resource, std::size_t index, ScopeSpans* out);
  Status SpanItem(od::value v, Span* out, std::string_view* rejection);
  Status EventItem(od::value v, bool keep, SpanEvent* out);
  Status LinkItem(od::value v, bool keep, SpanLink* out, bool* valid);
  Status ScopeItem(od::value v, InstrumentationScope* out);
  Status ResourceItem(od::value v, Resource* out);
  Status StatusItem(od::value v, Span* out);
  // A top-level attribute list: keeps the first max_attributes and counts the rest in *trimmed.
  Status AttributeList(od::value v, bool keep, Attributes* out, std::uint64_t* trimmed);
  // `level` is the nesting level an array or key-value list in this value has.
  Status KeyValueItem(od::value v, int level, bool keep, KeyValue* out);
  Status AnyValueItem(od::value v, int level, bool keep, AnyValue* out);
  Status ArrayValueItem(od::value v, int level, bool keep, AnyValue* out);
  Status KvListValueItem(od::value v, int level, bool keep, AnyValue* out);

  // Calls fn(Field, od::value) for each known, non-null field of the object v
  // (null: none).
  template <typename Fn>
  Status Object(od::value v, Fn&& fn);
  // Calls fn(index, od::value) for each element of the array v.
  template <typename Fn>
  Status Array(od::value v, Fn&& fn);

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
  Status Double(od::value v, double* out);
  // AnyValue.intValue (see the definition for the numbers it turns into doubles).
  Status IntValue(od::value v, AnyValue* out);
  Status Bool(od::value v, bool* out);
  template <std::size_t N>
  Status Enum(od::value v, const std::array<std::string_view, N>& names, std::string_view what,
              int* out);

  // Copies the top of a scratch stack, from `start`, into the arena and pops it.
  template <typename T>
  std::span<const T> Finish(std::vector<T>& stack, std::size_t start) {
    std::span<const T> out = arena_.Copy(std::span<const T>(stack.data() + start, stack.size() - start));
    stack.resize(start);
    return out;
  }

  std::string Path() const;
  Status Expected(std::string_view what) const;
  Status Malformed(simdjson::error_code e) const;

  Scratch& s_;
  Arena& arena_;
  const DecodeLimits& limits_;
  const int max_value_depth_;
  DecodedTraces* result_ = nullptr;
};

std::string Decoder::Path() const {
  std::string out;
  for (const Scratch::Segment& seg : s_.path) {
    if (seg.key.empty()) {
      StrAppend(&out, "[", seg.index, "]");
    } else {
      if (!out.empty()) out.push_back('.');
      out.append(seg.key);
    }
  }
  return out.empty() ? std::string("body") : out;
}

Status Decoder::Expected(std::string_view what) const {
  return Status::InvalidArgument(StrCat(Path(), ": expected ", what));
}

Status Decoder::Malformed(simdjson::error_code e) const {
  if (s_.path.empty()) return Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
  return Status::InvalidArgument(StrCat("malformed JSON at ", Path(), ": ", simdjson::error_message(e)));
}

Status Decoder::Null(od::value v) {
  bool is_null = false;
  if (v.is_null().get(is_null) || !is_null) return Malformed(simdjson::N_ATOM_ERROR);
  return Status::Ok();
}

Status Decoder::CheckUnknown(od::value v, int depth) {
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

template <typename Fn>
Status Decoder::Object(od::value v, Fn&& fn) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::null) return Status::Ok();
  if (type != od::json_type::object) return Expected("an object");
  od::object object;
  if (auto e = v.get_object().get(object)) return Malformed(e);
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (Status s = Key(field, &key); !s.ok()) return s;
    const Field id = LookupField(key);
    if (id == Field::kUnknown) {
      if (Status s = CheckUnknown(field.value(), 0); !s.ok()) return s;
      continue;
    }
    PathScope scope(this, key);
    od::value value = field.value();
    if (auto e = value.type().get(type)) return Malformed(e);
    if (type == od::json_type::null) {
      if (Status s = Null(value); !s.ok()) return s;
      continue;  // null: the field is absent
    }
    if (Status s = fn(id, value); !s.ok()) return s;
  }
  return Status::Ok();
}

template <typename Fn>
Status Decoder::Array(od::value v, Fn&& fn) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type != od::json_type::array) return Expected("an array");
  od::array array;
  if (auto e = v.get_array().get(array)) return Malformed(e);
  std::size_t index = 0;
  for (auto element : array) {
    PathScope scope(this, index);
    od::value item;
    if (auto e = std::move(element).get(item)) return Malformed(e);
    if (Status s = fn(index, item); !s.ok()) return s;
    ++index;
  }
  return Status::Ok();
}

Status Decoder::String(od::value v, std::string_view* out, bool* in_arena) {
  od::raw_json_string raw;
  if (auto e = v.get_raw_json_string().get(raw)) {
    return e == simdjson::INCORRECT_TYPE ? Expected("a string") : Malformed(e);
  }
  // simdjson's first stage has checked that the string is closed and the
  // whole body valid UTF-8; escapes are left to us.
  const char* begin = raw.raw();
  const auto room = static_cast<std::size_t>(s_.padded.data() + s_.padded.size() - begin);
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

Status Decoder::Key(od::field& field, std::string_view* key) {
  const char* begin = field.key().raw();
  const auto room = static_cast<std::size_t>(s_.padded.data() + s_.padded.size() - begin);
  const char* end = static_cast<const char*>(std::memchr(begin, '"', room));
  if (end != nullptr && std::memchr(begin, '\\', static_cast<std::size_t>(end - begin)) == nullptr) {
    *key = std::string_view(begin, static_cast<std::size_t>(end - begin));
    return Status::Ok();
  }
  if (auto e = field.unescaped_key().get(*key)) return Malformed(e);
  return Status::Ok();
}

Status Decoder::ArenaString(od::value v, std::string_view* out) {
  bool in_arena = false;
  if (Status s = String(v, out, &in_arena); !s.ok()) return s;
  if (!in_arena) *out = arena_.Copy(*out);
  return Status::Ok();
}

// A JSON integer, or a string of decimal digits (protobuf JSON writes 64-bit
// integers as strings because JavaScript numbers hold only 53 bits).
Status Decoder::Unsigned(od::value v, std::uint64_t max, std::uint64_t* out) {
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

Status Decoder::Uint32(od::value v, std::uint32_t* out) {
  std::uint64_t wide = 0;
  if (Status s = Unsigned(v, std::numeric_limits<std::uint32_t>::max(), &wide); !s.ok()) return s;
  *out = static_cast<std::uint32_t>(wide);
  return Status::Ok();
}

Status Decoder::Signed(od::value v, std::int64_t* out) {
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

// A JSON number, or as protobuf JSON writes the special values, "NaN",
// "Infinity" or "-Infinity" (a number in a string is accepted too).
Status Decoder::Double(od::value v, double* out) {
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
Status Decoder::IntValue(od::value v, AnyValue* out) {
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

Status Decoder::Bool(od::value v, bool* out) {
  if (auto e = v.get_bool().get(*out)) {
    return e == simdjson::INCORRECT_TYPE ? Expected("true or false") : Malformed(e);
  }
  return Status::Ok();
}

// An enum: its number (unknown numbers read as 0, the unspecified value, as
// protobuf keeps unknown enum values we cannot represent) or its name.
template <std::size_t N>
Status Decoder::Enum(od::value v, const std::array<std::string_view, N>& names,
                     std::string_view what, int* out) {
  od::json_type type;
  if (auto e = v.type().get(type)) return Malformed(e);
  if (type == od::json_type::string) {
    std::string_view text;
    if (Status s = String(v, &text); !s.ok()) return s;
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == text) {
        *out = static_cast<int>(i);
        return Status::Ok();
      }
    }
    return Expected(StrCat("a ", what, " number or name (", names[0], "...)"));
  }
  if (type != od::json_type::number) return Expected(StrCat("a ", what, " number or name"));
  od::number_type number;
  if (auto e = v.get_number_type().get(number)) return Malformed(e);
  if (number != od::number_type::signed_integer) return Expected(StrCat("a ", what, " number or name"));
  std::int64_t i;
  if (auto e = v.get_int64().get(i)) return Malformed(e);
  *out = i >= 0 && i < static_cast<std::int64_t>(N) ? static_cast<int>(i) : 0;
  return Status::Ok();
}

Status Decoder::Request(od::document& doc, DecodedTraces* out) {
  result_ = out;
  od::json_type type;
  if (auto e = doc.type().get(type)) return Malformed(e);
  if (type != od::json_type::object) return Expected("a JSON object");
  od::object root;
  if (auto e = doc.get_object().get(root)) return Malformed(e);
  for (auto field_result : root) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (Status s = Key(field, &key); !s.ok()) return s;
    if (LookupField(key) != Field::kResourceSpans) {
      if (Status s = CheckUnknown(field.value(), 0); !s.ok()) return s;
      continue;
    }
    PathScope scope(this, key);
    od::value value = field.value();
    if (auto e = value.type().get(type)) return Malformed(e);
    if (type == od::json_type::null) {
      if (Status s = Null(value); !s.ok()) return s;
      continue;
    }
    const std::size_t start = s_.resources.size();
    Status s = Array(value, [this](std::size_t index, od::value item) {
      ResourceSpans rs;
      if (Status st = ResourceSpansItem(item, index, &rs); !st.ok()) return st;
      s_.resources.push_back(rs);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    out->traces = Finish(s_.resources, start);  // a repeated key: the last one counts
  }
  // Anything but whitespace after the object is malformed.
  if (!doc.current_location().error()) {
    return Status::InvalidArgument("malformed JSON: content after the request object");
  }
  out->spans = CountSpans(out->traces);
  return Status::Ok();
}

Status Decoder::ResourceSpansItem(od::value v, std::size_t index, ResourceSpans* out) {
  return Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kResource: return ResourceItem(value, &out->resource);
      case Field::kSchemaUrl: return ArenaString(value, &out->schema_url);
      case Field::kScopeSpans: {
        const std::size_t start = s_.scopes.size();
        Status s = Array(value, [&](std::size_t scope_index, od::value item) {
          ScopeSpans ss;
          if (Status st = ScopeSpansItem(item, index, scope_index, &ss); !st.ok()) return st;
          s_.scopes.push_back(ss);
          return Status::Ok();
        });
        if (!s.ok()) return s;
        out->scope_spans = Finish(s_.scopes, start);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
}

Status Decoder::ResourceItem(od::value v, Resource* out) {
  std::uint32_t dropped = 0;
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &dropped);
      default: return Status::Ok();
    }
  });
  out->dropped_attributes_count = SaturatingAdd(dropped, trimmed);
  return s;
}

Status Decoder::ScopeItem(od::value v, InstrumentationScope* out) {
  std::uint32_t dropped = 0;
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kVersion: return ArenaString(value, &out->version);
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &dropped);
      default: return Status::Ok();
    }
  });
  out->dropped_attributes_count = SaturatingAdd(dropped, trimmed);
  return s;
}

Status Decoder::ScopeSpansItem(od::value v, std::size_t resource, std::size_t index,
                               ScopeSpans* out) {
  return Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kScope: return ScopeItem(value, &out->scope);
      case Field::kSchemaUrl: return ArenaString(value, &out->schema_url);
      case Field::kSpans: {
        const std::size_t start = s_.spans.size();
        Status s = Array(value, [&](std::size_t span_index, od::value item) {
          Span span;
          std::string_view rejection;
          if (Status st = SpanItem(item, &span, &rejection); !st.ok()) return st;
          if (rejection.empty()) {
            s_.spans.push_back(span);
          } else {
            if (result_->rejected_spans++ == 0) {
              result_->rejection = StrCat("span ", span_index, " of scope ", index, " of resource ",
                                          resource, ": ", rejection);
            }
          }
          return Status::Ok();
        });
        if (!s.ok()) return s;
        out->spans = Finish(s_.spans, start);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
}

// *rejection: why the span must be left out (its ids), empty if it is kept.
Status Decoder::SpanItem(od::value v, Span* out, std::string_view* rejection) {
  std::string_view trace_id, span_id, parent_span_id;  // views into the parser's buffer
  std::uint64_t trimmed_attributes = 0, trimmed_events = 0, trimmed_links = 0;
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kTraceId: return String(value, &trace_id);
      case Field::kSpanId: return String(value, &span_id);
      case Field::kParentSpanId: return String(value, &parent_span_id);
      case Field::kTraceState: return ArenaString(value, &out->trace_state);
      case Field::kFlags: return Uint32(value, &out->flags);
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kKind: {
        int kind = 0;
        if (Status st = Enum(value, kSpanKindNames, "span kind", &kind); !st.ok()) return st;
        out->kind = static_cast<SpanKind>(kind);
        return Status::Ok();
      }
      case Field::kStartTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->start_time_unix_nano);
      case Field::kEndTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->end_time_unix_nano);
      case Field::kAttributes: return AttributeList(value, true, &out->attributes, &trimmed_attributes);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      case Field::kDroppedEventsCount: return Uint32(value, &out->dropped_events_count);
      case Field::kDroppedLinksCount: return Uint32(value, &out->dropped_links_count);
      case Field::kStatus: return StatusItem(value, out);
      case Field::kEvents: {
        const std::size_t start = s_.events.size();
        trimmed_events = 0;
        Status st = Array(value, [&](std::size_t, od::value item) {
          const bool keep = s_.events.size() - start < limits_.max_events_per_span;
          SpanEvent event;
          if (Status se = EventItem(item, keep, &event); !se.ok()) return se;
          if (keep) {
            s_.events.push_back(event);
          } else {
            ++trimmed_events;
          }
          return Status::Ok();
        });
        if (!st.ok()) return st;
        out->events = Finish(s_.events, start);
        return Status::Ok();
      }
      case Field::kLinks: {
        const std::size_t start = s_.links.size();
        trimmed_links = 0;
        Status st = Array(value, [&](std::size_t, od::value item) {
          const bool keep = s_.links.size() - start < limits_.max_links_per_span;
          SpanLink link;
          bool valid = false;
          if (Status sl = LinkItem(item, keep, &link, &valid); !sl.ok()) return sl;
          if (keep && valid) {
            s_.links.push_back(link);
          } else {
            ++trimmed_links;  // over the limit, or a link to no valid span
          }
          return Status::Ok();
        });
        if (!st.ok()) return st;
        out->links = Finish(s_.links, start);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
  if (!s.ok()) return s;
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed_attributes);
  out->dropped_events_count = SaturatingAdd(out->dropped_events_count, trimmed_events);
  out->dropped_links_count = SaturatingAdd(out->dropped_links_count, trimmed_links);

  if (!ParseHexId(trace_id, out->trace_id.bytes)) {
    *rejection = "traceId must be 32 hex digits";
  } else if (!out->trace_id.valid()) {
    *rejection = "traceId must not be all zero";
  } else if (!ParseHexId(span_id, out->span_id.bytes)) {
    *rejection = "spanId must be 16 hex digits";
  } else if (!out->span_id.valid()) {
    *rejection = "spanId must not be all zero";
  } else if (!parent_span_id.empty() && !ParseHexId(parent_span_id, out->parent_span_id.bytes)) {
    *rejection = "parentSpanId must be empty or 16 hex digits";
  }
  return Status::Ok();
}

Status Decoder::StatusItem(od::value v, Span* out) {
  return Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kMessage: return ArenaString(value, &out->status_message);
      case Field::kCode: {
        int code = 0;
        if (Status s = Enum(value, kStatusCodeNames, "status code", &code); !s.ok()) return s;
        out->status_code = static_cast<SpanStatusCode>(code);
        return Status::Ok();
      }
      default: return Status::Ok();
    }
  });
}

Status Decoder::EventItem(od::value v, bool keep, SpanEvent* out) {
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kName: return ArenaString(value, &out->name);
      case Field::kTimeUnixNano:
        return Unsigned(value, std::numeric_limits<std::uint64_t>::max(), &out->time_unix_nano);
      case Field::kAttributes: return AttributeList(value, keep, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      default: return Status::Ok();
    }
  });
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed);
  return s;
}

// *valid: the link names a span (its ids are well-formed and not zero).
Status Decoder::LinkItem(od::value v, bool keep, SpanLink* out, bool* valid) {
  std::string_view trace_id, span_id;
  std::uint64_t trimmed = 0;
  Status s = Object(v, [&](Field f, od::value value) {
    switch (f) {
      case Field::kTraceId: return String(value, &trace_id);
      case Field::kSpanId: return String(value, &span_id);
      case Field::kTraceState: return ArenaString(value, &out->trace_state);
      case Field::kAttributes: return AttributeList(value, keep, &out->attributes, &trimmed);
      case Field::kDroppedAttributesCount: return Uint32(value, &out->dropped_attributes_count);
      case Field::kFlags: return Uint32(value, &out->flags);
      default: return Status::Ok();
    }
  });
  if (!s.ok()) return s;
  out->dropped_attributes_count = SaturatingAdd(out->dropped_attributes_count, trimmed);
  *valid = ParseHexId(trace_id, out->trace_id.bytes) && out->trace_id.valid() &&
           ParseHexId(span_id, out->span_id.bytes) && out->span_id.valid();
  return Status::Ok();
}

Status Decoder::AttributeList(od::value v, bool keep, Attributes* out, std::uint64_t* trimmed) {
  const std::size_t start = s_.key_values.size();
  *trimmed = 0;
  Status s = Array(v, [&](std::size_t, od::value item) {
    const bool store = keep && s_.key_values.size() - start < limits_.max_attributes;
    KeyValue kv;
    if (Status st = KeyValueItem(item, 1, store, &kv); !st.ok()) return st;
    if (store) {
      s_.key_values.push_back(kv);
    } else {
      ++*trimmed;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  *out = Finish(s_.key_values, start);
  return Status::Ok();
}

Status Decoder::KeyValueItem(od::value v, int level, bool keep, KeyValue* out) {
  return Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kKey: {
        if (!keep) return String(value, &out->key);  // checked, not kept
        return ArenaString(value, &out->key);
      }
      case Field::kValue: return AnyValueItem(value, level, keep, &out->value);
      default: return Status::Ok();
    }
  });
}

Status Decoder::AnyValueItem(od::value v, int level, bool keep, AnyValue* out) {
  *out = AnyValue();
  int set = 0;
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    switch (f) {
      case Field::kStringValue: {
        std::string_view text;
        bool in_arena = false;
        if (Status st = String(value, &text, &in_arena); !st.ok()) return st;
        text = TruncateUtf8(text, limits_.max_value_bytes);
        if (keep) *out = AnyValue::String(in_arena ? text : arena_.Copy(text));
        break;
      }
      case Field::kBoolValue: {
        bool b = false;
        if (Status st = Bool(value, &b); !st.ok()) return st;
        *out = AnyValue::Bool(b);
        break;
      }
      case Field::kIntValue:
        if (Status st = IntValue(value, out); !st.ok()) return st;
        break;
      case Field::kDoubleValue: {
        double d = 0;
        if (Status st = Double(value, &d); !st.ok()) return st;
        *out = AnyValue::Double(d);
        break;
      }
      case Field::kBytesValue: {
        std::string_view text;
        if (Status st = String(value, &text); !st.ok()) return st;
        if (!DecodeBase64(text, &s_.bytes)) return Expected("base64");
        std::string_view bytes(s_.bytes);
        if (keep) *out = AnyValue::Bytes(arena_.Copy(bytes.substr(0, limits_.max_value_bytes)));
        break;
      }
      case Field::kArrayValue:
        if (level > max_value_depth_) {
          *out = AnyValue();  // too deep: empty, and skipped without a look
          break;
        }
        if (Status st = ArrayValueItem(value, level, keep, out); !st.ok()) return st;
        break;
      case Field::kKvlistValue:
        if (level > max_value_depth_) {
          *out = AnyValue();
          break;
        }
        if (Status st = KvListValueItem(value, level, keep, out); !st.ok()) return st;
        break;
      default: return Status::Ok();
    }
    if (++set > 1) return Status::InvalidArgument(StrCat(Path(), ": a second value in one AnyValue"));
    return Status::Ok();
  });
  if (!keep) *out = AnyValue();
  return s;
}

Status Decoder::ArrayValueItem(od::value v, int level, bool keep, AnyValue* out) {
  const std::size_t start = s_.values.size();
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    if (f != Field::kValues) return Status::Ok();
    s_.values.resize(start);  // a repeated key: the last one counts
    return Array(value, [&](std::size_t, od::value item) {
      AnyValue element;
      if (Status st = AnyValueItem(item, level + 1, keep, &element); !st.ok()) return st;
      if (keep) s_.values.push_back(element);
      return Status::Ok();
    });
  });
  if (!s.ok()) return s;
  *out = AnyValue::Array(Finish(s_.values, start));
  return Status::Ok();
}

Status Decoder::KvListValueItem(od::value v, int level, bool keep, AnyValue* out) {
  const std::size_t start = s_.key_values.size();
  Status s = Object(v, [&](Field f, od::value value) -> Status {
    if (f != Field::kValues) return Status::Ok();
    s_.key_values.resize(start);
    return Array(value, [&](std::size_t, od::value item) {
      KeyValue kv;
      if (Status st = KeyValueItem(item, level + 1, keep, &kv); !st.ok()) return st;
      if (keep) s_.key_values.push_back(kv);
      return Status::Ok();
    });
  });
  if (!s.ok()) return s;
  *out = AnyValue::KvList(Finish(s_.key_values, start));
  return Status::Ok();
}

}  // namespace

Result<DecodedTraces> DecodeTracesJson(std::string_view body, Arena& arena,
                                       const DecodeLimits& limits) {
  thread_local Scratch scratch;
  scratch.Clear();
  scratch.padded.assign(body);
  scratch.padded.append(simdjson::SIMDJSON_PADDING, '\0');

  DecodedTraces out;
  Status status;
  {
    od::document doc;
    if (auto e = scratch.parser.iterate(scratch.padded.data(), body.size(), scratch.padded.size())
                     .get(doc)) {
      status = Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
    } else {
      Decoder decoder(scratch, arena, limits);
      status = decoder.Request(doc, &out);
    }
  }
  if (scratch.parser.capacity() > kKeepParserCapacity) {
    scratch.parser = od::parser();
    scratch.padded = std::string();
  }
  if (!status.ok()) return status;
  return out;
}

}  // namespace otelpack::otlp
