// The telemetry model: OpenTelemetry spans as otelpack sees them.
//
// It mirrors OTLP's shape (resource -> scope -> span) so that the service name
// and other per-resource facts are looked at once per resource, not per span.
//
// Every type here is a *view*: strings are std::string_view and lists are
// std::span, pointing at storage owned by someone else (an otelpack::Arena, a
// decoded request body, the caller's own variables). A view is cheap to copy
// and never allocates. The storage must outlive every call that receives the
// view: Exporter::Export encodes the data before it returns, so the caller may
// free the storage as soon as Export has returned.
#ifndef OTELPACK_MODEL_H_
#define OTELPACK_MODEL_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace otelpack {

struct KeyValue;

enum class ValueType : std::uint8_t {
  kEmpty = 0,  // an unset value; written as JSON null
  kString,
  kBool,
  kInt,        // int64
  kDouble,
  kBytes,      // arbitrary bytes; written as base64
  kArray,
  kKvList,     // a nested key-value list; written as a JSON object
};

// One attribute value of any OTLP type. 24 bytes, trivially copyable.
class AnyValue {
 public:
  constexpr AnyValue() : type_(ValueType::kEmpty), i_(0), size_(0) {}

  static constexpr AnyValue String(std::string_view s) { return Ref(ValueType::kString, s.data(), s.size()); }
  static constexpr AnyValue Bytes(std::string_view b) { return Ref(ValueType::kBytes, b.data(), b.size()); }
  static constexpr AnyValue Bool(bool b) { AnyValue v; v.type_ = ValueType::kBool; v.b_ = b; return v; }
  static constexpr AnyValue Int(std::int64_t i) { AnyValue v; v.type_ = ValueType::kInt; v.i_ = i; return v; }
  static constexpr AnyValue Double(double d) { AnyValue v; v.type_ = ValueType::kDouble; v.d_ = d; return v; }
  static AnyValue Array(std::span<const AnyValue> a) { return Ref(ValueType::kArray, a.data(), a.size()); }
  static AnyValue KvList(std::span<const KeyValue> kv) { return Ref(ValueType::kKvList, kv.data(), kv.size()); }

  ValueType type() const { return type_; }
  // Each accessor REQUIRES: type() is the matching type.
  bool bool_value() const { return b_; }
  std::int64_t int_value() const { return i_; }
  double double_value() const { return d_; }
  std::string_view string_value() const { return {static_cast<const char*>(ptr_), size_}; }  // kString, kBytes
  std::span<const AnyValue> array_value() const { return {static_cast<const AnyValue*>(ptr_), size_}; }
  std::span<const KeyValue> kvlist_value() const;

 private:
  static constexpr AnyValue Ref(ValueType t, const void* p, std::size_t n) {
    AnyValue v;
    v.type_ = t;
    v.ptr_ = p;
    v.size_ = n;
    return v;
  }

  ValueType type_;
  union {
    bool b_;
    std::int64_t i_;
    double d_;
    const void* ptr_;
  };
  std::size_t size_;
};

struct KeyValue {
  std::string_view key;
  AnyValue value;
};

inline std::span<const KeyValue> AnyValue::kvlist_value() const {
  return {static_cast<const KeyValue*>(ptr_), size_};
}

using Attributes = std::span<const KeyValue>;

struct TraceId {
  std::array<std::uint8_t, 16> bytes{};
  bool valid() const { for (auto b : bytes) if (b) return true; return false; }
};

struct SpanId {
  std::array<std::uint8_t, 8> bytes{};
  // All-zero means "no span": a root span's parent id is invalid.
  bool valid() const { for (auto b : bytes) if (b) return true; return false; }
};

enum class SpanKind : std::uint8_t {
  kUnspecified = 0, kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5,
};

// OTLP's status code; only kError makes the backend's status "error".
enum class SpanStatusCode : std::uint8_t { kUnset = 0, kOk = 1, kError = 2 };

struct SpanEvent {
  std::string_view name;
  std::uint64_t time_unix_nano = 0;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct SpanLink {
  TraceId trace_id;
  SpanId span_id;
  std::string_view trace_state;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::uint32_t flags = 0;
};

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // invalid (all zero) for a root span
  std::string_view trace_state;
  std::uint32_t flags = 0;
  std::string_view name;
  SpanKind kind = SpanKind::kUnspecified;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t end_time_unix_nano = 0;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::span<const SpanEvent> events;
  std::uint32_t dropped_events_count = 0;
  std::span<const SpanLink> links;
  std::uint32_t dropped_links_count = 0;
  SpanStatusCode status_code = SpanStatusCode::kUnset;
  std::string_view status_message;
};

struct Resource {
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct InstrumentationScope {
  std::string_view name;
  std::string_view version;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct ScopeSpans {
  InstrumentationScope scope;
  std::span<const Span> spans;
  std::string_view schema_url;
};

struct ResourceSpans {
  Resource resource;
  std::span<const ScopeSpans> scope_spans;
  std::string_view schema_url;
};

// The unit of export: spans grouped by resource and scope, as in OTLP.
using TracesView = std::span<const ResourceSpans>;

// The value of the resource attribute `service.name` when it is a string, else
// "unknown" (the backend's rule).
std::string_view ServiceName(const Resource& resource);

// Number of spans in `traces`.
std::size_t CountSpans(TracesView traces);

}  // namespace otelpack

#endif  // OTELPACK_MODEL_H_
