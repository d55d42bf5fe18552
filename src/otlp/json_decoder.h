// What the OTLP/JSON decoders of every signal share (json_traces.cc,
// json_logs.cc, json_metrics.cc): the request's parse, the field-name tables,
// the walk over objects and arrays with the path errors name, the lists
// gathered on the scratch stacks, and the messages common to all signals
// (resource, scope, attributes, AnyValue).
//
// The mapping is protobuf's JSON mapping with OTLP's two exceptions: trace and
// span ids are hex (not base64), and enums are integers (names accepted too).
// 64-bit integers may be strings or numbers; both key spellings (lowerCamelCase
// and the proto field names) are accepted; unknown fields are skipped, as the
// specification requires; null means absent.
//
// Lists are gathered on scratch stacks and copied into the arena once, when
// the list closes (list_stack.h, shared with the protobuf decoder), within
// the same budget on decoded bytes: no heap allocation per record. The stacks
// live in a thread_local, as does the parser.
//
// Recursion happens only through AnyValue (arrays and key-value lists in
// values) and stops at the depth cap: a deeper value is skipped by simdjson,
// which does that without recursing. Everything else has a fixed depth.
//
// Reading each value (scalars, strings and their escapes, ids, base64) is
// json_values.h's part. Internal to src/otlp; not a public interface.
#ifndef OTELPACK_OTLP_JSON_DECODER_H_
#define OTELPACK_OTLP_JSON_DECODER_H_

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <iterator>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"
#include "otelpack/status.h"
#include "otlp/decode.h"
#include "otlp/json_values.h"
#include "otlp/list_stack.h"

namespace otelpack::otlp::json_internal {

// Every field name of the requests' messages, of every signal. One id per
// name: a message gives a name the meaning it has there ("value" of a
// KeyValue is an AnyValue, of a quantile a double).
enum class Field : std::uint8_t {
  kUnknown,
  // AnyValue, KeyValue, resource and scope: every signal's.
  kKey, kValue, kValues,
  kStringValue, kBoolValue, kIntValue, kDoubleValue, kArrayValue, kKvlistValue, kBytesValue,
  kAttributes, kDroppedAttributesCount, kResource, kScope, kSchemaUrl, kName, kVersion,
  // Traces.
  kResourceSpans, kScopeSpans, kSpans,
  kTraceId, kSpanId, kTraceState, kParentSpanId, kFlags, kKind,
  kStartTimeUnixNano, kEndTimeUnixNano, kEvents, kDroppedEventsCount,
  kLinks, kDroppedLinksCount, kStatus, kTimeUnixNano, kMessage, kCode,
  // Logs.
  kResourceLogs, kScopeLogs, kLogRecords,
  kObservedTimeUnixNano, kSeverityNumber, kSeverityText, kBody, kEventName,
  // Metrics.
  kResourceMetrics, kScopeMetrics, kMetrics,
  kDescription, kUnit, kMetadata, kGauge, kSum, kHistogram, kExponentialHistogram, kSummary,
  kDataPoints, kAggregationTemporality, kIsMonotonic,
  kAsDouble, kAsInt, kExemplars, kFilteredAttributes, kCount, kBucketCounts, kExplicitBounds,
  kMin, kMax, kScale, kZeroCount, kZeroThreshold, kPositive, kNegative, kOffset,
  kQuantileValues, kQuantile,
};

struct FieldName {
  std::string_view camel;
  std::string_view snake;  // the .proto name; empty when it is the same
  Field field;
};

// Each signal has its own table, its most frequent names first: a key is
// looked up by comparing it with each name in turn, and most keys are those
// of attributes (key, value, stringValue...), then those of the records.
inline Field LookupField(std::span<const FieldName> names, std::string_view key) {
  for (const FieldName& f : names) {
    if (key == f.camel || (!f.snake.empty() && key == f.snake)) return f.field;
  }
  return Field::kUnknown;
}

// The names of KeyValue and AnyValue, the most frequent in any request.
inline constexpr FieldName kValueFieldNames[] = {
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
};
constexpr std::size_t kValueFieldCount = std::size(kValueFieldNames);

// A signal's table: kValueFieldNames, then `rest`.
template <std::size_t N>
constexpr std::array<FieldName, kValueFieldCount + N> WithValueNames(const FieldName (&rest)[N]) {
  std::array<FieldName, kValueFieldCount + N> out{};
  for (std::size_t i = 0; i < kValueFieldCount; ++i) out[i] = kValueFieldNames[i];
  for (std::size_t i = 0; i < N; ++i) out[kValueFieldCount + i] = rest[i];
  return out;
}

// Whether `names` holds every name the shared messages (AnyValue, KeyValue,
// resource, scope) read: each signal's table must (static_assert).
template <std::size_t N>
constexpr bool HasSharedFields(const std::array<FieldName, N>& names) {
  constexpr Field kShared[] = {Field::kAttributes, Field::kDroppedAttributesCount, Field::kResource,
                               Field::kScope,      Field::kSchemaUrl,              Field::kName,
                               Field::kVersion};
  for (Field shared : kShared) {
    bool found = false;
    for (const FieldName& f : names) found = found || f.field == shared;
    if (!found) return false;
  }
  return true;
}

// What parsing a body of `body_bytes` takes besides the model: the padded
// copy simdjson reads, and its structural index, 4 bytes for every byte of
// the body (every one is a structural character in the worst case, "[[[[",
// and stage 1 writes the index before anything is decoded).
inline std::size_t ParseBytes(std::size_t body_bytes) { return 5 * body_bytes + simdjson::SIMDJSON_PADDING; }

// Reused from request to request by one thread, whatever the signal.
struct Scratch {
  od::parser parser;
  std::string padded;  // the body followed by simdjson's padding
  std::string bytes;   // a bytesValue being decoded
  ListStacks lists;
  std::vector<PathSegment> path;
};

// One request body, parsed on the calling thread's scratch: construct it,
// check status(), decode document(); the destructor hands back what an
// unusually large request made the scratch hold.
class ParsedBody {
 public:
  ParsedBody(std::string_view body, const DecodeLimits& limits);
  ~ParsedBody();
  ParsedBody(const ParsedBody&) = delete;
  ParsedBody& operator=(const ParsedBody&) = delete;

  // TooLarge when parsing alone would exceed max_decoded_bytes;
  // InvalidArgument when simdjson refuses the body from the start.
  const Status& status() const { return status_; }
  od::document& document() { return *doc_; }
  Scratch& scratch() { return scratch_; }
  std::size_t body_bytes() const { return body_bytes_; }
  std::size_t parse_bytes() const { return parse_bytes_; }

 private:
  Scratch& scratch_;
  const std::size_t body_bytes_;
  const std::size_t parse_bytes_;
  Status status_;
  std::optional<od::document> doc_;
};

// Walks one parsed request into the model: each signal's decoder derives
// from it. Reading single values, and the path that errors name, come from
// ValueReader.
class Decoder : protected ValueReader {
 public:
  // `names`: the signal's field-name table (HasSharedFields).
  Decoder(ParsedBody& body, Arena& arena, const DecodeLimits& limits, std::span<const FieldName> names);

 protected:
  // The request object: the array under `list` (resourceSpans, ...) read by
  // read_item(index, value, T*) into *out; other fields are skipped.
  template <typename T, typename ReadItem>
  Status Request(Field list, std::span<const T>* out, ReadItem read_item);

  // A ResourceSpans, ScopeSpans, ResourceLogs...: its resource or scope
  // under `head` (ResourceItem, ScopeItem), its schemaUrl, and its list
  // under `list`, gathered by fn as Gather's.
  template <typename Head, typename T, typename Fn>
  Status Group(od::value v, Field head, Head* head_out, std::string_view* schema_url, Field list,
               std::span<const T>* list_out, Fn&& fn);
  // For Group: a scope's records, each read by read(value, T*, std::string_view*
  // rejection). A record given a rejection is left out and counted in
  // *result, the first one explained ("span 3 of scope 0 of resource 1: why").
  template <typename T, typename D, typename Read>
  auto Records(std::string_view what, std::size_t resource, std::size_t scope, D* result, Read read);
  Status HeadItem(od::value v, Resource* out) { return ResourceItem(v, out); }
  Status HeadItem(od::value v, InstrumentationScope* out) { return ScopeItem(v, out); }
  Status ResourceItem(od::value v, Resource* out);
  Status ScopeItem(od::value v, InstrumentationScope* out);
  // A top-level attribute list: keeps the first max_attributes (none unless
  // `keep`) and counts the rest in *trimmed.
  Status AttributeList(od::value v, bool keep, Attributes* out, std::uint64_t* trimmed);
  // `level` is the nesting level an array or key-value list in this value has.
  Status KeyValueItem(od::value v, int level, bool keep, KeyValue* out);
  Status AnyValueItem(od::value v, int level, bool keep, AnyValue* out);

  // Calls fn(Field, od::value) for each known, non-null field of the object v
  // (null: none).
  template <typename Fn>
  Status Object(od::value v, Fn&& fn);
  // Calls fn(index, od::value) for each element of the array v.
  template <typename Fn>
  Status Array(od::value v, Fn&& fn);
  // The array v gathered into *out (in the arena): fn(index, od::value,
  // StackList<T>&) reads each element and pushes what it keeps.
  template <typename T, typename Fn>
  Status Gather(od::value v, std::span<const T>* out, Fn&& fn);

  template <typename T>
  StackList<T> List() {
    return StackList<T>(s_.lists, budget_);
  }
  // Pushes `item`; over the budget, the request is refused as too large.
  template <typename T>
  Status Push(StackList<T>& list, const T& item) {
    if (list.Push(item)) [[likely]] return Status::Ok();
    return Status::TooLarge(budget_.Message());
  }

  Scratch& s_;
  DecodeBudget budget_;
  Arena& arena_;
  const DecodeLimits& limits_;
  const int max_value_depth_;

 private:
  template <typename T, typename ReadItem>
  Status ValuesItem(od::value v, bool keep, ReadItem read_item, std::span<const T>* out);

  od::document& doc_;
  const std::span<const FieldName> names_;
};

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
    const Field id = LookupField(names_, key);
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

template <typename T, typename Fn>
Status Decoder::Gather(od::value v, std::span<const T>* out, Fn&& fn) {
  StackList<T> list = List<T>();
  Status s = Array(v, [&](std::size_t index, od::value item) { return fn(index, item, list); });
  if (!s.ok()) return s;
  *out = list.CopyTo(arena_);  // a repeated key: the last one counts
  return Status::Ok();
}

template <typename Head, typename T, typename Fn>
Status Decoder::Group(od::value v, Field head, Head* head_out, std::string_view* schema_url, Field list,
                      std::span<const T>* list_out, Fn&& fn) {
  return Object(v, [&](Field f, od::value value) {
    if (f == head) return HeadItem(value, head_out);
    if (f == Field::kSchemaUrl) return ArenaString(value, schema_url);
    if (f == list) return Gather<T>(value, list_out, fn);
    return Status::Ok();
  });
}

template <typename T, typename D, typename Read>
auto Decoder::Records(std::string_view what, std::size_t resource, std::size_t scope, D* result, Read read) {
  return [=, this](std::size_t index, od::value item, StackList<T>& list) -> Status {
    T record;
    std::string_view rejection;
    if (Status s = read(item, &record, &rejection); !s.ok()) return s;
    if (rejection.empty()) return Push(list, record);
    if (result->rejected++ == 0) {
      result->rejection = StrCat(what, " ", index, " of scope ", scope, " of resource ", resource, ": ", rejection);
    }
    return Status::Ok();
  };
}

template <typename T, typename ReadItem>
Status Decoder::Request(Field list, std::span<const T>* out, ReadItem read_item) {
  od::json_type type;
  if (auto e = doc_.type().get(type)) return Malformed(e);
  if (type != od::json_type::object) return Expected("a JSON object");
  od::value root;
  if (auto e = doc_.get_value().get(root)) return Malformed(e);
  Status s = Object(root, [&](Field f, od::value value) {
    if (f != list) return CheckUnknown(value, 0);
    return Gather<T>(value, out, [&](std::size_t index, od::value item, StackList<T>& items) {
      T t;
      if (Status st = read_item(index, item, &t); !st.ok()) return st;
      return Push(items, t);
    });
  });
  if (!s.ok()) return s;
  // Anything but whitespace after the object is malformed.
  if (!doc_.current_location().error()) {
    return Status::InvalidArgument("malformed JSON: content after the request object");
  }
  return Status::Ok();
}

// A request decoded by SignalDecoder (constructed from the parsed body, the
// arena and the limits; its Request(D*) walks the request).
template <typename SignalDecoder, typename D>
Result<D> DecodeWith(std::string_view body, Arena& arena, const DecodeLimits& limits) {
  ParsedBody parsed(body, limits);
  if (!parsed.status().ok()) return parsed.status();
  D out;
  if (Status s = SignalDecoder(parsed, arena, limits).Request(&out); !s.ok()) return s;
  return out;
}

}  // namespace otelpack::otlp::json_internal

#endif  // OTELPACK_OTLP_JSON_DECODER_H_
